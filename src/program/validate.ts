/**
 * Checks every Program, whichever front end built it, so that the runtime simulation can
 * trust it: declared functions and channels, argument counts and types (Go's assignability,
 * reduced to the types of the subset), and the compiler's own limits on types and frames.
 */
import {
  InputError, alignOf, alignUp, sizeOf, typeString,
  type Expr, type Func, type GoType, type Program, type SourcePos, type Stmt, type Var,
} from './model.js';

/** cmd/compile refuses frames (locals or arguments) of 1 GB or more. */
export const MAX_FRAME = 2 ** 30;
/** cmd/compile: types larger than the 64-bit address space limit (types.MaxWidth). */
export const MAX_TYPE_SIZE = 2 ** 50;
/** cmd/compile: channel element types must be smaller than 64 kB. */
const MAX_CHAN_ELEM = 2 ** 16;

/** Untyped constants (literals, comparisons) take their type from where they are used. */
export type ExprType = GoType | 'untyped int' | 'untyped bool';

const INTEGER = new Set(['int', 'uint', 'uintptr', 'int64', 'uint64', 'int32', 'uint32', 'rune',
  'int16', 'uint16', 'int8', 'uint8', 'byte']);

export function isInteger(t: ExprType): boolean {
  return t === 'untyped int' || (typeof t === 'object' && t.kind === 'basic' && INTEGER.has(t.name));
}

export function isBool(t: ExprType): boolean {
  return t === 'untyped bool' || (typeof t === 'object' && t.kind === 'basic' && t.name === 'bool');
}

export function describe(t: ExprType): string {
  return typeof t === 'string' ? t : typeString(t);
}

export function identical(a: GoType, b: GoType): boolean {
  return typeString(a) === typeString(b);
}

/** Whether a value of type `t` may be passed or assigned where `target` is expected. */
export function assignable(t: ExprType, target: GoType): boolean {
  if (t === 'untyped int') return target.kind === 'basic' && target.name !== 'bool';
  if (t === 'untyped bool') return target.kind === 'basic' && target.name === 'bool';
  return identical(t, target);
}

/** Size of a parameter list laid out like the Go ABI0 argument area (8-byte aligned). */
export function argsSize(params: Var[]): number {
  let off = 0;
  for (const p of params) off = alignUp(off, alignOf(p.type)) + sizeOf(p.type);
  return alignUp(off, 8);
}

/** Refuses negative or fractional array lengths and types too large to exist. */
export function checkType(t: GoType, pos: SourcePos): void {
  if (t.kind === 'array') {
    if (!Number.isSafeInteger(t.len) || t.len < 0) throw new InputError(`invalid array length ${t.len}`, pos);
    checkType(t.elem, pos);
  } else if (t.kind === 'struct' || t.kind === 'chan') {
    for (const f of t.kind === 'struct' ? t.fields : [t.elem]) checkType(f, pos);
  }
  if (sizeOf(t) >= MAX_TYPE_SIZE) throw new InputError(`type ${typeString(t)} too large`, pos);
}

/** The value of an untyped integer constant expression (Go's exact arithmetic), or null. */
export function constValue(e: Expr): bigint | null {
  if (e.kind === 'int') return e.big ?? BigInt(e.value);
  if (e.kind === 'unary' && e.op === '-') {
    const v = constValue(e.operand);
    return v === null ? null : -v;
  }
  if (e.kind !== 'binary') return null;
  const [l, r] = [constValue(e.left), constValue(e.right)];
  if (l === null || r === null) return null;
  switch (e.op) {
    case '+': return l + r;
    case '-': return l - r;
    case '*': return l * r;
    case '/': return r === 0n ? null : l / r; // BigInt division truncates toward zero, as Go's
    case '%': return r === 0n ? null : l % r;
    default: return null;
  }
}

/** The values an integer type holds. */
function integerRange(t: GoType): [bigint, bigint] | null {
  if (t.kind !== 'basic') return null;
  if (t.name === 'byte' || t.name === 'uint8') return [0n, 255n];
  if (t.name === 'int' || t.name === 'int64') return [-(2n ** 63n), 2n ** 63n - 1n];
  return null;
}

/** A constant that does not fit the type it is converted to: the compiler's words, or null. */
function overflow(e: Expr, t: GoType): { what: string } | null {
  const v = constValue(e);
  const range = integerRange(t);
  if (v === null || !range || (v >= range[0] && v <= range[1])) return null;
  const literal = e.kind === 'int' || (e.kind === 'unary' && e.operand.kind === 'int');
  return { what: literal ? `${v} (untyped int constant)` : `constant expression (untyped int constant ${v})` };
}

/** Refuses an untyped constant used as a value of a type it overflows (`var b byte = 300`). */
export function checkConstantFits(e: Expr, t: GoType, context: string): void {
  const o = overflow(e, t);
  if (o) throw new InputError(`cannot use ${o.what} as ${typeString(t)} value in ${context} (overflows)`, e.pos);
}

/** The type of an expression, or an InputError naming the offending operand. */
export function exprType(e: Expr, vars: (name: string) => GoType | undefined): ExprType {
  switch (e.kind) {
    case 'int': return 'untyped int';
    case 'bool': return 'untyped bool';
    case 'zero': return e.type;
    case 'var': {
      const t = vars(e.name);
      if (!t) throw new InputError(`undefined: ${e.name}`, e.pos);
      return t;
    }
    case 'unary': {
      const t = exprType(e.operand, vars);
      const ok = e.op === '-' ? isInteger(t) : isBool(t);
      if (!ok) throw new InputError(`invalid operation: operator ${e.op} not defined on ${describe(t)} value`, e.pos);
      return t;
    }
    case 'binary': {
      const l = exprType(e.left, vars);
      const r = exprType(e.right, vars);
      const arith = ['+', '-', '*', '/', '%'].includes(e.op);
      const logic = e.op === '&&' || e.op === '||';
      const eq = e.op === '==' || e.op === '!=';
      const ok = logic ? isBool(l) && isBool(r)
        : arith || !eq ? isInteger(l) && isInteger(r)
        : (isInteger(l) && isInteger(r)) || (isBool(l) && isBool(r));
      if (!ok) throw new InputError(`invalid operation: operator ${e.op} not defined on ${describe(l)} and ${describe(r)}`, e.pos);
      if (typeof l === 'object' && typeof r === 'object' && !identical(l, r)) {
        throw new InputError(`invalid operation: mismatched types ${describe(l)} and ${describe(r)}`, e.pos);
      }
      if ((e.op === '/' || e.op === '%') && e.right.kind === 'int' && e.right.value === 0) {
        throw new InputError('invalid operation: division by zero', e.right.pos);
      }
      // b + 300 with b a byte: the constant is converted to byte first.
      const converted = typeof l === 'object' && typeof r === 'string' ? { c: e.right, t: l }
        : typeof r === 'object' && typeof l === 'string' ? { c: e.left, t: r } : null;
      const o = converted && overflow(converted.c, converted.t);
      if (o) throw new InputError(`${o.what} overflows ${typeString(converted!.t)}`, converted!.c.pos);
      if (arith) return typeof l === 'object' ? l : r;
      if (logic) return typeof l === 'object' ? l : typeof r === 'object' ? r : 'untyped bool';
      return 'untyped bool';
    }
  }
}

export function validateProgram(p: Program): void {
  const main = p.funcs.get('main');
  if (!main) throw new InputError('function main is undeclared in the main package', { file: p.file });
  if (main.params.length > 0) throw new InputError('func main must have no arguments and no return values', main.pos);
  for (const ch of p.channels.values()) {
    checkType(ch.elem, ch.pos);
    if (sizeOf(ch.elem) >= MAX_CHAN_ELEM) throw new InputError('channel element type too large (>64kB)', ch.pos);
    if (p.funcs.has(ch.name)) throw new InputError(`${ch.name} redeclared in this block (also a function)`, ch.pos);
  }
  for (const f of p.funcs.values()) validateFunc(p, f);
}

const MB = (n: number) => Math.floor(n / 2 ** 20);

function validateFunc(p: Program, f: Func): void {
  const vars = new Map<string, GoType>();
  for (const v of [...f.params, ...f.locals]) {
    if (vars.has(v.name)) throw new InputError(`${v.name} redeclared in this block`, v.pos);
    checkType(v.type, v.pos);
    if (v.type.kind === 'chan') throw new InputError(`${v.name}: channel variables are not supported (declare channels at package level)`, v.pos);
    vars.set(v.name, v.type);
  }
  const locals = f.locals.reduce((n, v) => alignUp(n, alignOf(v.type)) + sizeOf(v.type), 0);
  const args = argsSize(f.params);
  if (f.frameOverride) {
    const { frame, args: a } = f.frameOverride;
    if (!Number.isSafeInteger(frame) || frame < 0 || !Number.isSafeInteger(a) || a < 0) {
      throw new InputError(`invalid frame size ${frame}`, f.pos);
    }
  }
  const frame = f.frameOverride ? f.frameOverride.frame : locals;
  if (frame >= MAX_FRAME || args >= MAX_FRAME) {
    throw new InputError(`stack frame too large (>1GB): ${MB(frame)} MB locals + ${MB(args)} MB args`, f.pos);
  }
  const ctx = { p, f, vars: (n: string) => vars.get(n) };
  for (const s of f.body) checkStmt(ctx, s);
}

interface Ctx {
  p: Program;
  f: Func;
  vars: (name: string) => GoType | undefined;
}

function checkStmt(ctx: Ctx, s: Stmt): void {
  switch (s.kind) {
    case 'call':
    case 'go': checkCall(ctx, s); break;
    case 'println':
      for (const a of s.args) {
        if (a.kind === 'addr' && !ctx.vars(a.name)) throw new InputError(`undefined: ${a.name}`, a.pos);
        if (a.kind === 'int') {
          const t = exprType(a.expr, ctx.vars);
          if (!isInteger(t) && !isBool(t)) {
            throw new InputError(`println of ${describe(t)} is not supported (only strings, &variables, integers and booleans)`, a.expr.pos);
          }
        }
      }
      break;
    case 'send':
    case 'recv':
      if (!ctx.p.channels.has(s.chan)) throw new InputError(`undefined channel: ${s.chan}`, s.pos);
      break;
    case 'if':
      checkCond(ctx, s.cond, 'if');
      for (const t of [...s.then, ...s.else]) checkStmt(ctx, t);
      break;
    case 'for':
      if (s.init) checkStmt(ctx, s.init);
      if (s.cond) checkCond(ctx, s.cond, 'for');
      if (s.post) checkStmt(ctx, s.post);
      for (const t of s.body) checkStmt(ctx, t);
      break;
    case 'assign': {
      const t = ctx.vars(s.name);
      if (!t) throw new InputError(`undefined: ${s.name}`, s.pos);
      if (!isInteger(t) && !isBool(t)) {
        throw new InputError(`cannot assign to ${s.name} (${typeString(t)}): only integer and bool variables can be assigned`, s.pos);
      }
      const v = exprType(s.value, ctx.vars);
      if (!assignable(v, t)) throw new InputError(`cannot use ${describe(v)} value as ${typeString(t)} value in assignment`, s.value.pos);
      checkConstantFits(s.value, t, 'assignment');
      break;
    }
    case 'gc':
    case 'return':
      break;
  }
}

function checkCond(ctx: Ctx, cond: Expr, where: string): void {
  const t = exprType(cond, ctx.vars);
  if (!isBool(t)) throw new InputError(`non-boolean condition in ${where} statement (${describe(t)})`, cond.pos);
}

function checkCall(ctx: Ctx, s: Extract<Stmt, { kind: 'call' | 'go' }>): void {
  const callee = ctx.p.funcs.get(s.callee);
  if (!callee) throw new InputError(`undefined function: ${s.callee}`, s.pos);
  const want = callee.params;
  if (s.args.length !== want.length) {
    const which = s.args.length < want.length ? 'not enough' : 'too many';
    const sig = want.map((v) => `${v.name} ${typeString(v.type)}`).join(', ');
    const at = s.args.length > want.length ? s.args[want.length].pos : s.pos;
    throw new InputError(`${which} arguments in call to ${s.callee}: have ${s.args.length}, want ${want.length} (${sig})`, at);
  }
  s.args.forEach((a, i) => {
    const t = exprType(a, ctx.vars);
    const pt = want[i].type;
    if (!assignable(t, pt)) {
      throw new InputError(`cannot use ${describe(t)} value as ${typeString(pt)} value in argument ${i + 1} (${want[i].name}) to ${s.callee}`, a.pos);
    }
    checkConstantFits(a, pt, `argument to ${s.callee}`);
  });
}
