/**
 * What an int expression's operators assemble to on amd64: the sequences the compiler's rewrite
 * rules make of each operator (ssa/_gen/generic.rules and AMD64.rules, the same from Go 1.19 to
 * 1.24), sized as cmd/internal/obj/x86 encodes them. The registers regalloc picks, and the moves
 * between them, are left out but where a sequence always needs one (a dividend read twice).
 * Checked against `go tool objdump` of the generated computing programs (test/fixtures/arith).
 */
import { smagic } from '../program/magic.js';
import type { Expr } from '../program/model.js';

type Binary = Extract<Expr, { kind: 'binary' }>;

const MOVE = 3; // MOVQ r, r
const SETCC = 3; // SETcc r8
const IMM64 = 10; // MOVQ $imm64, r

export const fitsInt8 = (c: bigint) => c >= -128n && c < 128n;
export const fitsInt32 = (c: bigint) => c >= -(2n ** 31n) && c < 2n ** 31n;
export const isPowerOfTwo = (c: bigint) => c > 0n && (c & (c - 1n)) === 0n;
const log2 = (c: bigint) => c.toString(2).length - 1;

/** An operand's value when it is an integer literal (constant locals are inlined before). */
export function literal(e: Expr): bigint | null {
  if (e.kind === 'int') return e.big ?? BigInt(e.value);
  if (e.kind === 'unary' && e.op === '-' && e.operand.kind === 'int') return -(e.operand.big ?? BigInt(e.operand.value));
  return null;
}

/**
 * A constant an instruction cannot take as a sign-extended immediate is loaded into a register
 * first: MOVL (zero-extending) where it fits 32 bits unsigned, else MOVQ $imm64.
 */
const loaded = (c: bigint) => (c >= 0n && c < 2n ** 32n ? 5 : IMM64);

/** An ALU instruction with an immediate: 8 bits 4 bytes, 32 bits 7 (ADDQ $c, r); else the register form. */
const withImmediate = (c: bigint) => (fitsInt8(c) ? 4 : fitsInt32(c) ? 7 : loaded(c) + 3);

/** x + c, x - c: INCQ/DECQ for ±1. */
function addConst(c: bigint): number {
  if (c === 0n) return 0;
  return c === 1n || c === -1n ? 3 : withImmediate(c);
}

/** AMD64.rules MULQconst: LEAQs for the small multipliers, shifts for powers of two. */
export function mulConst(c: bigint): number {
  const LEA = 4;
  const SHL = 4;
  if (c === 0n) return 2; // XORL
  if (c === 1n) return 0;
  if (c === -1n) return 3; // NEGQ
  if (c === -3n || c === -5n || c === -9n) return LEA + 3;
  if (c === 3n || c === 5n || c === 9n) return LEA;
  if ([7n, 11n, 13n, 19n, 21n, 25n, 27n, 37n, 41n, 45n, 73n, 81n].includes(c)) return 2 * LEA;
  if (isPowerOfTwo(c)) return c === 2n ? 3 : SHL; // generic.rules: Lsh64x64; SHLQ $1 has no immediate
  if (c >= 15n && isPowerOfTwo(c + 1n)) return SHL + 3 + MOVE; // (x << k) - x
  for (const [add, min] of [[1n, 17n], [2n, 34n], [4n, 68n], [8n, 136n]] as const) {
    if (c >= min && isPowerOfTwo(c - add)) return SHL + LEA + MOVE; // LEAQ (x<<k)(x*add)
  }
  for (const d of [3n, 5n, 9n]) if (c % d === 0n && isPowerOfTwo(c / d)) return LEA + SHL;
  return fitsInt8(c) ? 4 : fitsInt32(c) ? 7 : loaded(c) + 4; // IMUL3Q $c, r, r; IMULQ r, r
}

/**
 * magic.go smagic: x / c for a c that is not a power of two is a high multiply by m, shifted,
 * minus x's sign. An odd m needs x added after the multiply (and s one more).
 */
function signedMagic(c: bigint): { odd: boolean; shift: number } {
  const { m, s } = smagic(c < 0n ? -c : c);
  return m % 2n === 0n ? { odd: false, shift: Number(s) - 1 } : { odd: true, shift: Number(s) };
}

/** SARQ $k: none for 0, 3 bytes for 1, else 4. */
const sar = (k: number) => (k === 0 ? 0 : k === 1 ? 3 : 4);

/**
 * generic.rules Div64 by a constant. nonNegative: prove.go has made the dividend's x>>63 zero,
 * so of the magic multiply only MOVQ $m, IMULQ, the odd m's ADDQ and the shift are left
 * (recorded/shrinking-steps fall with go1.15.15).
 */
export function divConst(c: bigint, nonNegative = false): number {
  if (c === 0n) return 0; // a compile error in Go; nothing to size
  if (c === 1n) return 0;
  if (c === -1n) return 3; // NEGQ
  const d = c < 0n ? -c : c;
  const neg = c < 0n && isPowerOfTwo(d) ? 3 : 0;
  if (isPowerOfTwo(d)) {
    // (x + (x>>63 >>> (64-k))) >> k: x's sign bit alone for k = 1.
    return MOVE + (d === 2n ? 4 : 4 + 4) + 3 + sar(log2(d)) + neg;
  }
  // MOVQ x, r; SARQ $63; MOVQ; MOVQ $m, AX; IMULQ x; [LEAQ (DX)(x*1) and a move]; SARQ $s; SUBQ.
  const { odd, shift } = signedMagic(c);
  if (nonNegative && c > 0n) return IMM64 + 3 + (odd ? 3 : 0) + sar(shift); // ADDQ x, DX
  return MOVE + 4 + MOVE + IMM64 + 3 + (odd ? 4 + MOVE : 0) + sar(shift) + 3;
}

/** generic.rules Mod64 by a constant: x - (x / c) * c; a power of two masks instead. */
export function modConst(c: bigint, nonNegative = false): number {
  const d = c < 0n ? -c : c;
  if (d === 0n || d === 1n) return 0;
  if (isPowerOfTwo(d)) return MOVE + (d === 2n ? 4 : 4 + 4) + 4 + 4 + 3; // sign fix, LEAQ, ANDQ $-d, SUBQ
  return divConst(d, nonNegative) + mulConst(d) + 3;
}

/**
 * x / d and x % d by a variable: a zero divisor panics (TESTQ; JEQ to a CALL panicdivide after
 * the body) unless a check before covers it, -1 is negated apart (CMPQ $-1; JNE; NEGQ; XORL DX,
 * DX; JMP), then CQO; IDIVQ.
 */
const variableDivision = (zeroCheck: boolean) => (zeroCheck ? 3 + 2 : 0) + 4 + 2 + 3 + 2 + 2 + 2 + 3;
/**
 * generic.rules' divisibility check: x % c == 0 for a c that is not a power of two is
 * (x*m + a) rotated, compared with max, three 64-bit constants.
 */
function divisible(c: bigint): number {
  const d = c < 0n ? -c : c;
  const rotate = d % 2n === 0n ? 4 : 0;
  return IMM64 + 4 + IMM64 + 3 + rotate + IMM64 + 3;
}

/** Whether a comparison is a divisibility check (x % c == 0, x % c != 0). */
export function divisibilityCheck(e: Binary): bigint | null {
  if ((e.op !== '==' && e.op !== '!=') || literal(e.right) !== 0n || e.left.kind !== 'binary' || e.left.op !== '%') return null;
  const c = literal(e.left.right);
  return c !== null && c !== 0n ? c : null;
}

/**
 * A comparison's flags: TESTQ against 0, CMPQ with an immediate (8 or 32 bits) or a register;
 * a power of two's divisibility tests the low bits, any other's is generic.rules' check.
 * Returns the bytes of the compare itself; the compared operands are sized apart.
 */
export function compareBytes(e: Binary): number {
  const c = divisibilityCheck(e);
  if (c !== null) {
    const d = c < 0n ? -c : c;
    // BTL $0 (a 32-bit test of bit 0: go1.19.8's objdump of recorded/two-channels, arith/arith-11
    // and arith-13, branch and value alike); TESTQ $d-1, AX with a 32-bit immediate (recorded/
    // go-in-recursion descend, not-conditions gate and arith/arith-8 c3 from go1.15.15 to go1.24.4;
    // a byte more for another register than AX: code-size.ts condition).
    return d === 1n ? 0 : isPowerOfTwo(d) ? (d === 2n ? 4 : 6) : divisible(c);
  }
  const r = literal(e.right);
  if (r === null) return 3;
  return r === 0n ? 3 : fitsInt8(r) ? 4 : fitsInt32(r) ? 7 : loaded(r) + 3;
}

/**
 * The operator's own bytes, its operands aside. A comparison made as a value (a bool to print or
 * pass) adds SETcc. The % of a divisibility check is sized by its comparison (compareBytes).
 */
export function operatorBytes(e: Binary, asValue: boolean, zeroCheck: boolean, signKnown = false): number {
  const c = literal(e.right) ?? (e.op === '+' || e.op === '*' ? literal(e.left) : null);
  switch (e.op) {
    case '+': return c === null ? 3 : addConst(c);
    case '-': return c === null ? 3 : literal(e.right) !== null ? addConst(-c) : 3 + addConst(c); // c - x: NEGQ; ADDQ
    case '*': return c === null ? 4 : mulConst(c);
    case '/': return literal(e.right) === null ? variableDivision(zeroCheck) : divConst(literal(e.right)!, signKnown);
    case '%': return literal(e.right) === null ? variableDivision(zeroCheck) : modConst(literal(e.right)!, signKnown);
    case '&&': case '||': return 4;
    default: return compareBytes(e) + (asValue ? SETCC : 0);
  }
}
