/**
 * The model's stand-in for a function's machine code, where no binary gives the real one
 * (--code compiler): the size of what each instruction assembles to on amd64, so that a return
 * address (a traceback's +0x offset, morebuf's pc) lies where the compiler's would, or near it.
 *
 * Sizes are the encodings cmd/internal/obj/x86 emits for what cmd/compile makes of each
 * statement, read from `go tool objdump` of the recorded and generated programs built by the
 * patched toolchains (test/code-size.test.ts holds the ones checked): a CALL is 5 bytes, a load
 * of a global 7, of a stack slot 5 or 8, and so on. Branches are padded as asm6.go padJump does
 * (Intel's JCC erratum): a jump or call that would cross or end on a 32-byte boundary starts at
 * the boundary, after NOPs; functions start 32-byte aligned (funcAlign), so a function's own
 * offsets decide. layOutText places the functions as the linker does.
 *
 * What it cannot know (which registers regalloc picks and the moves between them, byte
 * arithmetic, the scheduler's order) it leaves out: the offsets are exact for simple statements
 * and near for the rest.
 */
import { COMPARISONS, DUFFZERO_PARAM_REG, exprReads, GO_CAPTURE_BY_VALUE, goCaptures, INT_ARG_REGS, paramsInMemory, REP_STOSQ_PARAM_REGS, readBeforeFirstCall, sendsVariableInPlace, stmtReads, subExprs, type FrameLayout, type GoTemp } from '../program/frame.js';
import { compareBytes, divisibilityCheck, fitsInt32, fitsInt8, isPowerOfTwo, literal, operatorBytes } from './arith-size.js';
import { constantLocals, deadInstructions, exprKey, inlineConstants, pairedDivisions, posKey, zeroChecks } from './code-values.js';
import { alignOf, sizeOf, stmtExprs, type Expr, type Func, type GoType, type PrintArg, type Stmt, type Var } from '../program/model.js';
import { anyStmt, flatten, innerLists, walk } from '../program/stmts.js';
import { constValue } from '../program/validate.js';
import { goMinor, type Profile } from '../profiles/profile.js';
import type { FuncCode, Instr } from './code.js';

/** A call an instruction makes: the function it calls, and the return address's offset. */
export interface CallSiteOffset { callee: string; ret: number }

/** A function's code as the model sizes it (returnOffsets). */
export interface CodeLayout {
  /** ends[k]: where instruction k-1's code ends. */
  ends: number[];
  /** calls[k]: the calls instruction k makes, in order. */
  calls: CallSiteOffset[][];
  /** The return address of the prologue's morestack call. */
  morestack: number;
  /** sizes[k]: instruction k's bytes, padding left out (for comparing with a disassembly). */
  sizes: number[];
}

/** asm6.go makePjcCtx: branches may not cross or end on a 32-byte boundary. */
const JUMP_ALIGN = 32;
const CALL = 5; // CALL rel32
const LOAD_GLOBAL = 7; // MOVQ sym(SB), AX; LEAQ sym(SB), AX
const LOAD_STACK = 5; // MOVQ off8(SP), AX; LEAQ off8(SP), AX
const MOVL_IMM = 5; // MOVL $c, AX
const ZERO_REG = 2; // XORL AX, AX
/** obj6.go stacksplit: small, big and huge frames check SP differently. */
const STACK_SMALL = 128;
const STACK_BIG = 4096;

/** An instruction with an SP offset: an 8-bit displacement, or 32 bits (3 bytes more). */
const disp = (short: number, offset: number) => (offset < 128 ? short : short + 3);

/** The same at 0(SP), which takes no displacement byte. */
const spDisp = (short: number, offset: number) => (offset === 0 ? short - 1 : disp(short, offset));

/** A run of code: its size, whether it ends in a branch (padded), and the function a call calls. */
interface Piece { size: number; jump: boolean; callee?: string }

const code = (size: number): Piece => ({ size, jump: false });
const jump = (size: number): Piece => ({ size, jump: true });
/** A CALL of a function by name (the return addresses the runtime's frames print). */
const call = (callee: string): Piece => ({ size: CALL, jump: true, callee });

/** Loading an int argument into its register: a constant, a variable, or an expression. */
function loadArg(arg: Expr, sizing: Sizing): Piece[] {
  const e = inlineConstants(arg, sizing.constants);
  if (e.kind === 'int') return [code(immediateLoad(e))];
  if (e.kind === 'bool') return [code(e.value ? MOVL_IMM : ZERO_REG)];
  return [code(valueSize(e, sizing))];
}

/**
 * A constant into a register: XORL for 0, MOVL $c for what fits 32 bits unsigned, MOVQ $c
 * (sign-extended 32 bits, 7 bytes) for a small negative one, MOVQ $imm64 (10) beyond.
 */
function immediateLoad(e: Extract<Expr, { kind: 'int' }>): number {
  const v = e.big ?? BigInt(e.value);
  if (v === 0n) return ZERO_REG;
  if (v > 0n && v < 2n ** 32n) return MOVL_IMM;
  return v < 0n && v >= -(2n ** 31n) ? 7 : 10;
}

const constant = (e: Expr) => e.kind === 'bool' || ((e.kind === 'int' || e.kind === 'unary' || e.kind === 'binary') && constValue(e) !== null);

/**
 * Making an int value in a register: a variable read from its slot (a register parameter not
 * stored is there already), each operator an instruction (INCQ/DECQ for ±1, 3 bytes; others 4).
 */
function valueSize(value: Expr, sizing: Sizing): number {
  const e = inlineConstants(value, sizing.constants);
  if (e !== value && (e.kind === 'int' || e.kind === 'bool')) return e.kind === 'int' ? immediateLoad(e) : e.value ? MOVL_IMM : ZERO_REG;
  const vars = subExprs(e).filter((x): x is Extract<Expr, { kind: 'var' }> => x.kind === 'var');
  // x % y after x / y (or the reverse): the remainder IDIVQ left is read back from where it was kept.
  if (e.kind === 'binary' && sizing.divisions.get(posKey(e)) === 'second') return disp(5, keptDivisionSlot(sizing));
  const loads = [...new Set(vars.map((v) => v.name))].reduce((n, name) => n + (inRegister(name, sizing) || sizing.loaded.has(name) ? 0 : disp(5, sizing.offsetOf(name))), 0);
  // The division that makes both stores the other result (MOVQ DX, off(SP)).
  const keeps = subExprs(e).filter((x) => x.kind === 'binary' && sizing.divisions.get(posKey(x)) === 'first').length;
  return loads + operators(e, true, sizing.zeroChecks, sizing.nonNegative) + keeps * disp(5, keptDivisionSlot(sizing));
}

/**
 * Where a division's other result is kept: the frame's top slot (recorded/div-mod-print split
 * and loop-step-products mul with go1.22.12: MOVQ DX, 0x160(SP) under SUBQ $0x168, SP; 0x338
 * under 0x340).
 */
const keptDivisionSlot = (sizing: Sizing) => sizing.layout.frame - 16;

/** Whether a register parameter is still in its register here (not read back from its slot). */
const inRegister = (name: string, sizing: Sizing) => sizing.registerParams.has(name) && !(sizing.spilled.has(name) && sizing.fromMemory.has(sizing.line));

/** The bytes of an expression's operators (arith-size.ts); asValue: a comparison made as a bool. */
function operators(e: Expr, asValue: boolean, zeroChecks: ReadonlySet<string>, nonNegative: ReadonlySet<string> = NO_VARS): number {
  const sub = (x: Expr) => operators(x, true, zeroChecks, nonNegative);
  if (e.kind === 'unary') return 3 + sub(e.operand); // NEGQ; XORL $1
  if (e.kind !== 'binary') return 0;
  if (e.left.kind === 'binary' && divisibilityCheck(e) !== null) return sub(e.left.left) + compareBytes(e) + (asValue ? 3 : 0);
  const signKnown = e.left.kind === 'var' && nonNegative.has(e.left.name);
  return sub(e.left) + sub(e.right) + operatorBytes(e, asValue, zeroChecks.has(posKey(e)), signKnown);
}

/**
 * A condition and its branch: the values compared, then TESTQ (against 0, 3 bytes) or CMPQ (an
 * 8-bit constant 4, a wider one 7, a register 3) fused with its Jcc, which padJump keeps together.
 */
function condition(cond: Expr, sizing: Sizing, counter?: string, far = false): Piece[] {
  // A Jcc that does not reach with a byte's displacement takes a 32-bit one (4 bytes more).
  const jcc = far ? 6 : 2;
  const e = inlineConstants(cond, sizing.constants);
  // a && b and a || b branch on each operand in turn, each test fused with its Jcc
  // (recorded/not-conditions gate with go1.22.12: TESTL BL, BL; JNE; TESTQ AX, AX; JLE).
  if (e.kind === 'binary' && (e.op === '&&' || e.op === '||')) {
    return [...condition(e.left, sizing, counter, far && e.op === '&&'), ...condition(e.right, sizing, counter, far)];
  }
  // !(x OP y) is x OP' y: the same compare, the branch turned round (not-conditions gate:
  // !(n%4 != 0) is TESTQ $3, AX; JNE).
  if (e.kind === 'unary' && e.op === '!' && e.operand.kind === 'binary' && COMPARISONS.includes(e.operand.op)) return condition(e.operand, sizing, counter, far);
  if (e.kind !== 'binary' || !COMPARISONS.includes(e.op)) {
    // A bool variable is tested a byte wide (MOVBLZX off(SP), AX; TESTL AL, AL), and !b only
    // turns the branch round (recorded/tiny-arrays hold with go1.19.8's objdump).
    const tested = e.kind === 'unary' && e.op === '!' && e.operand.kind === 'var' ? e.operand : e;
    if (tested.kind === 'var' && byteSized(tested.name, sizing.fn)) return [code(valueSize(tested, sizing)), jump(2 + jcc)];
    return [code(valueSize(e, sizing)), jump(3 + jcc)];
  }
  // A parameter that lives in its slot (a send passes its address) is compared with a constant
  // other than 0 straight from memory (AMD64.rules CMPQconstload: CMPQ off(SP), $c), which the
  // Jcc does not fuse with (recorded/blocked-sender-shrinks sender with go1.22.12: CMPQ
  // 0xc0(SP), $0x190; NOPL; JNE). Against 0 it is loaded and tested (TESTQ).
  const against = literal(e.right);
  if (e.left.kind === 'var' && against !== null && against !== 0n && fitsInt32(against) && sizing.profile.abi === 'register' && sizing.paramsInMemory.has(e.left.name)) {
    return [code(disp(5, sizing.offsetOf(e.left.name)) + (fitsInt8(against) ? 1 : 4)), jump(jcc)];
  }
  // The compare fused with its Jcc is the last instruction: a 64-bit constant, or a
  // divisibility check's, is made before it.
  const check = e.left.kind === 'binary' && divisibilityCheck(e) !== null ? e.left.left : null;
  // TESTQ $d-1 of a register other than AX takes a ModRM byte (recorded/gc-exact-chain link with
  // go1.22.12: n%4 == 0 of n in BX is TESTQ $0x3, BX, 7 bytes).
  const lowBits = check !== null && compareBytes(e) === 6 && !(check.kind === 'var' && heldIn(check.name, sizing) <= 0) ? 1 : 0;
  const all = compareBytes(e) + lowBits;
  const fused = all > 7 ? 3 : all;
  // A loop's counter is in a register at its test, just made by the post statement.
  const left = e.left.kind === 'var' && e.left.name === counter ? 0 : valueSize(check ?? e.left, sizing);
  const r = e.right;
  return [code(left + (check || literal(r) !== null ? 0 : valueSize(r, sizing)) + all - fused), jump(fused + jcc)];
}

/** Whether a variable of the function is a bool or a byte. */
function byteSized(name: string, fn: Func): boolean {
  const v = [...fn.params, ...fn.locals].find((x) => x.name === name);
  return !!v && sizeOf(v.type) === 1;
}

/**
 * Zeroing or copying n bytes at an offset from SP (amd64 rules for Zero and Move): a size that
 * is not a multiple of 16 first stores its first 16 (or 8) bytes, then 16 bytes per SSE move up
 * to 64 past them (MOVUPS X15, off(SP); a copy MOVUPS off(SP), X0 and MOVUPS X0, k(SP), where
 * 0(SP) takes no displacement). Beyond, the rest is DUFFZERO/DUFFCOPY up to 1 KiB (DUFFZERO's
 * start moved back by LEAQ -n(DI), DI where the rest is not a multiple of its 64-byte loop), REP
 * STOSQ/MOVSQ beyond. A copy goes to the outgoing arguments, at SP.
 */
function block(bytes: number, copy: boolean, offset: number, opts: BlockOptions = {}): Piece[] {
  const { fromHeap = false, axZeroed = false, dest = 0, x0 = false, x0Zeroed = false, fromClosure = false, throughSI = false } = opts;
  // A load off DX takes no SIB byte, one off SP does.
  const load = (off: number) => disp(fromClosure ? 4 : 5, off);
  // The stack ABI (Go 1.15) has no zero register: XORPS X0, X0 first, and its stores take no REX.
  const sse = x0 ? 5 : 6;
  const zeroX0 = !copy && x0 && !x0Zeroed ? 3 : 0;
  // Below 16 bytes, zeroing stores immediates (MOVB 5, MOVW 7, MOVL 8, MOVQ 9 bytes with an 8-bit
  // displacement), and a copy from SP moves through a register (generated/gen-87 r1, a [13]byte,
  // with go1.15.15 as with go1.19.8): a load (MOVBLZX or
  // MOVWLZX 5, MOVL 4, MOVQ 5) and a store (MOVB 4, MOVW 5, MOVL 4, MOVQ 5), at 0(SP) a byte less.
  // The wider move of a 3- or 5-byte copy goes first, through DX; its byte then through SI
  // (recorded/bool-flags-chain chain's [3]bool with go1.19.8 to 1.24.4: MOVB SI, 0x2(SP) with REX).
  if (bytes < 16 && (!copy || (!fromClosure && !fromHeap))) {
    const moves = smallMoves(bytes);
    const rex = copy && throughSI && moves.length === 2 && moves.some(([width]) => width === 1) ? 1 : 0;
    return [code(rex + moves.reduce((n, [width, at]) => n + (copy
      ? disp(SMALL_LOAD[width]!, offset + at) + spDisp(SMALL_STORE[width]!, dest + at)
      : spDisp(SMALL_ZERO[width]!, offset + at)), 0))];
  }
  const head = bytes % 16;
  // Go 1.15 zeroes a head of up to 8 bytes with MOVQ $0 (AMD64.rules: MOVQstoreconst), which
  // needs no X0 (generated/gen-2 g3, a [20]byte, with go1.15.15); later releases with a 16-byte
  // store of X15 (MOVOstoreconst).
  const headConst = !copy && x0 && bytes > 16 && head > 0 && head <= 8;
  // Up to 64 bytes past the head, 16-byte moves (AMD64.rules Zero [64] and Move [64]: generated/
  // gen-8 g2, a [67]byte, with go1.15.15); DUFFZERO and DUFFCOPY only from 80.
  if (bytes - head <= 64) {
    const headStore = headConst ? spDisp(SMALL_ZERO[8]!, offset) : 0;
    const moves = headConst ? sseMoves(bytes).slice(1) : sseMoves(bytes);
    return [code(headStore + zeroX0 + moves.reduce((n, k) => n + (copy ? load(offset + k) + spDisp(5, dest + k) : spDisp(sse, offset + k)), 0))];
  }
  const rest = bytes - head;
  const out: Piece[] = [];
  if (head) out.push(code(copy ? load(offset) + spDisp(5, dest) : headConst ? spDisp(SMALL_ZERO[8]!, offset) : spDisp(sse, offset)));
  // LEAQ dst, DI (MOVQ SP, DI for a copy to 0(SP)), and for a copy LEAQ src, SI.
  // A local moved to the heap is copied from the pointer newobject returned (MOVQ AX, SI).
  const source = fromHeap ? 3 : load(offset + head);
  const to = copy ? dest + head : offset + head;
  // To 0(SP): MOVQ SP, DI.
  // X0 zeroed once for the head's store or DUFFZERO (REP STOSQ stores AX).
  const addresses = (to === 0 ? 3 : disp(5, to)) + (copy ? source : (rest <= 1024 && rest % 64 !== 0 ? 4 : 0) + ((head && !headConst) || rest <= 1024 ? zeroX0 : 0));
  // DUFFZERO and DUFFCOPY assemble to one branch of 19 bytes, the frame pointer saved around the
  // call (MOVQ BP, -16(SP); LEAQ -16(SP), BP; CALL; MOVQ (BP), BP): padded as one.
  if (rest <= 1024) return [...out, code(addresses), jump(5 + 5 + CALL + 4)];
  // (XORL AX, AX, unless a zeroing just before left AX zero;) MOVL $n, CX; REP
  return [...out, code(addresses + (copy || axZeroed ? 0 : ZERO_REG) + MOVL_IMM + 3)];
}

/** Whether zeroing n bytes takes REP STOSQ (over 1 KiB past its head), which stores AX. */
const zeroesByRepStosq = (bytes: number) => bytes - (bytes % 16) > 1024;

/** Whether the stack ABI's zeroing of n bytes stores X0 (XORPS X0, X0 first): SSE stores or DUFFZERO. */
function zeroUsesX0(bytes: number): boolean {
  if (bytes < 16) return false;
  return !zeroesByRepStosq(bytes) || bytes % 16 > 8;
}

/**
 * The moves of a block under 16 bytes (AMD64.rules Zero and Move): [width, offset] each, two
 * overlapping ones for the sizes between 1, 2, 4 and 8 (recorded/byte-math main with go1.19.8:
 * a [5]byte is MOVL then MOVB at 4).
 */
function smallMoves(bytes: number): [number, number][] {
  const one: Record<number, [number, number][]> = {
    1: [[1, 0]], 2: [[2, 0]], 3: [[1, 2], [2, 0]], 4: [[4, 0]], 5: [[1, 4], [4, 0]], 6: [[2, 4], [4, 0]], 7: [[4, 3], [4, 0]], 8: [[8, 0]],
  };
  return one[bytes] ?? [[8, bytes - 8], [8, 0]];
}
const SMALL_ZERO: Record<number, number> = { 1: 5, 2: 7, 4: 8, 8: 9 };
const SMALL_LOAD: Record<number, number> = { 1: 5, 2: 5, 4: 4, 8: 5 };
const SMALL_STORE: Record<number, number> = { 1: 4, 2: 5, 4: 4, 8: 5 };

/**
 * The offsets of the SSE moves of a small block: 16 bytes at a time; a size not a multiple of 16
 * first moves its first 16 (over 16 bytes).
 */
function sseMoves(bytes: number): number[] {
  const head = bytes > 16 ? bytes % 16 : 0;
  return [...(head ? [0] : []), ...Array.from({ length: Math.max(1, Math.floor(bytes / 16)) }, (_, i) => head + 16 * i)];
}

interface BlockOptions {
  /** A copy's source is a heap object (the pointer newobject returned). */
  fromHeap?: boolean;
  /** A zeroing just before left AX zero (REP STOSQ's XORL AX, AX is left out). */
  axZeroed?: boolean;
  /** A copy's destination from SP: where the argument goes. */
  dest?: number;
  /** Zeroing with X0 (the stack ABI), not the register ABI's zero X15. */
  x0?: boolean;
  /** X0 is zero already: a zeroing just before stored it (one XORPS for the arrays a line declares). */
  x0Zeroed?: boolean;
  /** A copy from a go statement's closure, addressed off DX. */
  fromClosure?: boolean;
  /**
   * A small copy moves through DX, then SI, where the register ABI keeps AX, BX and CX for the
   * arguments: a byte stored from SI (SIL) takes a REX prefix.
   */
  throughSI?: boolean;
}

/**
 * The function's stack check (none for a nosplit leaf). Its JBE goes to the morestack call
 * after the body: 2 bytes when that is within reach of a byte, else 6.
 */
function stackCheck(layout: FrameLayout, profile: Profile, near: Near): Piece[] {
  if (layout.nosplit) return [];
  const jbe = near.jbe ? 2 : 6;
  // obj6.go stacksplit's framesize: the frame with the frame pointer's slot.
  const size = layout.frame;
  const tls = profile.abi === 'stack' ? [code(9)] : []; // MOVQ (TLS), CX
  if (size <= STACK_SMALL) return [...tls, jump(4 + jbe)]; // CMPQ SP, 16(R14); JBE (fused)
  // LEAQ -n(SP), R12; CMPQ; JBE: -128 is still a byte (generated/gen-82 g6 with go1.19.8, a 256-byte frame).
  if (size <= STACK_BIG) return [...tls, code(size - STACK_SMALL <= 128 ? 5 : 8), jump(4 + jbe)];
  // A huge frame checks the subtraction's wrap first (JCS), 6 bytes farther from the target.
  // The stack ABI compares the guard with StackPreempt first: MOVQ 16(CX), SI; CMPQ $-0x522, SI;
  // JEQ; LEAQ StackGuard(SP), AX; SUBQ SI, AX; CMPQ AX, $imm32; JBE.
  if (profile.abi === 'stack') return [...tls, code(4 + 7), jump(near.jcs ? 2 : 6), code(8 + 3), jump(6 + jbe)];
  return [...tls, code(3 + 7), jump(near.jcs ? 2 : 6), jump(4 + jbe)]; // MOVQ SP, R12; SUBQ $n, R12; JCS; CMPQ; JBE
}

/** Which of the stack check's branches reach the morestack call with a byte's displacement. */
interface Near {
  jbe: boolean;
  jcs: boolean;
  /** Loops (by their head's index) whose JMP to the test and Jcc back take 32-bit displacements. */
  farLoops: Set<number>;
  /** The branches to then-blocks laid out last that do not reach with an 8-bit displacement. */
  farThens: Set<number>;
}

/** A register parameter's store to its slot at an offset from SP: MOVB for a bool, else MOVQ. */
const storeParam = (p: Var | undefined, offset: number) => disp(p && sizeOf(p.type) === 1 ? 4 : 5, offset);
/** Around the morestack call, before the frame is taken: the slot above the return address; loaded back with MOVBLZX or MOVQ. */
const paramStore = (p: Var, layout: FrameLayout) => storeParam(p, 8 + (layout.paramOffset.get(p.name) ?? 0));
const paramLoad = (p: Var, layout: FrameLayout) => disp(5, 8 + (layout.paramOffset.get(p.name) ?? 0));

/**
 * The parameters the register ABI passes in integer registers: ints, bools and bytes, and an
 * array of one of those of length 1 (abi/abiutils.go: an array of length 1 is assigned as its
 * element; recorded/tiny-arrays hold with go1.19.8: MOVQ CX, 0x18(SP) around morestack).
 */
const registerParamVars = (fn: Func) => fn.params.filter((p) => p.type.kind === 'basic' || (p.type.kind === 'array' && p.type.len === 1 && p.type.elem.kind === 'basic')).slice(0, INT_ARG_REGS);
const registerParams = (fn: Func) => registerParamVars(fn).map((p) => p.name);
/** The register (by its place in the ABI's order) a parameter of the function comes in, or -1. */
const paramRegister = (fn: Func, name: string) => registerParamVars(fn).findIndex((p) => p.name === name);
/** A register parameter of the function still in its register here, not reloaded: its register, or -1. */
const heldIn = (name: string, sizing: Sizing) => (inRegister(name, sizing) && !sizing.loaded.has(name) ? paramRegister(sizing.fn, name) : -1);

/**
 * The register parameters a local array's zeroing moves to another register first (MOVQ AX,
 * DX): those in the registers it takes that are read before the first call. A whole argument
 * passed in the same register is then moved back (MOVQ DX, AX). recorded/senders-block push with
 * go1.19.8's objdump; frame.ts gives such a copy a slot where it lives across a call.
 */
function movedAside(l: Var, fn: Func, profile: Profile): string[] {
  if (profile.abi !== 'register' || l.type.kind !== 'array') return [];
  const rest = sizeOf(l.type) - (sizeOf(l.type) % 16);
  const regs = zeroesByRepStosq(sizeOf(l.type)) ? REP_STOSQ_PARAM_REGS : rest > 64 ? [DUFFZERO_PARAM_REG] : [];
  const params = registerParamVars(fn);
  return regs.flatMap((i) => (params[i] && readBeforeFirstCall(fn, params[i].name) ? [params[i].name] : []));
}

/** The variables statements read (nested ones included); a copy's reads are its source's. */
function varsRead(list: Stmt[], copies: ReadonlyMap<string, Expr>): Set<string> {
  const out = new Set<string>();
  walk(list, (s) => {
    for (const x of stmtExprs(s).flatMap(subExprs)) {
      if (x.kind !== 'var') continue;
      const source = copies.get(x.name);
      if (!source) out.add(x.name);
      else if (source.kind === 'var') out.add(source.name);
    }
  });
  return out;
}

/**
 * The register parameters stored around the morestack call and loaded back: every one of them
 * (ssagen/ssa.go: "using all the parameters (used, partially used, and unused)"), but amd64/ssa.go
 * hands them to the assembler where the first ArgIntReg value is, so none where the function
 * reads none (arith/arith-65 c12 reads one of three; recorded/deadlock-goroutines a1 none).
 */
function morestackParams(fn: Func): Var[] {
  const regs = registerParamVars(fn);
  const read = varsRead(fn.body, constantLocals(fn));
  return regs.some((p) => read.has(p.name)) ? regs : [];
}

/**
 * The register parameters stored to their slots, each by the line of the statement it is stored
 * before. A parameter is reloaded where it is read after a call on its path, by a println (after
 * printlock), or by a send (which passes its address); the reload is in the reading block when
 * the call dominates it, else at the end of the branch that called. regalloc.go placeSpills puts
 * the spill at the start of the deepest block that dominates every reload (recorded/ladder rung
 * with go1.22.12: in the then-block of the if whose call it survives; recorded/not-conditions
 * gate: at the entry, before the zeroing, when the reloads are in two ifs' branches). A branch
 * that returns takes its calls with it; a loop that calls needs what it reads before it.
 */
function spillLines(fn: Func, profile: Profile): { at: Map<string, number>; fromMemory: Set<number> } {
  const at = new Map<string, number>();
  /** Lines whose statement reads the parameters from their slots: after a call on its path, or a println. */
  const fromMemory = new Set<number>();
  if (profile.abi !== 'register') return { at, fromMemory };
  const ints = registerParams(fn);
  const copies = constantLocals(fn);
  /** A block: the statement lists from the body down, each with the index of the statement taken. */
  type Where = { list: Stmt[]; index: number }[];
  /** Each parameter's reloads, by the block each is in. */
  const reloads = new Map<string, Where[]>();
  /**
   * Whether the statement at a dominates the one at b: it is in the list that holds b or one of
   * b's enclosing statements (earlier in it: calls are met in order).
   */
  const encloses = (a: Where, b: Where) => a.length <= b.length && a.every((x, i) => x.list === b[i]!.list && (i === a.length - 1 || x.index === b[i]!.index));
  /** callers: the blocks of the calls on the path so far that the registers do not survive. */
  const need = (names: Set<string>, line: number, where: Where, callers: Where[]) => {
    fromMemory.add(line);
    const dominated = callers.length === 0 || callers.some((c) => encloses(c, where));
    for (const p of ints) if (names.has(p)) (reloads.get(p) ?? reloads.set(p, []).get(p)!).push(...(dominated ? [where] : callers));
  };
  const calls = (list: Stmt[]) => anyStmt(list, (x) => CALLING.includes(x.kind));
  const returns = (list: Stmt[]): boolean => list.some((x) => x.kind === 'return' || (x.kind === 'if' && returns(x.then) && returns(x.else)));
  /** Whether a statement calls on a path that goes on past it (a branch that returns does not). */
  const callsOnward = (x: Stmt): boolean => x.kind === 'if'
    ? (!returns(x.then) && callsOnwardIn(x.then)) || (!returns(x.else) && callsOnwardIn(x.else)) : calls([x]);
  const callsOnwardIn = (list: Stmt[]) => list.some(callsOnward);
  const visit = (list: Stmt[], outer: Where, callers: Where[]): { callers: Where[]; returns: boolean } => {
    for (const [index, s] of list.entries()) {
      const where: Where = [...outer, { list, index }];
      if (s.kind === 'if') {
        if (callers.length) need(varsRead([{ ...s, then: [], else: [] }], copies), s.pos.line, where, callers);
        const t = visit(s.then, where, callers);
        const e = visit(s.else, where, callers);
        if (t.returns && e.returns) return { callers, returns: true };
        callers = [...new Set([...callers, ...(t.returns ? [] : t.callers), ...(e.returns ? [] : e.callers)])];
        continue;
      }
      if (s.kind === 'for') {
        if (callers.length || calls(s.body)) need(varsRead([s], copies), s.pos.line, where, callers);
        if (calls(s.body)) callers = [...callers, where];
        continue;
      }
      // A variable a send copies to its temporary is stored there from its register, not spilled
      // (recorded/deadlock-many sender with go1.19.8: MOVQ AX, 0x10(SP); LEAQ 0x10(SP), BX).
      const copiedForSend = s.kind === 'send' && s.value?.kind === 'var' && !sendsVariableInPlace(fn, s.value.name, profile);
      // A println reads its arguments after its own printlock, a send after taking the address.
      // A go statement that captures values allocates its closure first (runtime.newobject:
      // recorded/go-in-recursion descend with go1.22.12, go leaf(n * 3) reloads n after it).
      const allocates = s.kind === 'go' && s.args.some((a) => goCaptures(a, profile));
      const callsFirst = s.kind === 'println' || (s.kind === 'send' && !copiedForSend) || allocates;
      if (callers.length || callsFirst) need(varsRead([s], copies), s.pos.line, where, callsFirst ? [where] : callers);
      if (s.kind === 'return') return { callers, returns: true };
      if (CALLING.includes(s.kind)) callers = [...callers, where];
    }
    return { callers, returns: false };
  };
  visit(fn.body, [], []);
  for (const [p, blocks] of reloads) {
    // The deepest enclosing block common to all reloads, and its first statement that leads to one.
    const shortest = Math.min(...blocks.map((b) => b.length));
    const same = (k: number, index: boolean) => blocks.every((b) => b[k]!.list === blocks[0]![k]!.list && (!index || b[k]!.index === blocks[0]![k]!.index));
    let k = 0;
    while (k < shortest && same(k, true)) k++;
    // Reloads in different statements of one list: the first of them; in the branches of one
    // statement (or in it): that statement.
    const level = k < shortest && same(k, false) ? k : k - 1;
    const list = blocks[0]![level]!.list;
    const first = level === k ? Math.min(...blocks.map((b) => b[level]!.index)) : blocks[0]![level]!.index;
    // Down the dominator tree from the entry to that statement's block, the spill moves to the
    // start of each block the parameter is still in its register at: not past a call, nor past
    // a join one of whose branches called (recorded/shrink-after-deep-gc small with go1.22.12:
    // spilled at the entry, the reload in the println after the if).
    const path: Where = [...blocks[0]!.slice(0, level), { list, index: first }];
    let spillAt = path[0]!.list[0]!.pos.line;
    walkDown: for (const [d, { list: stmts, index }] of path.entries()) {
      for (let j = 0; j < index; j++) {
        if (callsOnward(stmts[j]!)) break walkDown;
        const next = stmts[j + 1];
        if ((stmts[j]!.kind === 'if' || stmts[j]!.kind === 'for') && next) spillAt = next.pos.line;
      }
      // Into the branch that leads on: a block of one predecessor, reached in the register.
      const down = path[d + 1];
      if (down && down.list[0]) spillAt = down.list[0].pos.line;
    }
    at.set(p, spillAt);
  }
  return { at, fromMemory };
}

/** Sets `set` to what `from` holds: a register state saved at a branch, on the path it takes. */
function restore(set: Set<string>, from: ReadonlySet<string>): void {
  set.clear();
  for (const x of from) set.add(x);
}

/** No variables (nothing loaded, no sign known). */
const NO_VARS: ReadonlySet<string> = new Set();

/** Instructions that call: registers do not survive them. */
const CALLING_OPS: readonly string[] = ['call', 'go', 'print', 'gc', 'send', 'recv', 'newobject'];

/** Statements that call (the runtime or the program): registers do not survive them. */
const CALLING: readonly string[] = ['call', 'println', 'gc', 'send', 'recv', 'go'];

/**
 * Saving the frame pointer and taking the frame (obj6.go): PUSHQ BP; MOVQ SP, BP; SUBQ $n, SP
 * from 1.21; before, SUBQ $n, SP; MOVQ BP, n-8(SP); LEAQ n-8(SP), BP.
 */
function frameSetup(frame: number, profile: Profile): number {
  const sub = frameAdjust(profile.framePointerPush ? frame - 8 : frame);
  // MOVQ BP, n-8(SP); LEAQ n-8(SP), BP (generated/gen-21 g6 with go1.15.15: n = 0x88, 0x80(SP)
  // takes a 32-bit displacement).
  return profile.framePointerPush ? 1 + 3 + sub : sub + disp(5, frame - 8) + disp(5, frame - 8);
}

/** SUBQ $n, SP (ADDQ on return): an 8-bit immediate up to 128, which the assembler negates (ADDQ $-128). */
const frameAdjust = (n: number) => (n <= 128 ? 4 : 7);

/** Returning: the frame given back (and BP restored), RET. */
function frameTeardown(frame: number, profile: Profile): number {
  if (frame === 0) return 0;
  const add = frameAdjust(profile.framePointerPush ? frame - 8 : frame);
  return profile.framePointerPush ? add + 1 : disp(5, frame - 8) + add;
}

/** What a function's instructions are sized against. */
interface Sizing {
  layout: FrameLayout;
  profile: Profile;
  /** The int parameters passed in registers, and those of them stored to their slots. */
  registerParams: ReadonlySet<string>;
  spilled: ReadonlySet<string>;
  /** The lines where they are read from their slots (spillLines), and the instruction's line. */
  fromMemory: ReadonlySet<number>;
  line: number;
  /** A variable's offset from SP. */
  offsetOf: (name: string) => number;
  /** The int variables by slot. */
  slotNames: ReadonlyMap<number, string>;
  /** A go statement's wrapper: its arguments come from the closure. */
  wrapper: boolean;
  /** Locals that are one constant or a copy of a parameter (constantLocals), by name. */
  constants: ReadonlyMap<string, Expr>;
  /**
   * The variable divisions that check for zero where they are made, by position (zeroChecks): from
   * 1.21 not a println argument's, whose check comes before printlock (printChecks).
   */
  zeroChecks: ReadonlySet<string>;
  /** The zero checks of divisions among println arguments, by position. */
  printChecks: ReadonlySet<string>;
  /** Variable divisions one IDIVQ makes in pairs, by position (pairedDivisions). */
  divisions: ReadonlyMap<string, 'first' | 'second'>;
  /**
   * Variables in a register here though they live in memory, until a call: the stack ABI's
   * parameters a condition loaded, a register parameter a condition reloaded, a rotated loop's
   * counter at the top of its body (in AX), a local just made (in loadedIn's register).
   */
  loaded: ReadonlySet<string>;
  /**
   * The register (index among the argument registers, -1 unknown) a local just made is in, for
   * those in `loaded` (others there are in AX).
   */
  loadedIn: Map<string, number>;
  /**
   * Variables a dominating branch proves non-negative here (nonNegativeFacts): prove.go turns
   * the x>>63 of their divisions by constants into 0, so the sign's fix-up is left out.
   */
  nonNegative: ReadonlySet<string>;
  /**
   * The instruction is a loop's head or test whose branches take 32-bit displacements (farLoop),
   * or the condition of a then-block laid out last that its Jcc does not reach otherwise.
   */
  farBranch: boolean;
  /** The instruction is the head of a loop tested at the top (Loop.testedAtTop). */
  testAtTop: boolean;
  /** Register parameters a zeroing moved out of its registers (movedAside), until a call. */
  moved: Set<string>;
  /** The function being sized. */
  fn: Func;
  /** Its parameters that live in their slots (frame.ts paramsInMemory: a send passes their address). */
  paramsInMemory: ReadonlySet<string>;
  /** Each go statement's slots for its captures (goTempSlots). */
  goTemps: ReadonlyMap<Instr, GoTemps>;
}

/** Whether the code after the line reads the variable (readOnPathAfter). */
function readAfterLine(fn: Func, line: number, name: string): boolean {
  return readOnPathAfter(fn.body, line, (s) => stmtReads(s, name)) === 'read';
}

type PathAfter = 'read' | 'returned' | 'open' | 'absent';

/**
 * Whether the code after the statement on `line` reads a variable, on the paths it can take from
 * there: the rest of its block, then its loop's test and body again, then the blocks around it;
 * a return ends the path (the else branch is not on it, nor what follows a then-block that returns:
 * recorded/seven-params step with go1.19.8, step(n - 4); return with n printed in the other
 * branch is ADDQ $-4, AX in place).
 */
function readOnPathAfter(list: readonly Stmt[], line: number, reads: (s: Stmt) => boolean): PathAfter {
  const readsAny = (stmts: Stmt[]) => anyStmt(stmts, reads);
  for (let i = 0; i < list.length; i++) {
    const s = list[i];
    let inner: PathAfter = 'absent';
    if (s.pos.line === line) {
      // The statement itself: a condition's branches or a loop's body come after it.
      if (innerLists(s).some(readsAny) || (s.kind === 'for' && s.post && reads(s.post))) return 'read';
      inner = s.kind === 'return' ? 'returned' : 'open';
    } else {
      for (const block of innerLists(s)) {
        inner = readOnPathAfter(block, line, reads);
        if (inner !== 'absent') break;
      }
      if (inner === 'absent') continue;
      if (inner !== 'open') return inner;
      // The end of a loop's body: its post statement, its test and its body again.
      if (s.kind === 'for' && (reads(s) || (s.post !== null && reads(s.post)) || readsAny(s.body))) return 'read';
    }
    if (inner === 'returned') return inner;
    for (const next of list.slice(i + 1)) {
      if (readsAny([next])) return 'read';
      if (next.kind === 'return') return 'returned';
    }
    return 'open';
  }
  return 'absent';
}

/** A go statement's slots: its closure's address, and by argument its heap copy's pointer or its copy. */
interface GoTemps { closure?: string; byRef: ReadonlyMap<number, string>; copies: ReadonlyMap<number, string> }

/** A source whose offset the sizing does not know: taken as one a 32-bit displacement reaches. */
const FAR = 128;

/** An array captured by value, over 16 bytes: copied into the closure. */
const copiedArray = (t: GoType) => t.kind === 'array' && sizeOf(t) > 16 && sizeOf(t) <= GO_CAPTURE_BY_VALUE;

/** Go 1.19 copies it with memmove. */
const memmoved = (t: GoType, profile: Profile) => profile.goArrayMemmove && copiedArray(t);

/**
 * From 1.21 the copy is inline: MOVUPS src(SP), X0; MOVUPS X0, k(AX) per 16 bytes (the first 8
 * with MOVQ where the size is not a multiple of 16). recorded/zero-lit-spawns with go1.21.13.
 */
function closureCopy(bytes: number, from: number): number {
  return sseMoves(bytes).reduce((n, k) => n + disp(5, from + k) + disp(4, 8 + k), 0);
}

/** The slots frame.ts goStatementTemps gives each go statement (by its line). */
function goTempSlots(instrs: readonly Instr[], lines: readonly number[], layout: FrameLayout): Map<Instr, GoTemps> {
  const out = new Map<Instr, GoTemps>();
  instrs.forEach((ins, k) => {
    if (ins.op !== 'go' || !ins.alloc) return;
    const mine = [...(layout.goTemps ?? [])].filter(([, t]) => t.line === lines[k]);
    const byArg = (holds: GoTemp['holds']) => new Map(mine.filter(([, t]) => t.holds === holds).map(([name, t]) => [t.arg!, name]));
    out.set(ins, { closure: mine.find(([, t]) => t.holds === 'closure')?.[0], byRef: byArg('pointer'), copies: byArg('copy') });
  });
  return out;
}

/**
 * Go 1.19: an array captured by value copied into the closure: the closure's address kept in its
 * slot, then LEAQ k(AX), DX; LEAQ src(SP), BX; MOVQ DX, AX; MOVL $n, CX; CALL memmove; and the
 * address loaded back for newproc. recorded/zero-lit-spawns with go1.19.8's objdump.
 */
function memmoveInto(from: number, slot: number): Piece[] {
  return [code(disp(5, slot) + 4 + disp(5, from) + 3 + MOVL_IMM), call('runtime.memmove'), code(disp(5, slot))];
}

/**
 * An array a go statement captures by reference (over 128 bytes): newobject of its type, the
 * pointer kept in a slot, and the array copied there (MOVQ AX, DI; LEAQ src(SP), SI; DUFFCOPY,
 * or MOVL $n, CX; REP MOVSQ). A zero value is not copied: newobject's memory is zeroed
 * (bytes 0). recorded/go-big-twice and zero-lit-big-gc with go1.19.8 and go1.22.12's objdump.
 */
function heapCopy(bytes: number, from: number, slot: number): Piece[] {
  if (bytes === 0) return [code(LOAD_GLOBAL), call('runtime.newobject'), code(disp(5, slot))];
  const copy = bytes <= 1024 ? [jump(5 + 5 + CALL + 4)] : [code(MOVL_IMM + 3)];
  return [code(LOAD_GLOBAL), call('runtime.newobject'), code(disp(5, slot) + 3 + disp(5, from)), ...copy];
}

/**
 * The pointer to such a copy stored into the closure behind the write barrier's check: before
 * Go 1.21, CMPL $0, runtime.writeBarrier(SB); JNE; MOVQ slot, CX; MOVQ CX, 8(AX); JMP; LEAQ
 * 8(AX), DI; MOVQ slot, CX; CALL gcWriteBarrierCX. From 1.21 the buffered barrier: CMPL; JNE;
 * MOVQ slot, CX; JMP; CALL gcWriteBarrier1; MOVQ slot, CX; MOVQ CX, (R11); then MOVQ CX, 8(AX).
 */
function storePointer(slot: number, profile: Profile): Piece[] {
  const load = disp(5, slot);
  if (goMinor(profile) >= 21) return [jump(LOAD_GLOBAL + 2), code(load), jump(2), call('runtime.gcWriteBarrier1'), code(load + 3 + 4)];
  return [jump(LOAD_GLOBAL + 2), code(load + 4), jump(2), code(4 + load), call('runtime.gcWriteBarrierCX')];
}

/**
 * An argument computed from a variable still needed after it is made in another register than
 * the variable's, then moved to the argument's: println(n, n+1, ...) is MOVQ n, AX; LEAQ 1(AX),
 * CX; MOVQ CX, AX (recorded/println-many spread with go1.19.8's objdump), where a later argument
 * or, for println, a later statement reads n; a call f(n-1, acc+n) with n in AX is LEAQ -1(AX),
 * CX; ADDQ AX, BX; MOVQ CX, AX (recorded/acc-recursion odd).
 */
function resultMove(e: Expr, later: readonly Expr[], sizing: Sizing, orAfterLine: boolean): number {
  const x = inlineConstants(e, sizing.constants);
  // Only LEAQ c(AX), CX, LEAQ (AX)(AX*2), CX and IMULQ $c, AX, CX make their result elsewhere:
  // SHLQ, NEGQ and IMULQ of two registers work in place (recorded/many-print-args show: b*2,
  // -c, a*b-c; recorded/gc-in-loop-deep with go1.19.8: climb(r*50, r) is IMULQ $0x32, AX, CX).
  if (x.kind !== 'binary' || constant(x) || x.left.kind !== 'var' || !constant(x.right)) return 0;
  const factor = x.op === '*' ? constValue(x.right) ?? 0n : 0n;
  const elsewhere = x.op === '+' || x.op === '-' || (factor > 1n && !isPowerOfTwo(factor));
  if (!elsewhere) return 0;
  const name = x.left.name;
  const laterArg = later.some((a) => exprReads(a, name));
  if (!laterArg && !(orAfterLine && readAfterLine(sizing.fn, sizing.line, name))) return 0;
  if (x.op === '*') return 3;
  // x ± 1, sized as INCQ or DECQ (3 bytes), is then a LEAQ too (4).
  return plusMinusOne(x, sizing) ? 4 : 3;
}

/**
 * A println argument made by an instruction that writes its input's register (NEGQ, SHLQ, IMULQ
 * of two registers) from a variable read again by a later argument or after the line: from Go
 * 1.21 the variable is copied to another register first and the result moved to AX, 6 bytes
 * (MOVQ AX, CX; NEGQ CX; MOVQ CX, AX). IMULQ of x, read again, and y, not, writes y's register
 * and moves the result (3). recorded/println-mixed talk (-n, n*2 with n tested after),
 * deep-then-many-prints down (-n, n*n), many-print-args show (b*2, -c and a*b-c, all read again),
 * min-int edges (m*neg: IMULQ AX, CX; MOVQ CX, AX), go1.21.13 to go1.24.4; go1.19.8 works in
 * place (NEGQ AX), as every release does without a later read (rt-println-negint f0's println(-n)).
 */
function liveInputCopy(e: Expr, later: readonly Expr[], sizing: Sizing): number {
  if (!sizing.profile.inPlaceOpCopiesLiveInput) return 0;
  const x = inlineConstants(e, sizing.constants);
  // The instruction that writes first: x's own, or its left operand's under an ADDQ or SUBQ.
  const op = x.kind === 'binary' && (x.op === '+' || x.op === '-') && !constant(x.right) ? x.left : x;
  const live = (name: string) => later.some((a) => exprReads(a, name)) || readAfterLine(sizing.fn, sizing.line, name);
  const [first, second] = inPlaceInputs(op);
  if (first === undefined || !live(first)) return 0;
  if (second === undefined) return 6;
  // x * x from 1.24 is MOVQ AX, CX; IMULQ CX, AX: the result made in AX (wait-group-like
  // square, deep-then-many-prints down with go1.24.4).
  if (second === first) return sizing.profile.regsFreedBeforeCall ? 3 : 6;
  return live(second) ? 6 : 3;
}

/** The variables whose register NEGQ x, SHLQ $k, x or IMULQ y, x would write: none for another value. */
function inPlaceInputs(x: Expr): string[] {
  if (x.kind === 'unary' && x.op === '-' && x.operand.kind === 'var') return [x.operand.name];
  if (x.kind !== 'binary' || x.op !== '*' || x.left.kind !== 'var') return [];
  if (x.right.kind === 'var') return [x.left.name, x.right.name];
  const c = constValue(x.right);
  return c !== null && c > 1n && isPowerOfTwo(c) ? [x.left.name] : [];
}

/**
 * A value made by NEGQ, SHLQ or IMULQ of a register parameter still in its register and read
 * again after the statement: regalloc copies the parameter to another register first (MOVQ BX,
 * CX; IMULQ BX, CX), 3 bytes each. IMULQ of two such parameters writes the one read again only
 * after a call where the other is read before it. With go1.22.12 (and go1.19.8, go1.24.4 where
 * noted): recorded/sum-chain acc, next := total + n*n with n passed on next (all three);
 * div-mod-print split, p := n*d, both passed on in the branch after; loop-step-products mul,
 * p := a*b, both printed after a call: MOVQ AX, DX; IMULQ BX, DX. expr-chains calc, x := a*b - c
 * with a read before sink(x), b printed after it: IMULQ AX, BX.
 */
function heldInputCopies(value: Expr, sizing: Sizing): number {
  const e = inlineConstants(value, sizing.constants);
  const live = (name: string) => heldIn(name, sizing) >= 0 && readAfterLine(sizing.fn, sizing.line, name);
  const soon = (name: string) => readBeforeCall(sizing.fn.body, sizing.line, name);
  return subExprs(e).reduce((n, x) => {
    const inputs = inPlaceInputs(x);
    if (inputs.length === 0 || !inputs.every(live)) return n;
    return n + (inputs.length === 1 || soon(inputs[0]!) === soon(inputs[1]!) ? 3 : 0);
  }, 0);
}

/**
 * The argument register a new local's value is made in, -1 unknown: a copy of a register
 * parameter shares its register; x OP y works in place in the register of an operand that is a
 * register parameter not read after the statement (regalloc clobbers a dead input: recorded/
 * sum-chain acc, next := total + n*n in total's AX; seven-params mix, s := a + b*c in CX, b*c's,
 * a being printed later).
 */
function madeIn(value: Expr, sizing: Sizing): number {
  const e = inlineConstants(value, sizing.constants);
  if (e.kind === 'var') return heldIn(e.name, sizing);
  if (e.kind !== 'binary' || !['+', '-', '*'].includes(e.op)) return -1;
  const dying = (x: Expr) => (x.kind === 'var' && !readAfterLine(sizing.fn, sizing.line, x.name) ? heldIn(x.name, sizing) : -1);
  const left = dying(e.left);
  if (left >= 0 || e.op === '-') return left;
  const right = dying(e.right);
  // A sum of values still wanted is LEAQ (x)(y*1) into the register its use wants
  // (seven-params mix: u := f*g + t, then step(u), with go1.22.12: LEAQ (CX)(SI*1), AX).
  return right >= 0 || e.op === '*' ? right : ANY_REGISTER;
}

/** madeIn's answer for a value made in whichever register its next use wants. */
const ANY_REGISTER = -2;

/**
 * Whether a statement after the one on `line`, in its list, reads the variable before anything
 * calls (a call's arguments are read before it). A register read again only after a call is not
 * kept: recorded/expr-chains calc, x := a*b - c with b printed after sink(x), is IMULQ AX, BX in
 * place with go1.22.12, where sum-chain acc's n*n, n passed on next, is copied first.
 */
function readBeforeCall(list: readonly Stmt[], line: number, name: string): boolean {
  const at = list.findIndex((s) => s.pos.line === line);
  if (at < 0) {
    for (const s of list) {
      const inner = innerLists(s);
      if (inner.some((l) => anyStmt(l, (x) => x.pos.line === line))) return inner.some((l) => readBeforeCall(l, line, name));
    }
    return false;
  }
  return firstUse(list.slice(at + 1), name) === 'read';
}

/**
 * What comes first on the paths through the statements: a read of the variable, a call (or a
 * return), or neither. A call's and a go statement's arguments are read before them, a println's
 * after its printlock. Where a branch reads, that is the answer (div-mod-print split: p := n*d,
 * then if depth > 0 { split(n-9, ...) } copies n).
 */
function firstUse(list: readonly Stmt[], name: string): 'read' | 'call' | 'none' {
  for (const s of list) {
    if (s.kind === 'call' || s.kind === 'go') return stmtReads(s, name) ? 'read' : 'call';
    if (s.kind === 'return') return 'call';
    if (s.kind === 'if') {
      if (exprReads(s.cond, name)) return 'read';
      const paths = [firstUse(s.then, name), firstUse(s.else, name)];
      if (paths.includes('read')) return 'read';
      if (paths.every((p) => p === 'call')) return 'call';
      continue;
    }
    if (s.kind === 'for') {
      if ((s.init !== null && stmtReads(s.init, name)) || (s.cond !== null && exprReads(s.cond, name))) return 'read';
      const body = firstUse(s.body, name);
      if (body !== 'none') return body;
      continue;
    }
    if (CALLING.includes(s.kind)) return 'call';
    if (stmtReads(s, name)) return 'read';
  }
  return 'none';
}

/**
 * The divisions of a println's arguments, with their constants inlined (the operator is checked
 * too: an expression's position is where it starts, so (a*3)%d + 1's + has the %'s).
 */
function printDivisions(args: readonly PrintArg[], constants: ReadonlyMap<string, Expr>): Extract<Expr, { kind: 'binary' }>[] {
  return args.flatMap((a) => (a.kind === 'int' ? subExprs(inlineConstants(a.expr, constants)) : []))
    .filter((x): x is Extract<Expr, { kind: 'binary' }> => x.kind === 'binary' && (x.op === '/' || x.op === '%'));
}

/** The divisions by a variable of a println's arguments that check their divisor for zero. */
function printZeroChecks(args: readonly PrintArg[], sizing: Sizing): Extract<Expr, { kind: 'binary' }>[] {
  return printDivisions(args, sizing.constants).filter((x) => sizing.printChecks.has(posKey(x)));
}

/** The variable x of an expression x ± 1 (INCQ or DECQ where x is in place), or null. */
function plusMinusOne(e: Expr, sizing: Sizing): string | null {
  const x = inlineConstants(e, sizing.constants);
  const one = x.kind === 'binary' && (x.op === '+' || x.op === '-') && Math.abs(Number(constValue(x.right) ?? 0n)) === 1;
  return one && x.left.kind === 'var' ? x.left.name : null;
}

/**
 * A call's argument that is x ± c of a register parameter whose register is the argument's (the
 * same place in both functions' register parameters), when x is read by a later argument or
 * statement: the move resultMove sizes (recorded/acc-recursion odd, recv-in-recursion consumer:
 * consumer(n - 1) then println(n) is MOVQ n, AX; LEAQ -1(AX), CX; MOVQ CX, AX).
 */
function callArgMove(a: Expr, i: number, args: readonly Expr[], callee: Func, sizing: Sizing): number {
  const x = inlineConstants(a, sizing.constants);
  if (x.kind !== 'binary' || x.left.kind !== 'var') return 0;
  const name = x.left.name;
  const register = registerParamVars(callee).indexOf(callee.params[i]);
  // A loop's counter at the top of its body is in AX, the first argument's register.
  const sameRegister = (sizing.loaded.has(name) ? 0 : paramRegister(sizing.fn, name)) === register;
  // From 1.24 a read only after the call does not keep the register (Profile.regsFreedBeforeCall:
  // recorded/sum-chain acc(next, n-1) with n tested after is DECQ BX with go1.24.4).
  return sameRegister ? resultMove(a, args.slice(i + 1), sizing, !sizing.profile.regsFreedBeforeCall) : 0;
}

/**
 * A call's argument x + y or x - y of two parameters in their registers, made into the argument's
 * register T (the bytes beyond the operator's own 3): ADDQ may put its result anywhere (ssagen:
 * LEAQ (x)(y*1), T where T holds neither input), SUBQ works in x's register, then moved to T.
 * Where T holds an input still wanted in a register, the sum is made elsewhere and moved, and x
 * copied first for the difference: until 1.24 an input read again anywhere later, from 1.24 one
 * read before the call (Profile.regsFreedBeforeCall). recorded/cond-calls gate, go1.19.8:
 * left(a+b, m) is LEAQ (AX)(BX*1), CX; MOVQ CX, AX, right(b-c) MOVQ BX, AX; SUBQ CX, AX.
 */
function twoRegisterArgMove(a: Expr, i: number, args: readonly Expr[], callee: Func, sizing: Sizing): number {
  const x = inlineConstants(a, sizing.constants);
  if (x.kind !== 'binary' || (x.op !== '+' && x.op !== '-') || x.left.kind !== 'var' || x.right.kind !== 'var') return 0;
  const l = heldIn(x.left.name, sizing);
  const r = heldIn(x.right.name, sizing);
  if (l < 0 || r < 0) return 0;
  const target = registerParamVars(callee).indexOf(callee.params[i]);
  const wanted = (n: string) => args.slice(i + 1).some((e) => exprReads(e, n)) ||
    (!sizing.profile.regsFreedBeforeCall && readAfterLine(sizing.fn, sizing.line, n));
  if (x.op === '-') return l === target && !wanted(x.left.name) ? 0 : 3;
  const holder = l === target ? x.left.name : r === target ? x.right.name : null;
  if (holder === null) return 1;
  return wanted(holder) ? 4 : 0;
}

/** The third register's move for each pair of register parameters a call passes on swapped. */
function swapMoves(args: readonly Expr[], callee: Func, sizing: Sizing): number[] {
  const own = registerParamVars(sizing.fn);
  const theirs = registerParamVars(callee);
  const from = (i: number) => {
    const a = args[callee.params.indexOf(theirs[i])];
    return a?.kind === 'var' ? heldIn(a.name, sizing) : -1;
  };
  const moves: number[] = [];
  for (let i = 0; i < theirs.length; i++) {
    const j = from(i);
    if (j > i && j < theirs.length && from(j) === i) {
      const name = own[i].name;
      moves.push(byteSized(name, sizing.fn) && i < 5 && j < 5 ? 2 : 3);
    }
  }
  return moves;
}

/** Whether a call's argument is x * y or x - y of a parameter a zeroing moved aside (to DX), y not constant. */
function movedAsideOp(a: Expr, sizing: Sizing): boolean {
  const x = inlineConstants(a, sizing.constants);
  return x.kind === 'binary' && (x.op === '*' || x.op === '-') && x.left.kind === 'var' && sizing.moved.has(x.left.name) && !constant(x.right);
}

const laterInts = (args: readonly PrintArg[]) => args.flatMap((a) => (a.kind === 'int' ? [a.expr] : []));

/** What one instruction assembles to. */
function instrPieces(ins: Instr, sizing: Sizing): Piece[] {
  const { layout, profile, offsetOf, slotNames, wrapper } = sizing;
  if (profile.abi === 'stack') {
    const pieces = stackABIPieces(ins, sizing);
    if (pieces) return pieces;
  }
  switch (ins.op) {
    case 'call': {
      // The arguments passed in memory are copied first, then the registers loaded.
      const memory: Piece[] = [];
      const registers: Piece[] = [];
      const closureLoads: Piece[] = [];
      const loaded = new Set<string>();
      const inRegisters = registerParamVars(ins.fn.func);
      // What the ABI passes on the stack goes to the outgoing area in order from 0(SP).
      let stackAt = 0;
      const onStack = (t: GoType) => {
        const at = Math.ceil(stackAt / alignOf(t)) * alignOf(t);
        stackAt = at + sizeOf(t);
        return at;
      };
      // A zero array argument of over 1 KiB is stored by REP STOSQ, which takes AX: a loop's
      // counter there is moved aside to DX and back (arith/arith-24 main with go1.19.8:
      // MOVQ AX, DX; XORL AX, AX; REP STOSQ; MOVQ DX, AX).
      const repZero = ins.fn.func.params.some((p, i) => (p.type.kind === 'array' || p.type.kind === 'struct') && ins.source[i]?.kind === 'zero' && zeroesByRepStosq(sizeOf(p.type)));
      const passed = (name: string) => ins.source.some((e) => exprReads(e, name));
      const aside = repZero ? [...sizing.loaded].filter(passed) : [];
      if (aside.length > 0) registers.push(code(3));
      // Two parameters passed on in each other's registers go through a third (recorded/
      // bool-flags-chain chain(y, x, ...) with go1.22.12: MOVL AX, DX; MOVL BX, AX; MOVL DX, BX).
      registers.push(...swapMoves(ins.source, ins.fn.func, sizing).map(code));
      // The function's parameters in AX, BX and CX, all passed on by this call, leave DX and SI
      // for a small copy (block: throughSI).
      const firstThree = registerParamVars(sizing.fn).slice(0, 3);
      const argsHoldAXtoCX = firstThree.length === 3 && firstThree.every((v) => inRegister(v.name, sizing) && passed(v.name));
      ins.fn.func.params.forEach((p, i) => {
        const a = ins.source[i];
        const heap = a?.kind === 'var' && layout.heapLocals.some((l) => l.name === a.name);
        // A zero-size value passes nothing, a [1]T its element in a register (both SSA-able).
        if (sizeOf(p.type) === 0) return;
        // An int past the ninth register is stored to the outgoing area: MOVQ $c, off(SP), or
        // the value made and stored (recorded/many-int-params main with go1.19.8's objdump).
        if (p.type.kind === 'basic' && !inRegisters.includes(p) && a) {
          const at = onStack(p.type);
          const byte = sizeOf(p.type) === 1;
          const c = inlineConstants(a, sizing.constants);
          const small = c.kind === 'bool' || (c.kind === 'int' && c.big === undefined && Math.abs(c.value) < 2 ** 31);
          memory.push(code(small ? spDisp(byte ? 5 : 9, at) : valueSize(a, sizing) + spDisp(byte ? 4 : 5, at)));
          return;
        }
        // A go statement's wrapper loads it from its closure (MOVQ 8(DX), CX: recorded/tiny-arrays
        // main.main.func1 with go1.19.8's objdump).
        if (p.type.kind === 'array' && p.type.len === 1) {
          const captured = wrapper && !!a && goCaptures(a, profile);
          // A parameter of its own is passed on from its register (recorded/tiny-arrays hold).
          const param = a?.kind === 'var' && sizing.registerParams.has(a.name);
          registers.push(code(captured ? 4 : param ? valueSize(a, sizing) : a?.kind === 'var' && layout.localOffset.has(a.name) ? disp(5, offsetOf(a.name)) : ZERO_REG));
        }
        // A go statement's wrapper copies what its closure captured, from DX (MOVUPS 8(DX), X0:
        // no SIB byte; recorded/zero-lit-spawns main.main.func1 with go1.19.8).
        else if (p.type.kind === 'array' || p.type.kind === 'struct') {
          const fromClosure = wrapper && !!a && goCaptures(a, profile);
          const at = onStack(p.type);
          memory.push(...block(sizeOf(p.type), fromClosure || a?.kind !== 'zero', fromClosure ? 8 : a?.kind === 'var' ? offsetOf(a.name) : at, { fromHeap: heap, fromClosure, dest: at, throughSI: argsHoldAXtoCX }));
        }
        // A go statement's wrapper makes a constant itself, and loads what it captured from its
        // closure (MOVQ 8(DX), AX) ahead of the copies (recorded/zero-and-vars main.main.func3 with
        // go1.19.8: LEAQ 16(DX), SI; MOVQ 8(DX), AX; MOVQ SP, DI; DUFFCOPY).
        else if (!a || (wrapper && !constant(a))) (wrapper ? closureLoads : registers).push(code(4));
        else {
          // An argument already in an earlier argument's register is copied from there (MOVQ AX, BX).
          const key = exprKey(inlineConstants(a, sizing.constants));
          const moved = a.kind === 'var' && (sizing.moved.has(a.name) || aside.includes(a.name));
          // A parameter passed on in its own register, though an earlier argument took it too,
          // stays there (passBool(y, y, n-1): MOVL BX, AX only).
          const inPlace = a.kind === 'var' && !moved && heldIn(a.name, sizing) === inRegisters.indexOf(p);
          registers.push(...(inPlace ? [] : loaded.has(key) || moved ? [code(3)] : loadArg(a, sizing)));
          // A constant into R8-R11 (the sixth register on) takes a REX prefix (MOVL $c, R8).
          if (inRegisters.indexOf(p) >= 5 && constant(inlineConstants(a, sizing.constants)) && !loaded.has(key)) registers.push(code(1));
          // A register parameter passed on in another register is moved there (MOVQ CX, BX:
          // recorded/many-int-params wide, its parameters shifted by one); a bool or byte between
          // AX to DI by MOVL, no REX (recorded/bool-flags-chain chain: MOVL BX, AX).
          else if (a.kind === 'var' && !loaded.has(key) && !moved && inRegister(a.name, sizing)
            && paramRegister(sizing.fn, a.name) !== inRegisters.indexOf(p)) {
            const from = paramRegister(sizing.fn, a.name);
            registers.push(code(byteSized(a.name, sizing.fn) && from < 5 && inRegisters.indexOf(p) < 5 ? 2 : 3));
          }
          // So is a loop's counter, in AX at the top of its body (recorded/gc-in-loop-deep: MOVQ AX, BX).
          else if (a.kind === 'var' && !loaded.has(key) && sizing.loaded.has(a.name) && ![ANY_REGISTER, inRegisters.indexOf(p)].includes(sizing.loadedIn.get(a.name) ?? 0)) registers.push(code(3));
          const move = callArgMove(a, i, ins.source, ins.fn.func, sizing) || twoRegisterArgMove(a, i, ins.source, ins.fn.func, sizing);
          if (move) registers.push(code(move));
          // x ± 1 of a parameter moved aside is LEAQ ±1(DX), AX, not INCQ or DECQ (recorded/
          // main-big-then-spawn climb with go1.19.8: n moved to DX around REP STOSQ).
          else if (sizing.moved.has(plusMinusOne(a, sizing) ?? '')) registers.push(code(1));
          // x * y or x - y of a parameter moved aside is made in DX, then moved to its argument's
          // register (recorded/zero-and-vars three with go1.19.8: IMULQ BX, DX; MOVQ DX, AX).
          else if (movedAsideOp(a, sizing)) registers.push(code(3));
          loaded.add(key);
        }
      });
      return [...closureLoads, ...memory, ...registers, call(ins.fn.symbol)];
    }
    case 'go': {
      // A closure for the values it passes (newobject), its function word and captured values
      // stored into it, then newproc; with nothing captured, the static closure's address.
      // A captured value is loaded and stored at its offset in the closure (MOVQ DX, 8(AX)).
      // Nothing for a zero-size value. A local of no slot is in a register (MOVQ DX, 8(AX)), or,
      // a [1]T never stored to, zero (MOVQ $0, 8(AX)).
      const callee = ins.fn.wrapper ? ins.fn.code.find((c) => c.op === 'call')?.fn.func : ins.fn.func;
      const goTemps = sizing.goTemps.get(ins);
      const copies: Piece[] = [];
      const captured = ins.source.flatMap((a, i) => {
        const t = callee?.params[i]?.type;
        if (constant(a) || !goCaptures(a, profile) || (t && sizeOf(t) === 0)) return [];
        const temp = goTemps?.byRef.get(i);
        if (t && temp !== undefined) {
          copies.push(...heapCopy(a.kind === 'zero' ? 0 : sizeOf(t), a.kind === 'var' && layout.localOffset.has(a.name) ? offsetOf(a.name) : FAR, offsetOf(temp)));
          return storePointer(offsetOf(temp), profile);
        }
        if (t && copiedArray(t)) {
          // A zero literal is zeroed in a temporary first (MOVUPS X15), a local copied to one
          // where it keeps its own slot (frame.ts goStatementTemps); the closure's copy is made from it.
          const from = goTemps?.copies.get(i);
          const local = a.kind === 'var' && layout.localOffset.has(a.name) ? offsetOf(a.name) : undefined;
          if (from !== undefined) copies.push(...block(sizeOf(t), a.kind !== 'zero', a.kind === 'zero' ? offsetOf(from) : local ?? FAR, { dest: offsetOf(from) }));
          const source = from !== undefined ? offsetOf(from) : local ?? FAR;
          if (!memmoved(t, profile)) return [code(closureCopy(sizeOf(t), source))];
          if (goTemps?.closure !== undefined) return memmoveInto(source, offsetOf(goTemps.closure));
        }
        if (a.kind === 'var' && !layout.localOffset.has(a.name) && !sizing.registerParams.has(a.name)) return [code(t?.kind === 'array' ? 8 : 4)];
        // A constant local's value is stored as an immediate (MOVQ $c, 8(AX)).
        const c = inlineConstants(a, sizing.constants);
        if (c.kind === 'int') return [code(c.big === undefined && Math.abs(c.value) < 2 ** 31 ? 8 : immediateLoad(c) + 4)];
        return [code(valueSize(a, sizing) + 4)];
      });
      const alloc = ins.alloc ? [...copies, code(LOAD_GLOBAL), call('runtime.newobject'), code(LOAD_GLOBAL + 3), ...captured] : [code(LOAD_GLOBAL)];
      return [...alloc, call('runtime.newproc')];
    }
    case 'print': {
      // From 1.21 a divisor's zero check comes before printlock, its JE to the panicdivide after
      // the body out of a byte's reach (recorded/div-mod-print split with go1.21.13 to go1.24.4:
      // TESTQ BX, BX; JE; CALL printlock); the division itself after (Profile.printDivisionsBeforeLock).
      const checked = profile.printDivisionsBeforeLock ? [] : printZeroChecks(ins.source, sizing);
      const checks = checked.map((x) => code(valueSize(x.right, sizing) + 3 + 6));
      const out: Piece[] = [...checks, call('runtime.printlock')];
      for (const p of ins.pieces) {
        if (p.kind === 'text' && (p.text === ' ' || p.text === '\n')) out.push(call(p.text === ' ' ? 'runtime.printsp' : 'runtime.printnl'));
        else if (p.kind === 'text') out.push(code(LOAD_GLOBAL + MOVL_IMM), call('runtime.printstring'));
        else {
          // The value, or a local's address (LEAQ x(SP), AX).
          const kind = ins.args[p.index].kind;
          const arg = ins.source[p.index];
          const later = laterInts(ins.source.slice(p.index + 1));
          const load = arg.kind === 'addr' ? disp(5, offsetOf(arg.name)) : arg.kind === 'int' ? loadArg(arg.expr, sizing)[0].size + resultMove(arg.expr, later, sizing, true) + liveInputCopy(arg.expr, later, sizing) : LOAD_STACK;
          out.push(code(load), call(kind === 'addr' ? 'runtime.printpointer' : kind === 'bool' ? 'runtime.printbool' : 'runtime.printint'));
        }
      }
      return [...out, call('runtime.printunlock')];
    }
    case 'gc': return [call('runtime.GC')];
    // What is sent is passed by address: a constant's static copy, a parameter's or a local's
    // slot, or a temporary it is stored to first.
    case 'send': {
      const v = ins.value;
      // The channel (MOVQ c(SB), AX), then the address of what is sent (LEAQ ..., BX).
      if (!ins.zeroSize && (!v || constant(v))) return [code(LOAD_GLOBAL + LOAD_GLOBAL), call('runtime.chansend1')];
      // A variable sent where it lives (frame.ts sendsInPlace); else copied to the temporary
      // (recorded/relay with go1.22.12: out <- i loads i, stores it, passes the temporary).
      if (v?.kind === 'var' && sentInPlace(v.name, sizing)) return [code(LOAD_GLOBAL + disp(5, offsetOf(v.name))), call('runtime.chansend1')];
      // A temporary (frame.ts sendTemps; struct{}{}'s takes no room): the value stored there first.
      const temp = disp(5, sendTemp(layout));
      // A loop's counter still in AX leaves the channel to CX, moved to AX after the store
      // (recorded/relay with go1.19.8: MOVQ main.in(SB), CX; LEAQ; MOVQ CX, AX).
      const inAX = v?.kind === 'var' && sizing.loaded.has(v.name) ? 3 : 0;
      return [code((v ? valueSize(v, sizing) + temp : 0) + LOAD_GLOBAL + temp + inAX), call('runtime.chansend1')];
    }
    case 'recv': return [code(LOAD_GLOBAL + ZERO_REG), call('runtime.chanrecv1')];
    // LEAQ type, AX; CALL newobject: the pointer is kept in a register.
    case 'newobject': return [code(LOAD_GLOBAL), call('runtime.newobject')];
    // A value kept in the frame (live across calls) is stored there too.
    case 'set': {
      if (sizing.constants.has(slotNames.get(ins.slot) ?? '')) return [];
      const made = constant(ins.value) ? (ins.value.kind === 'int' && ins.value.value === 0 ? ZERO_REG : MOVL_IMM) : valueSize(ins.value, sizing);
      const name = slotNames.get(ins.slot);
      const off = name === undefined || ins.counter ? undefined : layout.localOffset.get(name);
      return [code(made + heldInputCopies(ins.value, sizing) + (off === undefined ? 0 : disp(5, off)))];
    }
    // A loop jumps to its test at the bottom, which jumps back (ssa/loopRotate).
    // A loop's counter kept in the frame is stored at the top of its body.
    case 'jumpIfNot': {
      // A then-block laid out last that one Jcc branches to beyond an 8-bit displacement takes a
      // 32-bit one (Near.farThens).
      if (!ins.loop) return condition(ins.cond, sizing, undefined, sizing.farBranch && !(ins.cond.kind === 'binary' && (ins.cond.op === '&&' || ins.cond.op === '||')));
      const kept = ins.counter === undefined ? undefined : layout.localOffset.get(ins.counter);
      // A loop tested at the top has had its JMP placed before its latch and test (layOut).
      const head = sizing.testAtTop ? [] : [jump(sizing.farBranch ? 5 : 2)];
      return [...head, ...(kept === undefined ? [] : [code(disp(5, kept))])];
    }
    case 'jump': return ins.loopCond ? condition(ins.loopCond, sizing, ins.counter, sizing.farBranch) : [jump(2)];
    case 'ret': return [code(frameTeardown(layout.frame, profile)), jump(1)];
  }
}

/**
 * Whether a send passes its variable's own slot (frame.ts sendsInPlace) rather than a
 * temporary's: one that lives in memory, a local's slot, a stack ABI parameter's, or a register
 * parameter's spill.
 */
function sentInPlace(name: string, sizing: Sizing): boolean {
  const { layout, profile, fn, spilled } = sizing;
  const inMemory = layout.localOffset.has(name) || (profile.abi === 'stack' ? fn.params.some((p) => p.name === name) : spilled.has(name));
  return inMemory && sendsVariableInPlace(fn, name, profile);
}

/** The offset of a send's temporary (frame.ts sendTemps), 0 where there is none. */
const sendTemp = (layout: FrameLayout) => [...layout.localOffset].find(([name]) => name.startsWith('.autotmp_send'))?.[1] ?? 0;

/** MOVQ r, off(SP) (MOVB for a byte): no displacement at 0(SP). */
const storeToArgs = (offset: number, byte: boolean) => spDisp(byte ? 4 : 5, offset);
/** MOVQ $imm32, off(SP) (MOVB $imm8 for a byte). */
const immediateToArgs = (offset: number, byte: boolean) => spDisp(byte ? 5 : 9, offset);

/**
 * Go 1.15's stack ABI (objdump of the reference programs built with the patched go1.15.15): every
 * argument is stored to the outgoing area at SP, the scalars first, then the arrays copied; a
 * runtime call's too (printstring's pointer and length, chanrecv1's channel and nil). Null for the
 * instructions both ABIs assemble alike.
 */
function stackABIPieces(ins: Instr, sizing: Sizing): Piece[] | null {
  const { layout, offsetOf } = sizing;
  const scalar = (e: Expr, offset: number, byte: boolean): number => {
    const c = inlineConstants(e, sizing.constants);
    return c.kind === 'int' || c.kind === 'bool' ? immediateToArgs(offset, byte) : valueSize(e, sizing) + storeToArgs(offset, byte);
  };
  switch (ins.op) {
    case 'call': {
      const scalars: Piece[] = [];
      const arrays: Piece[] = [];
      ins.fn.func.params.forEach((p, i) => {
        const a = ins.source[i];
        const size = sizeOf(p.type);
        const at = ins.fn.layout.paramOffset.get(p.name) ?? 0;
        if (size === 0 || !a) return;
        if ((p.type.kind === 'array' && p.type.len > 1) || p.type.kind === 'struct') {
          const heap = a.kind === 'var' && layout.heapLocals.some((l) => l.name === a.name);
          arrays.push(...block(size, a.kind !== 'zero', a.kind === 'var' ? offsetOf(a.name) : at, { fromHeap: heap, dest: at, x0: true }));
        } else if (p.type.kind === 'array') {
          // A [1]T: its element, loaded and stored, or zero stored.
          scalars.push(code(a.kind === 'var' ? disp(5, offsetOf(a.name)) + storeToArgs(at, size === 1) : immediateToArgs(at, size === 1)));
        } else {
          // x ± 1 of a value that a later argument or statement reads is LEAQ ±1(AX), CX, not
          // INCQ or DECQ (recorded/acc-recursion odd with go1.15.15: even(n-1, acc+n);
          // tree-recursion fib: fib(n - 1) then fib(n - 2); recv-in-recursion consumer: n loaded
          // for consumer(n - 1), then printed).
          const x = plusMinusOne(a, sizing);
          const keep = x !== null && (ins.source.slice(i + 1).some((e) => exprReads(e, x)) || readAfterLine(sizing.fn, sizing.line, x));
          scalars.push(code(scalar(a, at, size === 1) + (keep ? 1 : 0)));
        }
      });
      return [...scalars, ...arrays, call(ins.fn.symbol)];
    }
    case 'print': {
      const out: Piece[] = [call('runtime.printlock')];
      for (const p of ins.pieces) {
        if (p.kind === 'text' && (p.text === ' ' || p.text === '\n')) out.push(call(p.text === ' ' ? 'runtime.printsp' : 'runtime.printnl'));
        // LEAQ s(IP), AX; MOVQ AX, 0(SP); MOVQ $len, 8(SP)
        else if (p.kind === 'text') out.push(code(LOAD_GLOBAL + storeToArgs(0, false) + immediateToArgs(8, false)), call('runtime.printstring'));
        else {
          const kind = ins.args[p.index].kind;
          const arg = ins.source[p.index];
          const bytes = arg.kind === 'addr' ? disp(5, offsetOf(arg.name)) + storeToArgs(0, false) : arg.kind === 'int' ? scalar(arg.expr, 0, kind === 'bool') : LOAD_STACK;
          out.push(code(bytes), call(kind === 'addr' ? 'runtime.printpointer' : kind === 'bool' ? 'runtime.printbool' : 'runtime.printint'));
        }
      }
      return [...out, call('runtime.printunlock')];
    }
    case 'go': {
      // newproc(siz, fn, args...): MOVL $siz, 0(SP); LEAQ fn(IP), AX; MOVQ AX, 8(SP); the arguments after.
      const callee = ins.fn.func;
      let args = 0;
      const arrays: Piece[] = [];
      callee.params.forEach((p, i) => {
        const a = ins.source[i];
        const at = 16 + (ins.fn.layout.paramOffset.get(p.name) ?? 0);
        if (!a || sizeOf(p.type) === 0) return;
        // An array is copied to newproc's arguments as to a call's (recorded/chain-go-at-depth b
        // with go1.15.15: go leafG(k, y), y a [50]byte: MOVQ, then three MOVUPS pairs).
        if ((p.type.kind === 'array' && p.type.len > 1) || p.type.kind === 'struct') {
          arrays.push(...block(sizeOf(p.type), a.kind !== 'zero', a.kind === 'var' ? offsetOf(a.name) : at, { dest: at, x0: true }));
        } else args += scalar(a, at, sizeOf(p.type) === 1);
      });
      return [code(7 + LOAD_GLOBAL + storeToArgs(8, false) + args), ...arrays, call('runtime.newproc')];
    }
    // MOVQ c(SB), AX; MOVQ AX, 0(SP); MOVQ $0, 8(SP)
    case 'recv': return [code(LOAD_GLOBAL + storeToArgs(0, false) + immediateToArgs(8, false)), call('runtime.chanrecv1')];
    case 'send': {
      // The channel, then the address of what is sent: a constant's static copy, or a slot (a
      // zero-size value's temporary too).
      const v = ins.value;
      const temp = sendTemp(layout);
      // A variable sent where it lives, or first stored to the temporary as in the register ABI
      // (recorded/relay main with go1.15.15: in <- i is MOVQ AX, 0x18(SP), then LEAQ 0x18(SP)).
      const inPlace = v?.kind === 'var' && sentInPlace(v.name, sizing);
      const stored = !ins.zeroSize && v && !constant(v) && !inPlace ? valueSize(v, sizing) + disp(5, temp) : 0;
      const where = !ins.zeroSize && (!v || constant(v)) ? LOAD_GLOBAL : disp(5, inPlace && v?.kind === 'var' ? offsetOf(v.name) : temp);
      return [code(stored + LOAD_GLOBAL + storeToArgs(0, false) + where + storeToArgs(8, false)), call('runtime.chansend1')];
    }
    // LEAQ type(IP), AX; MOVQ AX, 0(SP); CALL; MOVQ 8(SP), AX
    case 'newobject': return [code(LOAD_GLOBAL + storeToArgs(0, false)), call('runtime.newobject'), code(storeToArgs(8, false))];
    default: return null;
  }
}

/**
 * The variables each instruction may take as non-negative, from the branches that dominate it
 * (prove.go's facts): an if's condition v > k (k >= -1), v >= k or v == k (k >= 0) holds in its
 * then-block, and its negation (from v <= k or v < k) after it when the then-block returns.
 * Only variables the function never assigns (recorded/shrinking-steps fall with go1.15.15:
 * n - n/3 - 1 below `if n <= 1 { ...; return }` has no SARQ $63 nor its SUBQ).
 */
function nonNegativeFacts(fc: FuncCode): (ReadonlySet<string> | undefined)[] {
  const { code: instrs, func: fn } = fc;
  const assigned = new Set(flatten(fn.body).flatMap((st) => (st.kind === 'assign' ? [st.name] : [])));
  const facts: Set<string>[] = instrs.map(() => new Set());
  const proves = (e: Expr, holds: boolean): string | null => {
    if (e.kind !== 'binary' || e.left.kind !== 'var' || assigned.has(e.left.name)) return null;
    const k = constValue(e.right);
    if (k === null || k === undefined) return null;
    const op = holds ? e.op : ({ '<=': '>', '<': '>=', '>': '<=', '>=': '<', '==': '!=', '!=': '==' } as Record<string, string>)[e.op];
    return (op === '>' && k >= -1n) || ((op === '>=' || op === '==') && k >= 0n) ? e.left.name : null;
  };
  instrs.forEach((ins, k) => {
    if (ins.op !== 'jumpIfNot' || ins.loop) return;
    const t = ins.target;
    const inThen = proves(ins.cond, true);
    if (inThen) for (let j = k + 1; j < t && j < instrs.length; j++) facts[j]!.add(inThen);
    const after = proves(ins.cond, false);
    if (after && t > k + 1 && instrs[t - 1]?.op === 'ret') for (let j = t; j < instrs.length; j++) facts[j]!.add(after);
  });
  return facts.map((f) => (f.size ? f : undefined));
}

/**
 * Where each instruction's code ends, as an offset from the function's entry: ends[k] is the
 * return address of instruction k-1's last call (a traceback's offset for a frame resumed at k);
 * and the return address of the prologue's call to morestack, placed after the body. Local
 * arrays are zeroed where they are declared, parameters stored where a path first needs them.
 */
export function returnOffsets(fc: FuncCode, profile: Profile): CodeLayout {
  // As asm6.go span6 assembles: branches short first, each made long in the code's order where
  // it does not reach, until none changes. The JCS is the CMPQ and the JBE before the JBE's end.
  const near: Near = { jbe: true, jcs: true, farLoops: new Set(), farThens: new Set() };
  const shape = codeShape(fc, profile);
  for (;;) {
    const laid = layOut(fc, profile, near, shape);
    // Between the JCS (the stack ABI's JEQ) and the JBE's end: CMPQ (LEAQ, SUBQ and CMPQ).
    const jcsSpan = laid.jumpSpan + (profile.abi === 'stack' ? 8 + 3 + 6 : 4) + (near.jbe ? 2 : 6);
    // In the code's order: the JCS first, then the loops', then the JBE (after the body).
    const far = farLoop(shape.loops, laid, near);
    // Then the branches to then-blocks laid out last, in the code's order.
    const farThen = [...laid.thenJumps].find(([k, j]) => !near.farThens.has(k) && j.target - j.end > 127)?.[0];
    if (near.jcs && jcsSpan > 127) near.jcs = false;
    else if (far !== null) near.farLoops.add(far);
    else if (farThen !== undefined) near.farThens.add(farThen);
    else if (near.jbe && laid.jumpSpan > 127) near.jbe = false;
    else return laid;
  }
}

/**
 * The first loop whose short JMP to its test or Jcc back to its body does not reach (recorded/
 * conc-pingpong player with go1.15.15: a 164-byte body, JMP rel32 and JL rel32), or null. The
 * loop's head (jumpIfNot, the JMP first) is at k, its test at the jump b back to k.
 */
function farLoop(loops: readonly Loop[], laid: CodeLayout & { topTests: Map<number, TopTestMarks> }, near: Near): number | null {
  for (const { head: k, test: b } of loops) {
    if (near.farLoops.has(k)) continue;
    // Tested at the top: the Jcc to the exit past the JMP back, the JMP back to the latch.
    const top = laid.topTests.get(k);
    const forward = top ? top.backEnd - top.testEnd : laid.ends[b]! - (laid.ends[k]! + 2);
    const back = top ? top.backEnd - top.latchStart : laid.ends[b + 1]! - laid.ends[k + 1]!;
    if (forward > 127 || back > 128) return k;
  }
  return null;
}

/** Where a loop tested at the top has its latch, the end of its test, and the end of its JMP back. */
interface TopTestMarks { latchStart: number; testEnd: number; backEnd: number }

/**
 * A counted loop of the code: its head (the jumpIfNot that enters it), its test (the jump back
 * to the head), its post statement's index (the test's own where there is none). A loop whose
 * body has an if is tested at the top: the compiler keeps its test there, after the latch (the
 * post statement), and ends the body with a JMP back to the latch (recorded/go-big-arrays-gc
 * main with go1.21.13, two-channels with go1.19.8, go-mixed-captures-gc with go1.15.15: JMP over
 * the latch; INCQ; CMPQ; JGE to the exit; the body; JMP to the latch).
 */
interface Loop { head: number; test: number; post: number; testedAtTop: boolean }

function loopsOf(instrs: readonly Instr[]): Loop[] {
  return instrs.flatMap((ins, b): Loop[] => {
    if (ins.op !== 'jump' || !ins.loopCond) return [];
    const k = ins.target;
    const head = instrs[k];
    if (head?.op !== 'jumpIfNot' || !head.loop) return [];
    const before = instrs[b - 1];
    const post = before?.op === 'set' && before.counter ? b - 1 : b;
    return [{ head: k, test: b, post, testedAtTop: instrs.slice(k + 1, b).some((x) => x.op === 'jumpIfNot' && !x.loop) }];
  });
}

/** Whether instruction k can be reached by falling through from the one before. */
const fallsInto = (instrs: readonly Instr[], k: number) => k > 0 && instrs[k - 1]!.op !== 'ret' && instrs[k - 1]!.op !== 'jump';

/**
 * What the layout needs of a function's code that no branch's length changes, found once for
 * all of returnOffsets' passes: its loops, the sign facts, (Go 1.15) the if at its end whose
 * then-block calls, by its jumpIfNot, with the return it targets, and the then-blocks that
 * return laid out last.
 */
interface CodeShape {
  loops: Loop[];
  signFacts: (ReadonlySet<string> | undefined)[];
  returnFirst: Map<number, number>;
  /** An if's then-block that returns, laid out after the rest: its jumpIfNot to the block's end. */
  thenLast: Map<number, number>;
  /** The parameters that live in their slots (frame.ts paramsInMemory). */
  paramsInMemory: ReadonlySet<string>;
}

function codeShape(fc: FuncCode, profile: Profile): CodeShape {
  const instrs = fc.code;
  // Block layout (ssa/layout.go, likelyadjust.go taking a branch into calls as unlikely): in Go
  // 1.15 an if whose then-block calls and falls into a return gets the return laid out first,
  // the then-block after it ending in a JMP back (Profile.returnBeforeCallingBranch;
  // recorded/cond-calls left with go1.15.15: TESTQ; JG; the return; the call; JMP), at the
  // function's end or inside another then-block (recorded/tree-recursion fib).
  const returnFirst = new Map<number, number>();
  instrs.forEach((ins, k) => {
    if (!profile.returnBeforeCallingBranch || ins.op !== 'jumpIfNot' || ins.loop) return;
    const t = ins.target;
    if (t <= k + 1 || instrs[t]!.op !== 'ret' || !fallsInto(instrs, t)) return;
    const then = instrs.slice(k + 1, t);
    const inside = (x: Instr) => x.op !== 'ret' && ((x.op !== 'jump' && x.op !== 'jumpIfNot') || (x.target > k && x.target <= t));
    if (then.every(inside) && then.some((x) => CALLING_OPS.includes(x.op))) returnFirst.set(k, t);
  });
  // likelyadjust.go ranks a block that returns (blRET) above one that only calls (blCALL) or
  // does neither: an if whose then-block is one block ending in a return, where the path past
  // the if branches again before returning, takes the then-block as unlikely, and layout.go
  // places it after the rest (recorded/gc-while-parked-deep sleeper with go1.22.12: TESTQ; JE
  // to the end). Where the path past it returns straight away the two tie, and the source's
  // order stays (generated/gen-11 r1).
  const loops = loopsOf(instrs);
  const thenLast = new Map<number, number>();
  const branches = (x: Instr) => x.op === 'jump' || x.op === 'jumpIfNot';
  instrs.forEach((ins, k) => {
    if (ins.op !== 'jumpIfNot' || ins.loop || returnFirst.has(k) || loops.some((l) => k > l.head && k <= l.test)) return;
    const t = ins.target;
    if (t <= k + 1 || instrs[t - 1]!.op !== 'ret' || instrs.slice(k + 1, t - 1).some((x) => branches(x) || x.op === 'ret')) return;
    const rest = instrs.slice(t);
    const nextRet = rest.findIndex((x) => x.op === 'ret');
    const nextBranch = rest.findIndex(branches);
    if (nextBranch >= 0 && (nextRet < 0 || nextBranch < nextRet)) thenLast.set(k, t);
  });
  return { loops, signFacts: nonNegativeFacts(fc), returnFirst, thenLast, paramsInMemory: paramsInMemory(fc.func, profile) };
}

function layOut(fc: FuncCode, profile: Profile, near: Near, shape: CodeShape): CodeLayout & { jumpSpan: number; topTests: Map<number, TopTestMarks>; thenJumps: Map<number, { end: number; target: number }> } {
  const { code: instrs, func: fn, layout, wrapper, lines } = fc;
  let at = 0;
  let sites: CallSiteOffset[] = [];
  let bytes = 0;
  const place = (pieces: Piece[]) => {
    for (const p of pieces) {
      bytes += p.size;
      at = padded(at, p) + p.size;
      if (p.callee) sites.push({ callee: p.callee, ret: at });
    }
  };
  // A parameter frame.ts copies to a slot of its own (Go 1.19's copy of one read bare only, or
  // the copy REP STOSQ moves aside) is spilled to and read from that slot, not its own
  // (recorded/go-array-arg takeSmall with go1.19.8: MOVQ AX, 0x10(SP)).
  const offsetOf = (name: string) => layout.localOffset.get(name) ?? layout.localOffset.get(`.autotmp_${name}`)
    ?? layout.localOffset.get(`.autotmp_moved_${name}`) ?? layout.frame + 8 + (layout.paramOffset.get(name) ?? 0);
  const constants = constantLocals(fn);
  const { at: spills, fromMemory } = spillLines(fn, profile);
  const spilled = new Set(spills.keys());
  const checks = zeroChecks(fn, constants);
  const printChecks = new Set(instrs.flatMap((ins) => (ins.op === 'print' ? printDivisions(ins.source, constants) : []))
    .map(posKey).filter((k) => checks.has(k)));
  const inPlaceChecks = profile.printDivisionsBeforeLock ? checks : new Set([...checks].filter((k) => !printChecks.has(k)));
  const sizing: Sizing = { layout, profile, registerParams: new Set(profile.abi === 'register' ? registerParams(fn) : []), spilled, fromMemory, line: 0, offsetOf, slotNames: new Map([...fc.slots].map(([name, slot]) => [slot, name])), wrapper, constants, zeroChecks: inPlaceChecks, printChecks, divisions: pairedDivisions(fn, constants), loaded: new Set(), loadedIn: new Map(), nonNegative: NO_VARS, farBranch: false, testAtTop: false, moved: new Set(), goTemps: goTempSlots(instrs, lines, layout), fn, paramsInMemory: shape.paramsInMemory };
  const dead = deadInstructions(instrs, constants);
  const { signFacts, returnFirst } = shape;
  place(stackCheck(layout, profile, near));
  const checked = at;
  if (layout.frame > 0) place([code(frameSetup(layout.frame, profile))]);
  // A go statement's wrapper checks the closure context first (obj6.go, wrapper functions).
  if (wrapper) place([code(4), jump(3 + 2)]); // MOVQ 32(R14), R12; TESTQ R12, R12; JNE
  // A register parameter needed after a call, or by address, is stored to its slot on entry.

  // A local array is zeroed where it is declared: before the first instruction of a later line.
  // One declared in a then-block laid out last is zeroed there (recorded/factorial-wrap fact
  // with go1.15.15: var big [40]int of the block that returns, DUFFZERO after its println).
  let arrays = fn.locals.filter((l) => l.type.kind === 'array' && layout.localOffset.has(l.name));
  // Then-blocks laid out last, as their first and last lines: what is declared or spilled for
  // one of them waits for it (below).
  const laterBlocks: [number, number][] = [];
  const inLaterBlock = (line: number) => laterBlocks.some(([lo, hi]) => line >= lo && line <= hi);
  const zeroDeclared = (line: number) => {
    let axZeroed = false;
    let x0Zeroed = false;
    const due = arrays.filter((a) => a.pos.line < line && !inLaterBlock(a.pos.line));
    for (const l of due) {
      for (const p of movedAside(l, fn, profile)) {
        if (sizing.moved.has(p)) continue;
        place([code(3)]);
        sizing.moved.add(p);
      }
      place(block(sizeOf(l.type), false, offsetOf(l.name), { axZeroed, x0: profile.abi === 'stack', x0Zeroed }));
      axZeroed ||= zeroesByRepStosq(sizeOf(l.type));
      // generated/gen-18 f10 with go1.15.15: a [51]byte, then a [2]int stored from the same X0.
      x0Zeroed ||= zeroUsesX0(sizeOf(l.type));
    }
    arrays = arrays.filter((a) => !due.includes(a));
  };
  // A parameter's spill, at the start of the block of the statement that needs it
  // (regalloc.go placeSpills): the entry block's first, before its arrays are zeroed.
  // Lines of then-blocks laid out last: a spill placed in one waits for it (recorded/
  // bool-flags-chain chain with go1.22.12: n, read by the println of the block that returns,
  // is stored at the top of that block, at the function's end).
  const spillsBefore = (line: number) => {
    for (const [p, at] of [...spills]) {
      if (at > line || inLaterBlock(at)) continue;
      place([code(storeParam(fn.params.find((x) => x.name === p), offsetOf(p)))]);
      spills.delete(p);
    }
  };
  const branch = fn.body.find((s) => s.kind === 'if' || s.kind === 'for');
  spillsBefore(branch ? branch.pos.line : Infinity);
  const ends = [at];
  const sizes: number[] = [];
  const calls: CallSiteOffset[][] = [];
  // What is in a register though it lives in memory (Sizing.loaded): the stack ABI's parameter an
  // if's condition loads is still there after the branch (reference/recursion-200 r: n == 0,
  // then n-1), a loop's counter at the top of its body; until a call.
  const loaded = new Set<string>();
  const loopLines = new Set<number>();
  walk(fn.body, (s) => { if (s.kind === 'for') walk([s], (x) => loopLines.add(x.pos.line)); });
  const falls = (k: number) => fallsInto(instrs, k);
  const joins = new Set(instrs.flatMap((ins, k) => (ins.op === 'jumpIfNot' || ins.op === 'jump' ? [ins.target] : [])).filter(falls));
  // What a branch's target finds loaded when only the branch reaches it: the else path after a
  // then-block that returns (generated/gen-11 r1 with go1.15.15: n-1 from AX, loaded for n == 0).
  const loadedAtTarget = new Map<number, Set<string>>();
  // Likewise the register parameters a zeroing moved aside, where only the branch reaches.
  const movedAtTarget = new Map<number, Set<string>>();
  /** Locals made since the last call, in registers (`loaded` forgets them at a join, this does not). */
  const made = new Set<string>();
  /** What was in registers at each if's branch, by its target. */
  const heldAtBranch = new Map<number, { from: number; vars: Set<string> }>();
  /**
   * Where an if's then-block that calls falls into a join that branches before any call (an if,
   * a println's divisor check), regalloc starts the join with the registers of the path that
   * did not call (regalloc.go: "the predecessor with least spill values", the likely one on a
   * tie) and reloads all of them at the end of the then-block; those the join reads only later
   * are read again there (recorded/div-mod-print split with go1.22.12: n, p and d reloaded
   * after split(n-9, ...), then each after printlock). The reloads the join's test reads are
   * counted with it already.
   */
  const joinReloads = (k: number): number => {
    const held = heldAtBranch.get(k);
    const ins = instrs[k]!;
    if (!held || profile.abi !== 'register' || !falls(k) || !joins.has(k)) return 0;
    const then = instrs.slice(held.from + 1, k);
    if (!then.some((x) => CALLING_OPS.includes(x.op)) || then.some((x) => x.op === 'ret' || x.op === 'jump' || x.op === 'jumpIfNot')) return 0;
    const branches = ins.op === 'jumpIfNot' && !ins.loop;
    const checked = ins.op === 'print' ? printZeroChecks(ins.source, sizing) : [];
    if (!branches && checked.length === 0) return 0;
    // Live at the join: read by its statement or after it.
    const join = flatten(fn.body).find((x) => x.pos.line === lines[k]);
    const live = (v: string) => (!!join && stmtReads(join, v)) || readAfterLine(fn, lines[k]!, v);
    // What the join's test reads is counted with it.
    const tested = (v: string) => (branches ? exprReads(ins.cond, v) : !profile.printDivisionsBeforeLock && checked.some((x) => exprReads(x.right, v)));
    return [...held.vars].filter((v) => live(v) && !tested(v))
      .reduce((n, v) => n + disp(5, offsetOf(v)), 0);
  };
  const layOne = (k: number, early: boolean) => {
    const ins = instrs[k]!;
    sites = [];
    bytes = 0;
    if (!falls(k)) {
      const branchedTo = loadedAtTarget.get(k);
      if (branchedTo) restore(loaded, branchedTo);
      const movedThere = movedAtTarget.get(k);
      if (movedThere) restore(sizing.moved, movedThere);
    }
    // Code laid out ahead of its place (a return before a then-block, a loop's latch and test
    // before its body) zeroes and spills nothing: that is done where its place comes.
    if (!early) {
      zeroDeclared(lines[k]);
      spillsBefore(lines[k]);
    }
    sizing.line = lines[k];
    sizing.nonNegative = signFacts[k] ?? NO_VARS;
    sizing.farBranch = (ins.op === 'jumpIfNot' && (near.farLoops.has(k) || near.farThens.has(k))) || (ins.op === 'jump' && !!ins.loopCond && near.farLoops.has(ins.target));
    const extra = joinReloads(k);
    if (extra > 0) place([code(extra)]);
    if (joins.has(k)) loaded.clear();
    // printlock, and a closure's newobject, come before the arguments are made; the stack ABI's
    // go statement stores its arguments for newproc first (recorded/conc-workers main with
    // go1.15.15: go worker(i) stores the counter from AX).
    sizing.loaded = ins.op === 'print' || (ins.op === 'go' && profile.abi === 'register') ? NO_VARS : loaded;
    if (!dead.has(k)) place(instrPieces(ins, sizing));
    if (CALLING_OPS.includes(ins.op)) { loaded.clear(); sizing.moved.clear(); made.clear(); }
    // A local just made is in a register until a call (recorded/sum-chain acc with go1.22.12:
    // next := total + n*n is ADDQ CX, AX; MOVQ AX, 0x10(SP), and acc(next, n-1) passes AX as it
    // is; loop-step-products mul: q := p / c, then q > 20 is CMPQ AX, $0x14). Not in a loop,
    // whose registers its phis decide.
    if (ins.op === 'set' && !ins.counter && !constant(ins.value) && !loopLines.has(lines[k]!)) {
      const name = sizing.slotNames.get(ins.slot);
      if (name !== undefined && !sizing.constants.has(name)) {
        loaded.add(name);
        made.add(name);
        sizing.loadedIn.set(name, madeIn(ins.value, sizing));
      }
    }
    // A rotated loop's counter is in its register at the top of the body, where the test at the
    // bottom jumped from, until a call (recorded/and-or-calls main with go1.19.8: check(i, i*3)
    // passes AX as it is and makes BX by LEAQ (AX)(AX*2)).
    if (ins.op === 'jumpIfNot' && ins.loop && ins.counter !== undefined) loaded.add(ins.counter);
    if (ins.op === 'jumpIfNot' && !ins.loop) {
      // A parameter an if's condition loads stays in its register until a call: the stack ABI's
      // (reference/recursion-200 r: n == 0, then n-1), a register parameter read back from its
      // slot after a call (recorded/println-mixed talk: n == 0, then DECQ AX for talk(n-1)).
      const stays = (name: string) => (profile.abi === 'stack' ? fn.params.some((p) => p.name === name) : sizing.registerParams.has(name) && !inRegister(name, sizing));
      for (const x of subExprs(ins.cond)) if (x.kind === 'var' && stays(x.name)) loaded.add(x.name);
      // The else path finds what the branch had (recorded/two-channels main with go1.19.8: the
      // loop's counter still in AX for the send in either branch).
      if (sizing.moved.size > 0) movedAtTarget.set(ins.target, new Set(sizing.moved));
      loadedAtTarget.set(ins.target, new Set(loaded));
      const params = [...sizing.registerParams].filter((p) => heldIn(p, sizing) >= 0);
      heldAtBranch.set(ins.target, { from: k, vars: new Set([...loaded, ...made, ...params]) });
    }
    ends[k + 1] = at;
    sizes[k] = bytes;
    calls[k] = sites;
  };
  const deferred: { k: number; from: number; to: number; loaded: Set<string>; moved: Set<string> }[] = [];
  const thenJumps = new Map<number, { end: number; target: number }>();
  const atTop = new Map(shape.loops.filter((l) => l.testedAtTop).map((l) => [l.head, l]));
  const topTests = new Map<number, TopTestMarks>();
  for (let k = 0; k < instrs.length; k++) {
    const loop = atTop.get(k);
    if (loop) {
      // The head's JMP over the latch to the test, the latch and the test, then the head's
      // store of the counter, the body, and the JMP back to the latch.
      zeroDeclared(lines[k]!);
      spillsBefore(lines[k]!);
      const far = near.farLoops.has(k);
      place([jump(2)]);
      const latchStart = at;
      for (let j = loop.post; j <= loop.test; j++) layOne(j, true);
      const testEnd = at;
      sizing.testAtTop = true;
      layOne(k, true);
      sizing.testAtTop = false;
      sizes[k]! += 2;
      for (let j = k + 1; j < loop.post; j++) layOne(j, false);
      // A body that ends in a return has no way to the latch but its branches.
      const last = instrs[loop.post - 1]!;
      if (last.op !== 'ret' && last.op !== 'jump') {
        place([jump(far ? 5 : 2)]);
        sizes[loop.post - 1]! += far ? 5 : 2;
      }
      topTests.set(k, { latchStart, testEnd, backEnd: at });
      k = loop.test;
      continue;
    }
    const last = shape.thenLast.get(k);
    if (last !== undefined) {
      layOne(k, false);
      deferred.push({ k, from: k + 1, to: last, loaded: new Set(loaded), moved: new Set(sizing.moved) });
      laterBlocks.push([lines[k + 1]!, lines[last - 1]!]);
      k = last - 1;
      continue;
    }
    const t = returnFirst.get(k);
    layOne(k, false);
    if (t === undefined) continue;
    // The then-block is entered from the branch: what the condition loaded is still loaded.
    const branched = new Set(loaded);
    layOne(t, true);
    restore(loaded, branched);
    for (k++; k < t; k++) layOne(k, false);
    place([jump(2)]); // back to the return
    sizes[t - 1]! += 2;
    // The code past the return goes on after it (recorded/tree-recursion fib with go1.15.15:
    // if n < 2 { if n == 1 { println(&f) }; return }, the println after the RET).
  }
  // The then-blocks laid out last, entered from their branches.
  laterBlocks.length = 0;
  for (const d of deferred) {
    restore(loaded, d.loaded);
    restore(sizing.moved, d.moved);
    thenJumps.set(d.k, { end: ends[d.k + 1]!, target: at });
    for (let j = d.from; j < d.to; j++) layOne(j, false);
  }
  // After the body, each zero check's CALL panicdivide (and the NOP after a call that does not
  // return); then the prologue's morestack call: the register parameters stored around it
  // first (MOVQ AX, 8(SP) and so on; obj6.go stacksplit, the register ABI's spill area).
  for (const _ of checks) place([call('runtime.panicdivide'), code(1)]);
  const target = at;
  // A function without a stack check has no morestack call (morestack: the body's end).
  if (layout.nosplit) return { ends, sizes, calls, morestack: at, jumpSpan: 0, topTests, thenJumps };
  // Before the frame is taken: the slots are just above the return address.
  if (profile.abi === 'register') place(morestackParams(fn).map((p) => code(paramStore(p, layout))));
  place([jump(CALL)]);
  return { ends, sizes, calls, morestack: at, jumpSpan: target - checked, topTests, thenJumps };
}

/**
 * A function's whole size: the body, the morestack call, the register parameters loaded again
 * and the jump back to the entry (2 bytes when near); a wrapper's slow path for a panic's
 * argp (obj6.go) after that.
 */
export function functionSize(fc: FuncCode, profile: Profile): number {
  const { layout } = fc;
  if (layout.nosplit) return fc.morestackOffset;
  const reloads = profile.abi === 'register' ? morestackParams(fc.func).map((p) => paramLoad(p, layout)) : [];
  let at = fc.morestackOffset + reloads.reduce((a, b) => a + b, 0);
  // The JMP back to the entry, a branch like any: short if it reaches from where its padding
  // puts it (generated/gen-1 f3 with go1.15.15: a short JMP at 126 would end on the boundary,
  // and from 128 it no longer reaches).
  const short = padded(at, jump(2));
  at = short + 2 <= 128 ? short + 2 : padded(at, jump(5)) + 5;
  // A wrapper's check of the panic's argp: LEAQ frame+8(SP), R13 (a 32-bit displacement from
  // 128: recorded/go-array-arg main.main.func1 with go1.19.8), CMPQ and JNE, MOVQ, JMP.
  if (fc.wrapper) for (const p of [code(disp(5, layout.frame + 8)), jump(4 + 2), code(4), jump(2)]) at = padded(at, p) + p.size;
  return at;
}

/**
 * main.init's size: each package-level channel made (LEAQ type, XORL, CALL makechan) and stored
 * with its write barrier (1.19: CMPL, JNE, MOVQ, JMP, LEAQ, CALL gcWriteBarrier; 1.21+:
 * CMPL, JE, CALL gcWriteBarrier2, three MOVQs into its buffer, MOVQ), in a 16-byte frame; then
 * the morestack call and the jump back.
 */
function mainInitSize(channels: number, profile: Profile): number {
  const each = profile.code.writeBarrier === 'call'
    ? [code(7 + 2), jump(CALL), code(7), jump(2), code(7), jump(2), code(7), jump(CALL)]
    : [code(7 + 2), jump(CALL), code(7), jump(2), jump(CALL), code(3 + 7 + 4 + 7)];
  const body = [jump(4 + 2), code(frameSetup(24, profile)), ...Array.from({ length: channels }, () => each).flat(), code(frameTeardown(24, profile)), jump(1), jump(CALL)];
  const end = placed(body);
  return placed([...body, jump(end + 2 <= 128 ? 2 : 5)]);
}

/** The size of pieces laid out from a 32-byte boundary. */
function placed(pieces: Piece[]): number {
  return pieces.reduce((at, p) => padded(at, p) + p.size, 0);
}

/** Where a piece starts that would start at `at`: asm6.go padJump moves a branch that would cross or end on a 32-byte boundary to it. */
function padded(at: number, p: Piece): number {
  return p.jump && (at % JUMP_ALIGN) + p.size >= JUMP_ALIGN ? at + JUMP_ALIGN - (at % JUMP_ALIGN) : at;
}

/** The runtime's addresses a trace prints that the program's code moves (runtime.GC linked). */
export interface ProgramAddresses {
  /** The return address into runtime.main after its call of main.main. */
  runtimeMainPC: number;
  /** goexit + 1: a goroutine's first function returns there. */
  goexitPC: number;
  /** Whether the program calls runtime.GC, which links code that moves the runtime's after it. */
  callsGC: boolean;
}

const alignFunc = (pc: number) => Math.ceil(pc / JUMP_ALIGN) * JUMP_ALIGN;

/** The functions main calls or starts, directly or through others (go statements' wrappers too). */
function reachable(functions: FuncCode[]): Set<FuncCode> {
  const live = new Set<FuncCode>();
  // A work list, not recursion: a chain of thousands of functions is a valid program.
  const work = functions.filter((fc) => fc.name === 'main');
  for (let fc = work.pop(); fc; fc = work.pop()) {
    if (live.has(fc)) continue;
    live.add(fc);
    for (const ins of fc.code) if (ins.op === 'call' || ins.op === 'go') work.push(ins.fn);
  }
  return live;
}

/**
 * Where the linker puts the program's functions (go tool nm of the patched builds): from the
 * profile's mainText, moved by runtime.GC's code when the program calls it; 32-byte aligned, in
 * source order, each go statement's wrapper that captures values right after its function (the
 * last first), main.init (package-level channels) first from 1.22 and after the functions before,
 * then the wrappers that capture nothing. Returns the runtime's addresses the same code moves.
 */
export function layOutText(functions: FuncCode[], wrappers: FuncCode[], channels: number, callsGC: boolean, profile: Profile): ProgramAddresses {
  const text = profile.code;
  const shift = callsGC && text.gcShift ? text.gcShift : { runtime: 0, main: 0 };
  let at = text.mainText + shift.main;
  const place = (fc: FuncCode) => {
    fc.entryPC = at;
    at = alignFunc(at + functionSize(fc, profile));
  };
  const init = () => { if (channels > 0) at = alignFunc(at + mainInitSize(channels, profile)); };
  if (text.initFirst) init();
  // A zero literal is captured where the profile's closures carry it (goCapturesZeroLiteral);
  // from 1.22 the wrapper zeroes it itself (recorded/zero-lit-big-gc: main.main.gowrap1 to 3
  // after main.deep in go1.22.12's go tool nm).
  const captures = (w: FuncCode) => w.code.some((ins) => ins.op === 'call' && ins.source.some((a) => goCaptures(a, profile) && !constant(a)));
  // The linker keeps only what main reaches (ld/deadcode.go): a function nothing calls takes no
  // room (recorded/rt-println-int: nothing, sender and receiver are not in go tool nm's table).
  const live = reachable(functions);
  functions = functions.filter((fc) => live.has(fc));
  wrappers = wrappers.filter((w) => live.has(w));
  for (const fc of functions) {
    place(fc);
    wrappers.filter((w) => w.parent === fc && captures(w)).reverse().forEach(place);
  }
  if (!text.initFirst) init();
  wrappers.filter((w) => !captures(w)).forEach(place);
  return { runtimeMainPC: text.runtimeMainPC + shift.runtime, goexitPC: text.goexitPC + shift.runtime, callsGC };
}
