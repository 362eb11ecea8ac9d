/** The runtime's print formats (runtime/print.go): pointers and hex as 0x..., zero as 0x0. */
const TWO32 = 2 ** 32;

export function hex(v: number): string {
  // Addresses pass 2^32: print the two 32-bit halves, which stay on the fast integer paths.
  if (v < TWO32) return '0x' + v.toString(16);
  const hi = Math.floor(v / TWO32);
  const lo = (v - hi * TWO32).toString(16);
  return '0x' + hi.toString(16) + '00000000'.slice(lo.length) + lo;
}
