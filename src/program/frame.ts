/**
 * The frame-size model: what the Go compiler (amd64, no inlining) makes of a function's frame.
 *   frame = align8(locals) + outgoing + 8 (saved BP), and 0 for a leaf with no locals
 * (cmd/compile/internal/ssagen/pgen.go AllocFrame, cmd/internal/obj/x86/obj6.go preprocess).
 * outgoing is the largest argument area of any call the function makes. Locals are laid out from
 * the top of the frame down, sorted as pgen.go's cmpstackvarlt sorts them.
 */
import { entryRuleDifference, unnamedSlots, type EntryDifference } from './entry-schedule.js';
import type { Profile } from '../profiles/profile.js';
import { alignOf, alignUp, BOOL, byteVariables, hasPointers, INT, sizeOf, stmtExprs, typeString, type Expr, type Func, type GoType, type Program, type SourcePos, type Stmt, type Var } from './model.js';
import { anyStmt, flatten, walk } from './stmts.js';
import { smagic } from './magic.js';
import { constValue } from './validate.js';

const PTR = 8;
/** The operators whose int result is a bool (flags, then SETcc), and those that compute an int. */
export const COMPARISONS: readonly string[] = ['==', '!=', '<', '<=', '>', '>='];
const ARITHMETIC: readonly string[] = ['+', '-', '*', '/', '%'];
const STACK_SMALL = 128;

/** Whether n is a positive power of two (a shift, where another constant needs a multiply). */
export function powerOfTwo(n: number | bigint): boolean {
  const b = BigInt(n);
  return b > 0n && (b & (b - 1n)) === 0n;
}

/**
 * Whether x*c lowers to LEAs or a shift-and-subtract that read x twice (AMD64.rules: MULQconst
 * [3] is LEAQ2 x x, [11] is LEAQ2 x (LEAQ4 x x), [31] is SUBQ (SHLQconst x) x): tighten.go
 * counts x twice and moves no such value, while a power of two (SHLQconst) or another constant
 * (IMUL3Q) reads x once (frames/tighten.go leaMultiply).
 */
function readsTwiceWhenMultiplied(c: bigint): boolean {
  const LEAS = [3n, 5n, 7n, 9n, 11n, 13n, 19n, 21n, 25n, 27n, 37n, 41n, 45n, 73n, 81n, -3n, -5n, -9n];
  return LEAS.includes(c) || shiftAndAdd(c) || [3n, 5n, 9n].some((k) => c % k === 0n && powerOfTwo(c / k));
}

/**
 * Whether x*c shifts x in its own register (AMD64.rules: SHLQconst, resultInArg0): a power of
 * two, and the shift of a shift-and-add (shiftAndAdd).
 */
function shiftsInPlace(c: bigint): boolean {
  const m = c < 0n ? -c : c;
  return (m > 1n && powerOfTwo(m)) || shiftAndAdd(c);
}

/**
 * Whether AMD64.rules lowers x*c to a shift of x and x subtracted or added again: 2^k-1 is
 * SUBQ (SHLQconst x) x, and 2^k+1, +2, +4, +8 are LEAQ1..8 (SHLQconst x) x.
 */
function shiftAndAdd(c: bigint): boolean {
  return (c >= 15n && powerOfTwo(c + 1n)) || (c >= 17n && powerOfTwo(c - 1n)) || (c >= 34n && powerOfTwo(c - 2n)) ||
    (c >= 68n && powerOfTwo(c - 4n)) || (c >= 136n && powerOfTwo(c - 8n));
}

const isVar = (e: Expr, name: string): boolean => e.kind === 'var' && e.name === name;

/** Whether a loop calls (in its body or its post statement): values live through it cross a call. */
function loopCalls(loop: Extract<Stmt, { kind: 'for' }>): boolean {
  return anyStmt(loop.body, isCall) || (!!loop.post && isCall(loop.post));
}

/** s = s + (i - i) and the like: an assignment that leaves the local's value (phielim; arith/arith-82 c7). */
function keepsItsValue(s: Extract<Stmt, { kind: 'assign' }>): boolean {
  return identityOf(s.value) === s.name;
}

/** The statements of the branches that end in a return. */
function inReturningBranches(fn: Func): Set<Stmt> {
  const out = new Set<Stmt>();
  walk(fn.body, (x) => {
    if (x.kind !== 'if') return;
    for (const list of [x.then, x.else]) if (list.at(-1)?.kind === 'return') walk(list, (y) => { out.add(y); });
  });
  return out;
}

/** The statements inside the function's loops. */
function inLoops(fn: Func): Set<Stmt> {
  const out = new Set<Stmt>();
  walk(fn.body, (x) => { if (x.kind === 'for') walk(x.body, (y) => { out.add(y); }); });
  return out;
}

/** A call with a computed argument, which 1.21+ makes ready values for (frames/computed-args.go). */
function waitsForComputedArgs(s: Stmt): boolean {
  return s.kind === 'call' && s.args.some((a) => a.kind === 'binary' || a.kind === 'unary');
}

/** Whether the top-level statements read a local only after a branch or a loop that follows its assignment. */
function readOnlyPastBranch(fn: Func, name: string): boolean {
  const at = fn.body.findIndex((s) => s.kind === 'assign' && s.name === name);
  if (at < 0) return false;
  let called = false;
  for (const s of fn.body.slice(at + 1)) {
    // An if's condition is made in the block before its branches (frames/shifts.go
    // shiftTested), past a loop with no call still from the register (arith/arith-11 c19).
    if (s.kind === 'if' && reads(s.cond, name)) return called;
    if (s.kind === 'for' && !loopCalls(s)) continue;
    if (s.kind === 'if' || s.kind === 'for') return true;
    if (stmtReads(s, name)) return false;
    if (isCall(s)) called = true;
  }
  return false;
}

/**
 * The top-level if whose condition first reads a local, past loops that call nothing and
 * nothing else, or null.
 */
function testedAfterLoops(fn: Func, name: string): Stmt | null {
  const at = fn.body.findIndex((s) => s.kind === 'assign' && s.name === name);
  if (at < 0) return null;
  let looped = false;
  for (const s of fn.body.slice(at + 1)) {
    if (s.kind === 'if' && reads(s.cond, name)) return looped ? s : null;
    if (s.kind === 'for' && !loopCalls(s) && !anyStmt(s.body, (x) => stmtReads(x, name))) { looped = true; continue; }
    if (s.kind === 'assign' && !stmtReads(s, name)) continue;
    return null;
  }
  return null;
}

/**
 * The locals whose values reach something the program does: printed, passed, sent, tested by an
 * if or a loop, or assigned to such a local. The rest (s := s + k in a loop, never read
 * otherwise) deadcode removes, with their slots (arith/arith-72 c9; frames/dead-locals.go).
 */
function usefulLocals(fn: Func): Set<string> {
  const useful = new Set<string>();
  const readBy = (e: Expr) => subExprs(e).flatMap((x) => (x.kind === 'var' ? [x.name] : []));
  walk(fn.body, (s) => {
    if (s.kind === 'assign') return;
    for (const e of stmtExprs(s)) for (const n of readBy(e)) useful.add(n);
    if (s.kind === 'println') for (const a of s.args) if (a.kind === 'addr') useful.add(a.name);
  });
  for (let changed = true; changed;) {
    changed = false;
    walk(fn.body, (s) => {
      if (s.kind !== 'assign' || !useful.has(s.name)) return;
      for (const n of readBy(s.value)) if (!useful.has(n)) { useful.add(n); changed = true; }
    });
  }
  return useful;
}

/**
 * Whether a local comparison is read only as !ok: generic.rules turn (Not (Eq x y)) into
 * (Neq x y), a comparison made where the negation is, so nothing reads the local's own value
 * and deadcode removes it (arith/arith-50 c14: ok15 := a%3 == 0; ok19 := !ok15; ... !ok19).
 */
function readOnlyNegated(fn: Func, name: string): boolean {
  const values = assignmentsOf(fn.body, name);
  if (values.length !== 1 || !isComparison(values[0]) || values[0].kind !== 'binary') return false;
  // Its operands are made where the negation is only if each op has one input (a parameter):
  // (b/5)%2 == 0 keeps b/5, a magic division, where it was made, in a slot of its own
  // (arith/arith-62 c4), which the local's stands for.
  const [cmp] = values as Binary[];
  const oneInputOfParams = (e: Expr): boolean => isConstant(e) || (e.kind === 'var' && fn.params.some((p) => p.name === e.name)) ||
    (e.kind === 'binary' && (isConstant(e.left) || isConstant(e.right)) && oneInputOfParams(e.left) && oneInputOfParams(e.right) &&
      !(magicDivision(e) && e !== cmp.left && e !== cmp.right));
  if (!oneInputOfParams(cmp.left) || !oneInputOfParams(cmp.right)) return false;
  let reads = 0;
  let negated = 0;
  walk(fn.body, (s) => {
    for (const e of stmtExprs(s)) {
      for (const x of subExprs(e)) {
        if (x.kind === 'var' && x.name === name) reads++;
        if (x.kind === 'unary' && x.op === '!' && x.operand.kind === 'var' && x.operand.name === name) negated++;
      }
    }
  });
  return reads > 0 && reads === negated;
}

/**
 * Go 1.19 (ssa/schedule.go builds each block's schedule backwards, so a value comes right before
 * its first use): a local comparison that only a later println of its own block reads is made
 * after that println's printlock, and needs no slot (arith/arith-26 c1: ok5 := (a - s2)%3 == 0;
 * println(&x); println(ok5)); what it compares is kept instead. Later releases do the same in
 * frames/tighten.go comparedAtPrint, but applied to them the rule loses more of the computing
 * programs' functions than it gains (1.21: 8; 1.22: as many as it gains, arith/arith-26 c1 among
 * the lost), so it is Go 1.19's alone for now (Profile.comparedAtPrint).
 */
function comparedAtItsPrint(fn: Func, name: string): boolean {
  const only = printedOnlyLater(fn, name);
  // A division by a variable is made at its statement, where its divisor is checked
  // (frames/divisor-checks.go comparedQuotient).
  // Past an if, the println is in another block: tighten.go moves the comparison's flags there,
  // but a value with two register inputs stays in its own block (arith/arith-49 c3 moves;
  // arith-54 c19's b*6, LEAQ2 b b, stays).
  return !!only && isComparison(only.value) && !subExprs(only.value).some(isVariableDivision) &&
    !only.between.some((x) => x.kind === 'go') &&
    (!only.between.some((x) => x.kind === 'if' || x.kind === 'for' || dividesByVariable(x)) || movesWhole(fn, only.value));
}

/**
 * Whether every value of a comparison has one register input, a parameter or a value of it
 * (ssa/tighten.go moves those, and flags): a sum, difference or product with a constant that
 * IMUL3Q or a shift makes. Not x*c made with LEAs (readsTwiceWhenMultiplied), nor a division.
 */
function movesWhole(fn: Func, cmp: Expr): boolean {
  if (cmp.kind !== 'binary') return false;
  const moves = (e: Expr): boolean => {
    if (isConstant(e)) return true;
    // A loop's local is its phi, made in the loop's header, not here (arith/arith-39 c8).
    if (e.kind === 'var') return fn.params.some((p) => p.name === e.name) || assignedInLoop(fn, e.name);
    if (e.kind !== 'binary' || !['+', '-', '*'].includes(e.op)) return false;
    const [k, x] = isConstant(e.left) ? [e.left, e.right] : [e.right, e.left];
    if (!isConstant(k)) return false;
    const c = constValue(k);
    return moves(x) && !(e.op === '*' && c !== null && readsTwiceWhenMultiplied(c));
  };
  return moves(cmp.left) && moves(cmp.right);
}

/**
 * A local assigned once, at the top level, that only one later top-level println reads: its
 * value, and the statements between the two.
 */
function printedOnlyLater(fn: Func, name: string): { value: Expr; between: Stmt[] } | null {
  const at = fn.body.findIndex((s) => s.kind === 'assign' && s.name === name);
  const def = fn.body[at];
  if (at < 0 || def.kind !== 'assign' || assignmentsOf(fn.body, name).length !== 1) return null;
  const readers = fn.body.slice(at + 1).filter((x) => anyStmt([x], (y) => stmtReads(y, name)));
  if (readers.length !== 1 || readers[0].kind !== 'println') return null;
  return { value: def.value, between: fn.body.slice(at + 1, fn.body.indexOf(readers[0])) };
}

/** Whether a local is assigned inside a loop. */
function assignedInLoop(fn: Func, name: string): boolean {
  let found = false;
  walk(fn.body, (s) => { if (s.kind === 'for') walk(s.body, (x) => { if (x.kind === 'assign' && x.name === name) found = true; }); });
  return found;
}

/** The values a local is assigned, nested statements included, in order. */
function assignmentsOf(stmts: Stmt[], name: string): Expr[] {
  const out: Expr[] = [];
  walk(stmts, (s) => { if (s.kind === 'assign' && s.name === name) out.push(s.value); });
  return out;
}

export interface FrameLayout {
  /** $frame of the TEXT line: locals + outgoing arguments + saved BP. */
  frame: number;
  /** $args of the TEXT line: the parameter area in the caller's frame. */
  args: number;
  /** Leaf functions with a small frame get no stack check (obj6.go marks them NOSPLIT). */
  nosplit: boolean;
  /** Offset of each local from the SP after the prologue. */
  localOffset: Map<string, number>;
  /** Offset of each parameter from the entry SP + 8 (just above the return address). */
  paramOffset: Map<string, number>;
  /** Locals moved to the heap (too large for the stack): allocated by newobject as the function starts. */
  heapLocals: Var[];
  /** Go statements' slots (register ABI), by name. */
  goTemps?: ReadonlyMap<string, GoTemp>;
}

/**
 * A go statement's slot: the statement's line, and what it holds: the closure's address (1.19's
 * memmove), or for an array argument the pointer to its heap copy or its copy.
 */
export interface GoTemp { line: number; holds: 'closure' | 'pointer' | 'copy'; arg: number | null }

/** Integer argument registers of amd64's register ABI (abi-internal.md: RAX, RBX, RCX, RDI, RSI, R8-R11). */
export const INT_ARG_REGS = 9;
/** Of those, the ones REP STOSQ uses: RAX, RCX and RDI, the 1st, 3rd and 4th. */
export const REP_STOSQ_PARAM_REGS = [0, 2, 3];
/** DUFFZERO's: RDI, the 4th. */
export const DUFFZERO_PARAM_REG = 3;

/**
 * The part of a local array on the stack that its declaration zeroes with DUFFZERO or REP STOSQ:
 * its 16-byte multiple (AMD64.rules: over 64 bytes DUFFZERO, over 1 KiB REP STOSQ); 0 for a
 * scalar or a local moved to the heap.
 */
function zeroedBlock(l: Var, profile: Profile): number {
  if (l.type.kind !== 'array' || sizeOf(l.type) > profile.maxStackVarSize) return 0;
  return Math.floor(sizeOf(l.type) / 16) * 16;
}
const DUFFZERO_OVER = 64;
const REP_STOSQ_OVER = 1024;

/**
 * Whether a variable is read before the function's first call: in a statement before it, or in
 * that call's arguments, except a bare println argument (printed after printlock) and a go
 * statement's: one that reads a variable captures it, stored in the closure after newobject
 * (recorded/chain-go-at-depth c).
 */
export function readBeforeFirstCall(fn: Func, name: string): boolean {
  let called = false;
  let read = false;
  walk(fn.body, (s) => {
    if (called) return;
    // A go statement that allocates its closure stores the arguments after newobject.
    const early = s.kind === 'println' || s.kind === 'go' ? false : stmtReads(s, name);
    if (early) read = true;
    if (isCall(s)) called = true;
  });
  return read;
}

/** The name of a go statement's copy of an array it passes (numbered when slotted). */
const GO_COPY = '.autotmp_go';

/** The largest variable a closure captures by value (escape/escape.go: 128 bytes). */
export const GO_CAPTURE_BY_VALUE = 128;

/**
 * Go 1.19: a go statement's closure gets an array captured by value, over 16 bytes, with a call
 * to memmove, across which the frame keeps the closure's address (frames/go-arrays.go).
 */
function goArrayMemmove(st: Extract<Stmt, { kind: 'go' }>, prog: Program, profile: Profile): boolean {
  if (!profile.goArrayMemmove) return false;
  return prog.funcs.get(st.callee)!.params.some((p) => p.type.kind === 'array' && sizeOf(p.type) > 16 && sizeOf(p.type) <= GO_CAPTURE_BY_VALUE);
}

/**
 * Whether a go statement's argument is captured in its closure (walk/order.go, ssagen: the
 * wrapper's closure holds every argument that is not a constant it can rebuild itself). A zero
 * composite literal ([50]byte{}) is captured up to 1.21 and rebuilt by the wrapper from 1.22
 * (test/fixtures/frames/go-zero-literals.go). The frame model, the closure's size (code.ts goAlloc)
 * and whether newobject is called at all follow from this one rule.
 */
export function goCaptures(arg: Expr, profile: Profile): boolean {
  return !isConstant(arg) || (arg.kind === 'zero' && profile.goCapturesZeroLiteral);
}

/** newobject(typ) through ssagen's rtcall: the call's area holds its argument and its result. */
const NEWOBJECT_ARGS = 2 * PTR;

/** Argument area of runtime calls the subset makes (runtime/print.go, chan.go, proc.go). */
function runtimeCallArgs(st: Stmt, prog: Program, profile: Profile): number {
  switch (st.kind) {
    case 'println':
      // printstring(s string) 16; printpointer(p unsafe.Pointer) 8; printint(v int64) 8
      return Math.max(0, ...st.args.map((a) => (a.kind === 'string' ? 16 : 8)));
    case 'send':
    case 'recv':
      return 16; // chansend1(c *hchan, elem unsafe.Pointer) / chanrecv1(c, elem)
    case 'go': {
      // ABI0: newproc(siz int32, fn *funcval) followed by the arguments themselves.
      // Register ABI (1.17+): newproc(fn *funcval); arguments travel in a closure.
      if (profile.abi === 'stack') return 16 + paramArea(prog.funcs.get(st.callee)!, profile).size;
      // 1.19 copies an array captured by value into the closure with memmove(dst, src, n).
      if (goArrayMemmove(st, prog, profile)) return 3 * PTR;
      // A closure that captures a value is allocated by newobject, which ssagen's rtcall gives
      // room for its result as well as its argument (recorded/go-in-recursion: descend).
      return st.args.some((a) => goCaptures(a, profile)) ? NEWOBJECT_ARGS : PTR;
    }
    default:
      return 0;
  }
}

/** Parameter offsets and the whole area, in the order the ABI assigns them. */
export function paramArea(fn: Func, profile: Profile): { size: number; offsets: Map<string, number> } {
  const offsets = new Map<string, number>();
  let off = 0;
  const place = (v: Var) => {
    off = alignUp(off, alignOf(v.type));
    offsets.set(v.name, off);
    off += sizeOf(v.type);
  };
  if (profile.abi === 'stack') {
    fn.params.forEach(place);
  } else {
    // Register ABI: stack-assigned parameters (arrays of more than one element) first, then
    // the spill slots of register-assigned ones (cmd/compile/internal/abi/abiutils.go).
    const inRegs = (v: Var) => v.type.kind === 'basic' || (v.type.kind === 'array' && v.type.len <= 1) ||
      (v.type.kind === 'struct' && v.type.fields.length === 0) || v.type.kind === 'chan';
    fn.params.filter((v) => !inRegs(v)).forEach(place);
    // The spill area starts register-aligned (abiutils.go ABIAnalyzeTypes: offsetToSpillArea).
    off = alignUp(off, PTR);
    fn.params.filter(inRegs).forEach(place);
  }
  return { size: alignUp(off, PTR), offsets };
}

/** Whether source position a comes before b. */
export const posBefore = (a: SourcePos, b: SourcePos) => a.line < b.line || (a.line === b.line && a.col < b.col);

/** Whether an expression is made of constants and the variables ok accepts only. */
function builtFrom(e: Expr, ok: (name: string) => boolean): boolean {
  switch (e.kind) {
    case 'var': return ok(e.name);
    case 'int': case 'bool': return true;
    case 'unary': return builtFrom(e.operand, ok);
    case 'binary': return builtFrom(e.left, ok) && builtFrom(e.right, ok);
    default: return false;
  }
}

/**
 * Scalar locals whose value is a function of the parameters alone: every assignment is a
 * top-level statement (no loop or if around it) of parameters, constants, the local itself and
 * earlier such locals. bare: one assignment that copies a parameter (v := k); entry: assigned
 * before the function's first if or for (its entry block). With settledLoopLocals (up to Go
 * 1.19, where a value is made where it is read: not Profile.computedArgsWaitInOrder), also
 * arithmetic of locals a calling loop before it changes and nothing changes after: those are
 * in their slots, and the value is made from them where it is read (arith/arith-9 c11: v15 :=
 * (s12 + 1090704908) * 2246079334 after the loop, read past a println, on 1.15 and 1.19;
 * arith-30 c15 and arith-54 c22 on 1.19).
 */
function paramDerivedLocals(fn: Func, settledLoopLocals = false): Map<string, { bare: boolean; entry: boolean }> {
  const params = new Set(fn.params.map((p) => p.name));
  const out = new Map<string, { bare: boolean; entry: boolean }>();
  const nested = new Set<string>();
  for (const s of fn.body) {
    if (s.kind === 'if' || s.kind === 'for') walk([s], (x) => { if (x.kind === 'assign' && !keepsItsValue(x)) nested.add(x.name); });
  }
  const bad = new Set<string>(nested);
  let entry = true;
  // Up to 1.19 (settledLoopLocals): a local a calling loop before changes, and nothing
  // changes after, is kept in its slot anyway; a value computed from it is made from that slot.
  const settled = (n: string, at: number) => settledLoopLocals &&
    fn.body.slice(at).every((x) => !anyStmt([x], (y) => y.kind === 'assign' && y.name === n)) &&
    fn.body.slice(0, at).some((x) => x.kind === 'for' && loopCalls(x) && anyStmt(x.body, (y) => y.kind === 'assign' && y.name === n));
  for (const [at, s] of fn.body.entries()) {
    if (s.kind === 'if' || s.kind === 'for') entry = false;
    if (s.kind !== 'assign' || bad.has(s.name) || !fn.locals.some((l) => l.name === s.name && l.type.kind === 'basic')) continue;
    const self = s.name;
    const copies = s.value.kind === 'var';
    if (!builtFrom(s.value, (n) => params.has(n) || n === self || out.has(n) || (!copies && settled(n, at)))) {
      bad.add(s.name);
      out.delete(s.name);
      continue;
    }
    const prev = out.get(s.name);
    const bare = !prev && s.value.kind === 'var' && params.has(s.value.name);
    out.set(s.name, { bare, entry: entry && (prev?.entry ?? true) });
  }
  return out;
}

/**
 * Whether a parameter-derived local live across a call gets a slot. The compiler computes its
 * value where it is first read, so only the parameters cross the calls before (their spill
 * slots are the caller's); it needs one of its own only when read again after a later call. A
 * copy of a parameter is the parameter itself, spilled to its home from 1.22 on (before, to a
 * slot of its own: Profile.bareIntParamCopy). (Go 1.21's entry block: entry-schedule.ts.)
 * Checked on test/fixtures/frames/param-locals.go with Go 1.19 and 1.21 to 1.24.
 */
function spillsDerived(fn: Func, name: string, d: { bare: boolean; entry: boolean }, profile: Profile): boolean {
  if (d.bare) {
    // Unless the parameter is also read inside an expression: then the value is spilled to the
    // parameter's home, and the copy reads it there (frames/param-copies.go).
    let param = '';
    walk(fn.body, (x) => { if (x.kind === 'assign' && x.name === name && x.value.kind === 'var') param = x.value.name; });
    // A read of the copy inside an expression counts too (arith/arith-13 c4 with 1.19).
    return profile.bareIntParamCopy && !bareReads(fn, param).other && !bareReads(fn, name).other;
  }
  if (keptInItsBlock(fn, name, profile)) return true;
  // Go 1.19 makes a comparison only its println reads there (comparedAtItsPrint): that println
  // reads what it compares (arith/arith-24 c20: ok22 := v21 >= a; c23(..., v21, ...); println(ok22)).
  const late = !profile.comparedAtPrint ? []
    : fn.locals.filter((l) => comparedAtItsPrint(fn, l.name) && assignmentsOf(fn.body, l.name).some((e) => reads(e, name)));
  let readCount = 0;
  let callAfterRead = false;
  let again = false;
  walk(fn.body, (s) => {
    if (s.kind === 'assign' && s.name === name) {
      readCount = 0;
      callAfterRead = false;
      return;
    }
    // (The comparison's own assignment reads nothing there.)
    // (From 1.21 the local is made first anyway, before a println's flags: valuesBeforeFlags.)
    const readsIt = profile.computedArgsWaitInOrder ? stmtReads(s, name) : stmtReadsValue(fn, s, name);
    const r = (readsIt && !(s.kind === 'assign' && late.some((l) => l.name === s.name))) ||
      (s.kind === 'println' && late.some((l) => stmtReads(s, l.name)));
    // println reads its arguments after printlock.
    if (r && readCount > 0 && (callAfterRead || s.kind === 'println')) again = true;
    if (r) readCount++;
    if (readCount > 0 && isCall(s)) callAfterRead = true;
  });
  return again;
}

/**
 * Whether one println prints the local bare twice and reads it nowhere else in it: it is made
 * for the first print and kept across it (frames/bare-reads.go printedTwice; not
 * println(v, v+1), whose sum is made first).
 */
function printedTwice(fn: Func, name: string): boolean {
  // A local made from the parameters (one of constants folds, and is made where it is used).
  const values = assignmentsOf(fn.body, name);
  const fromParam = fn.locals.some((l) => l.name === name) && values.length > 0 &&
    values.every((v) => fn.params.some((p) => reads(v, p.name)));
  // v+1 after v := a*9 is one LEAQ 1(a)(a*8) of the parameter (addressing-mode folding): it
  // needs no v (frames/bare-reads.go withSum).
  const SCALES = [1n, 2n, 3n, 4n, 5n, 8n, 9n];
  const small = (k: bigint) => k > -(1n << 31n) && k < (1n << 31n);
  const lea = (e: Expr): boolean => {
    const l = linear(e);
    const terms = l ? [...l.coef.entries()].filter(([, k]) => k !== 0n) : [];
    return l !== null && small(l.konst) && terms.length === 1 && SCALES.includes(terms[0][1]);
  };
  const leaFromParam = (e: Expr): boolean => values.length === 1 && lea(values[0]) && lea(e) &&
    e.kind === 'binary' && (e.op === '+' || e.op === '-');
  return anyStmt(fn.body, (s) => {
    if (s.kind !== 'println') return false;
    const args = s.args.flatMap((a) => (a.kind === 'int' ? [a.expr] : []));
    const bare = args.filter((e) => e.kind === 'var' && e.name === name).length;
    if (bare > 1 && args.every((e) => e.kind === 'var' || !reads(e, name))) return true;
    // Printed and compared by another argument: the flags are made where printbool takes them,
    // so the value is kept across the prints between (arith/arith-16 c2, arith-49 c12).
    if (bare > 0 && args.some((e) => isComparison(e) && reads(e, name))) return true;
    // Read by two arguments, the first not a comparison (whose flags wait for the later ones'
    // values): made for the first, kept across its print for the second (frames/bare-reads.go
    // twoArgs). n/c and n%c in two arguments are one division (keptDivisionResults).
    const readers = args.filter((e) => reads(e, name));
    const divisions = (e: Expr) => subExprs(e).filter((x) => divisionKey(x) !== null && reads(x, name)).map((x) => divisionKey(x));
    const shared = readers.length > 1 && readers.slice(1).every((e) => divisions(e).some((k) => divisions(readers[0]).includes(k)));
    return fromParam && readers.length > 1 && !isComparison(readers[0]) && !shared && !readers.slice(1).every(leaFromParam);
  });
}

/**
 * The frame slots of go statements' arguments under the register ABI (names to be numbered). The
 * closure that carries the arguments captures a copy of an array: over 128 bytes by reference
 * (escape.go), a heap object whose address the frame keeps across the copy (&.autotmp); a
 * local whose address is taken, or that keeps a slot of its own beside its copy (below), or any
 * inside a loop but one the loop's body declares, is first copied to a temporary of its size;
 * 1.19 keeps the closure's address across its memmove. Checked on frames/go-arrays.go,
 * recorded/odd-byte-nested and recorded/lcg-goroutines.
 */
function goStatementTemps(fn: Func, prog: Program, profile: Profile, addressed: Set<string>): (Var & Pick<GoTemp, 'holds' | 'arg'>)[] {
  const out: (Var & Pick<GoTemp, 'holds' | 'arg'>)[] = [];
  // typecheck's normalizeGoDeferCall copies each argument to a temporary (tmp := x). The copy of
  // a local array zeroed right before (no other memory operation between) becomes the zeroing of
  // the temporary, and the local goes; else both keep a slot: when another statement reads the
  // array too, or something else touches memory between (recorded/odd-byte-nested,
  // bytes-go-args; frames/go-arrays.go a16: go s16(x) right after var x).
  const memoryOps: { pos: SourcePos; local?: string }[] = [];
  walk(fn.body, (x) => { if (x.kind !== 'assign' && x.kind !== 'if' && x.kind !== 'for') memoryOps.push({ pos: x.pos }); });
  for (const l of fn.locals) if (l.type.kind === 'array' && l.type.len > 1) memoryOps.push({ pos: l.pos, local: l.name });
  memoryOps.sort((a, b) => (posBefore(a.pos, b.pos) ? -1 : posBefore(b.pos, a.pos) ? 1 : 0));
  const keepsOwnSlot = (name: string, go: Stmt) => {
    // A parameter has no zeroing for the copy to become: tmp := b is a copy, kept across newobject
    // (frames/go-copies.go: param24, param3).
    if (!fn.locals.some((l) => l.name === name)) return true;
    const readElsewhere = anyStmt(fn.body, (x) => x !== go && stmtReads(x, name));
    const last = memoryOps.filter((m) => posBefore(m.pos, go.pos)).pop();
    return readElsewhere || last?.local !== name;
  };
  // A local the loop's body declares is zeroed in each iteration: between the loop's header and
  // the go statement in the source.
  const declaredIn = (loop: Stmt | null, name: string, go: Stmt) =>
    !!loop && fn.locals.some((l) => l.name === name && posBefore(loop.pos, l.pos) && posBefore(l.pos, go.pos));
  const visit = (list: Stmt[], loop: Stmt | null) => {
    for (const s of list) {
      if (s.kind === 'for') visit(s.body, s);
      else if (s.kind === 'if') {
        visit(s.then, loop);
        visit(s.else, loop);
      } else if (s.kind === 'go') {
        if (goArrayMemmove(s, prog, profile)) out.push({ name: '.autotmp_closure', type: { kind: 'pointer', elem: INT }, pos: s.pos, holds: 'closure', arg: null });
        prog.funcs.get(s.callee)!.params.forEach((p, i) => {
          if (p.type.kind !== 'array' || p.type.len <= 1) return; // [1]T and [0]T are SSA-able
          const arg = s.args[i];
          if (arg?.kind === 'zero' && !goCaptures(arg, profile)) return;
          if (sizeOf(p.type) > GO_CAPTURE_BY_VALUE) {
            // Captured by reference: newobject makes the heap copy (zeroed already for a literal).
            out.push({ name: '&.autotmp_go', type: { kind: 'pointer', elem: p.type }, pos: s.pos, holds: 'pointer', arg: i });
          } else if (arg?.kind === 'zero' || (loop && !(arg?.kind === 'var' && declaredIn(loop, arg.name, s))) ||
            (arg?.kind === 'var' && (addressed.has(arg.name) || keepsOwnSlot(arg.name, s)))) {
            // A zero literal is built in a temporary, then copied into the closure.
            out.push({ name: GO_COPY, type: p.type, pos: s.pos, holds: 'copy', arg: i });
          }
        });
      }
    }
  };
  visit(fn.body, null);
  return out;
}

/** A bool-valued expression: a comparison, && and ||, or !. */
function isComparison(e: Expr): boolean {
  return (e.kind === 'binary' && (COMPARISONS.includes(e.op) || e.op === '&&' || e.op === '||')) || (e.kind === 'unary' && e.op === '!');
}

/**
 * Whether a local holds only constants (k := 0x10, or a loop counter that takes one value): it
 * lives in no slot.
 */
function constantLocal(fn: Func, name: string, profile: Profile): boolean {
  return assignedConstants(fn, name) || singleTripCounter(fn, name, profile);
}

/** A local assigned once, a parameter the function never assigns. */
function paramCopyOnly(fn: Func, name: string): boolean {
  const values = assignmentsOf(fn.body, name);
  if (values.length !== 1 || values[0].kind !== 'var') return false;
  const source = values[0].name;
  return fn.params.some((p) => p.name === source) && assignmentsOf(fn.body, source).length === 0;
}

/** Whether every assignment of the local is a constant. */
function assignedConstants(fn: Func, name: string): boolean {
  let assigned = false;
  let constant = true;
  walk(fn.body, (s) => {
    if (s.kind !== 'assign' || s.name !== name) return;
    assigned = true;
    if (!isConstant(s.value)) constant = false;
  });
  return assigned && constant;
}

/**
 * The counter of a loop that runs once (for i := 0; i < 1; i++): prove knows its only value in
 * the body, so the body reads a constant and nothing keeps the counter across its calls
 * (frames/single-trip.go). From 1.22 only where the body reads it.
 */
function singleTripCounter(fn: Func, name: string, profile: Profile): boolean {
  if (profile.singleTripCounterKnown === false) return false;
  let loops = 0;
  let single = 0;
  let assignedInBody = false;
  let keptUnread = false;
  walk(fn.body, (s) => {
    if (s.kind !== 'for' || s.init?.kind !== 'assign' || s.init.name !== name) return;
    loops++;
    const { init, cond, post } = s;
    const c = cond?.kind === 'binary' && cond.left.kind === 'var' && cond.left.name === name && isConstant(cond.right)
      && init.value.kind === 'int' && cond.right.kind === 'int' ? cond : null;
    const step = post?.kind === 'assign' && post.name === name && post.value.kind === 'binary' && post.value.op === '+'
      && post.value.left.kind === 'var' && post.value.left.name === name && post.value.right.kind === 'int' && post.value.right.value === 1;
    const from = init.value.kind === 'int' ? init.value.value : NaN;
    const to = c && c.right.kind === 'int' ? c.right.value : NaN;
    if (c && step && ((c.op === '<' && to - from === 1) || (c.op === '<=' && to === from))) single++;
    walk(s.body, (x) => { if (x.kind === 'assign' && x.name === name) assignedInBody = true; });
    if (profile.singleTripUnreadCounterKept && !anyStmt(s.body, (x) => stmtReads(x, name))) keptUnread = true;
  });
  return loops > 0 && loops === single && !assignedInBody && !keptUnread;
}

/**
 * Whether a scalar local is assigned once, a multiplication by a power of two (k * 2): the
 * optimizer turns it into a shift, a new value, and 1.22 and 1.23 drop the variable's name
 * with the old one, so its spill slot is a temporary's (recorded/send-loop; in their -S, k * 2
 * and k * 4 spill to .autotmp_N, k * 3, k + 1, k - 1, -k and k / 2 to v; 1.24 keeps v).
 */
function shiftedLocal(fn: Func, name: string): boolean {
  const assigns = assignmentsOf(fn.body, name);
  if (assigns.length !== 1) return false;
  const e = assigns[0];
  const pow2 = (x: Expr) => x.kind === 'int' && x.value > 1 && powerOfTwo(x.value);
  return e.kind === 'binary' && e.op === '*' && (pow2(e.left) || pow2(e.right)) && !isConstant(e);
}

/** Whether c <- name passes the variable where it lives, not a copy (Profile.sendCopies). */
function sendsInPlace(fn: Func, name: string, profile: Profile, addressed: Set<string>): boolean {
  const local = fn.locals.some((l) => l.name === name);
  return profile.sendCopies === 'none' || (profile.sendCopies === 'ssa-locals' && (!local || addressed.has(name)));
}

/** Whether c <- v passes v's own slot (else a copy in a temporary): sendsInPlace, for code sizes. */
export function sendsVariableInPlace(fn: Func, name: string, profile: Profile): boolean {
  return sendsInPlace(fn, name, profile, addressedLocals(fn));
}

/**
 * The parameters that live in their stack slot from entry on: those a send passes where they
 * live (their address is taken), so a traceback reads their value there (no "?").
 */
export function paramsInMemory(fn: Func, profile: Profile): Set<string> {
  const out = new Set<string>();
  const addressed = addressedLocals(fn);
  walk(fn.body, (s) => {
    const v = s.kind === 'send' ? s.value : undefined;
    if (v?.kind === 'var' && fn.params.some((p) => p.name === v.name) && sendsInPlace(fn, v.name, profile, addressed)) out.add(v.name);
  });
  return out;
}

/** Whether the function reads the variable anywhere (a parameter it never reads is dead at entry). */
export function readsVar(fn: Func, name: string): boolean {
  return anyStmt(fn.body, (s) => stmtReads(s, name));
}

/** The locals whose address the program prints (println(&x)). */
function addressedLocals(fn: Func): Set<string> {
  const addressed = new Set<string>();
  walk(fn.body, (s) => {
    if (s.kind === 'println') for (const a of s.args) if (a.kind === 'addr') addressed.add(a.name);
  });
  return addressed;
}

const isCall = (s: Stmt) =>
  s.kind === 'call' || s.kind === 'go' || s.kind === 'println' || s.kind === 'send' || s.kind === 'recv' || s.kind === 'gc';

/** Whether an expression reads the variable. */
function reads(e: Expr | null | undefined, name: string): boolean {
  if (!e) return false;
  switch (e.kind) {
    case 'var': return e.name === name;
    case 'unary': return reads(e.operand, name);
    case 'binary': return reads(e.left, name) || reads(e.right, name);
    default: return false;
  }
}

/** Whether a statement's own expressions (stmtExprs) read the variable. */
export function stmtReads(s: Stmt, name: string): boolean {
  return stmtExprs(s).some((e) => reads(e, name));
}

/**
 * Whether a statement reads a local's value: (v + c) * k with v := x + c' is x*k + (c+c')*k
 * (generic.rules distributes a constant factor over a constant sum), which reads x, not v
 * (arith/arith-71 c2: v3 := a + 1006679394; println((v3 * 15) > 2376057519)).
 */
function stmtReadsValue(fn: Func, s: Stmt, name: string): boolean {
  const values = assignmentsOf(fn.body, name);
  const v = values.length === 1 ? values[0] : null;
  const plusConstant = !!v && v.kind === 'binary' && (v.op === '+' || v.op === '-') && (isConstant(v.left) || isConstant(v.right)) &&
    !isConstant(v);
  const readsIt = (e: Expr): boolean => {
    if (e.kind === 'var') return e.name === name;
    if (e.kind === 'unary') return readsIt(e.operand);
    if (e.kind !== 'binary') return reads(e, name);
    if (plusConstant && e.op === '*' && ((isVar(e.left, name) && isConstant(e.right)) || (isVar(e.right, name) && isConstant(e.left)))) return false;
    return readsIt(e.left) || readsIt(e.right);
  };
  return stmtExprs(s).some(readsIt);
}

/**
 * Int locals whose value must survive a call, so the register allocator spills them to a slot:
 * a loop variable read by its loop when the loop body calls, or a variable read after a call
 * that follows its assignment (in source order).
 */
function liveAcrossCalls(fn: Func, vars: Var[] = fn.locals, profile?: Profile): Set<string> {
  const out = liveAcrossLoopCalls(fn, vars);
  // Straight-line: assigned, then a call, then read; or read, then printed (after printlock).
  const flat = flatten(fn.body);
  // A println of a local assigned from v since the last call (ok := v+36 <= d) reads v there:
  // the local's value is made where it is printed (arith/arith-39 c8).
  // Only a v that a loop or branch assigns: a value from an earlier block, not one made there too.
  const branchAssigned = new Set<string>();
  for (const s of fn.body) if (s.kind === 'if' || s.kind === 'for') walk([s], (x) => { if (x.kind === 'assign') branchAssigned.add(x.name); });
  // Go 1.19 makes a local comparison only that println reads right before it, past any calls
  // between (comparedAtItsPrint): what it compares is read there.
  const madeAtPrint = profile?.comparedAtPrint
    ? fn.locals.filter((l) => comparedAtItsPrint(fn, l.name)).map((l) => [l.name, assignmentsOf(fn.body, l.name)[0]] as const) : [];
  const printsValueOf = (x: Stmt, name: string): boolean => {
    const k = fn.body.indexOf(x);
    if (x.kind === 'println' && madeAtPrint.some(([l, e]) => stmtReads(x, l) && reads(e, name))) return true;
    if (x.kind !== 'println' || k < 0 || !branchAssigned.has(name)) return false;
    for (let j = k - 1; j >= 0 && fn.body[j].kind === 'assign'; j--) {
      const t = fn.body[j];
      if (t.kind === 'assign' && t.name !== name && reads(t.value, name) && stmtReads(x, t.name)) return true;
    }
    return false;
  };
  for (const v of vars) {
    if (v.type.kind !== 'basic') continue;
    let assigned = false;
    let callAfter = false;
    let read = false;
    for (const x of flat) {
      const r = stmtReads(x, v.name) || printsValueOf(x, v.name);
      if (assigned && r && (callAfter || (read && x.kind === 'println'))) { out.add(v.name); break; }
      if (x.kind === 'assign' && x.name === v.name && !isConstant(x.value)) { assigned = true; callAfter = false; read = false; }
      else if (assigned && isCall(x)) callAfter = true;
      if (assigned && r) read = true;
    }
  }
  return out;
}

/**
 * Locals assigned P + c (or P - c, P * c) where P has two register inputs, first read past a
 * loop or a branch with a call before that read, and read again past a call after it: tighten.go
 * moves the one-input outer op to the first read but leaves P in the block it was made in, so P
 * is kept across the call in a slot of its own, and the local, made after it, in another
 * (frames/made-late.go partialKept; arith/arith-64 c2: v4 := (a * v3) + 26).
 */
function partialsKeptPastBlocks(fn: Func, profile: Profile): string[] {
  const flat = flatten(fn.body);
  const out: string[] = [];
  fn.body.forEach((s) => {
    if (s.kind !== 'assign' || s.value.kind !== 'binary' || !['+', '-', '*'].includes(s.value.op)) return;
    const { left, right } = s.value;
    if (!isConstant(right) || isConstant(left) || left.kind !== 'binary') return;
    const twoInputs = (linearInputs(left) ?? 2) >= 2 && !isConstant(left.right) && !isConstant(left.left);
    if (!twoInputs || assignmentsOf(fn.body, s.name).length !== 1) return;
    const at = flat.indexOf(s);
    const first = flat.findIndex((x, k) => k > at && stmtReads(x, s.name));
    // There it dominates the later reads: tighten moves the op to the reads' common dominator.
    if (first < 0 || !fn.body.includes(flat[first])) return;
    const between = flat.slice(at + 1, first);
    if (!between.some((x) => x.kind === 'for' || x.kind === 'if') || !between.some(isCall)) return;
    // The local is made in that block by the first call that waits for a computed argument
    // (frames/computed-args.go), else where it is read; kept across a call after that, it has
    // its own slot too. Else the slot its crossing gives it is P's.
    const start = flat.findIndex((x, k) => k > at && k <= first && fn.body.includes(x) && !flat.slice(k, first).some((y) => y.kind === 'for' || y.kind === 'if'));
    const made = flat.findIndex((x, k) => k >= start && (stmtReads(x, s.name) || (profile.computedArgsWaitInOrder && waitsForComputedArgs(x))));
    let called = isCall(flat[made]);
    for (const x of flat.slice(made + 1)) {
      if (called && stmtReads(x, s.name)) { out.push(s.name); return; }
      if (isCall(x)) called = true;
    }
  });
  return out;
}

/**
 * Locals a loop sums magic quotients into (s = s + i/3) whose calls are all in branches, read
 * after the loop: the sum is made in the quotient's register (the high half of IMULQ's product,
 * RDX), not the phi's, and its spill in the branch takes a slot of its own besides the one s
 * is spilled to at the loop's exit (frames/loop-copies.go sumOfQuotients; arith/arith-72 c9).
 */
function loopSumsOfQuotients(fn: Func): string[] {
  const out: string[] = [];
  const flat = flatten(fn.body);
  walk(fn.body, (loop) => {
    if (loop.kind !== 'for' || loop.body.some(isCall) || !anyStmt(loop.body, isCall)) return;
    for (const s of loop.body) {
      if (s.kind !== 'assign' || s.value.kind !== 'binary' || s.value.op !== '+') continue;
      const { left, right } = s.value;
      const other = isVar(left, s.name) ? right : isVar(right, s.name) ? left : null;
      // A quotient of the loop's counter, with no call in the loop reading s (arith/arith-88 c9;
      // not s2 + b/10 with l4(s2 / 8): arith/arith-38 c1).
      const counter = loop.init?.kind === 'assign' ? loop.init.name : null;
      if (!other || !magicDivision(other) || other.kind !== 'binary' || !counter || !isVar(other.left, counter)) continue;
      if (anyStmt(loop.body, (x) => isCall(x) && stmtReads(x, s.name))) continue;
      const end = flat.indexOf(loop) + flatten([loop]).length;
      if (flat.slice(end).some((x) => stmtReads(x, s.name)) && !out.includes(s.name)) out.push(s.name);
    }
  });
  return out;
}

/** The variables a loop with a call reads before it assigns them: live across that call. */
function liveAcrossLoopCalls(fn: Func, vars: Var[] = fn.locals): Set<string> {
  const out = new Set<string>();
  const visit = (list: Stmt[]) => {
    for (const s of list) {
      if (s.kind === 'for') {
        if (loopCalls(s)) for (const v of vars) if (loopCarried(s, v.name)) out.add(v.name);
        visit(s.body);
      } else if (s.kind === 'if') {
        visit(s.then);
        visit(s.else);
      }
    }
  };
  visit(fn.body);
  return out;
}

/**
 * Whether a loop reads a local's value from an earlier iteration or from before the loop: in its
 * condition or post statement, or in its body before the body assigns it. One the body assigns
 * first, at its top level (d := a - i), lives only as long as that iteration's reads
 * (recorded/loop-sub-branch: scan); so does an inner loop's counter, which its init assigns
 * (for e := 0; ...: frames/inner-loops.go).
 */
function loopCarried(loop: Extract<Stmt, { kind: 'for' }>, name: string): boolean {
  if (stmtReads(loop, name) || (loop.post && stmtReads(loop.post, name))) return true;
  for (const s of loop.body) {
    if (s.kind === 'for' && s.init?.kind === 'assign' && s.init.name === name && !stmtReads(s.init, name)) return false;
    if (anyStmt([s], (x) => stmtReads(x, name))) return true;
    if (s.kind === 'assign' && s.name === name) return false;
  }
  return false;
}

/**
 * How many of a variable's reads are the whole argument of a call or a println, and whether
 * any other statement or expression reads it.
 */
function bareReads(fn: Func, name: string): { bare: number; other: boolean } {
  let bare = 0;
  let other = false;
  // b - b, folded to 0, reads no b (frames/computed-args.go constantBefore with 1.19).
  // (v - a) - (v + 2) is -a - 2: the generic rules cancel v (arith/arith-80 c17).
  const cancelled = (e: Expr): boolean => {
    const l = e.kind === 'binary' && (e.op === '+' || e.op === '-') ? linear(e) : null;
    return l !== null && (l.coef.get(name) ?? 0n) === 0n;
  };
  const live = (e: Expr): boolean => !foldedEarly(e) && !cancelled(e) && (e.kind === 'var' ? e.name === name
    : e.kind === 'binary' ? live(e.left) || live(e.right) : e.kind === 'unary' ? live(e.operand) : reads(e, name));
  const inExpr = (e: Expr | null | undefined) => { if (e && live(e)) other = true; };
  const copies = paramCopies(fn, name);
  walk(fn.body, (s) => {
    switch (s.kind) {
      case 'assign':
        // v := k, a copy of the parameter, is read as the parameter is (bareCopied).
        if (s.value.kind === 'var' && s.value.name === name && copies.includes(s.name)) break;
        inExpr(s.value);
        break;
      case 'call':
        for (const a of s.args) {
          // So is a call's d + 0 (arith/arith-60 c9).
          if ((a.kind === 'var' && a.name === name) || identityOf(a) === name) bare++;
          else inExpr(a);
        }
        break;
      case 'go':
        // Stored into the closure after newobject: a use of its own (recorded/chain-go-at-depth c).
        for (const a of s.args) if (reads(a, name)) other = true;
        break;
      case 'println':
        for (const a of s.args) {
          // a + 0 is a (arith/arith-75 c3).
          if (a.kind === 'int' && ((a.expr.kind === 'var' && a.expr.name === name) || identityOf(a.expr) === name)) bare++;
          else if (a.kind === 'int') inExpr(a.expr);
          else if (a.kind === 'addr' && a.name === name) other = true;
        }
        break;
      default: stmtExprs(s).forEach(inExpr);
    }
  });
  return { bare, other };
}

/**
 * The locals that copy a parameter (v := k, never assigned again): SSA makes them the
 * parameter's own value.
 */
function paramCopies(fn: Func, param: string): string[] {
  const count = new Map<string, number>();
  const copies = new Set<string>();
  // Copies of copies too (s8 := v6 after v6 := b: arith/arith-85 c5).
  walk(fn.body, (s) => {
    if (s.kind !== 'assign' || keepsItsValue(s)) return;
    count.set(s.name, (count.get(s.name) ?? 0) + 1);
    if (s.value.kind === 'var' && (s.value.name === param || copies.has(s.value.name))) copies.add(s.name);
  });
  return [...copies].filter((v) => count.get(v) === 1 && fn.locals.some((l) => l.name === v && l.type.kind === 'basic' && l.type.name !== 'byte' && l.type.name !== 'uint8'));
}

/**
 * Whether a read of name comes after a call: in println (printlock runs before its arguments are
 * printed), after an earlier call statement, or in a loop that calls. h(k); g() needs no copy of
 * k, g(); h(k) does (Go 1.19 and 1.21, test/fixtures/frames/bare-int-params.go).
 */
function readAfterCall(fn: Func, name: string): boolean {
  let after = false;
  // Visits a statement list entered with `called` (a call made on the way here); returns whether
  // a call was made on the way out, or null when the list returns: a branch that returns takes
  // its calls with it (if k == 0 { println(&a); return }; g(k-1) keeps no copy of k).
  const visit = (list: Stmt[], called: boolean, loopCalls: boolean): boolean | null => {
    for (const s of list) {
      if (s.kind === 'return') return null;
      if (s.kind === 'for') {
        const calls = anyStmt(s.body, isCall);
        if (s.init) called = visit([s.init], called, loopCalls) ?? called;
        const out = visit([...s.body, ...(s.post ? [s.post] : [])], called, loopCalls || calls);
        called = called || calls || !!out;
        continue;
      }
      if (s.kind === 'if') {
        if (stmtReads(s, name) && (called || loopCalls)) after = true;
        const outs = [visit(s.then, called, loopCalls), visit(s.else, called, loopCalls)];
        if (outs.every((o) => o === null)) return null;
        called = outs.some((o) => o === true);
        continue;
      }
      if (stmtReads(s, name) && (called || loopCalls || s.kind === 'println')) after = true;
      if (isCall(s)) called = true;
    }
    return called;
  };
  visit(fn.body, false, false);
  return after;
}

/**
 * Register parameters an instruction that writes its first operand (IMULQ x, y; SUBQ y, x) is
 * about to overwrite while they are still needed, before the first call (later they are
 * reloaded from their spill slots): the register allocator copies them to another register
 * first, and that copy, needed after a call, spills to a slot of its own where the spill sinks
 * out of the entry block (spillSinks). i*j with both read again copies i; i-j with i read again
 * copies i (recorded/countdown-loops: work; not println(i-j), computed after printlock:
 * recorded/nested-loops diff); from 1.21 not when i is already in the register the result is
 * wanted in (recorded/loop-step-products: mul). n/d with n, in RAX, read again copies n
 * (recorded/div-params: split).
 */
function movedForTwoOperandOps(fn: Func, regParams: Var[], prog: Program, profile: Profile, bareCopied: (p: Var) => boolean): Set<string> {
  const out = new Set<string>();
  const flat = flatten(fn.body);
  // Read after flat[i] past a call: in a later statement after a call, or in a println (after
  // printlock); reads inside a division keyed `division` do not count.
  // A copy of the parameter (s6 := a) reads the same register (arith/arith-5 c5).
  const copies = new Map(regParams.map((p) => [p.name, new Set(paramCopies(fn, p.name))]));
  const madeByDivision = madeWherePrinted(fn, profile) ?? ((e: Expr) => e);
  // A local assigned right before the println that alone reads it is made there, after
  // printlock, from what it reads (frames/magic-divisions.go idivReadLate: ok := (a - 25) != b;
  // println(ok)).
  const valueAtPrint = (e: Expr): Expr => {
    const d = madeByDivision(e);
    if (d !== e || e.kind !== 'var') return d;
    const only = printedOnlyLater(fn, e.name);
    const late = only && (only.between.every((x) => x.kind === 'assign') || (profile.comparedAtPrint && comparedAtItsPrint(fn, e.name)));
    return late ? only.value : e;
  };
  const readsBut = (s: Stmt, name: string, division?: string): boolean => {
    const same = (v: string) => v === name || !!copies.get(name)?.has(v);
    // b - b, folded to a constant, reads no b (arith/arith-38 c1).
    const r = (e: Expr): boolean => (division !== undefined && divisionKey(e) === division ? false
      : e.kind === 'var' ? same(e.name) : e.kind === 'binary' ? !isConstant(e) && (r(e.left) || r(e.right)) : e.kind === 'unary' ? r(e.operand) : false);
    // From 1.21 a local assigned a division by a constant is made where it is printed, from
    // the parameter (arith/arith-42 c7: v8 := b/4; println(v8)).
    return s.kind === 'println'
      ? s.args.some((a) => a.kind === 'int' && (r(a.expr) || r(valueAtPrint(a.expr))))
      : stmtExprs(s).some(r);
  };
  // n%c == 0 multiplies by an inverse into another register, unless n%c is reused, or its
  // magic product is kept for a later division (magicProductsAcrossStatements: arith/arith-62 r12).
  const products = magicProductsAcrossStatements(fn, profile);
  const magicTests = new Set([...reusedRemainders(fn), ...fn.body.flatMap((s) => (s.kind === 'if' ? [s.cond] : stmtExprs(s)))
    .flatMap(subExprs).filter((d) => d.kind === 'binary' && d.op === '%' && isConstant(d.right) &&
      products.has(`${exprShape(d.left)}|${smagic(absConst(d.right)).m}`)).map(exprShape)]);
  const testSigns = testSignsBeforeBranch(fn, profile);
  // The statements of loops that call, and those of them at the loop's top level.
  const inCallingLoop = new Set<Stmt>();
  const atCallingLoopTop = new Set<Stmt>();
  walk(fn.body, (x) => {
    if (x.kind !== 'for' || !loopCalls(x)) return;
    x.body.forEach((y) => atCallingLoopTop.add(y));
    walk(x.body, (y) => { inCallingLoop.add(y); });
  });
  const readPastCall = (i: number, name: string, division?: string): boolean => {
    let called = isCall(flat[i]) && flat[i].kind !== 'println';
    for (let k = i; k < flat.length; k++) {
      const s = flat[k];
      if ((k > i || s.kind === 'println') && readsBut(s, name, division) && (called || s.kind === 'println')) return true;
      if (k > i && isCall(s)) called = true;
    }
    return false;
  };
  // A branch that returns comes before nothing after its if (arith/arith-62 r12: if n == 0
  // { println(...); return }).
  const returning = inReturningBranches(fn);
  const firstCall = flat.findIndex((s) => isCall(s) && !returning.has(s));
  const inLoop = inLoops(fn);
  // A value to make: arithmetic, or a local (its value), as opposed to a parameter.
  const computed = (e: Expr) => ((e.kind === 'binary' || e.kind === 'unary') && !isConstant(e)) ||
    (e.kind === 'var' && !fn.params.some((p) => p.name === e.name));
  /**
   * 1.21+ (ssa/schedule.go: ScoreMemory before ScoreDefault): a call runs as soon as it is
   * ready, and arithmetic is made only when a call waits for a computed argument. Where that is
   * in straight-line code: the statement, and for a println the argument from which reads count;
   * null when a branch comes first (then the op is made at its own statement).
   */
  const madeAt = (i: number): { k: number; from: number } | null => {
    // A division by a variable checks its divisor right there, ending the block: what it reads
    // is made before (arith/arith-49 c12).
    if (dividesByVariable(flat[i])) return null;
    for (let k = i; k < flat.length; k++) {
      const t = flat[k];
      if (t.kind === 'if' || t.kind === 'for') return null;
      if ((t.kind === 'call' || t.kind === 'go') && t.args.some(computed)) return { k, from: 0 };
      if (t.kind === 'println') {
        const from = t.args.findIndex((a) => a.kind === 'int' && computed(a.expr));
        if (from >= 0) return { k, from };
      }
    }
    return null;
  };
  /**
   * Whether the parameter must be kept past the op (a read past a call: it is spilled) and is
   * still read once the op has overwritten its register: from 1.21 that is where madeAt says,
   * so a println that prints the parameter before the op's value does not keep it
   * (arith/arith-13 c8).
   */
  const readPastMaking = (i: number, name: string, division?: string): boolean => {
    if (!readPastCall(i, name, division)) return false;
    const at = profile.computedArgsWaitInOrder && flat[i].kind === 'assign' ? madeAt(i) : null;
    if (!at) return true;
    // Made after a call (a println's printlock), it works on a reload from the parameter's
    // slot, and the register the parameter came in is long gone (arith/arith-20 c7).
    if (flat[at.k].kind === 'println' || flat.slice(i, at.k).some(isCall)) return false;
    const t = flat[at.k];
    const args = t.kind === 'println' ? t.args.slice(at.from + 1).flatMap((a) => (a.kind === 'int' ? [a.expr] : [])) : stmtExprs(t);
    return args.some((e) => reads(e, name)) || flat.slice(at.k + 1).some((x) => readsBut(x, name, division));
  };
  flat.forEach((s, i) => {
    if (firstCall >= 0 && i > firstCall) return;
    const visit = (e: Expr, parent?: Expr): void => {
      if (e.kind === 'unary') return visit(e.operand, e);
      // Folded to a constant (a - a), it is no op (arith/arith-44 c17).
      if (e.kind !== 'binary' || isConstant(e)) return;
      visit(e.left, e);
      visit(e.right, e);
      // A magic division's multiply (generic.rules Hmul64: IMULQ's one-operand form) takes its
      // magic number in RAX: the first parameter, there, is moved out of the way when it is
      // needed past a call (frames/magic-divisions.go). Its bare copy, if it has one, is that copy.
      // So does IDIVQ, which takes its dividend there (arith/arith-86 c4: b/d with a in RAX).
      const first = regParams[0];
      // The move comes after the divisor's check, and a spill that sinks only that far is made
      // at the start of the block, from RAX, to the parameter's own slot (arith/arith-86 c2);
      // in a loop it stays at entry (arith/arith-55 c10).
      const idiv = isVariableDivision(e) && e.left.kind === 'var' && regParams.some((p) => p !== first && isVar(e.left, p.name));
      const sinks = (name: string) => idiv
        ? !inLoop.has(flat[i]) && spillSinks(flat, i, (x) => readsBut(x, name), true)
        : spillSinks(flat, i, (x) => readsBut(x, name));
      if (first && !out.has(first.name) && !bareCopied(first) && (magicDivision(e, parent, magicTests) || idiv) && readPastMaking(i, first.name) &&
        sinks(first.name)) out.add(first.name);
      for (const p of regParams) {
        if (out.has(p.name)) continue;
        if (!isVar(e.left, p.name)) continue;
        if (e.op === '/' || e.op === '%') {
          // IDIVQ divides RAX in place: the first parameter, the dividend there, is copied; n/4's
          // shifts work in the dividend's own register (n%c == 0 is a test or a multiply into
          // another: no copy). A later n%d after n/d reads the kept remainder, not n
          // (keptDivisionResults).
          // n%c kept as a value is n - (n/c)*c (a power of two's too), whose SUBQ writes n's
          // register (arith/arith-74 c1: (a%100)%3 == 0; frames/spill-sinking.go remainderIf).
          // By a constant, the copy has a slot of its own only where the spill sinks; else n is
          // spilled at entry, to its own slot (arith/arith-20 c1: b/10; quotientAtEntry).
          const key = divisionKey(e)!;
          const byConstant = isConstant(e.right);
          const reused = reusedRemainders(fn).has(exprShape(e));
          const tested = parent?.kind === 'binary' && (parent.op === '==' || parent.op === '!=') && constValue(parent.right) === 0n && !reused;
          // A test whose sign is kept for later divisions makes it with SARQ in n's register
          // (arith/arith-42 r9).
          const signed = tested && testSigns.has(exprShape(e.left));
          const overwrites = byConstant ? e.op === '/' || !tested || signed : p === regParams[0];
          // (By a constant, a later n%c is n - (n/c)*c, which reads n again: frames/division-signs.go
          // testedThenUsed.)
          // Go 1.19 makes a println's division by a variable before printlock, operands and
          // all: only a read in a later statement is past a call (arith/arith-7 c5;
          // frames/magic-divisions.go printDivision).
          const before = s.kind === 'println' && profile.printDivisionsBeforeLock;
          const readPast = before ? flat.slice(i + 1).some((x) => readsBut(x, p.name)) : readPastMaking(i, p.name, byConstant && reused ? undefined : key);
          if (!overwrites || !readPast) continue;
          // (At the top of a loop that calls, p is restored there from its own slot: arith/arith-9
          // c11, s12 = s12 + (a % 2); in the branch that calls, a copy is made: arith/arith-23 c9.)
          if (byConstant && atCallingLoopTop.has(s)) continue;
          if (!byConstant || spillSinks(flat, i, (x) => readsBut(x, p.name))) out.add(p.name);
          continue;
        }
        // In a println only a division's operand is made before printlock (see below): x-y and
        // x*8 there are made after it, on reloads (frames/divisor-checks.go q7).
        if (s.kind === 'println') continue;
        // x*8 is SHLQ $3, x in place, and so is the shift of x*31 and x*17 (their LEA or SUB
        // reads x again); x*c by another constant is IMUL3Q or LEAs, x+c a LEAQ: new registers
        // (arith/arith-28 c8).
        const factor = e.op === '*' && isConstant(e.right) ? constValue(e.right) : null;
        // A shift assigned to a local read only past a branch or a loop is moved there
        // (tighten.go: one input) and shifts a reload (frames/shifts.go shiftMoved).
        const shifts = factor !== null && shiftsInPlace(factor) && !(s.kind === 'assign' && readOnlyPastBranch(fn, s.name));
        if ((isConstant(e.right) && !shifts) || !readPastCall(i, p.name)) continue;
        // x*y is commutative: the other operand is overwritten instead when it is not needed again.
        if (!shifts && e.op !== '-' && !(e.op === '*' && e.right.kind === 'var' && readPastCall(i, e.right.name))) continue;
        // 1.21+: a parameter already in the register its result wants stays there, and the op
        // works in the copy.
        if (profile.copyTakesOp && resultRegister(prog, flat, i, e) === regParams.indexOf(p)) continue;
        // A local an if's condition alone reads past loops is made there: the spill sinks from
        // that if, restored in both branches before it (arith/arith-11 c19).
        const tested = s.kind === 'assign' ? testedAfterLoops(fn, s.name) : null;
        const from = tested ? flat.indexOf(tested) : i;
        // In a loop that calls, the parameter is restored inside the loop: its spill stays at
        // entry, to its own slot, and the op works on it in place (arith/arith-39 c8: l11(a - i10)).
        if (inCallingLoop.has(s)) continue;
        if (spillSinks(flat, from, (x) => readsBut(x, p.name))) out.add(p.name);
      }
    };
    // A println's ops are made after printlock (tighten.go), except the operands of a division
    // by a variable: made before its divisor's check, in the block that ends there, where
    // tighten leaves an op with two register inputs (arith/arith-7 c5: (d%1000)/d).
    // (Go 1.19 divides before printlock, operands and all: there only later statements' reads
    // are past a call, which the division branch above counts.)
    if (s.kind !== 'println') stmtExprs(s).forEach((e) => visit(e));
    else divisionsByVariable(s).forEach((x) => { visit(x.left, x); visit(x.right, x); });
  });
  return out;
}

type Binary = Extract<Expr, { kind: 'binary' }>;

/** A statement's divisions by a variable, n/d and n%d (IDIVQ, after a check of the divisor). */
function divisionsByVariable(s: Stmt): Binary[] {
  return stmtExprs(s).flatMap(subExprs).filter((x): x is Binary => isVariableDivision(x));
}

/**
 * n/c or n%c by a constant that is not a power of two, made as a value: a multiply by its magic
 * number (generic.rules Hmul64). n%c == 0 is a divisibility test instead (a multiply by an
 * inverse, into any register).
 */
function magicDivision(e: Expr, parent?: Expr, reused: ReadonlySet<string> = new Set()): boolean {
  if (e.kind !== 'binary' || (e.op !== '/' && e.op !== '%') || !isConstant(e.right) || isConstant(e.left)) return false;
  const c = constValue(e.right);
  if (c === null || c === 0n || powerOfTwo(c < 0n ? -c : c)) return false;
  return !(e.op === '%' && parent?.kind === 'binary' && parent.op === '==' && constValue(parent.right) === 0n && !reused.has(exprShape(e)));
}

const reusedCache = new WeakMap<Func, Set<string>>();
/**
 * n%c by a constant that two statements compute: CSE makes it once, as n - (n/c)*c, and an
 * n%c == 0 among them is then a test of n against (n/c)*c, whose quotient and product are made
 * where the test is (arith/arith-21 c13: if b%3 == 0 {} else { println(a * (b % 3)) }).
 */
function reusedRemainders(fn: Func): Set<string> {
  let out = reusedCache.get(fn);
  if (out) return out;
  const seen = new Map<string, number>();
  walk(fn.body, (x) => {
    const own = new Set<string>();
    const exprs = x.kind === 'if' ? [x.cond] : x.kind === 'for' ? [] : stmtExprs(x);
    for (const e of exprs) for (const d of subExprs(e)) if (d.kind === 'binary' && d.op === '%' && isConstant(d.right) && !isConstant(d.left)) own.add(exprShape(d));
    for (const k of own) seen.set(k, (seen.get(k) ?? 0) + 1);
  });
  out = new Set([...seen].filter(([, n]) => n > 1).map(([k]) => k));
  reusedCache.set(fn, out);
  return out;
}

/** n/d or n%d by a divisor that is not a constant: IDIVQ, after a check of the divisor. */
export function isVariableDivision(x: Expr): boolean {
  return x.kind === 'binary' && (x.op === '/' || x.op === '%') && !isConstant(x.right);
}

/** Whether a statement divides by a variable: the divisor's zero check ends the block there. */
function dividesByVariable(s: Stmt): boolean {
  return divisionsByVariable(s).length > 0;
}

/**
 * Whether the spill of a parameter that flat[i]'s op overwrites sinks out of the entry block
 * (regalloc.go placeSpills: down the dominator tree while one block dominates every restore, at
 * that block's start): there it is stored from the register copy, to a slot of its own; in the
 * entry block it is stored right after the parameter arrives, to the parameter's own slot. It
 * sinks when a branch comes before any call and dominates every later read: a loop or a
 * division by a variable dominates what follows it, an if only its own branch
 * (frames/spill-sinking.go: subStraight, subIfUse, subIfAfter, mulDivConstBoth).
 */
function spillSinks(flat: Stmt[], i: number, reads: (s: Stmt) => boolean, pastOwnCheck = false): boolean {
  // i = -1: from the function's entry (a local's zeroing).
  const at = flat[i] as Stmt | undefined;
  if (at?.kind === 'if') return restoresInOneBranch(flat, i, at, reads);
  if (at && dividesByVariable(at) && !pastOwnCheck) return true;
  for (let k = i + 1; k < flat.length; k++) {
    const s = flat[k];
    // A loop that calls restores the value inside the loop, and placeSpills sinks no spill into
    // a loop: it stays at entry (frames/spill-sinking.go subLoop).
    if (s.kind === 'for' && loopCalls(s)) return false;
    if (s.kind === 'for' || dividesByVariable(s)) return true;
    if (s.kind === 'if') return restoresInOneBranch(flat, k, s, reads);
    if (isCall(s)) return false;
  }
  return false;
}

/**
 * Whether the reads of a variable that need it restored from its spill (past a call, or in a
 * println, past printlock) are all in one branch of the if: a read after the if that comes
 * before any call there finds it in a register, which the branch's end restores.
 */
function restoresInOneBranch(flat: Stmt[], i: number, branch: Extract<Stmt, { kind: 'if' }>, reads: (s: Stmt) => boolean): boolean {
  const restores = (list: Stmt[]) => {
    let called = false;
    let restored = false;
    // Values computed since the last call: println(a*c) after if a*c > 20 prints that value (CSE).
    const computed = new Set<string>();
    for (const s of list) {
      // A loop that calls and reads it restores it inside, on the next trip round
      // (arith/arith-88 c1: if a % 3 == 0 { l4(i3) } in the loop).
      if (s.kind === 'for' && loopCalls(s) && anyStmt(s.body, reads)) restored = true;
      if (s.kind === 'println') {
        const fresh = s.args.some((a) => a.kind === 'int' && !computed.has(exprShape(a.expr)));
        if (reads(s) && (called || fresh)) restored = true;
      } else {
        if (reads(s) && called) restored = true;
        if (!isCall(s)) for (const e of stmtExprs(s)) for (const x of subExprs(e)) computed.add(exprShape(x));
      }
      if (isCall(s)) { called = true; computed.clear(); }
    }
    return restored;
  };
  const [then, els] = [flatten(branch.then), flatten(branch.else)];
  const inBranch = new Set([...then, ...els]);
  const after = flat.slice(i + 1).filter((x) => !inBranch.has(x));
  // Read after the if before any call there, it is restored at the end of each branch that
  // calls (arith/arith-60 c22: c24(v23, a, ...) after a println in each branch).
  const first = after.findIndex((x) => isCall(x) || reads(x));
  const readNext = first >= 0 && after[first].kind !== 'println' && reads(after[first]);
  const restoresIn = (list: Stmt[]) => restores(list) || (readNext && list.some(isCall));
  return !restores(after) && !(restoresIn(then) && restoresIn(els));
}

/**
 * The argument register an op's result is wanted in next, before any call clobbers the wish
 * (regalloc.go: desired registers, computed backwards): a call's argument, or the dividend of a
 * division by a variable (IDIVQ takes it in RAX); -1 for none. The result is the op itself or the
 * local it is assigned to.
 */
function resultRegister(prog: Program, flat: Stmt[], i: number, e: Expr): number {
  const at = flat[i];
  const named = at.kind === 'assign' && at.value === e ? at.name : null;
  const isResult = (x: Expr) => x === e || (named !== null && x.kind === 'var' && x.name === named);
  for (let k = named === null ? i : i + 1; k < flat.length; k++) {
    const s = flat[k];
    if (s.kind === 'call') {
      const callee = prog.funcs.get(s.callee)!;
      const j = s.args.findIndex(isResult);
      if (j >= 0) return callee.params.slice(0, j + 1).every((p) => p.type.kind === 'basic') ? j : -1;
    }
    if (divisionsByVariable(s).some((d) => isResult(d.left))) return 0;
    if (isCall(s)) return -1;
  }
  return -1;
}

/** An expression's operators, variables and constants, positions left out (to compare expressions). */
export function exprShape(e: Expr): string {
  const strip = (x: Expr): unknown => (x.kind === 'binary' ? [x.op, strip(x.left), strip(x.right)]
    : x.kind === 'unary' ? [x.op, strip(x.operand)] : x.kind === 'var' ? x.name : x.kind === 'int' ? x.value : x.kind);
  return JSON.stringify(strip(e));
}

/** An expression and every expression inside it. */
export function subExprs(e: Expr): Expr[] {
  return e.kind === 'binary' ? [e, ...subExprs(e.left), ...subExprs(e.right)] : e.kind === 'unary' ? [e, ...subExprs(e.operand)] : [e];
}

/**
 * Loops whose body computes the value of their post statement (go f(i+1) in a loop with i++):
 * the compiler computes it once (CSE), and it waits in a slot of its own across the calls made
 * before the post uses it; the variable itself then needs one only if the body reads it after a
 * call (recorded/go-many-args: main; frames/register-copies.go loopNext). From 1.21 the same
 * where the body's println prints a comparison first and more after it: after printlock the
 * comparison, a flag op, is scheduled after every other ready value (ssa/schedule.go ScoreFlags),
 * and the next value is one (frames/bool-prints.go, measured; not a println of the comparison
 * alone, nor one printed second). Returns the loop variables, and whether each keeps its own
 * slot.
 */
function loopPostValues(fn: Func, profile: Profile): { name: string; keepsOwn: boolean }[] {
  const out: { name: string; keepsOwn: boolean }[] = [];
  const visit = (list: Stmt[]) => list.forEach((s) => {
    if (s.kind === 'if') { visit(s.then); visit(s.else); return; }
    if (s.kind !== 'for') return;
    const post = s.post;
    if (post?.kind === 'assign' && post.value.kind === 'binary' && !isConstant(post.value)) {
      const flat = flatten(s.body);
      const next = exprShape(post.value);
      const at = flat.findIndex((x) => stmtExprs(x).some((e) => subExprs(e).some((sub) => exprShape(sub) === next)));
      const comparisonFirst = profile.comparisonFirstKeepsNext && flat.some((x) => x.kind === 'println' && x.args.length > 1 &&
        x.args[0].kind === 'int' && x.args[0].expr.kind === 'binary' && COMPARISONS.includes(x.args[0].expr.op));
      if ((at >= 0 && flat.slice(at).some(isCall)) || comparisonFirst) {
        const firstCall = flat.findIndex(isCall);
        // A println reads its arguments after printlock: past its first call.
        const keepsOwn = flat.some((x, k) => (k > firstCall || (k === firstCall && x.kind === 'println')) && stmtReads(x, post.name));
        out.push({ name: post.name, keepsOwn });
      }
    }
    visit(s.body);
  });
  visit(fn.body);
  return out;
}

/** n/d and n%d alike (one IDIVQ gives both): the operands, or null for anything else. */
function divisionKey(e: Expr): string | null {
  return e.kind === 'binary' && (e.op === '/' || e.op === '%') ? `${exprShape(e.left)} ${exprShape(e.right)}` : null;
}

/**
 * The division results a println keeps in slots (test/fixtures/frames/print-divisions.go). One
 * IDIVQ (or, for a constant divisor, one multiply whose quotient the remainder is computed from)
 * serves n/d and n%d: the first printed is made where it is printed and the other kept across
 * that printint. Go 1.19 divides by a variable before printlock, so each such result is kept
 * across the whole println (Profile.printDivisionsBeforeLock).
 */
function printedDivisionResults(s: Extract<Stmt, { kind: 'println' }>, profile: Profile, before: Set<string>, bytes: ReadonlySet<string>,
  valueOf?: (e: Expr) => Expr, reuse?: { early: number; lastEarly: number; later: number }): number {
  const found = s.args.flatMap((a, arg) => {
    if (a.kind !== 'int') return [];
    const own = new Map<string, { key: string; variable: boolean; arg: number }>();
    for (const e of subExprs(a.expr)) {
      const key = divisionKey(e);
      // A division made before the println is a kept result already (keptDivisionResults).
      if (key !== null && e.kind === 'binary' && !before.has(key)) own.set(`${e.op} ${key}`, { key, variable: !isConstant(e.right), arg });
    }
    return [...own.entries()];
  });
  // n/d and n%d by a variable in one argument use the one IDIVQ's two results at once; only
  // across arguments is one kept (arith/arith-10 c2). By a constant, the remainder is made from
  // the quotient, which is kept for it (arith/arith-36 c15).
  const sharing = (list: typeof found) => {
    const perArg = list.map(([result, d]) => (d.variable ? `${d.arg} ${d.key}` : `${result} ${d.key}`));
    const keys = [...new Set(perArg)].map((k) => k.slice(k.indexOf(' ') + 1));
    return keys.length - new Set(keys).size;
  };
  const signs = keptSigns(s, bytes, valueOf);
  if (!profile.printDivisionsBeforeLock) return sharing(found) + signs;
  const early = new Set(found.filter(([, d]) => d.variable).map(([result]) => result));
  const byConstants = found.filter(([, d]) => !d.variable);
  if (reuse) {
    reuse.early = early.size;
    reuse.lastEarly = Math.max(-1, ...found.filter(([, d]) => d.variable).map(([, d]) => d.arg));
    // What the println makes only after its early results are printed.
    if (byConstants.every(([, d]) => d.arg > reuse.lastEarly)) reuse.later = sharing(byConstants) + signs;
  }
  return early.size + sharing(byConstants) + signs;
}

/**
 * Up to 1.19 a println's divisions by a variable are made before printlock, each kept until its
 * own printint (printedDivisionResults); the values the println makes after those are printed,
 * and keeps past a call (its signs, quotients a later statement reads), take their slots
 * (stackalloc.go: one slot for unnamed values whose lives do not overlap; recorded/mixed-divisions
 * built by go1.15.15 and go1.19.8: println(n/d, n%d, n/3, n%4), then if n/3 > d, four values in
 * two slots). Returns how many slots they share.
 */
function earlySlotsReused(fn: Func, s: Extract<Stmt, { kind: 'println' }>, profile: Profile, reuse: { early: number; lastEarly: number; later: number }): number {
  if (!profile.printDivisionsBeforeLock || reuse.early === 0) return 0;
  const after = new Set<string>();
  s.args.forEach((a, arg) => {
    if (a.kind !== 'int' || arg <= reuse.lastEarly) return;
    for (const d of subExprs(a.expr)) {
      if (d.kind !== 'binary' || (d.op !== '/' && d.op !== '%') || !isConstant(d.right)) continue;
      const c = constValue(d.right);
      const q = c === null ? null : quotientKey(dividendShape(d.left), c);
      if (q !== null) after.add(q);
    }
  });
  const across = [...quotientsAcrossStatements(fn, profile)].filter((q) => after.has(q)).length;
  return Math.min(reuse.early, reuse.later + across);
}

/**
 * The signs a println keeps (test/fixtures/frames/division-signs.go): a signed n/c or n%c by a
 * constant needs n >> 63 (generic.rules: magic division and powers of two alike), which CSE makes
 * once for all of n's; divided by two different constants in one println, n's sign is kept
 * across the printint between. A byte divides unsigned, without a sign.
 */
function keptSigns(s: Extract<Stmt, { kind: 'println' }>, bytes: ReadonlySet<string>, valueOf: (e: Expr) => Expr = (e) => e): number {
  const divisors = new Map<string, Set<string>>();
  for (const a of s.args) {
    if (a.kind !== 'int') continue;
    for (const e of subExprs(valueOf(a.expr))) {
      if (e.kind !== 'binary' || (e.op !== '/' && e.op !== '%') || !isConstant(e.right)) continue;
      if (e.left.kind === 'var' && bytes.has(e.left.name)) continue;
      // n/2 takes n >>> 63, not n >> 63: generic.rules folds (n >> 63) >>> 63 (arith/arith-69 c2).
      const c = constValue(e.right);
      if (c === 2n || c === -2n) continue;
      const dividend = dividendShape(e.left);
      if (!divisors.has(dividend)) divisors.set(dividend, new Set());
      divisors.get(dividend)!.add(exprShape(e.right));
    }
  }
  return [...divisors.values()].filter((d) => d.size > 1).length;
}

/** A dividend's shape, seen through the identities the generic rules remove ((a + 0) % 3 divides a). */
function dividendShape(e: Expr): string {
  const same = identityOf(e);
  return exprShape(same === null ? e : { kind: 'var', name: same, pos: e.pos });
}

/**
 * 1.21+ (schedule.go: calls first, arithmetic when a call waits for it): a local assigned once a
 * division by a constant and printed is made where the println prints it, next to that
 * println's own divisions, whose sign it shares (frames/division-signs.go acrossCall).
 * Returns a printed argument's value.
 */
function madeWherePrinted(fn: Func, profile: Profile): ((e: Expr) => Expr) | undefined {
  if (!profile.computedArgsWaitInOrder) return undefined;
  return (e) => {
    if (e.kind !== 'var') return e;
    const values = assignmentsOf(fn.body, e.name);
    const top = fn.body.some((x) => x.kind === 'assign' && x.name === e.name);
    if (values.length !== 1 || !top) return e;
    const v = values[0];
    return v.kind === 'binary' && (v.op === '/' || v.op === '%') && isConstant(v.right) ? v : e;
  };
}

/**
 * Signs kept from one statement to a later one (keptSigns across statements): n/c and n%c by
 * constants need n >> 63, which CSE makes once; where a later statement that the first
 * dominates divides n by another constant past a call (or in a println, after printlock), the
 * sign is kept in a slot (arith/arith-71 c11: if a/5 >= k { println(a / -3) }). A test n%c == 0
 * needs no sign, and the shifts of a power of two were not seen to keep one. Top-level first
 * divisions, not in loops; one slot per n.
 */
function signsAcrossStatements(fn: Func, profile: Profile): Set<string> {
  // A division whose quotient an earlier statement made (n/5 after n%5) takes that, not the
  // sign (arith/arith-76 c31: c33(a/5, ...) after println(..., (a%5) != a, ...), an if's
  // a/100 between).
  const top = new Map<Stmt, number>();
  fn.body.forEach((t, i) => walk([t], (x) => { top.set(x, i); }));
  const madeBefore = (s: Stmt): Set<string | null> => new Set(fn.body.slice(0, top.get(s) ?? 0).flatMap((t) =>
    constantDivisions(fn, t, profile).map(({ n, c }) => quotientKey(n, c))));
  const needsSign = (s: Stmt): Map<string, Set<string>> => {
    const made = madeBefore(s);
    const out = new Map<string, Set<string>>();
    for (const { n, c } of constantDivisions(fn, s, profile)) {
      const q = quotientKey(n, c);
      if (q !== null && made.has(q)) continue;
      if (!out.has(n)) out.set(n, new Set());
      out.get(n)!.add(String(c));
    }
    return out;
  };
  const kept = keptAcrossStatements(fn, profile, needsSign, (before, now) => [...now].some((c) => !before.has(c)));
  for (const n of testSignsBeforeBranch(fn, profile)) kept.add(n);
  return kept;
}

/**
 * An if's n%c == 0 is expanded as n - (n/c)*c first, sign included, and CSE gives the later
 * divisions of n that sign before late opt rewrites the test. Read in one block only,
 * tighten.go moves the sign there (one input: arith/arith-27 r6, if n%37 == 0 { println(n,
 * n%3) }); read in a branch and past the if, it stays before the branch and is kept across
 * the calls (arith/arith-42 r9: if n%44 == 0 { println(n, n%3) }; r9(n-1, n/10, y)).
 * Returns each such n (exprShape).
 */
function testSignsBeforeBranch(fn: Func, profile: Profile): Set<string> {
  const kept = new Set<string>();
  const inLoop = inLoops(fn);
  const divides = (list: Stmt[], n: string) => flatten(list).some((x) => !inLoop.has(x) && constantDivisions(fn, x, profile).some((d) => d.n === n));
  fn.body.forEach((t, i) => {
    if (t.kind !== 'if' || inLoop.has(t)) return;
    const calls = anyStmt([...t.then, ...t.else], isCall) || anyStmt(fn.body.slice(i + 1), isCall);
    for (const n of magicTestsOf(fn, t, profile)) {
      const blocks = [t.then, t.else, fn.body.slice(i + 1)].filter((list) => divides(list, n)).length;
      if (blocks >= 2 && calls) kept.add(n);
    }
  });
  return kept;
}

/**
 * Quotients kept from one statement to a later one: n%c is n - (n/c)*c and n/-c is -(n/c)
 * (generic.rules), so n/c, n/-c and n%c by one magic divisor share the quotient, which CSE
 * makes once, and a later statement that needs it past a call keeps it in a slot
 * (arith/arith-71 c11: if a/5 >= k { println(...) }; c13((a % 5) - a, ...)). Returns each
 * dividend and divisor kept.
 */
function quotientsAcrossStatements(fn: Func, profile: Profile): Set<string> {
  const quotients = (s: Stmt): Map<string, Set<string>> => {
    const out = new Map<string, Set<string>>();
    for (const { n, c } of constantDivisions(fn, s, profile)) {
      const q = quotientKey(n, c);
      if (q !== null) out.set(q, new Set());
    }
    return out;
  };
  return keptAcrossStatements(fn, profile, quotients, () => true);
}

/**
 * Magic products kept from one statement to a later one: n/c multiplies n by ⌈2^(64+s)/c⌉ with
 * s = bits(c)-1 (magic.go smagic), the same number for c and c*2^k (10 and 5), so n%10 == 0 and
 * a later n%5 share HMULQ's product (and n added to it), which CSE makes once in the first
 * statement's block: the test of n%10 == 0 becomes a multiply by an inverse only in late opt,
 * after CSE (generic.rules: pass.name != "opt"). The later statement, past a call or in a
 * println, keeps that product in a slot (arith/arith-62 r12: if n%10 == 0 { println(n % 5) }).
 * Divisions by the same |c| share the quotient instead (quotientsAcrossStatements).
 */
function magicProductsAcrossStatements(fn: Func, profile: Profile): Set<string> {
  const products = (s: Stmt): Map<string, Set<string>> => {
    const out = new Map<string, Set<string>>();
    for (const { d, test } of divisionsByConstants(fn, s, profile)) {
      const abs = absConst(d.right);
      if (abs < 3n || powerOfTwo(abs)) continue;
      const key = `${exprShape(d.left)}|${smagic(abs).m}`;
      if (!out.has(key)) out.set(key, new Set());
      out.get(key)!.add(test ? `test ${abs}` : String(abs));
    }
    return out;
  };
  // A later test needs no product: it is rewritten too (arith/arith-83 c5: a/10, then a%5 == 0).
  // The same |c| again is the quotient's or the remainder's (reusedRemainders).
  return keptAcrossStatements(fn, profile, products, (before, now) => [...now].some((c) => !c.startsWith('test') &&
    !before.has(c) && !before.has(`test ${c}`)));
}

/** |c| of a constant expression (0 if it does not fold). */
export function absConst(e: Expr): bigint {
  const c = constValue(e) ?? 0n;
  return c < 0n ? -c : c;
}

/** The dividends (exprShape) of a statement's tests n%c == 0 by a constant that is not a power of two. */
function magicTestsOf(fn: Func, s: Stmt, profile: Profile): string[] {
  return divisionsByConstants(fn, s, profile).flatMap(({ d, test }) => {
    const abs = absConst(d.right);
    return !test || d.op !== '%' || abs < 3n || powerOfTwo(abs) ? [] : [exprShape(d.left)];
  });
}

/** n/c, n/-c and n%c's shared quotient, by n (exprShape) and |c|; null for a power of two (shifts). */
function quotientKey(n: string, c: bigint): string | null {
  const abs = c < 0n ? -c : c;
  return powerOfTwo(abs) ? null : `${n}|${abs}`;
}

/**
 * What statements keep for later ones, by key (uses: a statement's keys, each with what it
 * needs there): a later statement that the first dominates, not in a loop, with a call between
 * (or a println, which reads after printlock), keeps the key when `keeps` says its needs call
 * for what the first made.
 */
function keptAcrossStatements(fn: Func, profile: Profile, uses: (s: Stmt) => Map<string, Set<string>>,
  keeps: (before: Set<string>, now: Set<string>) => boolean): Set<string> {
  const kept = new Set<string>();
  const inLoop = inLoops(fn);
  fn.body.forEach((first, i) => {
    const mine = uses(first);
    if (!mine.size) return;
    // What it dominates, in order: its branches, then the statements after it; not loops.
    const later: Stmt[] = [];
    if (first.kind === 'if') walk([...first.then, ...first.else], (x) => { later.push(x); });
    // An assignment's value is made where it is used in its own block (frames/division-signs.go
    // acrossCall), but a magic division has two inputs, which tighten.go does not move: it stays
    // in the entry block, and a branch that divides n again keeps n's sign (acrossBranch).
    // Go 1.19 makes it at its statement, so any later division of n keeps the sign.
    if (first.kind === 'assign' && profile.computedArgsWaitInOrder) {
      for (const s of fn.body.slice(i + 1)) if (s.kind === 'if') walk([...s.then, ...s.else], (x) => { later.push(x); });
    } else walk(fn.body.slice(i + 1), (x) => { later.push(x); });
    // From 1.21 a println's divisions are made after printlock, next to the values later
    // statements make before its flags: no call between (arith/arith-36 c8).
    let called = first.kind !== 'if' && isCall(first) && !(first.kind === 'println' && profile.computedArgsWaitInOrder);
    for (const t of later) {
      if (!inLoop.has(t) && t.kind !== 'for') {
        for (const [n, cs] of uses(t)) {
          const before = mine.get(n);
          if (before && keeps(before, cs) && (called || t.kind === 'println')) kept.add(n);
        }
      }
      if (isCall(t)) called = true;
    }
  });
  return kept;
}

/**
 * 1.22+ (stackalloc.go: one slot for values whose lives do not overlap): a kept sign whose last
 * read makes a value that a println makes before a comparison's flags (valuesBeforeFlags)
 * ends where that value begins, and they share a slot (frames/division-signs.go
 * signAfterPrint; arith/arith-61 c2). Returns how many.
 */
function signsSharingWaits(fn: Func, profile: Profile): number {
  if (!profile.keptSignSharesWait) return 0;
  let shared = 0;
  for (const n of signsAcrossStatements(fn, profile)) {
    let list: Stmt[] = fn.body;
    let last = -1;
    const visit = (l: Stmt[]) => l.forEach((x, i) => {
      if (constantDivisions(fn, x, profile).some((d) => d.n === n)) { list = l; last = i; }
      if (x.kind === 'if') { visit(x.then); visit(x.else); } else if (x.kind === 'for') visit(x.body);
    });
    visit(fn.body);
    const waits = last >= 0 ? flagWaitsAt(fn, list, last, profile) : [];
    const dividesN = (e: Expr) => subExprs(e).some((d) => d.kind === 'binary' && (d.op === '/' || d.op === '%') && exprShape(d.left) === n);
    if (waits.some((w) => dividesN(w.value))) shared++;
  }
  return shared;
}

/**
 * A statement's divisions by constants that take the dividend's sign, n >> 63: n (exprShape) and
 * c, for n/c and n%c but n%c == 0 (a divisibility test) unless n%c is computed again, n/2
 * (n >>> 63) and bytes.
 */
function constantDivisions(fn: Func, s: Stmt, profile: Profile): { n: string; c: bigint }[] {
  const out: { n: string; c: bigint }[] = [];
  for (const { d, c, test } of divisionsByConstants(fn, s, profile)) {
    if (test && !reusedRemainders(fn).has(exprShape(d))) continue;
    // n/c by a power of two adds (n >> 63) >>> (64 - log2 c) before it shifts: the same
    // sign as a magic division's (arith/arith-9 c1: b%8, then b/16). n/2 adds n >>> 63.
    if (c === 0n || c === 1n || c === -1n || c === 2n || c === -2n) continue;
    // A copy of a parameter (v12 := b) is b's value: one sign (arith/arith-64 c9).
    const copied = d.left.kind === 'var' ? fn.params.find((p) => paramCopies(fn, p.name).includes((d.left as { name: string }).name)) : undefined;
    out.push({ n: copied ? exprShape({ ...d.left, name: copied.name } as Expr) : dividendShape(d.left), c });
  }
  return out;
}

/**
 * A statement's own divisions by constants (an if's condition; nothing of a loop's), each with
 * whether an n%c == 0 (or != 0) tests it. Not of a byte, which divides unsigned, without a sign,
 * nor of a constant local, which folds.
 */
function divisionsByConstants(fn: Func, s: Stmt, profile: Profile): { d: Binary; c: bigint; test: boolean }[] {
  const bytes = byteVariables(fn);
  const parts = (s.kind === 'for' ? [] : stmtExprs(s)).flatMap(subExprs);
  const tests = new Set(parts.filter((x) => x.kind === 'binary' && (x.op === '==' || x.op === '!=') &&
    constValue(x.right) === 0n).map((x) => (x as Binary).left));
  return parts.flatMap((d) => {
    if (d.kind !== 'binary' || (d.op !== '/' && d.op !== '%') || !isConstant(d.right) || isConstant(d.left)) return [];
    if (d.left.kind === 'var' && (bytes.has(d.left.name) || constantLocal(fn, d.left.name, profile))) return [];
    const c = constValue(d.right);
    return c === null ? [] : [{ d, c, test: tests.has(d) && !offsetLocal(fn, d.left) }];
  });
}

/**
 * A local assigned once, at the top, x ± c: SSA divides x ± c, which the divisibility rules do
 * not match (remainderCompared), so n%c == 0 takes n's sign like a division
 * (arith/arith-71 c2: v3 := a + 1006679394; ... v3 / -3 ...; ok7 := v3 % 5 == 0).
 */
function offsetLocal(fn: Func, n: Expr): boolean {
  if (n.kind !== 'var' || !fn.body.some((x) => x.kind === 'assign' && x.name === n.name)) return false;
  const values = assignmentsOf(fn.body, n.name);
  const v = values[0];
  return values.length === 1 && v.kind === 'binary' && (v.op === '+' || v.op === '-') && !isConstant(v) &&
    (isConstant(v.right) || (v.op === '+' && isConstant(v.left)));
}

/** The divisions (divisionKey) of the statements before s. */
function dividedBefore(fn: Func, s: Stmt): Set<string> {
  const out = new Set<string>();
  let done = false;
  walk(fn.body, (x) => {
    if (x === s) done = true;
    if (done) return;
    for (const e of stmtExprs(x)) for (const d of subExprs(e)) { const k = divisionKey(d); if (k !== null) out.add(k); }
  });
  return out;
}

/** The expression an if condition `e == constant` tests (exprShape), or null. */
function testedEqual(cond: Expr): string | null {
  if (cond.kind !== 'binary' || cond.op !== '==') return null;
  if (isConstant(cond.right) && !isConstant(cond.left)) return exprShape(cond.left);
  if (isConstant(cond.left) && !isConstant(cond.right)) return exprShape(cond.right);
  return null;
}

/**
 * Divisions whose other result is used later: IDIVQ gives the quotient and the remainder at
 * once, so n%d after n/d (or the same division again) is the value kept from the first, in a
 * slot of its own across the calls between (recorded/div-params: split). Returns how many.
 */
function keptDivisionResults(fn: Func, profile: Profile): number {
  const key = (e: Expr): string | null => (e.kind === 'binary' && !isConstant(e.right) ? divisionKey(e) : null);
  /** The divisions in e but the one whose shape is `skip`. */
  const divisions = (e: Expr, skip: string | null = null): string[] =>
    subExprs(e).filter((d) => skip === null || exprShape(d) !== skip).map(key).filter((k): k is string => k !== null);
  let kept = 0;
  const visit = (list: Stmt[]) => list.forEach((s, i) => {
    const own = new Set(stmtExprs(s).flatMap((e) => divisions(e)));
    if (own.size) {
      // Statements after it that it dominates: its own nested ones, then the rest of its list.
      const after: Stmt[] = [];
      if (s.kind === 'if') after.push(...s.then, ...s.else);
      else if (s.kind === 'for') after.push(...s.body);
      after.push(...list.slice(i + 1));
      let called = isCall(s);
      const found = new Set<string>();
      // In the branch where n%d == c holds, n%d is the constant c (recorded/div-params).
      const tested = s.kind === 'if' ? testedEqual(s.cond) : null;
      const inThen = new Set<Stmt>();
      if (tested) walk(s.kind === 'if' ? s.then : [], (x) => { inThen.add(x); });
      // Go 1.19 makes a println's n/d before printlock and keeps it for the print: a later
      // n/d reads that value, not another (arith/arith-29 c1: println("c1", b/d, ...), then
      // if (b/d)%3 == 0). A later n%d is IDIVQ's other result, kept besides.
      const printedEarly = s.kind === 'println' && profile.printDivisionsBeforeLock
        ? new Set(stmtExprs(s).flatMap(subExprs).filter((d) => key(d) !== null).map((d) => `${(d as Binary).op} ${key(d)}`)) : new Set<string>();
      const otherResult = new Set<string>();
      walk(after, (x) => {
        const divs = stmtExprs(x).flatMap((e) => divisions(e, inThen.has(x) ? tested : null));
        // A println reads its arguments after printlock (frames/divisions.go: printedAfterTest).
        for (const k of divs) if (own.has(k) && (called || x.kind === 'println')) found.add(k);
        for (const d of stmtExprs(x).flatMap(subExprs)) {
          const k = key(d);
          if (k !== null && !printedEarly.has(`${(d as Binary).op} ${k}`)) otherResult.add(k);
        }
        if (isCall(x)) called = true;
      });
      kept += printedEarly.size ? [...found].filter((k) => otherResult.has(k)).length : found.size;
    }
    if (s.kind === 'println') {
      const reuse = { early: 0, lastEarly: -1, later: 0 };
      kept += printedDivisionResults(s, profile, dividedBefore(fn, s), byteVariables(fn), madeWherePrinted(fn, profile), reuse);
      kept -= earlySlotsReused(fn, s, profile, reuse);
    }
    if (s.kind === 'println') kept += valuesBeforeDivisorCheck(fn, list, i, profile);
    if (s.kind === 'if') { visit(s.then); visit(s.else); } else if (s.kind === 'for') visit(s.body);
  });
  visit(fn.body);
  return kept + signsAcrossStatements(fn, profile).size + quotientsAcrossStatements(fn, profile).size +
    magicProductsAcrossStatements(fn, profile).size + divisionsAtFirstCheck(fn, profile) + halvedSignsKept(fn, profile);
}

/**
 * v := n / 2^k is (n + (n >> 63 >>> 64-k)) >> k, and v's sign, (sum >> k) >> 63, folds to
 * sum >> 63 (generic.rules). A later statement past a call that divides v by another constant
 * takes that sign, so the sum is kept in a slot of its own besides v (arith/arith-13 c8 built by
 * go1.15.15 and go1.19.8: v9 := a / 2, a loop calling l12, then println(..., (v9 % 5) % 2 == 0,
 * ...) reads the sum; frames/division-signs.go halvedSign, all releases). Where that println
 * makes a value before a comparison's flags (1.21+, valuesBeforeFlags), the sum's last read
 * comes first and the value takes its slot (arith-13 c8 with go1.21.13 to go1.24.4: v9 + 203).
 */
function halvedSignsKept(fn: Func, profile: Profile): number {
  const across = signsAcrossStatements(fn, profile);
  const bytes = byteVariables(fn);
  let kept = 0;
  fn.body.forEach((s, i) => {
    if (s.kind !== 'assign' || assignmentsOf(fn.body, s.name).length !== 1) return;
    const v = s.value;
    if (v.kind !== 'binary' || v.op !== '/' || isConstant(v.left) || (v.left.kind === 'var' && bytes.has(v.left.name))) return;
    const k = constValue(v.right);
    if (k === null || k < 2n || !powerOfTwo(k)) return;
    const n = exprShape({ kind: 'var', name: s.name, pos: s.pos } as Expr);
    if (across.has(n)) return;
    let called = false;
    for (let j = i + 1; j < fn.body.length; j++) {
      const x = fn.body[j];
      if (called && constantDivisions(fn, x, profile).some((d) => d.n === n)) {
        const shared = profile.comparisonFirstKeepsNext && flagWaitsAt(fn, fn.body, j, profile).length > 0;
        if (!shared) kept++;
        return;
      }
      if (anyStmt([x], isCall)) called = true;
    }
  });
  return kept;
}

/**
 * Go 1.19 makes a division by a variable early in its block (as it divides before printlock):
 * once an earlier statement has checked the divisor, prove drops a later division's check, and
 * a call's argument that divides by it again is made right after the first, before the calls
 * between, and kept across them (arith/arith-86 c2: v3 := (b/d) + 9; runtime.GC();
 * c4((a/d)/d, v3, d+1)). 1.21+ make it at its call. Top-level straight-line statements; one slot
 * per such argument.
 */
function divisionsAtFirstCheck(fn: Func, profile: Profile): number {
  if (!profile.printDivisionsBeforeLock) return 0;
  let kept = 0;
  const checked = new Set<string>();
  // A call since the block's start (an if or a loop ends one: the division is made at the
  // start of the block after it; arith/arith-86 c2 has an if between).
  let called = false;
  for (const s of fn.body) {
    if (s.kind === 'if' || s.kind === 'for') {
      // (An if's condition checks its divisor before the branch.)
      for (const d of divisionsByVariable(s)) checked.add(exprShape(d.right));
      called = false;
      continue;
    }
    if (s.kind === 'call' && called) {
      kept += s.args.filter((a) => subExprs(a).some((x) => isVariableDivision(x) && checked.has(exprShape((x as Binary).right)))).length;
    }
    for (const d of divisionsByVariable(s)) {
      if (!checked.has(exprShape(d.right))) { checked.add(exprShape(d.right)); called = false; }
    }
    if (isCall(s)) called = true;
  }
  return kept;
}

/**
 * A println that divides by a variable checks the divisor before printlock (it panics in
 * argument order), which ends the block: the arithmetic its arguments compute before that
 * division (walk evaluates them in order, into temporaries) is made before the check and kept
 * across the prints to its own, as is the value of a local assigned right before that the
 * division reads. From 1.21 that includes the dividend, divided after printlock; Go 1.19
 * divides before it (Profile.printDivisionsBeforeLock) and keeps the results instead
 * (printedDivisionResults). Not in a branch. Returns how many slots
 * (frames/divisor-checks.go).
 */
function valuesBeforeDivisorCheck(fn: Func, list: Stmt[], at: number, profile: Profile): number {
  const s = list[at];
  if (s.kind !== 'println') return 0;
  // Only in the function's own statements: in a branch, tighten moves such a value past the
  // check, next to its use (arith/arith-25 c2).
  if (list !== fn.body) return 0;
  const arithmetic = (e: Expr) => e.kind === 'binary' && ARITHMETIC.includes(e.op) && !isConstant(e);
  // A sum of one variable and constants (d+5, and b - (d+b), which is -d) that the arguments
  // make before the division is moved past the check, next to its use (ssa/tighten.go moves
  // values of one register input; measured: a*3 stays, a+5 and -a do not; arith/arith-55 c2).
  // From 1.21 the dividend stays.
  const twoInputs = (e: Expr) => (linearInputs(e) ?? 2) > 1 ||
    subExprs(e).some((x) => x.kind === 'binary' && x.op === '*');
  const used = new Set<Stmt>([s]);
  /** The local's assignment among those right before the println (no other statement between). */
  const assignmentBefore = (name: string): Extract<Stmt, { kind: 'assign' }> | null => {
    for (let j = at - 1; j >= 0; j--) {
      const t = list[j];
      if (t.kind !== 'assign') return null;
      if (t.name === name) return t;
    }
    return null;
  };
  const localValue = (name: string): Expr | null => {
    const t = assignmentBefore(name);
    if (!t) return null;
    used.add(t);
    return arithmetic(t.value) ? t.value : null;
  };
  // Values in evaluation order, up to the first division by a variable.
  const before: Expr[] = [];
  // Go 1.15 and 1.19: a comparison's arithmetic before it, whose flags wait for printlock
  // (arith/arith-3 c21: println(..., (b - d) >= 473, a, (b % d) % 2 == 0) keeps b - d), where the
  // division is the println's own, not a local's made before the println.
  const compared: Expr[] = [];
  let fromLocal = false;
  let found = false;
  const visitExpr = (e: Expr): void => {
    if (found) return;
    if (e.kind === 'binary' && isVariableDivision(e)) {
      found = true;
      if (!profile.printDivisionsBeforeLock) {
        const dividend = e.left.kind === 'var' ? localValue(e.left.name) : arithmetic(e.left) ? e.left : null;
        if (dividend) before.push(dividend);
      }
      return;
    }
    if (e.kind === 'binary') { visitExpr(e.left); visitExpr(e.right); }
    else if (e.kind === 'unary') visitExpr(e.operand);
    else if (e.kind === 'var' && !profile.printDivisionsBeforeLock) {
      // A local assigned a division right before, read inside an argument, is made there
      // (frames/divisor-checks.go dividendInSum: (v+b) >= 17 after v := (b/3)/d).
      const def = assignmentBefore(e.name);
      if (def && subExprs(def.value).some(isVariableDivision)) { used.add(def); visitExpr(def.value); }
    }
  };
  for (const a of s.args) {
    if (found) break;
    if (a.kind !== 'int') continue;
    // A local assigned right before, read here, is made here: its division too (arith/arith-52
    // c6: v8 := (d*6)/d; println(ok7, v8)).
    const def = a.expr.kind === 'var' ? assignmentBefore(a.expr.name) : null;
    if (def && subExprs(def.value).some(isVariableDivision)) {
      used.add(def);
      // Go 1.19 divides before printlock and keeps the local's value across it: in the local's
      // own slot if a later statement reads it too (frames/divisor-checks.go quotientReadLater).
      if (profile.printDivisionsBeforeLock) {
        found = true;
        fromLocal = true;
        if (!anyStmt(list.filter((x) => !used.has(x) && x !== s), (x) => stmtReads(x, def.name))) before.push(def.value);
        break;
      }
      visitExpr(def.value);
      continue;
    }
    visitExpr(a.expr);
    if (!found && arithmetic(a.expr) && twoInputs(a.expr)) before.push(a.expr);
    if (profile.printDivisionsBeforeLock && !found && a.expr.kind === 'binary' && COMPARISONS.includes(a.expr.op)) {
      for (const x of [a.expr.left, a.expr.right]) if (arithmetic(x) && twoInputs(x)) compared.push(x);
    }
  }
  // One CSE keeps for a later statement too is counted there (commonValues).
  const elsewhere = new Set<string>();
  walk(fn.body, (x) => { if (!used.has(x)) for (const e of stmtExprs(x)) for (const y of subExprs(e)) elsewhere.add(exprShape(y)); });
  const made = fromLocal ? before : [...before, ...compared];
  return found ? new Set(made.map(exprShape).filter((k) => !elsewhere.has(k))).size : 0;
}

/** A kept value's live range, from its first use to its last, in source order. */
type Range = { from: SourcePos; to: SourcePos; bool: boolean };

/**
 * The slots values of one type take when those whose ranges do not overlap share one
 * (regalloc's stackalloc): as many as are live at once at most, at some range's start.
 */
function rangeSlots(list: { from: SourcePos; to: SourcePos }[]): number {
  return Math.max(0, ...list.map((r) => list.filter((o) => !posBefore(r.from, o.from) && !posBefore(o.to, r.from)).length));
}

/**
 * Values CSE makes once and the frame keeps (frames/common-values.go): the same sum, difference or
 * product of variables in a statement and in a later one of its list (m-1 printed, then
 * if m-1 > 0), or twice in one println, with a call between and no operand assigned between.
 * The first computes it, and it is kept across the calls to the second. A local assigned the
 * value first (y := m-1) holds it: its slot, unless the local has one already; one assigned it
 * later is the local's own. Constant locals fold away. Returns how many slots they take; `out`
 * receives the values' live ranges, println's own temporaries included (entryIntSlots).
 */
function commonValues(fn: Func, profile: Profile, named: ReadonlySet<string> = new Set(), out?: { ranges: Range[] }): GoType[] {
  /** Each kept value's live range: from its first use to its last, in source order. */
  const ranges = new Map<string, Range>();
  /** Whether a value (its exprShape) is a bool: a negation or a comparison, kept in a byte. */
  const boolShape = (shape: string) => ['!', ...COMPARISONS].includes(JSON.parse(shape)[0]);
  const keep = (shape: string, from: SourcePos, to: SourcePos) => {
    const r = ranges.get(shape);
    if (!r) ranges.set(shape, { from, to, bool: boolShape(shape) });
    else {
      if (posBefore(from, r.from)) r.from = from;
      if (posBefore(r.to, to)) r.to = to;
    }
  };
  const constants = new Set(fn.locals.filter((l) => assignedConstants(fn, l.name)).map((l) => l.name));
  const variable = (x: Expr): boolean => !isConstant(x) && subExprs(x).some((v) => v.kind === 'var' && !constants.has(v.name));
  type Use = { shape: string; pos: SourcePos };
  // CSE sees through copies of parameters (s25 := b) and the order of a sum's or a product's
  // operands (arith/arith-57 c24: d + b, then s25 + d).
  const copyOf = new Map(fn.params.flatMap((p) => paramCopies(fn, p.name).map((c) => [c, p.name] as const)));
  const canonical = (x: Expr): Expr => {
    if (x.kind === 'var') return copyOf.has(x.name) ? { ...x, name: copyOf.get(x.name)! } : x;
    if (x.kind === 'unary') return { ...x, operand: canonical(x.operand) };
    if (x.kind !== 'binary') return x;
    const [l, r] = [canonical(x.left), canonical(x.right)];
    const swap = (x.op === '+' || x.op === '*') && exprShape(l) > exprShape(r);
    return { ...x, left: swap ? r : l, right: swap ? l : r };
  };
  // x + y ± c is one LEAQ of x and y (AMD64 addressing modes): no x + y value is read there
  // (arith/arith-33 c9: println(a + b), then (b + a) - 35263).
  const leaFolded = new Set<Expr>();
  const noteFolds = (e: Expr): void => {
    if (e.kind === 'unary') return noteFolds(e.operand);
    if (e.kind !== 'binary') return;
    for (const [x, k] of [[e.left, e.right], [e.right, e.left]] as const) {
      if ((e.op === '+' || (e.op === '-' && x === e.left)) && isConstant(k) && x.kind === 'binary' && x.op === '+' &&
        x.left.kind === 'var' && x.right.kind === 'var') leaFolded.add(x);
    }
    noteFolds(e.left);
    noteFolds(e.right);
  };
  walk(fn.body, (x) => stmtExprs(x).forEach(noteFolds));
  // Sums, differences, products, and negations (!flag: a bool, kept in a byte).
  const candidates = (e: Expr, whole: boolean): Use[] =>
    subExprs(e).filter((x) => ((x.kind === 'binary' && ['+', '-', '*'].includes(x.op)) || (x.kind === 'unary' && x.op === '!')) &&
      variable(x) && !(whole && x === e) && !leaFolded.has(x))
      .map((x) => ({ shape: exprShape(canonical(x)), pos: x.pos }));
  const kept = liveAcrossCalls(fn);
  const own = (s: Stmt): Use[] => s.kind === 'for' ? []
    : s.kind === 'assign' ? candidates(s.value, kept.has(s.name)) : stmtExprs(s).flatMap((e) => candidates(e, false));
  const inside = (s: Stmt): Use[] => {
    const out: Use[] = [];
    walk([s], (x) => { out.push(...stmtExprs(x).flatMap((e) => candidates(e, x.kind === 'assign'))); });
    return out;
  };
  // Whether a value (its exprShape) reads a variable: its name is quoted there.
  const shapeReads = (shape: string, name: string) => shape.includes(`"${name}"`);
  const movedOperand = (shape: string) => [...named].some((n) => n.startsWith('.autotmp_moved_') && shapeReads(shape, n.slice('.autotmp_moved_'.length)));
  const flagWaits = new Set<string>();
  const waitAt = new Map<string, SourcePos>();
  const operands = (shape: string, list: Stmt[]) => list.some((x) => anyStmt([x], (y) => y.kind === 'assign' && shapeReads(shape, y.name)));
  const visit = (list: Stmt[]) => {
    list.forEach((s, i) => {
      if (s.kind === 'println' && profile.comparisonFirstKeepsNext) {
        for (const v of valuesBeforeFlags(list, i, variable, profile, new Set(fn.params.map((p) => p.name)), named)) {
          flagWaits.add(exprShape(v.value));
          if (!waitAt.has(exprShape(v.value))) waitAt.set(exprShape(v.value), s.pos);
        }
      }
      if (s.kind === 'println') {
        // A comparison printed again by a later println is made once (CSE), its bool kept.
        for (const a of s.args) {
          if (a.kind !== 'int' || a.expr.kind !== 'binary' || !COMPARISONS.includes(a.expr.op) || !variable(a.expr)) continue;
          const shape = exprShape(a.expr);
          for (let j = i + 1; j < list.length; j++) {
            const t = list[j];
            if (t.kind === 'println' && t.args.some((b) => b.kind === 'int' && exprShape(b.expr) === shape)) keep(shape, a.expr.pos, t.pos);
            if (operands(shape, [t])) break;
          }
        }
        const perArg = s.args.map((a) => (a.kind === 'int' ? candidates(a.expr, false) : []));
        perArg.forEach((uses, k) => {
          for (const u of uses) for (const later of perArg.slice(k + 1).flat()) if (later.shape === u.shape) keep(u.shape, u.pos, later.pos);
        });
      }
      const first = own(s);
      if (first.length) {
        // An if's condition is made before its branches, whose calls it then crosses (arith/arith-85 c15).
        let called = isCall(s) || (s.kind === 'if' && anyStmt([...s.then, ...s.else], isCall));
        for (let j = i + 1; j < list.length; j++) {
          const t = list[j];
          const between = list.slice(i, j);
          for (const u of inside(t)) {
            const f = first.find((x) => x.shape === u.shape);
            if (f && (called || t.kind === 'println') && !operands(u.shape, between)) keep(u.shape, f.pos, u.pos);
          }
          if (anyStmt([t], isCall)) called = true;
        }
        // The branches read the condition's values too: made once, before the branch, and
        // kept across a call in it, printlock included (recorded/three-param-math with
        // go1.15.15: if a*c > 20 { println(a * c) } spills a*c). Not the condition itself,
        // which the branch knows (prove), and in a println only a whole argument: one inside a
        // comparison is made at the print (arith/arith-82 c11).
        if (s.kind === 'if') {
          const condition = exprShape(canonical(s.cond));
          for (const branch of [s.then, s.else]) {
            let inBranch = false;
            branch.forEach((t, j) => {
              const printed = t.kind === 'println' ? t.args.flatMap((a) => (a.kind === 'int' ? [exprShape(canonical(a.expr))] : [])) : [];
              for (const u of inside(t)) {
                const f = first.find((x) => x.shape === u.shape);
                if (!f || u.shape === condition || operands(u.shape, branch.slice(0, j))) continue;
                // A parameter's moved copy (register ABI) last read by the condition's value
                // hands it its slot (stackalloc: recorded/three-param-math with go1.19.8 keeps
                // the copy of a, then a*c, in one autotmp).
                if (movedOperand(u.shape)) continue;
                if (inBranch || printed.includes(u.shape)) keep(u.shape, f.pos, u.pos);
              }
              if (anyStmt([t], isCall)) inBranch = true;
            });
          }
        }
      }
      if (s.kind === 'if') { visit(s.then); visit(s.else); } else if (s.kind === 'for') visit(s.body);
    });
  };
  visit(fn.body);
  // Values of a type whose ranges do not overlap share a slot (frames/common-values.go:
  // sequential).
  const all = [...ranges.values()];
  // A value made before a comparison's flags is println's own temporary (walk's copy of an
  // argument that is not cheap): a slot of its own, shared with none.
  const waits = [...flagWaits].filter((shape) => !ranges.has(shape));
  if (out) out.ranges = [...all, ...waits.map((shape) => ({ from: waitAt.get(shape)!, to: waitAt.get(shape)!, bool: boolShape(shape) }))];
  return [...Array(rangeSlots(all.filter((r) => !r.bool))).fill(INT), ...Array(rangeSlots(all.filter((r) => r.bool))).fill(BOOL),
    ...waits.map((shape) => (boolShape(shape) ? BOOL : INT))];
}

/**
 * How many moved parameter copies (.autotmp_moved_p) share a slot with a value made for a
 * printed comparison's flags (valuesBeforeFlags): the copy's last read is that println's, and
 * the value comes from a later statement, so it is made after that read.
 */
function movedSharingWaits(fn: Func, profile: Profile, slotted: Var[]): number {
  let shared = 0;
  for (const v of slotted) {
    if (!v.name.startsWith('.autotmp_moved_')) continue;
    const p = v.name.slice('.autotmp_moved_'.length);
    // The last statement that reads p, and the list it is in (a branch's too: arith/arith-70 c7).
    let list: Stmt[] = fn.body;
    let last = -1;
    const visit = (l: Stmt[]) => l.forEach((x, i) => {
      if (stmtReads(x, p)) { list = l; last = i; }
      if (x.kind === 'if') { visit(x.then); visit(x.else); } else if (x.kind === 'for') visit(x.body);
    });
    visit(fn.body);
    const s = list[last];
    if (s?.kind !== 'println' || !s.args.some((a) => a.kind === 'int' && isComparison(a.expr))) continue;
    const comparesP = s.args.some((a) => a.kind === 'int' && isComparison(a.expr) && reads(a.expr, p));
    const waits = flagWaitsAt(fn, list, last, profile);
    // A value of a later statement is made after p's last read, the comparison's; so is one of
    // this println that reads p itself, made from that last read (b+a after (b/2)%3 == 0;
    // arith/arith-52 c11: v13 + a after (v13 + b) >= 1795164663).
    if (waits.some((w) => (comparesP && w.value.pos.line > s.pos.line) || reads(w.value, p))) shared++;
  }
  return shared;
}

/**
 * valuesBeforeFlags of list[at], a statement of fn, where any value that reads a variable counts
 * and fn's parameters are bare.
 */
function flagWaitsAt(fn: Func, list: Stmt[], at: number, profile: Profile): { value: Expr; from: SourcePos }[] {
  const variable = (x: Expr): boolean => !isConstant(x) && subExprs(x).some((v) => v.kind === 'var');
  return valuesBeforeFlags(list, at, variable, profile, new Set(fn.params.map((p) => p.name)));
}

/**
 * 1.21+ (ssa/schedule.go): a println that prints a comparison waits for its flags, which are
 * scored after every other value (ScoreFlags): each value a later argument computes, ready at
 * once, is made before that comparison and kept across the prints between. Those are a later
 * argument's arithmetic, each arithmetic operand of a later comparison, and !b (a byte). A local
 * assigned right before the println (no call between) and read only there is its value
 * (frames/flags-wait.go). Returns each value and where it is made.
 */
function valuesBeforeFlags(list: Stmt[], at: number, variable: (e: Expr) => boolean, profile: Profile, params: ReadonlySet<string>,
  named?: ReadonlySet<string>): { value: Expr; from: SourcePos }[] {
  const s = list[at];
  if (s.kind !== 'println') return [];
  // Through copies (ok8 := ok7): the copy's own statement is no other read (arith/arith-65 c6).
  const valueOf = (e: Expr, via: number = at): Expr => {
    if (e.kind !== 'var') return e;
    for (let j = at - 1; j >= 0; j--) {
      const t = list[j];
      if (t.kind === 'assign' && t.name === e.name) {
        const elsewhere = list.some((x, k) => k !== j && k !== at && k !== via && anyStmt([x], (y) => stmtReads(y, e.name) || (y.kind === 'assign' && y.name === e.name)));
        return elsewhere ? e : valueOf(t.value, j);
      }
      // A call that computes no argument (runtime.GC(), g(k)) runs first and makes nothing.
      // So does a println of strings, constants and parameters (arith/arith-6 c4).
      const bare = (x: Expr) => isConstant(x) || (x.kind === 'var' && params.has(x.name));
      const makesNothing = (t.kind === 'gc' || (t.kind === 'call' && t.args.every((x) => x.kind === 'var' || isConstant(x))) ||
         (t.kind === 'println' && t.args.every((a) => a.kind === 'string' || (a.kind === 'int' && bare(a.expr)))));
      if (t.kind !== 'assign' && !makesNothing) return e;
    }
    return e;
  };
  /** The statement a value came from through valueOf: the assignment of it, else this println. */
  const madeBy = (e: Expr): number => {
    const j = list.findIndex((t) => t.kind === 'assign' && t.value === e);
    return j < 0 ? at : j;
  };
  // !ok of ok := x == y is x != y: a comparison too (arith/arith-53 c6).
  const negated = (e: Expr): Expr => {
    if (e.kind !== 'unary' || e.op !== '!') return e;
    const inner = e.operand.kind === 'var' ? valueOf(e.operand, madeBy(e)) : e.operand;
    // (Its x%c == 0 is rewritten before the negation folds: still a divisibility test.)
    return inner.kind === 'binary' && COMPARISONS.includes(inner.op) ? inner : e;
  };
  const args = s.args.map((a) => (a.kind === 'int' ? negated(valueOf(a.expr)) : null));
  // A comparison the generic rules fold ((d-d) == 0, a == a) sets no flags (arith/arith-70 c7).
  const flags = (e: Expr | null) => e?.kind === 'binary' && COMPARISONS.includes(e.op) && !foldedEarly(e);
  const k = args.findIndex(flags);
  if (k < 0) return [];
  const arithmetic = (e: Expr) => e.kind === 'binary' && ARITHMETIC.includes(e.op) && variable(e) && !identity(e);
  const out: { value: Expr; from: SourcePos }[] = [];
  const made = (e: Expr | null) => {
    if (!e) return;
    if (arithmetic(e) || (e.kind === 'unary' && e.op === '!' && variable(e))) out.push({ value: e, from: args[k]!.pos });
    else if (e.kind === 'binary' && COMPARISONS.includes(e.op)) {
      // A local compared (ok5 := v3 <= 33, v3 := (a+a)-615) is made here too (arith/arith-73 c2).
      const via = madeBy(e);
      for (const x of comparedValues(e)) {
        const v = x.kind === 'var' ? valueOf(x, via) : x;
        if (arithmetic(v)) out.push({ value: v, from: args[k]!.pos });
      }
    }
  };
  args.slice(k + 1).forEach(made);
  // A local's value made early is kept only if something reads it late: printed or passed
  // bare, compared, or read past the block. One read only by arithmetic made early too is gone
  // by then.
  const readLate = (name: string, from: number): boolean => list.slice(from).some((x, n) => {
    const j = from + n;
    const early = j > at && !(x.kind === 'if' || x.kind === 'for' || x.kind === 'go' || dividesByVariable(x)) &&
      !list.slice(at + 1, j).some((y) => y.kind === 'if' || y.kind === 'for' || y.kind === 'go' || dividesByVariable(y));
    if (!early) return anyStmt([x], (y) => stmtReads(y, name));
    const exprs = x.kind === 'println' ? x.args.flatMap((a) => (a.kind === 'int' ? [a.expr] : [])) : x.kind === 'call' ? x.args : [];
    return exprs.some((e) => (e.kind === 'var' && e.name === name) || subExprs(e).some((y) => y.kind === 'binary' && COMPARISONS.includes(y.op) &&
      [y.left, y.right].some((z) => z.kind === 'var' && z.name === name)));
  });
  /** Whether the first read of a local from list[from] on comes past a branch or a loop. */
  const readPastBlock = (name: string, from: number): boolean => {
    for (let j = from; j < list.length; j++) {
      const x = list[j];
      if (x.kind === 'if' || x.kind === 'for' || x.kind === 'go' || dividesByVariable(x)) return true;
      if (stmtReads(x, name)) return false;
    }
    return false;
  };
  // Locals assigned since the last call and read only after this println are not made yet.
  for (let j = at - 1; j >= 0 && list[j].kind === 'assign'; j--) {
    const t = list[j];
    if (t.kind !== 'assign' || stmtReads(s, t.name)) continue;
    // A println dividing by a variable checks the divisor first: they are in the block before
    // that check, not in this one (arith/arith-39 c8).
    if (dividesByVariable(s)) break;
    if (!readLate(t.name, at + 1)) continue;
    // Read first past a branch or a loop, a comparison of one-input values moves there with
    // its bool (tighten.go: flags move next to their use whatever their inputs; arith/arith-49
    // c3: ok4 := (a + 86812) < b, read after a loop and an if).
    if (isComparison(t.value) && readPastBlock(t.name, at + 1) && comparedValues(t.value as Binary).every((x) => (linearInputs(x) ?? 2) <= 1)) continue;
    // A comparison's bool (SETcc) is ready too: its flags are made and turned into a bool
    // before this println's, and the bool kept (arith/arith-77 c5: ok7 := v6 > 2751515894).
    // A local kept across calls anyway has a slot of its own, which holds that bool (arith/arith-35 c8).
    if (!named?.has(t.name) && isComparison(t.value) && !foldedEarly(t.value) && variable(t.value)) out.push({ value: t.value, from: args[k]!.pos });
    else made(t.value);
  }
  // The rest of the block is ready too: the arguments of the statements after it, and the values
  // of locals they read, up to a branch, a loop or a division by a variable (its check ends the
  // block).
  for (let j = at + 1; j < list.length; j++) {
    const t = list[j];
    if (t.kind === 'if' || t.kind === 'for' || t.kind === 'go' || dividesByVariable(t)) break;
    if (t.kind === 'println') t.args.forEach((a) => { if (a.kind === 'int') made(a.expr); });
    else if (t.kind === 'call') t.args.forEach(made);
    // (A local with a slot of its own holds its arithmetic value there: arith/arith-9 c16; a
    // comparison's bool is made late, its operands kept: arith/arith-16 c7.)
    else if (t.kind === 'assign' && readLate(t.name, j + 1) && !(named?.has(t.name) && !isComparison(t.value))) made(t.value);
  }
  return out;
}

/**
 * Parameters a loop takes the register of: s := p before a loop without calls that changes s
 * makes s's phi p's register, and p a copy; read after the loop past a call (or in a println),
 * that copy is spilled at the loop's exit, to a slot of its own (arith/arith-30 c15). Not when
 * a call before the loop spilled p already.
 */
function loopTakenParams(fn: Func, profile: Profile): Set<string> {
  const out = new Set<string>();
  const params = new Set(fn.params.filter((p) => p.type.kind === 'basic').map((p) => p.name));
  const copyOf = new Map<string, string>();
  // ok := p%3 == 0 (one input, p): tighten.go moves it to its reads, after the loop, where it
  // reads p (arith/arith-50 c14); so does a value made of such a local alone (!ok).
  const madeOf = new Map<string, string[]>();
  const oneInput = (e: Expr): string[] | null => {
    const vars = new Set(subExprs(e).flatMap((x) => (x.kind === 'var' ? [x.name] : [])));
    if (vars.size !== 1 || subExprs(e).some((x) => x.kind === 'binary' && !isConstant(x.left) && !isConstant(x.right))) return null;
    const [v] = vars;
    return params.has(v) ? [v] : madeOf.get(v) ?? null;
  };
  // Go 1.19 makes a local comparison at the println that alone reads it (comparedAtItsPrint):
  // the parameters it reads are read there (arith/arith-26 c1: ok5 := (a - s2)%3 == 0;
  // arith-16 c7: ok8 := (a * 457) == b).
  const madeAtPrintOf = (name: string, v: Expr): string[] | null => {
    if (!profile.comparedAtPrint || !comparedAtItsPrint(fn, name)) return null;
    const read = [...params].filter((p) => reads(v, p));
    return read.length ? read : null;
  };
  for (const [i, s] of fn.body.entries()) {
    if (isCall(s) || (s.kind !== 'assign' && s.kind !== 'for')) return out;
    if (s.kind === 'assign') {
      const v = s.value;
      if (v.kind === 'var' && params.has(v.name)) copyOf.set(s.name, v.name);
      else if (v.kind === 'var' && copyOf.has(v.name)) copyOf.set(s.name, copyOf.get(v.name)!);
      else copyOf.delete(s.name);
      const p = v.kind === 'var' ? null : oneInput(v) ?? madeAtPrintOf(s.name, v);
      if (p) madeOf.set(s.name, p); else madeOf.delete(s.name);
      continue;
    }
    if (loopCalls(s)) return out;
    const changed = new Set<string>();
    walk(s.body, (x) => { if (x.kind === 'assign' && !keepsItsValue(x)) changed.add(x.name); });
    const after = fn.body.slice(i + 1);
    // v := ...p... printed before any call is made after printlock, where it is printed.
    const printedNext = (k: number) => {
      const x = after[k];
      if (x.kind !== 'assign') return false;
      for (const y of after.slice(k + 1)) {
        if (stmtReads(y, x.name)) return y.kind === 'println';
        if (isCall(y) || y.kind === 'if' || y.kind === 'for') return false;
      }
      return false;
    };
    for (const x of after) {
      if (x.kind !== 'assign') continue;
      const p = x.value.kind === 'var' ? null : oneInput(x.value) ?? madeAtPrintOf(x.name, x.value);
      if (p) madeOf.set(x.name, p); else madeOf.delete(x.name);
    }
    for (const [local, param] of copyOf) {
      if (!changed.has(local)) continue;
      let called = false;
      const made = [...madeOf].filter(([l, ps]) => ps.includes(param) && !changed.has(l)).map(([l]) => l);
      // From 1.21 it is made, with every ready value, before the first call that waits for a
      // computed argument (arith/arith-4 c1: before c6(a + 6, ...)).
      const waits = (y: Stmt) => profile.computedArgsWaitInOrder && waitsForComputedArgs(y);
      let pending = made;
      const readsParam = (y: Stmt) => stmtReads(y, param) || (y.kind !== 'assign' && pending.some((l) => stmtReads(y, l) || waits(y)));
      const readLate = after.some((x, k) => {
        const r = anyStmt([x], readsParam) && (called || x.kind === 'println' || printedNext(k));
        if (waits(x)) pending = [];
        if (anyStmt([x], isCall)) called = true;
        return r;
      });
      if (readLate) out.add(param);
    }
    return out;
  }
  return out;
}

/**
 * Int locals that take a second slot: one an inner loop that calls keeps changing, read after
 * the outer loop past a call (println(total) after printlock). The inner loop spills its own
 * value of the variable; the outer loop's, which crosses no call inside that loop, is spilled
 * only at its exit, to a slot of its own (test/fixtures/frames/loop-exits.go; recorded/loop-step).
 */
function loopExitSpills(fn: Func): Set<string> {
  const out = new Set<string>();
  const callsIn = (list: Stmt[]) => anyStmt(list, isCall);
  const assignedIn = (list: Stmt[], name: string) => anyStmt(list, (x) => x.kind === 'assign' && x.name === name);
  // Read after `rest` starts, past a call: in println, or after a call statement.
  const readPastCall = (rest: Stmt[], name: string) => {
    let called = false;
    let read = false;
    walk(rest, (x) => {
      if (read) return;
      if (stmtReads(x, name) && (called || x.kind === 'println')) read = true;
      if (isCall(x)) called = true;
    });
    return read;
  };
  const visit = (list: Stmt[]) => list.forEach((s, i) => {
    if (s.kind === 'if') { visit(s.then); visit(s.else); return; }
    if (s.kind !== 'for') return;
    // The outer loop calls only inside the loops nested in it.
    const inner = s.body.filter((x): x is Extract<Stmt, { kind: 'for' }> => x.kind === 'for');
    const outside = s.body.filter((x) => x.kind !== 'for');
    if (!callsIn(outside) && !(s.post && isCall(s.post))) {
      for (const v of fn.locals) {
        if (v.type.kind !== 'basic' || out.has(v.name)) continue;
        if (inner.some((l) => callsIn(l.body) && assignedIn(l.body, v.name)) && readPastCall(list.slice(i + 1), v.name)) out.add(v.name);
      }
    }
    visit(s.body);
  });
  visit(fn.body);
  return out;
}

/**
 * 1.21+ (ssa/schedule.go): the scheduler makes ready values in source order, a call as soon as
 * its arguments are made. A call or println with a computed argument (a+1) therefore makes
 * first the values of the locals assigned before it (v := a*3), and those read after it are kept
 * across its calls; with bare arguments (g(a)) the call runs first and the local is made where it
 * is read. Of a local's comparison (ok := a*3 > b) only the arithmetic is made early: the flags
 * wait (valuesBeforeFlags). Straight-line statements only, and only locals not kept in a slot
 * of their own already (frames/computed-args.go). Returns where each kept value is made.
 */
function valuesBeforeComputedArgs(fn: Func, slotted: Set<string>, profile: Profile): SourcePos[] {
  const out: SourcePos[] = [];
  const body = fn.body;
  const waitsAt = (j: number) => (profile.printLengthWaits ? lengthWait(body, j) : null);
  const computed = (e: Expr) => subExprs(e).some((x) => x.kind === 'binary' && ARITHMETIC.includes(x.op) && !isConstant(x) && !identity(x));
  // A constant the generic rules fold (b - b) is a new value at its position, which a call
  // waits for like a computed one (arith/arith-38 c1).
  // Unless an earlier statement has that constant already (for i := 0 before c6(a, b-b)): CSE
  // keeps the first, and the call waits for nothing new (frames/computed-args.go constantBefore).
  const folded = (e: Expr, before: SourcePos) => isConstant(e) && subExprs(e).some((x) => x.kind === 'var') &&
    !literalBefore(fn, foldedValue(e), before);
  let flagsWaited = false;
  for (const [i, s] of body.entries()) {
    // The block after a branch is straight too (arith/arith-23 c19). One after a printed
    // comparison in it was made for that comparison's flags (valuesBeforeFlags).
    if (s.kind === 'if' || s.kind === 'for' || s.kind === 'go' || dividesByVariable(s)) flagsWaited = false;
    if (s.kind === 'if' || s.kind === 'for') continue;
    if (s.kind === 'println' && s.args.some((a) => a.kind === 'int' && isComparison(a.expr))) flagsWaited = true;
    if (flagsWaited) continue;
    if (s.kind !== 'assign' || slotted.has(s.name) || assignmentsOf(body, s.name).length !== 1) continue;
    if (!fn.locals.some((l) => l.name === s.name && l.type.kind === 'basic')) continue;
    const v = s.value;
    // !flag is a value of its own too, an XORL of flag (arith/arith-42 c1: ok2 := !flag;
    // c3(a, a - 2, ...)).
    const parts = (v.kind === 'binary' && ARITHMETIC.includes(v.op) && !isConstant(v)) || (v.kind === 'unary' && v.op === '!' && v.operand.kind === 'var') ? [v]
      // As the generic rules leave it: a%2 == 0 tests a's low bit, with no a%2 made (arith/arith-27
      // c1); a local's low bit is its value, kept instead (arith/arith-44 c4: v8 % 2 == 0).
      : v.kind === 'binary' && COMPARISONS.includes(v.op) ? comparedValues(v).filter((x) =>
        (x.kind === 'binary' && ARITHMETIC.includes(x.op) && !isConstant(x) && !identity(x)) ||
        (x !== v.left && x !== v.right && x.kind === 'var' && !fn.params.some((p) => p.name === x.name))) : [];
    if (!parts.length) continue;
    // A value of one register input (a - 1) read first past a loop or branch that does not read
    // it is moved there by tighten.go, into the block a call there waits in (arith/arith-76 c7).
    const oneInput = v.kind === 'binary' && ARITHMETIC.includes(v.op) &&
      new Set(subExprs(v).flatMap((x) => (x.kind === 'var' ? [x.name] : []))).size === 1 &&
      subExprs(v).every((x) => x.kind !== 'binary' || isConstant(x.left) || isConstant(x.right));
    for (let j = i + 1; j < body.length; j++) {
      const t = body[j];
      if ((t.kind === 'if' || t.kind === 'for') && oneInput && !anyStmt([t], (x) => stmtReads(x, s.name))) continue;
      if (t.kind === 'if' || t.kind === 'for') break;
      let forces = false;
      if (t.kind === 'call') forces = t.args.some((e) => computed(e) || folded(e, s.pos)) && anyStmt(body.slice(j + 1), (x) => stmtReads(x, s.name));
      else if (t.kind === 'println') {
        const args = t.args.flatMap((a) => (a.kind === 'int' ? [a.expr] : []));
        const first = args.findIndex((e) => reads(e, s.name));
        // A printed comparison waits for the rest of the block: counted there (valuesBeforeFlags).
        // Only locals assigned right before it, as there (no statement but assignments between).
        if (first < 0 && args.some(isComparison) && body.slice(i + 1, j).every((x) => x.kind === 'assign')) break;
        // printstring waiting for a length made at or after the local's assignment makes it.
        const wait = waitsAt(j);
        // Of a comparison, n%c == 0 is a test of n (no n%c made) and flags wait anyway.
        const waited = wait !== null && !posBefore(wait, s.pos) && !isComparison(v) &&
          t.args.findIndex((a) => a.kind === 'string') < t.args.findIndex((a) => a.kind === 'int' && reads(a.expr, s.name));
        // A comparison before it waits for its flags instead (valuesBeforeFlags; arith/arith-21 c1).
        // Read after a printed comparison, it is made for that comparison's flags, and kept as
        // such (valuesBeforeFlags; arith/arith-21 c1: println((b+30)/16, a%2 == 0, v2)).
        const forFlags = profile.comparisonFirstKeepsNext && args.slice(0, first).some((e) => isComparison(e) && !foldedEarly(e));
        forces = first >= 0 ? !forFlags && (args.slice(0, first).some((e) => computed(e) && !isComparison(e)) || waited)
          : args.some(computed) && anyStmt(body.slice(j + 1), (x) => stmtReads(x, s.name));
      } else if (stmtReads(t, s.name)) break;
      if (forces) out.push(...parts.map((x) => x.pos));
      if (forces || stmtReads(t, s.name)) break;
    }
  }
  return out;
}

/**
 * Whether the generic rules fold e to a constant. They have no rule for a < a, which is lowered
 * to a CMPQ of a with itself, reading a, whose flags are waited for (frames/folds.go
 * orderedSelf); isConstant counts it constant for what it keeps.
 */
function foldedEarly(e: Expr): boolean {
  return isConstant(e) && !(e.kind === 'binary' && ['<', '<=', '>', '>='].includes(e.op) && exprShape(e.left) === exprShape(e.right));
}

/** The value a constant expression folds to (b - b is 0), or null when not known. */
export function foldedValue(e: Expr): bigint | null {
  if (selfDifference(e) || foldsToZero(e)) return 0n;
  if (e.kind === 'binary') {
    const [l, r] = [foldedValue(e.left), foldedValue(e.right)];
    if (l === null || r === null) return null;
    return constValue({ ...e, left: { kind: 'int', value: 0, big: l, pos: e.pos }, right: { kind: 'int', value: 0, big: r, pos: e.pos } } as Expr);
  }
  return constValue(e);
}

/** Whether an integer literal of this value appears in a statement before pos. */
function literalBefore(fn: Func, value: bigint | null, pos: SourcePos): boolean {
  if (value === null) return false;
  let found = false;
  walk(fn.body, (x) => {
    if (found || !posBefore(x.pos, pos)) return;
    found = stmtExprs(x).some((e) => subExprs(e).some((y) => y.kind === 'int' && constValue(y) === value));
  });
  return found;
}

/**
 * 1.22+ (Profile.printLengthWaits): where the string printed by list[j], a println, waits for its
 * length. Its length is a constant; n%c by a constant c that is not a power of two is rewritten
 * to n - (n/c)*c with a new constant c at the %'s position, and CSE makes the string's length
 * that value when c equals it, in the same block at or before the println. The scheduler makes
 * every ready value placed before that position first (test/fixtures/frames/string-lengths.go).
 * Returns the position, or null.
 */
function lengthWait(list: Stmt[], j: number): SourcePos | null {
  const lengthOf = (t: Stmt): number | null => {
    if (t.kind !== 'println') return null;
    // The runtime prints println's arguments with a space between and a newline at the end: a
    // string runs on to the space or newline after it (walk/builtin.go walkPrint).
    const k = t.args.findIndex((a) => a.kind === 'string');
    const a = t.args[k];
    return a?.kind === 'string' ? Buffer.byteLength(a.value) + (k > 0 ? 1 : 0) + 1 : null;
  };
  const s = list[j];
  const length = lengthOf(s);
  // A println that divides by a variable checks the divisor first, in a block of its own.
  if (length === null || dividesByVariable(s)) return null;
  const isMod = (e: Expr) => e.kind === 'binary' && e.op === '%' && e.right.kind === 'int' && e.right.value === length &&
    !powerOfTwo(length) && !isConstant(e.left);
  // Only in the entry block, where the constant is made (later blocks find it made); the first
  // made of the function's constants of that value is the one kept: a println's arguments are
  // made before its string (arith/arith-26 c1: the entry block prints a string that long first).
  for (const [n, t] of list.entries()) {
    if (n > 0 && (['if', 'for', 'go'].includes(list[n - 1].kind) || dividesByVariable(list[n - 1]))) return null;
    for (const e of stmtExprs(t)) {
      const m = subExprs(e).find(isMod);
      if (m) return n <= j ? m.pos : null;
    }
    if (lengthOf(t) === length) return null;
  }
  return null;
}

/**
 * The arguments a println makes before its printstring when the length it waits for is an n%c
 * of its own (lengthWait): each argument up to that one, past the string, that computes a
 * number, kept across the prints to its own (frames/string-lengths.go modInPrint). Top-level
 * statements only. Returns how many.
 */
function argsBeforeLength(fn: Func, profile: Profile): number {
  if (!profile.printLengthWaits) return 0;
  let kept = 0;
  fn.body.forEach((s, j) => {
    const wait = lengthWait(fn.body, j);
    if (s.kind !== 'println' || wait === null) return;
    const k = s.args.findIndex((a) => a.kind === 'string');
    const upTo = s.args.findIndex((a) => a.kind === 'int' && subExprs(a.expr).some((e) => e.pos === wait));
    if (upTo < 0) return;
    let mine = 0;
    for (const a of s.args.slice(k + 1, upTo + 1)) {
      if (a.kind === 'int' && a.expr.kind === 'binary' && ARITHMETIC.includes(a.expr.op) && !isConstant(a.expr) && !identity(a.expr)) mine++;
      // In a comparison, n%c is made and kept for the rest of it (arith/arith-76 c1:
      // println("c1", (a % 3) % 5 == 0)).
      // (n%c == 0, a divisibility test, makes no n%c.)
      else if (a === s.args[upTo] && a.kind === 'int' && !subExprs(a.expr).some((e) => divisibility(e) && (e as Binary).left.pos === wait)) mine++;
    }
    // Printed before a later argument's comparison: dead when the values made for its flags are
    // made, whose slots they give (stackalloc.go reuses a dead value's slot; arith/arith-33 c6).
    const inArgs = new Set(s.args.flatMap((a) => (a.kind === 'int' ? subExprs(a.expr) : [])));
    const waits = profile.comparisonFirstKeepsNext
      ? valuesBeforeFlags(fn.body, j, (x) => !isConstant(x), profile, new Set(fn.params.map((p) => p.name)))
        .filter((w) => inArgs.has(w.value) && s.args.findIndex((a) => a.kind === 'int' && a.expr.pos === w.from) > upTo).length
      : 0;
    kept += Math.max(0, mine - waits);
  });
  return kept;
}

/** n%c == 0 by a constant c that is not a power of two: a multiply and a compare (generic.rules). */
export function divisibility(e: Expr): boolean {
  if (e.kind !== 'binary' || e.op !== '==' || !(e.right.kind === 'int' && e.right.value === 0)) return false;
  const m = e.left;
  return m.kind === 'binary' && m.op === '%' && m.right.kind === 'int' && m.right.value !== 0 && !powerOfTwo(m.right.value) && !isConstant(m.left);
}

/**
 * The values a comparison compares once the generic rules have folded it: x+c == d compares x
 * with d-c, and x%2^k == 0 tests x's low bits (arith/arith-29 c5, arith-3 c7, arith-37 c2).
 */
export function comparedValues(e: Binary): Expr[] {
  if (e.op !== '==' && e.op !== '!=') return [e.left, e.right];
  const [x, c] = isConstant(e.right) ? [e.left, e.right] : [e.right, e.left];
  if (!isConstant(c) || x.kind !== 'binary') return [e.left, e.right];
  if ((x.op === '+' || x.op === '-') && isConstant(x.right)) return [x.left];
  if (x.op === '+' && isConstant(x.left)) return [x.right];
  const k = x.right;
  if (x.op === '%' && c.kind === 'int' && c.value === 0 && k.kind === 'int' && powerOfTwo(k.value)) return [x.left];
  // (b - 67045) % 5 == 0: the constant is moved into the magic multiply's sum, and the
  // divisibility rules no longer match; n == (n/5)*5 compares two values (arith/arith-58 c10).
  if (remainderCompared(e)) {
    const quotient: Expr = { kind: 'binary', op: '/', left: x.left, right: k, pos: x.pos };
    return [x.left, { kind: 'binary', op: '*', left: quotient, right: k, pos: x.pos }];
  }
  return [e.left, e.right];
}

/** (v ± c) % k == 0, or n % k != 0, by a constant k that is not a power of two: see comparedValues. */
function remainderCompared(e: Expr): boolean {
  if (e.kind !== 'binary' || (e.op !== '==' && e.op !== '!=') || constValue(e.right) !== 0n) return false;
  const x = e.left;
  if (x.kind !== 'binary' || x.op !== '%' || !isConstant(x.right)) return false;
  const k = constValue(x.right);
  const n = x.left;
  if (k === null || k === 0n || powerOfTwo(k < 0n ? -k : k)) return false;
  // The rules rewrite x%c == 0 only: x%c != 0 compares n with (n/c)*c (frames/folds.go notDivisible).
  if (e.op === '!=') return true;
  return n.kind === 'binary' && (n.op === '+' || n.op === '-') && !isConstant(n) && (isConstant(n.right) || isConstant(n.left));
}

/** A source position as a key. */
const posKey = (p: SourcePos) => `${p.line}:${p.col}`;

/**
 * Whether a local computed from two values (p := n * d) is first read past a branch and a call:
 * tighten does not move a value with more than one register input into a later block
 * (ssa/tighten.go: "Don't move values with more than one input"), so it is made in its own
 * block and kept across the calls to its read (recorded/div-mod-print: split).
 */
function keptInItsBlock(fn: Func, name: string, profile: Profile): boolean {
  const at = fn.body.findIndex((s) => s.kind === 'assign' && s.name === name);
  const def = fn.body[at];
  if (at < 0 || def.kind !== 'assign' || def.value.kind !== 'binary') return false;
  // Two register inputs, or one that is a local made in the same block (d := c * 2 after
  // c := a + b; frames/tighten.go), keep the value where it is made. So does a part of it with
  // two: a division by a constant multiplies by one in a register (HMULQ), and a power of two
  // adds the sign, x*x has two (v := (a%10) - 7, frames/tighten.go).
  const inputs = [def.value.left, def.value.right].filter((x) => !isConstant(x));
  const local = (x: Expr) => x.kind === 'var' && fn.locals.some((l) => l.name === x.name);
  const partOfTwo = (x: Expr): boolean => x.kind === 'binary' && !isConstant(x) && ARITHMETIC.includes(x.op) &&
    ((!isConstant(x.left) && !isConstant(x.right)) || x.op === '/' || x.op === '%');
  // With Go 1.19, n%c == 0 is a multiply, add and compare of n alone, which moves
  // (arith/arith-69 c6, arith-61 c10). (From 1.21 it stays where it is made, but for
  // arith/arith-50 c14, not understood yet.)
  const tested = divisibility(def.value) && !profile.computedArgsWaitInOrder ? (def.value as Binary).left : null;
  const partStays = subExprs(def.value).some((x) => x !== tested && partOfTwo(x));
  const factor = def.value.op === '*' ? constValue(isConstant(def.value.right) ? def.value.right : def.value.left) : null;
  const twice = factor !== null && inputs.length === 1 && readsTwiceWhenMultiplied(factor);
  const stays = inputs.length >= 2 || inputs.some(local) || partStays;
  if (!stays && !twice) return false;
  let branched = false;
  let called = false;
  for (const s of fn.body.slice(at + 1)) {
    // A println that divides by a variable checks the divisor before printlock: a branch too.
    // (A product whose LEAs read x twice is made before that check already: valuesBeforeDivisorCheck.)
    if (stmtReads(s, name)) return (branched || (stays && s.kind === 'println' && dividesByVariable(s))) && (called || s.kind === 'println');
    // Read first inside a branch: a block of its own, which reads the value this one made
    // (frames/tighten.go branchRead).
    if (s.kind === 'if' && anyStmt([...s.then, ...s.else], (x) => stmtReads(x, name))) {
      return [s.then, s.else].some((list) => {
        let callFirst = called;
        for (const x of flatten(list)) {
          if (stmtReads(x, name)) return callFirst || x.kind === 'println';
          if (isCall(x)) callFirst = true;
        }
        return false;
      });
    }
    if (s.kind === 'assign' && s.name === name) return false;
    if (s.kind === 'if' || s.kind === 'for') branched = true;
    if (anyStmt([s], isCall)) called = true;
  }
  return false;
}

/** Whether an expression is a constant (the compiler folds it; nothing of it lives in the frame). */
export function isConstant(e: Expr): boolean {
  return e.kind === 'int' || e.kind === 'bool' || e.kind === 'zero' || (e.kind === 'unary' && isConstant(e.operand)) ||
    (e.kind === 'binary' && isConstant(e.left) && isConstant(e.right)) || selfDifference(e) || foldsToZero(e) || selfComparison(e) ||
    cancelsOut(e);
}

/** (a + 979) - a: a sum whose variables cancel is a constant (arith/arith-53 c18). */
function cancelsOut(e: Expr): boolean {
  if (e.kind !== 'binary' || (e.op !== '+' && e.op !== '-')) return false;
  const l = linear(e);
  return l !== null && [...l.coef.values()].every((k) => k === 0n);
}

/** x*0 and x*(y-y): the generic rules fold them to 0 (arith/arith-49 c20). */
function foldsToZero(e: Expr): boolean {
  const zero = (x: Expr): boolean => (x.kind === 'int' && x.value === 0 && x.big === undefined) || selfDifference(x) || foldsToZero(x);
  return e.kind === 'binary' && e.op === '*' && (zero(e.left) || zero(e.right));
}

/** x < x, x == x and the like, without a division: a constant bool (arith/arith-31 c1). */
function selfComparison(e: Expr): boolean {
  return e.kind === 'binary' && COMPARISONS.includes(e.op) && exprShape(e.left) === exprShape(e.right) &&
    !subExprs(e).some((x) => x.kind === 'binary' && (x.op === '/' || x.op === '%'));
}

/** A condition's value where the compiler knows it (a constant, d > d, a-a <= 5), else null. */
export function knownCondition(e: Expr): boolean | null {
  if (e.kind === 'bool') return e.value;
  if (e.kind === 'unary' && e.op === '!') { const v = knownCondition(e.operand); return v === null ? null : !v; }
  if (e.kind !== 'binary') return null;
  if (e.op === '&&' || e.op === '||') {
    const [l, r] = [knownCondition(e.left), knownCondition(e.right)];
    if (e.op === '&&') return l === false || r === false ? false : l === true && r === true ? true : null;
    return l === true || r === true ? true : l === false && r === false ? false : null;
  }
  if (!COMPARISONS.includes(e.op)) return null;
  // d > d: the prove pass knows it (arith/arith-40 c3).
  if (selfComparison(e)) return ['==', '<=', '>='].includes(e.op);
  const value = (x: Expr) => (selfDifference(x) ? 0n : constValue(x));
  const [l, r] = [value(e.left), value(e.right)];
  if (l === null || r === null) return null;
  switch (e.op) {
    case '==': return l === r;
    case '!=': return l !== r;
    case '<': return l < r;
    case '<=': return l <= r;
    case '>': return l > r;
    default: return l >= r;
  }
}

/**
 * The function as the compiler keeps it: an if whose condition is a constant (0 <= 5, or
 * a-a <= 5 folded) is its live branch only; the other, calls and all, is gone
 * (frames/dead-branches.go).
 */
function withoutDeadBranches(fn: Func): Func {
  let pruned = false;
  const prune = (list: Stmt[]): Stmt[] => list.flatMap((s): Stmt[] => {
    if (s.kind === 'if') {
      const v = knownCondition(s.cond);
      if (v !== null) { pruned = true; return prune(v ? s.then : s.else); }
      const [then, other] = [prune(s.then), prune(s.else)];
      // Both ways empty: the branch goes, and its condition with it, unless a division in it
      // may panic (one made before has checked that divisor: arith/arith-29 c1).
      if (!then.length && !other.length) {
        const divided = dividedBefore(fn, s);
        if (subExprs(s.cond).every((e) => !isVariableDivision(e) || divided.has(divisionKey(e)!))) { pruned = true; return []; }
      }
      return [{ ...s, then, else: other }];
    }
    if (s.kind === 'for') return [{ ...s, body: prune(s.body) }];
    return [s];
  });
  const body = prune(fn.body);
  return pruned ? { ...fn, body } : fn;
}

/**
 * How many variables a sum of variables and constants (times constants) reads once the
 * generic rules have cancelled what cancels (b - (d + b) reads d only), or null for anything
 * else.
 */
function linearInputs(e: Expr): number | null {
  const l = linear(e);
  return l && [...l.coef.values()].filter((k) => k !== 0n).length;
}

/** e as a sum of variables times constants plus a constant, or null for anything else. */
function linear(e: Expr): { coef: Map<string, bigint>; konst: bigint } | null {
  const coef = new Map<string, bigint>();
  let konst = 0n;
  const add = (x: Expr, k: bigint): boolean => {
    const c = constValue(x);
    if (c !== null) { konst += k * c; return true; }
    if (selfDifference(x) || foldsToZero(x)) return true;
    if (x.kind === 'var') { coef.set(x.name, (coef.get(x.name) ?? 0n) + k); return true; }
    if (x.kind === 'unary' && x.op === '-') return add(x.operand, -k);
    if (x.kind !== 'binary') return false;
    if (x.op === '+') return add(x.left, k) && add(x.right, k);
    if (x.op === '-') return add(x.left, k) && add(x.right, -k);
    if (x.op === '*') {
      const [r, l] = [constValue(x.right), constValue(x.left)];
      if (r !== null) return add(x.left, k * r);
      if (l !== null) return add(x.right, k * l);
    }
    return false;
  };
  return add(e, 1n) ? { coef, konst } : null;
}

/** The variable an identity (a + 0, (a + a) - a) is, or null. */
export function identityOf(e: Expr): string | null {
  if (!identity(e)) return null;
  // (d * 2816475974) * 1 is d * 2816475974, not d (arith/arith-67 c10).
  const l = e.kind === 'binary' && (e.op === '+' || e.op === '-') ? linear(e) : null;
  if (l) {
    const live = [...l.coef.entries()].filter(([, k]) => k !== 0n);
    return live.length === 1 && live[0][1] === 1n && l.konst === 0n ? live[0][0] : null;
  }
  if (e.kind !== 'binary') return null;
  const x = isConstant(e.right) ? e.left : e.right;
  return x.kind === 'var' ? x.name : identityOf(x);
}

/** x+0, x-0, 0+x, x*1, 1*x, x/1: the generic rules leave x itself, no value to make. */
function identity(e: Expr): boolean {
  if (e.kind !== 'binary') return false;
  // (a + a) - a is a as well (arith/arith-63 c7).
  const l = linear(e);
  if (l && l.konst === 0n) {
    const live = [...l.coef.values()].filter((k) => k !== 0n);
    if (live.length === 1 && live[0] === 1n) return true;
  }
  const is = (x: Expr, v: number) => x.kind === 'int' && x.value === v && x.big === undefined;
  return ((e.op === '+' || e.op === '-') && is(e.right, 0)) || (e.op === '+' && is(e.left, 0)) ||
    ((e.op === '*' || e.op === '/') && is(e.right, 1)) || (e.op === '*' && is(e.left, 1));
}

/** x - x, which the generic rules fold to 0 (Sub64 x x), where x divides by nothing (that may panic). */
function selfDifference(e: Expr): boolean {
  return e.kind === 'binary' && e.op === '-' && exprShape(e.left) === exprShape(e.right) &&
    !subExprs(e).some((x) => x.kind === 'binary' && (x.op === '/' || x.op === '%'));
}

/**
 * The statements in order, and the last one that reads each variable: a read inside a loop
 * counts as the loop's last statement (the next iteration reads it again).
 */
function liveRanges(fn: Func): { declAt: (v: Var) => number; lastRead: Map<string, number>; statementAt: (pos: SourcePos) => number } {
  const starts: SourcePos[] = [];
  const lastRead = new Map<string, number>();
  const visit = (list: Stmt[], inLoop: boolean) => {
    for (const st of list) {
      const at = starts.length;
      starts.push(st.pos);
      const names = (e: Expr | null | undefined): void => {
        if (!e) return;
        if (e.kind === 'var') lastRead.set(e.name, Math.max(lastRead.get(e.name) ?? -1, inLoop ? Infinity : at));
        else if (e.kind === 'unary') names(e.operand);
        else if (e.kind === 'binary') { names(e.left); names(e.right); }
      };
      stmtExprs(st).forEach(names);
      if (st.kind === 'if') {
        visit(st.then, inLoop);
        visit(st.else, inLoop);
      } else if (st.kind === 'for') {
        if (st.init) visit([st.init], inLoop);
        visit([...st.body, ...(st.post ? [st.post] : [])], true);
        // The outermost loop ends here: reads inside it last to here.
        if (!inLoop) for (const [n, v] of lastRead) if (v === Infinity) lastRead.set(n, starts.length - 1);
      }
    }
  };
  visit(fn.body, false);
  const declAt = (v: Var) => {
    const i = starts.findIndex((p) => posBefore(v.pos, p));
    return i < 0 ? starts.length : i;
  };
  const statementAt = (pos: SourcePos) => starts.findIndex((p) => p.line === pos.line && p.col === pos.col);
  return { declAt, lastRead, statementAt };
}

/**
 * Go 1.23+ lets locals whose lifetimes do not overlap share a stack slot
 * (cmd/compile/internal/liveness/mergelocals.go): autos of more than 3 words whose address is
 * never taken, sorted by pointers, alignment and size (nameLess), grouped into runs of
 * non-increasing size and alignment (nextRegion); in each run the first free one leads and takes
 * every later one whose lifetime misses the group's (mergeVisitRegion). Lifetimes here run from
 * the declaration to the last read, over whole loops. Returns each follower's leader.
 */
function mergedLocals(fn: Func, slotted: Var[], addressed: Set<string>): Map<string, string> {
  const { declAt, lastRead, statementAt } = liveRanges(fn);
  // A go statement's copy of an array lives in its statement alone (recorded/bytes-go-args).
  const goCopy = (v: Var) => v.name.startsWith(GO_COPY) && statementAt(v.pos) >= 0;
  const cands = slotted
    .filter((v) => sizeOf(v.type) > 3 * PTR && (goCopy(v) || (fn.locals.includes(v) && !addressed.has(v.name) && lastRead.has(v.name))))
    .sort((a, b) => Number(hasPointers(b.type)) - Number(hasPointers(a.type)) || alignOf(b.type) - alignOf(a.type) ||
      sizeOf(b.type) - sizeOf(a.type) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const span = (v: Var): [number, number] => (goCopy(v) ? [statementAt(v.pos), statementAt(v.pos)] : [declAt(v), lastRead.get(v.name)!]);
  const leaders = new Map<string, string>();
  for (let st = 0; st < cands.length;) {
    let en = st;
    while (en + 1 < cands.length && sizeOf(cands[en + 1].type) <= sizeOf(cands[en].type) &&
      alignOf(cands[en + 1].type) <= alignOf(cands[en].type)) en++;
    const free = cands.slice(st, en + 1);
    while (free.length >= 2) {
      const leader = free.shift()!;
      const group = [span(leader)];
      for (const v of [...free]) {
        const [from, to] = span(v);
        if (group.some(([f, t]) => from <= t && f <= to)) continue;
        group.push([from, to]);
        leaders.set(v.name, leader.name);
        free.splice(free.indexOf(v), 1);
      }
    }
    st = en + 1;
  }
  return leaders;
}

/**
 * The 8-byte slots Go 1.21's entry-block rule adds (negative: saves), given the kept values the
 * rest of the model counts (commonValues' ranges). stackalloc.go gives unnamed values of a type
 * whose lives do not overlap one slot, so a value 1.21 makes early and last reads within the
 * entry block takes the slot of one made after the block (arith/arith-47 c2 with go1.21.13:
 * autotmp_9 holds a sum printed at line 28, then the else branch's (b * 291) at line 32). A
 * value commonValues keeps past the block is kept whatever the schedule: counted there, not
 * here (arith-88 c6: a + a printed, then read again in a branch).
 */
function entryIntSlots(rule: EntryDifference, common: Range[]): number {
  if (rule.ints <= 0) return rule.ints;
  const { end } = rule;
  const pastBlock = new Set(common.filter((r) => end !== null && !posBefore(r.to, end)).map((r) => `${r.from.line}:${r.from.col}`));
  const [with121, without] = rule.unnamed.map((list) => unnamedSlots(list.filter((k) => !pastBlock.has(`${k.line}:${k.col}`))));
  // The named values and those live out of the block, as the difference counts them.
  const [all121, all122] = rule.unnamed.map((list) => unnamedSlots(list));
  const named = rule.ints - (all121 - all122);
  if (with121 <= without) return named + with121 - without;
  // Slots of the values made after the block: they can share with those that die in it.
  const later = common.filter((r) => !r.bool && end !== null && !posBefore(r.from, end));
  const afterBlock = rangeSlots(later);
  return named + Math.max(0, with121 - Math.max(afterBlock, without));
}

export function frameLayout(fn: Func, prog: Program, profile: Profile): FrameLayout {
  fn = withoutDeadBranches(fn);
  // Go 1.21's entry block: the slots its scheduler's rule adds or saves (entry-schedule.ts).
  const entryRule = profile.entryStatementsFirst ? entryRuleDifference(fn, profile) : null;
  const params = paramArea(fn, profile);
  let outgoing = 0;
  let calls = false;
  walk(fn.body, (s) => {
    if (s.kind === 'call') {
      calls = true;
      outgoing = Math.max(outgoing, paramArea(prog.funcs.get(s.callee)!, profile).size);
    } else if (s.kind === 'go' || s.kind === 'println' || s.kind === 'send' || s.kind === 'recv' || s.kind === 'gc') {
      calls = true;
      outgoing = Math.max(outgoing, runtimeCallArgs(s, prog, profile));
    }
  });

  // Locals that get a frame slot: arrays (not SSA-able) and scalars live across calls (spilled;
  // constants are rematerialized instead: test/fixtures/go119-facts.md (a), (e)).
  const crossing = liveAcrossCalls(fn, fn.locals, profile);
  const loopCrossing = liveAcrossLoopCalls(fn);
  const addressed = addressedLocals(fn);
  // Too large for the stack: moved to the heap, the frame keeps at most its address, &x, when
  // that is read after a call (println(&x) reads it after printlock).
  const heapLocals = fn.locals.filter((v) => sizeOf(v.type) > profile.maxStackVarSize);
  if (heapLocals.length) {
    calls = true;
    outgoing = Math.max(outgoing, NEWOBJECT_ARGS);
  }
  // A variable c <- v passes where it lives (sendCopies) is addressed as well.
  const sentInPlace = new Set<string>();
  const copiedForSend = (v: Expr): boolean => {
    if (isConstant(v)) return false; // read-only static data
    if (v.kind !== 'var') return true;
    const inPlace = sendsInPlace(fn, v.name, profile, addressed);
    if (inPlace && fn.locals.some((l) => l.name === v.name)) sentInPlace.add(v.name);
    return !inPlace;
  };
  // order.go gives a statement's temporaries back when it ends and reuses them by type
  // (newTemp, o.free): every send of one element type copies into the same autotmp.
  const sendTemps = new Map<string, Var>();
  walk(fn.body, (s) => {
    if (s.kind !== 'send') return;
    const elem = prog.channels.get(s.chan)!.elem;
    // A constant is sent from static data (no value here); c <- struct{}{} passes a zero-size
    // autotmp's address.
    if (s.value ? !copiedForSend(s.value) : sizeOf(elem) > 0) return;
    if (!sendTemps.has(typeString(elem))) sendTemps.set(typeString(elem), { name: '', type: elem, pos: s.pos });
  });
  // Arrays, and scalars live across calls (spilled) or addressed, live in the frame.
  const fromParams = paramDerivedLocals(fn, !profile.computedArgsWaitInOrder);
  const useful = usefulLocals(fn);
  const slotted: Var[] = fn.locals.filter((v) => {
    if (v.type.kind === 'array' && v.type.len > 1) return !heapLocals.includes(v);
    if (v.type.kind === 'array' || v.type.kind === 'struct') return false; // [1]T and struct{}: SSA-able
    if (addressed.has(v.name) || sentInPlace.has(v.name)) return true;
    if (constantLocal(fn, v.name, profile)) return false; // rematerialized where it is used
    // The stack ABI's parameter lives in the caller's frame: a copy of it is read from there.
    if (profile.abi === 'stack' && paramCopyOnly(fn, v.name)) return false; // arith-3 c24 with go1.15.15: ok25 := flag, no slot
    if (readOnlyNegated(fn, v.name)) return false;
    if (profile.comparedAtPrint && comparedAtItsPrint(fn, v.name)) return false;
    if (v.type.kind === 'basic' && !useful.has(v.name)) return false; // dead: deadcode removes it
    const derived = fromParams.get(v.name);
    // A copy of a parameter printed twice is the parameter's (bareCopied).
    const twice = !derived?.bare && printedTwice(fn, v.name);
    // Made in its own block, before a branch, and first printed: kept across printlock too.
    if (derived && !derived.bare && keptInItsBlock(fn, v.name, profile)) return true;
    // A division by a variable may panic, so it is made at its statement, not where it is read:
    // read past a call, it is kept (arith/arith-52 c6: v8 := (d*6)/d; runtime.GC()).
    // From 1.21 a comparison of the quotient is made where it is printed, after the check
    // (arith/arith-31 c5: ok6 := (b/d) == d).
    const divides = assignmentsOf(fn.body, v.name).some((e) => subExprs(e).some(isVariableDivision) &&
      (profile.printDivisionsBeforeLock || !isComparison(e)));
    // Read in a loop that calls, a value made before the loop stays there (tighten.go moves
    // nothing into a loop) and lives across the call (frames/loop-bounds.go).
    if (derived && !derived.bare && loopCrossing.has(v.name)) return true;
    if (crossing.has(v.name) && derived) return spillsDerived(fn, v.name, derived, profile) || twice || divides;
    return crossing.has(v.name) || twice;
  });
  // v10 := s6, a copy of a local neither changes after it, is s6's value: one SSA value, one
  // slot, s6's (arith/arith-89 c5; frames/bare-reads.go localCopy); not on Go 1.15
  // (Profile.localCopySharesSlot).
  const statements = flatten(fn.body);
  if (profile.localCopySharesSlot !== false) for (const v of [...slotted]) {
    const values = assignmentsOf(fn.body, v.name);
    const w = values.length === 1 && values[0].kind === 'var' ? values[0].name : null;
    if (!w || !slotted.some((x) => x.name === w) || v.type.kind !== 'basic') continue;
    const at = statements.findIndex((x) => x.kind === 'assign' && x.name === v.name);
    if (statements.slice(at + 1).some((x) => x.kind === 'assign' && x.name === w)) continue;
    if (assignedInLoop(fn, v.name)) continue;
    slotted.splice(slotted.indexOf(v), 1);
  }
  for (const v of heapLocals) {
    // println(&x) reads it after printlock.
    if (addressed.has(v.name) || readAfterCall(fn, v.name)) slotted.push({ ...v, name: `&${v.name}`, type: { kind: 'pointer', elem: v.type } });
  }
  // Register ABI: an int parameter that is only ever read bare, as a whole argument
  // (println(k), g(k)), is copied to an 8-byte autotmp besides its spill slot; any read inside
  // a larger expression (k == 0, k+1) removes it (measured with Go 1.19 by the conformance suite;
  // 1.22+ make no copy).
  const regParams = fn.params.filter((p) => p.type.kind === 'basic').slice(0, INT_ARG_REGS);
  // Only a full-width integer: println(c) of a byte prints a conversion (recorded/go-many-args: mixed).
  // A local copy of the parameter (v := k) is the same value: its reads count as the
  // parameter's, unless it is kept across a call in a slot of its own (frames/bare-int-params.go).
  // A bool as well (printbool takes it as it is); not a byte, printed through a conversion.
  const bareCopied = (p: Var) => {
    if (!profile.bareIntParamCopy || (sizeOf(p.type) !== PTR && !(p.type.kind === 'basic' && p.type.name === 'bool'))) return false;
    const copies = paramCopies(fn, p.name);
    if (copies.some((c) => crossing.has(c))) return false;
    const group = [p.name, ...copies].map((n) => ({ n, ...bareReads(fn, n) }));
    return group.every((r) => !r.other) && group.some((r) => r.bare > 0) && group.some((r) => readAfterCall(fn, r.n));
  };
  if (profile.abi === 'register') {
    // Only a parameter passed in a register: amd64 has 9 for integers, and those after them are
    // passed on the stack already (recorded/many-params).
    for (const p of regParams) if (bareCopied(p)) slotted.push({ ...p, name: `.autotmp_${p.name}` });
    // Zeroing a local array whose 16-byte part is over 1 KiB takes REP STOSQ (AMD64.rules), which
    // uses RAX, RCX and RDI: a parameter there that is read before the first call is moved to
    // another register first, and that copy, still needed after a call, spills to a slot of its
    // own (frames/rep-stosq.go).
    const repStos = fn.locals.some((l) => zeroedBlock(l, profile) > REP_STOSQ_OVER);
    if (repStos) {
      for (const i of REP_STOSQ_PARAM_REGS) {
        const p = regParams[i];
        if (p && !bareCopied(p) && readBeforeFirstCall(fn, p.name) && readAfterCall(fn, p.name)) {
          slotted.push({ name: `.autotmp_moved_${p.name}`, type: INT, pos: p.pos });
        }
      }
    }
    // Over 64 bytes and up to 1 KiB it is DUFFZERO, which takes RDI only: the fourth parameter
    // is moved out of it, and its copy spills to a slot of its own if needed after a call
    // (recorded/go-many-args: mixed, from 1.22, where no bare copy holds it).
    const duffZero = !repStos && fn.locals.some((l) => zeroedBlock(l, profile) > DUFFZERO_OVER);
    const inRDI = regParams[DUFFZERO_PARAM_REG];
    // Only where its spill sinks past a branch: a spill in the entry block stores the
    // parameter to its own slot before the zeroing (recorded/seven-params: mix).
    const flat = flatten(fn.body);
    if (duffZero && inRDI && !bareCopied(inRDI) && readAfterCall(fn, inRDI.name) && spillSinks(flat, -1, (x) => stmtReads(x, inRDI.name))) {
      slotted.push({ name: `.autotmp_moved_${inRDI.name}`, type: INT, pos: inRDI.pos });
    }
    // A parameter the function assigns: its new value, live across a call, is spilled to a
    // local slot of its own; the parameter's slot is the caller's (frames/param-assign.go).
    const assigned = regParams.filter((p) => anyStmt(fn.body, (x) => x.kind === 'assign' && x.name === p.name));
    const assignedCrossing = liveAcrossCalls(fn, assigned);
    for (const p of assigned) if (assignedCrossing.has(p.name)) slotted.push({ ...p, pos: fn.pos });
    for (const name of [...movedForTwoOperandOps(fn, regParams, prog, profile, bareCopied), ...loopTakenParams(fn, profile)]) {
      if (!slotted.some((v) => v.name === `.autotmp_moved_${name}`)) slotted.push({ name: `.autotmp_moved_${name}`, type: INT, pos: fn.pos });
    }
  }
  // c <- v passes &v to chansend1: the values copied first (sendCopies) get an autotmp each
  // (a zero-size one takes no room, but see the padding below).
  for (const t of sendTemps.values()) slotted.push({ ...t, name: `.autotmp_send${slotted.length}` });
  const goTemps = new Map<string, GoTemp>();
  if (profile.abi === 'register') {
    for (const { holds, arg, ...t } of goStatementTemps(fn, prog, profile, addressed)) {
      const name = `${t.name}${slotted.length}`;
      slotted.push({ ...t, name });
      goTemps.set(name, { line: t.pos.line, holds, arg });
    }
  }
  for (const name of loopExitSpills(fn)) slotted.push({ name: `.autotmp_exit_${name}`, type: INT, pos: fn.pos });
  for (const name of loopSumsOfQuotients(fn)) slotted.push({ name: `.autotmp_sum_${name}`, type: INT, pos: fn.pos });
  for (const name of partialsKeptPastBlocks(fn, profile)) {
    if (slotted.some((v) => v.name === name)) slotted.push({ name: `.autotmp_partial_${name}`, type: INT, pos: fn.pos });
  }
  for (let k = keptDivisionResults(fn, profile); k > 0; k--) slotted.push({ name: `.autotmp_div${k}`, type: INT, pos: fn.pos });
  for (let k = argsBeforeLength(fn, profile); k > 0; k--) slotted.push({ name: `.autotmp_len${k}`, type: INT, pos: fn.pos });
  const commonRanges = { ranges: [] as Range[] };
  const common = commonValues(fn, profile, new Set(slotted.map((v) => v.name)), commonRanges);
  // stackalloc.go gives unnamed values of a type whose lives do not overlap one slot: a
  // parameter's moved copy, last read by a println's comparison, and a value a later statement
  // makes for that comparison's flags (arith/arith-4 c19).
  const sharing = (profile.comparisonFirstKeepsNext ? movedSharingWaits(fn, profile, slotted) : 0) + signsSharingWaits(fn, profile);
  for (let k = 0; k < sharing && common.includes(INT); k++) common.splice(common.indexOf(INT), 1);
  common.forEach((type, k) => slotted.push({ name: `.autotmp_common${k}`, type, pos: fn.pos }));
  for (const { name, keepsOwn } of loopPostValues(fn, profile)) {
    slotted.push({ name: `.autotmp_next_${name}`, type: INT, pos: fn.pos });
    const own = slotted.findIndex((v) => v.name === name);
    if (!keepsOwn && own >= 0) slotted.splice(own, 1);
  }
  if (profile.computedArgsWaitInOrder) {
    const own = new Set(slotted.map((v) => v.name));
    // !flag made early is a bool (arith/arith-42 c1: main.ok2, one byte).
    const negations = new Set<string>();
    walk(fn.body, (x) => { if (x.kind === 'assign' && x.value.kind === 'unary' && x.value.op === '!') negations.add(posKey(x.value.pos)); });
    for (const pos of valuesBeforeComputedArgs(fn, own, profile)) {
      slotted.push({ name: `.autotmp_early${slotted.length}`, type: negations.has(posKey(pos)) ? BOOL : INT, pos });
    }
  }
  if (entryRule) {
    const ints = entryIntSlots(entryRule, commonRanges.ranges);
    for (const [n, type] of [[ints, INT], [entryRule.bools, BOOL]] as const) {
      for (let k = 0; k < n; k++) slotted.push({ name: `.autotmp_entry${slotted.length}`, type, pos: fn.pos });
      // A value 1.21 makes later than 1.22 saves the last unnamed slot of its type.
      for (let k = 0; k > n; k--) {
        const i = slotted.map((v) => v.name.startsWith('.autotmp') && v.type === type).lastIndexOf(true);
        if (i >= 0) slotted.splice(i, 1);
      }
    }
  }
  // cmpstackvarlt: pointerful first, then larger first (1.22+: more aligned first), then by name;
  // allocated top down. A slot's name is the variable's, or an autotmp's where the compiler has
  // lost the variable's name (Profile.spillNameLost).
  const byAlignment = profile.localsOrder === 'alignment';
  const nameOf = (v: Var) => (profile.spillNameLost && shiftedLocal(fn, v.name) ? `.autotmp_~${v.name}` : v.name);
  slotted.sort((a, b) => {
    const [x, y] = [nameOf(a), nameOf(b)];
    return Number(hasPointers(b.type)) - Number(hasPointers(a.type)) ||
      (byAlignment ? alignOf(b.type) - alignOf(a.type) : sizeOf(b.type) - sizeOf(a.type)) ||
      (x < y ? -1 : x > y ? 1 : 0);
  });
  const merged = profile.mergeLocals ? mergedLocals(fn, slotted, addressed) : new Map<string, string>();
  let stksize = 0;
  let lastHasPtr = false;
  const fromTop = new Map<string, number>();
  for (const v of slotted) {
    if (merged.has(v.name)) continue; // shares its leader's slot
    // pgen.go AllocFrame: a zero-size object right after a pointerful one takes a byte, so that
    // its address does not point into the pointerful one (issue 24993).
    const w = sizeOf(v.type);
    stksize += w === 0 && lastHasPtr ? 1 : w;
    stksize = alignUp(stksize, alignOf(v.type));
    lastHasPtr = hasPointers(v.type);
    fromTop.set(v.name, stksize);
  }
  for (const [follower, leader] of merged) fromTop.set(follower, fromTop.get(leader)!);
  const locals = alignUp(stksize, PTR);

  if (fn.frameOverride) {
    // An explicit frame (a scenario's frame:, or the compiler's own numbers): locals keep their
    // places below the saved BP.
    const { frame, args } = fn.frameOverride;
    const localOffset = new Map<string, number>();
    for (const [name, off] of fromTop) localOffset.set(name, frame - PTR - off);
    return { frame, args, nosplit: !calls && frame < STACK_SMALL, localOffset, paramOffset: params.offsets, heapLocals: [] };
  }
  let frame = alignUp(locals + outgoing, PTR);
  if (frame > 0 || calls) frame += PTR; // saved BP (obj6.go: not for frameless leaves)
  // obj6.go: a leaf whose frame is under StackSmall needs no check; zeroing through DUFFZERO
  // (arrays of more than 64 bytes) counts as a call and lowers the bound to StackSmall-8.
  const duff = locals > 64;
  const nosplit = !calls && frame < (duff ? STACK_SMALL - 8 : STACK_SMALL);
  const localOffset = new Map<string, number>();
  const top = frame - PTR; // locals end just below the saved BP
  for (const [name, off] of fromTop) localOffset.set(name, top - off);
  return { frame, args: params.size, nosplit, localOffset, paramOffset: params.offsets, heapLocals, goTemps };
}

export { reads as exprReads };
