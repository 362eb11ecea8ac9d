/** The runtime's print formats (runtime/print.go): pointers and hex as 0x..., zero as 0x0. */
const TWO32 = 2 ** 32;
/** Each byte as two hex digits, and without a leading zero (the first digits of a number). */
const BYTE = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const LEAD = Array.from({ length: 256 }, (_, i) => i.toString(16));
let lastHi = -1;
let lastHiDigits = '';

/**
 * A non-negative integer below 2^53 in hex. Addresses pass 2^32, where Number#toString(16)
 * leaves V8's integer path: the low 32 bits go byte by byte through tables (hundreds of
 * thousands of these make a long trace).
 */
export function hex(v: number): string {
  const hi = Math.floor(v / TWO32);
  const lo = v - hi * TWO32;
  const b3 = (lo >>> 24) & 255, b2 = (lo >>> 16) & 255, b1 = (lo >>> 8) & 255, b0 = lo & 255;
  if (hi > 0) {
    // The high part is the arena's (0xc0) nearly always: its digits are kept.
    if (hi !== lastHi) {
      lastHi = hi;
      lastHiDigits = '0x' + hi.toString(16);
    }
    return lastHiDigits + BYTE[b3] + BYTE[b2] + BYTE[b1] + BYTE[b0];
  }
  if (b3) return '0x' + LEAD[b3] + BYTE[b2] + BYTE[b1] + BYTE[b0];
  if (b2) return '0x' + LEAD[b2] + BYTE[b1] + BYTE[b0];
  if (b1) return '0x' + LEAD[b1] + BYTE[b0];
  return '0x' + LEAD[b0];
}
