/**
 * Compiles the program model into flat per-function instruction lists with resolved frame
 * layouts, so that a goroutine is just (function, pc, entry SP) frames: no JavaScript recursion,
 * however deep the simulated recursion goes.
 */
import { frameLayout, GO_CAPTURE_BY_VALUE, goCaptures, type FrameLayout } from '../program/frame.js';
import { constValue, exprType, isBool } from '../program/validate.js';
import { byteVariables, sizeOf, type Expr, type Func, type PrintArg, type Program, type Stmt } from '../program/model.js';
import { goMinor, type Profile } from '../profiles/profile.js';
import { printPieces, type PrintPiece } from './rtcalls.js';
import type { Int, Vars } from './frames.js';
import { layOutText, returnOffsets, type CallSiteOffset, type ProgramAddresses } from './code-size.js';
import { anyStmt } from '../program/stmts.js';

/**
 * What a go statement allocates under the register ABI (walk/order.go wrapGoDefer, escape.go):
 * the closure that carries the arguments that are not constants (its function word, then each
 * captured value, an array over 128 bytes by reference), and first the heap copy of each array
 * captured by reference. Sizes in bytes; noscan when the closure holds no pointer.
 */
export interface GoAlloc {
  closure: number;
  noscan: boolean;
  temps: number[];
}

function goAlloc(callee: Func, args: Expr[], profile: Profile): GoAlloc | null {
  let size = 8; // the function word (funcval.fn, a uintptr)
  let noscan = true;
  const temps: number[] = [];
  callee.params.forEach((p, i) => {
    if (!goCaptures(args[i], profile)) return; // the wrapper rebuilds a constant itself
    let bytes = sizeOf(p.type);
    let align = p.type.kind === 'array' && p.type.elem.kind === 'basic' ? p.type.elem.align : 8;
    if (bytes > GO_CAPTURE_BY_VALUE) {
      temps.push(bytes);
      bytes = 8;
      align = 8;
      noscan = false;
    }
    size = Math.ceil(size / align) * align + bytes;
  });
  if (size === 8) return null; // nothing captured: a static closure, no allocation
  size = Math.ceil(size / 8) * 8;
  // 1.22+: an object with pointers over 512 bytes carries an 8-byte malloc header (malloc.go).
  if (!noscan && size > 512 && goMinor(profile) >= 22) size += 8;
  return { closure: size, noscan, temps };
}

/** An int expression over a frame's variables: vars[base + slot] (print and go arguments). */
export type IntFn = (vars: Vars, base: number) => Int;

/**
 * The program's statements as instructions. Conditions, assignments and call arguments keep
 * their expressions: the loop (jit.ts) writes them out as code.
 */
export type Instr =
  /** source: the statement's arguments, arrays included (code-size.ts). */
  | { op: 'call'; fn: FuncCode; args: Expr[]; argSlots: number[]; source: Expr[] }
  /** source: the statement's arguments (code-size.ts). */
  | { op: 'go'; fn: FuncCode; args: IntFn[]; argSlots: number[]; alloc: GoAlloc | null; source: Expr[] }
  /** source: the statement's arguments (code-size.ts). */
  | { op: 'print'; args: PrintPart[]; pieces: PrintPiece[]; source: PrintArg[] }
  | { op: 'gc' }
  /** runtime.newobject for a local moved to the heap: a large object's span of its own. */
  | { op: 'newobject'; size: number; name: string }
  /** value: what is sent, null for a constant or a zero-size value (code-size.ts). */
  | { op: 'send'; chan: string; value: Expr | null; zeroSize: boolean }
  | { op: 'recv'; chan: string }
  /** loop: a for loop's test, which the compiler moves to the bottom (the back jump's). */
  | { op: 'jumpIfNot'; cond: Expr; target: number; loop?: boolean; counter?: string }
  | { op: 'jump'; target: number; loopCond?: Expr | null; counter?: string }
  /** counter: a for loop's init or post, whose variable is kept at the top of the body instead. */
  | { op: 'set'; slot: number; value: Expr; counter?: boolean }
  | { op: 'ret' };

/** A println argument: an int's or a bool's value (1 or 0) comes from its expression. */
export type PrintPart = { kind: 'string'; value: string } | { kind: 'addr'; name: string } | { kind: 'int' | 'bool'; value: IntFn };

export interface FuncCode {
  /** Index in the program's function table (frames refer to functions by it). */
  id: number;
  name: string;
  /** The runtime's name for it: main.NAME (one string, not one per goroutine). */
  symbol: string;
  /** The closure the compiler wraps a go statement's call in (tracebacks hide it but at level 2). */
  wrapper: boolean;
  /** A wrapper's function: the one whose go statement it wraps. */
  parent?: FuncCode;
  func: Func;
  layout: FrameLayout;
  code: Instr[];
  /** Int variables (parameters first, in order) by slot. */
  slots: Map<string, number>;
  nslots: number;
  /** Its byte variables: arithmetic on them wraps around at 256, as Go's uint8 does. */
  bytes: ReadonlySet<string>;
  /** Code address of the function's entry (for morebuf/sched pcs and tracebacks). */
  entryPC: number;
  /** Source line of each instruction (tracebacks). */
  lines: number[];
  /**
   * The model's stand-in for return addresses, where no binary gives them (code-size.ts):
   * returnOffsets[k] is the offset from entryPC after instruction k-1's last call.
   */
  returnOffsets: number[];
  /** The model's stand-in for the return address of the prologue's morestack call (code-size.ts). */
  morestackOffset: number;
  /** callSites[k]: the calls instruction k makes, each with its return address's offset (code-size.ts). */
  callSites: CallSiteOffset[][];
}

/**
 * The model's stand-in for sched.pc when a runtime function's prologue fails: the return address
 * of its call to morestack, as an offset from its entry (the program's own: code-size.ts).
 */
export const MODEL_MORESTACK_RETURN = 0xd;

/**
 * An int expression as JavaScript over `vars` and `base` (the frame's variables), with Go's
 * integer semantics where they differ from JavaScript's: division truncates, comparisons and
 * logical operators give 1 or 0, a byte wraps around at 256. Only numbers and slot indexes go
 * into the code, and the helpers of ARITHMETIC.
 *
 * Two ways to do it (Arithmetic). In doubles, the fast one, every sum, difference, product and
 * quotient of ints is checked (safe()): the run stops (IntOverflow) when the exact result is not
 * an integer a double holds exactly, or when a divisor is zero, and starts again exact
 * (simulate.ts). Exact, values are BigInts kept to 64 bits as Go's int is: a product
 * wraps around as the real one does.
 */
export function exprSource(e: Expr, slots: Map<string, number>, bytes: ReadonlySet<string> = NO_BYTES, arith: Arithmetic = 'double'): string {
  const big = arith === 'int64';
  const byte = isByte(e, bytes);
  const int = (v: number) => (big ? `${v}n` : `${v}`);
  const wrap = (code: string) => (byte ? `((${code}) & ${int(255)})` : big ? `BigInt.asIntN(64, ${code})` : safe(code));
  const truth = (code: string) => `(${code} ? ${int(1)} : ${int(0)})`;
  const sub = (x: Expr) => exprSource(x, slots, bytes, arith);
  // A constant expression is worked out exactly, as the compiler does: (9223372036854775807 + 1)
  // / 2 is not wrapped on the way. One that a double does not hold stops a run in doubles.
  const c = e.kind === 'int' || e.kind === 'unary' || e.kind === 'binary' ? constValue(e) : null;
  if (c !== null) {
    const v = BigInt.asIntN(64, c);
    if (big) return `(${v}n)`;
    return Number.isSafeInteger(Number(v)) && BigInt(Number(v)) === v ? `(${v})` : safe(`${v}`);
  }
  switch (e.kind) {
    case 'int': return `(${int(e.value)})`;
    case 'bool': return int(e.value ? 1 : 0);
    case 'zero': return int(0);
    case 'var': {
      const s = slots.get(e.name);
      // Arrays: their value does not matter to the stack.
      return s === undefined ? int(0) : `vars[base + ${s}]`;
    }
    case 'unary': {
      const x = sub(e.operand);
      // -x of a double that holds x exactly is exact; of int64's least, it wraps to itself.
      if (e.op === '-') return byte || big ? wrap(`(-${x})`) : `(-${x})`;
      return `(${x} ? ${int(0)} : ${int(1)})`;
    }
    case 'binary': {
      const l = sub(e.left);
      const r = sub(e.right);
      switch (e.op) {
        // A BigInt quotient truncates as Go's does; a zero divisor is checked first (DIV).
        // In doubles a zero divisor gives Infinity or NaN, which safe() stops at, bytes too.
        case '/': return big ? wrap(`DIV(${l}, ${r})`) : byte ? wrap(safe(`Math.trunc(${l} / ${r})`)) : safe(`Math.trunc(${l} / ${r})`);
        case '%': return big ? (byte ? wrap(`MOD(${l}, ${r})`) : `MOD(${l}, ${r})`) : byte ? wrap(safe(`(${l} % ${r})`)) : safe(`(${l} % ${r})`);
        case '+': case '-': case '*': return wrap(`(${l} ${e.op} ${r})`);
        case '==': return truth(`${l} === ${r}`);
        case '!=': return truth(`${l} !== ${r}`);
        case '<': case '<=': case '>': case '>=': return truth(`${l} ${e.op} ${r}`);
        case '&&': case '||': return truth(`${l} ${e.op} ${r}`);
      }
    }
  }
}

const MAX_EXACT = Number.MAX_SAFE_INTEGER;

/**
 * A result in doubles, checked: written out rather than called, as the check sits on the
 * compiled loop's hot path (n - 1 of a recursion). T is a scratch variable of the code it goes
 * into (SAFE_SCRATCH); a nested check finishes with T before the outer one sets it.
 */
const safe = (code: string) => `((T = ${code}) <= ${MAX_EXACT} && T >= -${MAX_EXACT} ? T : OVERFLOW())`;

/** The declaration of safe()'s scratch variable, for the code that uses it. */
export const SAFE_SCRATCH = 'let T = 0;';

/**
 * How the simulator computes ints: in doubles (exact up to 2^53, and checked), or as 64-bit
 * integers (BigInt), which a run switches to the first time a double would not do.
 */
export type Arithmetic = 'double' | 'int64';

/** A run in doubles met a value they do not hold exactly, or a zero divisor: run it exact. */
export class IntOverflow extends Error {
  constructor() {
    super('an int result outside the range a double holds exactly');
  }
}

/** A division or remainder by zero: Go's run-time panic, which the simulator does not model. */
export class DivideByZero extends Error {
  constructor() {
    super('integer divide by zero');
  }
}

/** The helpers the generated code calls, by the names it calls them. */
export const ARITHMETIC = {
  /** Where a result in doubles is not exact (NaN, from a zero divisor, is not either): see safe(). */
  OVERFLOW: (): never => {
    throw new IntOverflow();
  },
  DIV: (l: bigint, r: bigint): bigint => {
    if (r === 0n) throw new DivideByZero();
    return l / r;
  },
  MOD: (l: bigint, r: bigint): bigint => {
    if (r === 0n) throw new DivideByZero();
    return l % r;
  },
};

const NO_BYTES: ReadonlySet<string> = new Set();


/** Whether an arithmetic expression is of type byte: an untyped constant takes its operand's type. */
function isByte(e: Expr, bytes: ReadonlySet<string>): boolean {
  if (e.kind === 'var') return bytes.has(e.name);
  if (e.kind === 'unary') return e.op === '-' && isByte(e.operand, bytes);
  if (e.kind === 'binary') return ['+', '-', '*', '/', '%'].includes(e.op) && (isByte(e.left, bytes) || isByte(e.right, bytes));
  return false;
}

/** An int expression as a function (print and go arguments, outside the loop). */
function compileExpr(e: Expr, slots: Map<string, number>, bytes: ReadonlySet<string>, arith: Arithmetic): IntFn {
  const f = new Function('OVERFLOW', 'DIV', 'MOD', `return (vars, base) => { ${SAFE_SCRATCH} return ${exprSource(e, slots, bytes, arith)}; };`);
  return f(ARITHMETIC.OVERFLOW, ARITHMETIC.DIV, ARITHMETIC.MOD) as IntFn;
}

const isInt = (f: Func, name: string) => {
  const v = [...f.params, ...f.locals].find((x) => x.name === name);
  return !!v && v.type.kind === 'basic';
};

/** Every function, wrappers included, numbered by its id. */
export function functionTable(codes: Map<string, FuncCode>): FuncCode[] {
  const table: FuncCode[] = [];
  // Depth first, callees in order, with a stack of its own: a chain of thousands of functions is
  // a valid program (recursion here would overflow JavaScript's).
  for (const root of codes.values()) {
    const stack = [root];
    for (let f = stack.pop(); f; f = stack.pop()) {
      if (f.id >= 0) continue;
      f.id = table.length;
      table.push(f);
      const callees = f.code.flatMap((ins) => (ins.op === 'call' || ins.op === 'go' ? [ins.fn] : []));
      for (let k = callees.length - 1; k >= 0; k--) stack.push(callees[k]!);
    }
  }
  return table;
}

/**
 * The program as instructions, each function with its frame layout and its code's place (entry
 * and return addresses: code-size.ts); and the runtime's addresses that place moves.
 */
export function compileProgram(prog: Program, profile: Profile, arith: Arithmetic = 'double'): { codes: Map<string, FuncCode>; text: ProgramAddresses } {
  const codes = new Map<string, FuncCode>();
  for (const f of prog.funcs.values()) {
    const slots = new Map<string, number>();
    for (const v of [...f.params, ...f.locals]) if (v.type.kind === 'basic') slots.set(v.name, slots.size);
    codes.set(f.name, {
      id: -1, name: f.name, symbol: `main.${f.name}`, wrapper: false, func: f, layout: frameLayout(f, prog, profile), code: [], slots, nslots: slots.size, bytes: byteVariables(f),
      entryPC: 0, lines: [], returnOffsets: [], morestackOffset: 0, callSites: [],
    });
  }
  for (const fc of [...codes.values()]) emitBody(fc, codes, prog, profile, arith);
  const sized = (fc: FuncCode) => {
    const { ends, morestack, calls } = returnOffsets(fc, profile);
    fc.returnOffsets = ends;
    fc.morestackOffset = morestack;
    fc.callSites = calls;
  };
  const wrappers: FuncCode[] = [];
  for (const fc of codes.values()) {
    sized(fc);
    for (const ins of fc.code) if (ins.op === 'go' && ins.fn.wrapper) { sized(ins.fn); wrappers.push(ins.fn); }
  }
  const callsGC = [...prog.funcs.values()].some((f) => anyStmt(f.body, (s) => s.kind === 'gc'));
  return { codes, text: layOutText([...codes.values()], wrappers, prog.channels.size, callsGC, profile) };
}

/**
 * `go f(args)` under the register ABI: the compiler wraps the call in a closure
 * (main.main.func1 up to 1.21, main.main.gowrap1 from 1.22) whose frame is f's argument area plus
 * the saved BP; the goroutine starts in the wrapper (test/fixtures/go119-facts.md, other findings).
 */
function goWrapper(caller: FuncCode, callee: FuncCode, args: Expr[], n: number, profile: Profile): FuncCode {
  const name = `${caller.name}.${goMinor(profile) >= 22 ? 'gowrap' : 'func'}${n}`;
  const slots = new Map<string, number>();
  const argSlots = callArgsOf(callee);
  argSlots.forEach((_, i) => slots.set(`a${i}`, i));
  const func = { ...caller.func, name, params: [], locals: [], body: [] };
  const captured: Expr[] = argSlots.map((_, i) => ({ kind: 'var', name: `a${i}`, pos: func.pos }));
  return {
    id: -1, name, symbol: `main.${name}`, wrapper: true, parent: caller, func, slots, nslots: argSlots.length, bytes: NO_BYTES, entryPC: 0,
    layout: { frame: callee.layout.args + 8, args: 0, nosplit: false, localOffset: new Map(), paramOffset: new Map(), heapLocals: [] },
    code: [{ op: 'call', fn: callee, args: captured, argSlots, source: args }, { op: 'ret' }],
    lines: [caller.func.pos.line, caller.func.pos.line], returnOffsets: [], morestackOffset: 0, callSites: [],
  };
}

/** Slots of the callee's int parameters, in parameter order. */
function callArgsOf(callee: FuncCode): number[] {
  const out: number[] = [];
  for (const p of callee.func.params) {
    const s = callee.slots.get(p.name);
    if (s !== undefined) out.push(s);
  }
  return out;
}

function emitBody(fc: FuncCode, codes: Map<string, FuncCode>, prog: Program, profile: Profile, arith: Arithmetic): void {
  let wrappers = 0;
  const { code, lines, slots } = fc;
  const emit = (i: Instr, line: number) => { code.push(i); lines.push(line); return code.length - 1; };
  const expr = (e: Expr) => compileExpr(e, slots, fc.bytes, arith);
  /** The callee's int parameters: their slots, and the caller's expressions for them. */
  const callArgs = (callee: FuncCode, args: Expr[]) => {
    const argSlots: number[] = [];
    const exprs: Expr[] = [];
    callee.func.params.forEach((p, i) => {
      const s = callee.slots.get(p.name);
      if (s !== undefined && isInt(callee.func, p.name)) { argSlots.push(s); exprs.push(args[i]); }
    });
    return { args: exprs, argSlots };
  };
  const typeOf = (name: string) => [...fc.func.params, ...fc.func.locals].find((v) => v.name === name)?.type;
  const printPart = (a: PrintArg): PrintPart =>
    a.kind === 'int' ? { kind: isBool(exprType(a.expr, typeOf)) ? 'bool' : 'int', value: expr(a.expr) } : a;
  const stmts = (list: Stmt[]) => { for (const s of list) stmt(s); };
  const stmt = (s: Stmt): void => {
    const line = s.pos.line;
    switch (s.kind) {
      case 'call': case 'go': {
        const callee = codes.get(s.callee)!;
        const a = callArgs(callee, s.args);
        if (s.kind === 'call') {
          emit({ op: 'call', fn: callee, ...a, source: s.args }, line);
        } else if (profile.abi === 'register' && callee.func.params.length > 0) {
          const w = goWrapper(fc, callee, s.args, ++wrappers, profile);
          emit({ op: 'go', fn: w, args: a.args.map(expr), argSlots: a.args.map((_, i) => i), alloc: goAlloc(callee.func, s.args, profile), source: s.args }, line);
        } else {
          emit({ op: 'go', fn: callee, args: a.args.map(expr), argSlots: a.argSlots, alloc: null, source: s.args }, line);
        }
        return;
      }
      case 'println': {
        const args = s.args.map(printPart);
        emit({ op: 'print', args, pieces: printPieces(args), source: s.args }, line);
        return;
      }
      case 'gc': emit({ op: 'gc' }, line); return;
      case 'send': emit({ op: 'send', chan: s.chan, value: s.value ?? null, zeroSize: sizeOf(prog.channels.get(s.chan)!.elem) === 0 }, line); return;
      case 'recv': emit({ op: 'recv', chan: s.chan }, line); return;
      case 'return': emit({ op: 'ret' }, line); return;
      case 'assign': emit({ op: 'set', slot: slots.get(s.name)!, value: s.value }, line); return;
      case 'if': {
        const j = emit({ op: 'jumpIfNot', cond: s.cond, target: -1 }, line);
        stmts(s.then);
        if (s.else.length > 0) {
          const k = emit({ op: 'jump', target: -1 }, line);
          (code[j] as { target: number }).target = code.length;
          stmts(s.else);
          (code[k] as { target: number }).target = code.length;
        } else {
          (code[j] as { target: number }).target = code.length;
        }
        return;
      }
      case 'for': {
        const counter = (x: Stmt | null | undefined) => {
          if (x?.kind === 'assign') emit({ op: 'set', slot: slots.get(x.name)!, value: x.value, counter: true }, x.pos.line);
          else if (x) stmt(x);
        };
        counter(s.init);
        const top = code.length;
        const j = s.cond ? emit({ op: 'jumpIfNot', cond: s.cond, target: -1, loop: true, counter: s.init?.kind === 'assign' ? s.init.name : undefined }, line) : -1;
        stmts(s.body);
        counter(s.post);
        emit({ op: 'jump', target: top, loopCond: s.cond ?? null, counter: s.post?.kind === 'assign' ? s.post.name : undefined }, line);
        if (j >= 0) (code[j] as { target: number }).target = code.length;
        return;
      }
    }
  };
  for (const v of fc.layout.heapLocals) emit({ op: 'newobject', size: sizeOf(v.type), name: v.name }, v.pos.line);
  stmts(fc.func.body);
  emit({ op: 'ret' }, fc.func.body.length ? fc.func.body[fc.func.body.length - 1].pos.line + 1 : fc.func.pos.line);
}
