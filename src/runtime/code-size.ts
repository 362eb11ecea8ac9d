/**
 * The model's stand-in for a function's machine code, where no binary gives the real one
 * (--code compiler): the size of what each instruction assembles to on amd64, so that a return
 * address (a traceback's +0x offset, morebuf's pc) lies where the compiler's would, or near it.
 *
 * Sizes are the encodings cmd/internal/obj/x86 emits for what cmd/compile makes of each
 * statement, read from `go tool objdump` of recorded/deadlock-many and gc-deadlock (go1.19.13,
 * go1.21.13 to go1.24.4), recorded/deadlock-goroutines (go1.19.13) and reference/stack-overflow
 * (test/code-size.test.ts): a CALL is 5 bytes, a load of a global 7, of a stack slot 5, and so
 * on. Branches are padded as asm6.go padJump does (Intel's JCC erratum): a jump or call that
 * would cross or end on a 32-byte boundary starts at the boundary, after NOPs; functions start
 * 32-byte aligned (funcAlign), so a function's own offsets decide.
 *
 * What it cannot know (which registers hold what, spills, the scheduler's order) it leaves out:
 * the offsets are exact for simple statements and near for the rest.
 */
import { INT_ARG_REGS, subExprs, type FrameLayout } from '../program/frame.js';
import { sizeOf, stmtExprs, type Expr, type Func } from '../program/model.js';
import { walk } from '../program/stmts.js';
import { constValue } from '../program/validate.js';
import type { Profile } from '../profiles/profile.js';
import type { FuncCode, Instr } from './code.js';

/** asm6.go makePjcCtx: branches may not cross or end on a 32-byte boundary. */
const JUMP_ALIGN = 32;
const CALL = 5; // CALL rel32
const LOAD_GLOBAL = 7; // MOVQ sym(SB), AX; LEAQ sym(SB), AX
const LOAD_STACK = 5; // MOVQ off8(SP), AX; LEAQ off8(SP), AX
const MOVL_IMM = 5; // MOVL $c, AX
const ZERO_REG = 2; // XORL AX, AX
const OP = 4; // an ALU operation on registers or with an 8-bit immediate
/** obj6.go stacksplit: small, big and huge frames check SP differently. */
const STACK_SMALL = 128;
const STACK_BIG = 4096;

/** A run of code: its size, and whether it ends in a branch (padded). */
interface Piece { size: number; jump: boolean }

const code = (size: number): Piece => ({ size, jump: false });
const jump = (size: number): Piece => ({ size, jump: true });

/** Loading an int argument into its register: a constant, a variable, or an expression. */
function loadArg(e: Expr): Piece[] {
  if (e.kind === 'int') return [code(e.value === 0 && !e.big ? ZERO_REG : !e.big && Math.abs(e.value) < 2 ** 31 ? MOVL_IMM : 10)];
  if (e.kind === 'bool') return [code(e.value ? MOVL_IMM : ZERO_REG)];
  return [code(LOAD_STACK + OP * operators(e))];
}

const constant = (e: Expr) => (e.kind === 'int' || e.kind === 'unary' || e.kind === 'binary') && constValue(e) !== null;

function operators(e: Expr): number {
  if (e.kind === 'binary') return 1 + operators(e.left) + operators(e.right);
  if (e.kind === 'unary') return 1 + operators(e.operand);
  return 0;
}

/**
 * Zeroing or copying n bytes at an offset from SP (ssa rules for Zero and Move on amd64): 16
 * bytes per SSE move up to 64, DUFFZERO/DUFFCOPY (called with the frame pointer saved around it)
 * up to 1 KiB, REP STOSQ/MOVSQ beyond. A copy goes to the outgoing arguments, at SP.
 */
function block(bytes: number, copy: boolean, offset: number): Piece[] {
  if (bytes <= 64) return [code(Math.ceil(bytes / 16) * (copy ? 10 : 6))];
  // LEAQ src, SI and MOVQ SP, DI; or LEAQ dst, DI, and DUFFZERO's start moved back by LEAQ
  // -n(DI), DI where n is not a multiple of its 64-byte loop (amd64 rules: Zero [s] DUFFZERO).
  const addresses = copy ? disp(5, offset) + 3 : disp(5, offset) + (bytes <= 1024 && bytes % 64 !== 0 ? 4 : 0);
  // DUFFZERO and DUFFCOPY assemble to one branch of 19 bytes, the frame pointer saved around the
  // call (MOVQ BP, -16(SP); LEAQ -16(SP), BP; CALL; MOVQ (BP), BP): padded as one.
  if (bytes <= 1024) return [code(addresses), jump(5 + 5 + CALL + 4)];
  return [code(addresses + (copy ? 0 : ZERO_REG) + MOVL_IMM + 3)]; // (XORL AX, AX;) MOVL $n, CX; REP
}

/**
 * The function's stack check (none for a nosplit leaf). Its JBE goes to the morestack call
 * after the body: 2 bytes when that is within reach of a byte, else 6.
 */
function stackCheck(layout: FrameLayout, profile: Profile, nearCheck: boolean): Piece[] {
  if (layout.nosplit) return [];
  const jbe = nearCheck ? 2 : 6;
  const size = layout.frame - 8;
  const tls = profile.abi === 'stack' ? [code(9)] : []; // MOVQ (TLS), CX
  if (size <= STACK_SMALL) return [...tls, jump(4 + jbe)]; // CMPQ SP, 16(R14); JBE (fused)
  if (size < STACK_BIG) return [...tls, code(disp(5, size - STACK_SMALL)), jump(4 + jbe)]; // LEAQ -n(SP), R12; CMPQ; JBE
  return [...tls, code(3 + 7), jump(2), jump(4 + 6)]; // MOVQ SP, R12; SUBQ $n, R12; JCS; CMPQ; JBE
}

/** The int parameters the register ABI passes in registers. */
const registerParams = (fn: Func) => fn.params.filter((p) => p.type.kind === 'basic').slice(0, INT_ARG_REGS).map((p) => p.name);

/**
 * The register parameters stored to their slots on entry: read after a call, by a println
 * (after printlock), or by a send (which passes its address).
 */
function spilledParams(fn: Func, profile: Profile): Set<string> {
  const out = new Set<string>();
  if (profile.abi !== 'register') return out;
  const ints = registerParams(fn);
  let called = false;
  walk(fn.body, (s) => {
    const reads = new Set(stmtExprs(s).flatMap(subExprs).flatMap((x) => (x.kind === 'var' ? [x.name] : [])));
    for (const p of ints) if (reads.has(p) && (called || s.kind === 'println' || s.kind === 'send')) out.add(p);
    if (['call', 'println', 'gc', 'send', 'recv', 'go'].includes(s.kind)) called = true;
  });
  return out;
}

/** An instruction with an SP offset: an 8-bit displacement, or 32 bits. */
const disp = (short: number, offset: number) => (offset < 128 ? short : short + 3);

/**
 * Saving the frame pointer and taking the frame (obj6.go): PUSHQ BP; MOVQ SP, BP; SUBQ $n, SP
 * from 1.21; before, SUBQ $n, SP; MOVQ BP, n-8(SP); LEAQ n-8(SP), BP.
 */
function frameSetup(frame: number, profile: Profile): number {
  const sub = disp(4, frame - 8);
  return profile.framePointerPush ? 1 + 3 + sub : sub + disp(5, frame - 16) + disp(5, frame - 16);
}

/** Returning: the frame given back (and BP restored), RET. */
function frameTeardown(frame: number, profile: Profile): number {
  if (frame === 0) return 0;
  const add = disp(4, frame - 8);
  return profile.framePointerPush ? add + 1 : disp(5, frame - 16) + add;
}

/** What a function's instructions are sized against. */
interface Sizing {
  layout: FrameLayout;
  profile: Profile;
  /** Register parameters stored to their slots on entry. */
  spilled: ReadonlySet<string>;
  /** A variable's offset from SP. */
  offsetOf: (name: string) => number;
  /** The int variables by slot. */
  slotNames: ReadonlyMap<number, string>;
}

/** What one instruction assembles to. */
function instrPieces(ins: Instr, { layout, profile, spilled, offsetOf, slotNames }: Sizing): Piece[] {
  switch (ins.op) {
    case 'call': {
      const out: Piece[] = [];
      ins.fn.func.params.forEach((p, i) => {
        const a = ins.source[i];
        if (p.type.kind === 'array' || p.type.kind === 'struct') out.push(...block(sizeOf(p.type), a?.kind !== 'zero', a?.kind === 'var' ? offsetOf(a.name) : 0));
        else out.push(...(a ? loadArg(a) : [code(4)]));
      });
      return [...out, jump(CALL)];
    }
    case 'go': {
      // A closure for the values it passes (newobject), its function word and captured values
      // stored into it, then newproc; with nothing captured, the static closure's address.
      const alloc = ins.alloc ? [code(LOAD_GLOBAL), jump(CALL), code(LOAD_GLOBAL + 3), ...ins.args.map(() => code(8 + 4))] : [code(LOAD_GLOBAL)];
      return [...alloc, jump(CALL)];
    }
    case 'print': {
      const out: Piece[] = [jump(CALL)]; // printlock
      for (const p of ins.pieces) {
        if (p.kind === 'text') out.push(...(p.text === ' ' || p.text === '\n' ? [] : [code(LOAD_GLOBAL + MOVL_IMM)]), jump(CALL));
        else out.push(code(LOAD_STACK), jump(CALL)); // the value, or a local's address
      }
      return [...out, jump(CALL)]; // printunlock
    }
    case 'gc': return [jump(CALL)];
    // What is sent is passed by address: a constant's static copy, a parameter's slot (stored on
    // entry), or a temporary it is stored to first.
    case 'send': {
      const v = ins.value;
      const stored = !v || constant(v) || (v.kind === 'var' && spilled.has(v.name)) ? 0 : LOAD_STACK;
      return [code(stored + LOAD_GLOBAL + (!v || constant(v) ? LOAD_GLOBAL : LOAD_STACK)), jump(CALL)];
    }
    case 'recv': return [code(LOAD_GLOBAL + ZERO_REG), jump(CALL)];
    case 'newobject': return [code(LOAD_GLOBAL), jump(CALL), code(LOAD_STACK)];
    // A value kept in the frame (live across calls) is stored there too.
    case 'set': {
      const made = constant(ins.value) ? (ins.value.kind === 'int' && ins.value.value === 0 ? ZERO_REG : MOVL_IMM) : 3 + OP * operators(ins.value);
      const name = slotNames.get(ins.slot);
      const off = name === undefined ? undefined : layout.localOffset.get(name);
      return [code(made + (off === undefined ? 0 : disp(5, off)))];
    }
    // A loop jumps to its test at the bottom, which jumps back (ssa/loopRotate).
    case 'jumpIfNot': return ins.loop ? [jump(2)] : [code(3 + OP * operators(ins.cond)), jump(2)];
    case 'jump': return ins.loopCond ? [code(3 + OP * operators(ins.loopCond)), jump(2)] : [jump(2)];
    case 'ret': return [code(frameTeardown(layout.frame, profile)), jump(1)];
  }
}

/**
 * Where each instruction's code ends, as an offset from the function's entry: ends[k] is the
 * return address of instruction k-1's last call (a traceback's offset for a frame resumed at k);
 * and the return address of the prologue's call to morestack, placed after the body.
 * Local arrays are zeroed after the prologue, where they are declared first.
 */
export function returnOffsets(fc: FuncCode, profile: Profile): { ends: number[]; morestack: number } {
  const near = layOut(fc, profile, true);
  return near.jumpSpan <= 127 ? near : layOut(fc, profile, false);
}

function layOut(fc: FuncCode, profile: Profile, nearCheck: boolean): { ends: number[]; morestack: number; jumpSpan: number } {
  const { code: instrs, func: fn, layout, wrapper, lines } = fc;
  let at = 0;
  const place = (pieces: Piece[]) => {
    for (const p of pieces) {
      // asm6.go padJump: (c & 31) + size >= 32 moves the branch to the boundary.
      if (p.jump && (at % JUMP_ALIGN) + p.size >= JUMP_ALIGN) at += JUMP_ALIGN - (at % JUMP_ALIGN);
      at += p.size;
    }
  };
  const offsetOf = (name: string) => layout.localOffset.get(name) ?? layout.frame + 8 + (layout.paramOffset.get(name) ?? 0);
  const spilled = spilledParams(fn, profile);
  const sizing: Sizing = { layout, profile, spilled, offsetOf, slotNames: new Map([...fc.slots].map(([name, slot]) => [slot, name])) };
  place(stackCheck(layout, profile, nearCheck));
  const checked = at;
  if (layout.frame > 0) place([code(frameSetup(layout.frame, profile))]);
  // A go statement's wrapper checks the closure context first (obj6.go, wrapper functions).
  if (wrapper) place([code(4 + 3), jump(2)]);
  // A register parameter needed after a call, or by address, is stored to its slot on entry.
  for (const p of spilled) place([code(disp(5, offsetOf(p)))]);
  // A local array is zeroed where it is declared: before the first instruction of a later line.
  let arrays = fn.locals.filter((l) => l.type.kind === 'array' && !layout.heapLocals.includes(l));
  const zeroDeclared = (line: number) => {
    for (const l of arrays.filter((a) => a.pos.line < line)) place(block(sizeOf(l.type), false, offsetOf(l.name)));
    arrays = arrays.filter((a) => a.pos.line >= line);
  };
  const ends = [at];
  instrs.forEach((ins, k) => {
    zeroDeclared(lines[k]);
    place(instrPieces(ins, sizing));
    ends.push(at);
  });
  // After the body, the prologue's morestack call: the register parameters stored around it
  // first (MOVQ AX, 8(SP) and so on; obj6.go stacksplit, the register ABI's spill area).
  const target = at;
  if (profile.abi === 'register') place(registerParams(fn).map(() => code(5)));
  place([jump(CALL)]);
  return { ends, morestack: at, jumpSpan: target - checked };
}
