/** The runtime's print formats (runtime/print.go): pointers and hex as 0x..., zero as 0x0. */
export function hex(v: number): string {
  return '0x' + v.toString(16);
}
