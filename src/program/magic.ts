/**
 * cmd/compile/internal/ssa/magic.go for 64-bit signed division by a constant: the one port the
 * frame model, the entry block's values and the code sizes all read.
 */

/**
 * smagic(64, c) for c > 0: x / c is a high multiply by m = ⌈2^(64+s)/c⌉, s = bits(c)-1, then a
 * shift. Below 2^64 unless c is a power of two (which divides by shifts instead).
 */
export function smagic(c: bigint): { m: bigint; s: bigint } {
  const s = BigInt(c.toString(2).length - 1);
  return { m: ((1n << (64n + s)) + c - 1n) / c, s };
}

/**
 * sdivisible(64, c) for c > 0 not a power of two: n % c == 0 is (n*m + a) rotated right by k
 * <= max, with c = d0 * 2^k, m the inverse of d0 modulo 2^64.
 */
export function sdivisible(c: bigint): { m: bigint; a: bigint; k: bigint; max: bigint } {
  const mask = (1n << 64n) - 1n;
  let k = 0n;
  while (((c >> k) & 1n) === 0n) k++;
  const d0 = c >> k;
  // The inverse of d0 modulo 2^64 (Newton's method, as magic.go).
  let m = d0;
  for (let i = 0; i < 6; i++) m = (m * (2n - d0 * m)) & mask;
  const a = ((mask >> 1n) / d0) & (mask ^ ((1n << k) - 1n));
  return { m, a, k, max: (2n * a) >> k };
}
