/**
 * What the compiler knows of a function's values before its code is laid out, which decides
 * what code there is (code-size.ts): locals that are one constant or a copy of a parameter
 * (SSA makes no value of them), constant subexpressions folded as the rewrite rules fold them,
 * the variable divisions whose zero check prove keeps, and the branches an if the compiler
 * decides leaves out.
 */
import { knownCondition, subExprs } from '../program/frame.js';
import { stmtExprs, type Expr, type Func, type Stmt } from '../program/model.js';
import { walk } from '../program/stmts.js';
import { literal } from './arith-size.js';
import type { Instr } from './code.js';

/**
 * Locals that are another value: assigned once, a constant (SSA makes no value of it, and each
 * read is the constant, folded into what reads it) or a copy of a variable never assigned (each
 * read is that variable's: its register, or its slot). No code where they are assigned.
 */
export function constantLocals(fn: Func): Map<string, Expr> {
  const assigned = new Map<string, Expr[]>();
  walk(fn.body, (s) => { if (s.kind === 'assign') assigned.set(s.name, [...(assigned.get(s.name) ?? []), s.value]); });
  const out = new Map<string, Expr>();
  const resolve = (name: string, seen: Set<string>): Expr | null => {
    const values = assigned.get(name);
    const local = fn.locals.find((l) => l.name === name);
    if (local?.type.kind !== 'basic' || values?.length !== 1 || seen.has(name)) return null;
    const v = values[0];
    if (v.kind === 'var') {
      if (fn.params.some((p) => p.name === v.name)) return assigned.has(v.name) ? null : v;
      return resolve(v.name, new Set([...seen, name]));
    }
    const value = folded(v);
    return value.kind === 'int' || value.kind === 'bool' ? value : null;
  };
  for (const name of assigned.keys()) {
    const value = resolve(name, new Set());
    if (value) out.set(name, value);
  }
  return out;
}

/** A constant expression as one literal (an int wrapped to int64 at each step, as Go's are). */
function folded(e: Expr): Expr {
  if (e.kind === 'bool' || e.kind === 'int') return e;
  const v = evaluate(e);
  if (v === null) return e;
  if (typeof v === 'boolean') return { kind: 'bool', value: v, pos: e.pos };
  return Number.isSafeInteger(Number(v)) ? { kind: 'int', value: Number(v), pos: e.pos } : { kind: 'int', value: Number(v), big: v, pos: e.pos };
}

/** A constant expression's value, or null where it reads a variable (or divides by zero). */
function evaluate(e: Expr): bigint | boolean | null {
  const wrap = (v: bigint) => BigInt.asIntN(64, v);
  switch (e.kind) {
    case 'int': return wrap(e.big ?? BigInt(e.value));
    case 'bool': return e.value;
    case 'unary': {
      const v = evaluate(e.operand);
      if (v === null) return null;
      return typeof v === 'boolean' ? !v : wrap(-v);
    }
    case 'binary': {
      const [l, r] = [evaluate(e.left), evaluate(e.right)];
      if (l === null || r === null) return null;
      if (typeof l === 'boolean' || typeof r === 'boolean') {
        if (e.op === '&&') return l && r;
        if (e.op === '||') return l || r;
        return e.op === '==' ? l === r : e.op === '!=' ? l !== r : null;
      }
      switch (e.op) {
        case '+': return wrap(l + r);
        case '-': return wrap(l - r);
        case '*': return wrap(l * r);
        case '/': return r === 0n ? null : wrap(l / r);
        case '%': return r === 0n ? null : l % r;
        case '==': return l === r;
        case '!=': return l !== r;
        case '<': return l < r;
        case '<=': return l <= r;
        case '>': return l > r;
        case '>=': return l >= r;
        default: return null;
      }
    }
    default: return null;
  }
}

/** An expression's value, for telling equal ones apart (positions left out). */
export function exprKey(e: Expr): string {
  switch (e.kind) {
    case 'int': return String(e.big ?? e.value);
    case 'bool': return String(e.value);
    case 'var': return `$${e.name}`;
    case 'unary': return `(${e.op}${exprKey(e.operand)})`;
    case 'binary': return `(${exprKey(e.left)}${e.op}${exprKey(e.right)})`;
    default: return `?${e.kind}`;
  }
}

/** The expression with constant locals' reads replaced by their constants, folded. */
export function inlineConstants(e: Expr, constants: ReadonlyMap<string, Expr>): Expr {
  const isLiteral = (x: Expr) => x.kind === 'int' || x.kind === 'bool';
  const sub = (x: Expr): Expr => {
    if (x.kind === 'var') return constants.get(x.name) ?? x;
    if (x.kind === 'unary') {
      const o = sub(x.operand);
      const y = o === x.operand ? x : { ...x, operand: o };
      return isLiteral(o) ? folded(y) : y;
    }
    if (x.kind !== 'binary') return x;
    const [l, r] = [sub(x.left), sub(x.right)];
    const y = l === x.left && r === x.right ? x : { ...x, left: l, right: r };
    if (isLiteral(l) && isLiteral(r)) return folded(y);
    // The rewrite rules' identities: x - x is 0, x * 0 is 0.
    if ((x.op === '-' && exprKey(l) === exprKey(r)) || (x.op === '*' && (literal(l) === 0n || literal(r) === 0n))) return { kind: 'int', value: 0, pos: x.pos };
    return y;
  };
  return sub(e);
}

export const posKey = (e: Expr) => `${e.pos.line}:${e.pos.col}`;

/** Forgets the keys (exprKey shapes) that read a variable just assigned. */
function forget(name: string, keys: Set<string> | Map<string, unknown>): void {
  for (const k of [...keys.keys()]) if (k.includes(`$${name}`)) keys.delete(k);
}

/**
 * The variable divisions that check their divisor for zero (a JEQ to a CALL panicdivide after
 * the body): the prove pass drops the check where one by the same divisor dominates it, earlier
 * on the path with the divisor unchanged since. By the division's position.
 */
export function zeroChecks(fn: Func, constants: ReadonlyMap<string, Expr>): Set<string> {
  const out = new Set<string>();
  const mark = (e: Expr, checked: Set<string>) => {
    for (const x of subExprs(inlineConstants(e, constants))) {
      if (x.kind !== 'binary' || (x.op !== '/' && x.op !== '%') || literal(x.right) !== null) continue;
      const divisor = exprKey(x.right);
      if (!checked.has(divisor)) out.add(posKey(x));
      checked.add(divisor);
    }
  };
  const visit = (list: Stmt[], checked: Set<string>) => {
    for (const s of list) {
      if (s.kind === 'if') {
        mark(s.cond, checked);
        visit(s.then, new Set(checked));
        visit(s.else, new Set(checked));
      } else if (s.kind === 'for') {
        if (s.init) visit([s.init], checked);
        const body = new Set(checked);
        if (s.cond) mark(s.cond, body);
        visit(s.body, body);
        if (s.post) visit([s.post], body);
        walk(s.body, (x) => { if (x.kind === 'assign') forget(x.name, checked); });
        if (s.post?.kind === 'assign') forget(s.post.name, checked);
      } else {
        for (const e of stmtExprs(s)) mark(e, checked);
        if (s.kind === 'assign') forget(s.name, checked);
      }
    }
  };
  visit(fn.body, new Set());
  return out;
}

/**
 * Divisions by a variable whose partner (x % y after x / y, or x / y after x % y, of the same
 * operands, neither assigned between) an earlier one on every path to it already made: AMD64's
 * IDIVQ gives both, and CSE keeps one. By position: 'first' for the division that makes both,
 * 'second' for the partner it leaves made (recorded/div-mod-print split, loop-step-products mul).
 */
export function pairedDivisions(fn: Func, constants: ReadonlyMap<string, Expr>): Map<string, 'first' | 'second'> {
  const out = new Map<string, 'first' | 'second'>();
  type Made = Map<string, { pos: string; op: string }>;
  const key = (x: Extract<Expr, { kind: 'binary' }>) => `${exprKey(x.left)}|${exprKey(x.right)}`;
  const mark = (e: Expr, made: Made) => {
    for (const x of subExprs(inlineConstants(e, constants))) {
      if (x.kind !== 'binary' || (x.op !== '/' && x.op !== '%') || literal(x.right) !== null) continue;
      const k = key(x);
      const before = made.get(k);
      if (before && before.op !== x.op) {
        out.set(before.pos, 'first');
        out.set(posKey(x), 'second');
      } else if (!before) made.set(k, { pos: posKey(x), op: x.op });
    }
  };
  const visit = (list: Stmt[], made: Made) => {
    for (const s of list) {
      if (s.kind === 'if') {
        mark(s.cond, made);
        visit(s.then, new Map(made));
        visit(s.else, new Map(made));
        walk([...s.then, ...s.else], (x) => { if (x.kind === 'assign') forget(x.name, made); });
      } else if (s.kind === 'for') {
        walk([s], (x) => { if (x.kind === 'assign') forget(x.name, made); });
        visit(s.body, new Map(made));
      } else {
        for (const e of stmtExprs(s)) mark(e, made);
        if (s.kind === 'assign') forget(s.name, made);
      }
    }
  };
  visit(fn.body, new Map());
  return out;
}

/**
 * The instructions the compiler leaves out: an if whose condition it knows (constant locals
 * folded in) keeps its live branch only, without the test.
 */
export function deadInstructions(code: readonly Instr[], constants: ReadonlyMap<string, Expr>): Set<number> {
  const dead = new Set<number>();
  code.forEach((ins, j) => {
    if (ins.op !== 'jumpIfNot' || ins.loop) return;
    const known = knownCondition(inlineConstants(ins.cond, constants));
    if (known === null) return;
    dead.add(j);
    const t = ins.target;
    const over = code[t - 1];
    // The then-branch's last jump goes over the else-branch.
    const elseJump = over?.op === 'jump' && over.loopCond === undefined && over.target > t ? t - 1 : null;
    const [from, to] = known ? (elseJump === null ? [t, t] : [elseJump, (over as { target: number }).target]) : [j + 1, elseJump === null ? t : elseJump + 1];
    for (let i = from; i < to; i++) dead.add(i);
  });
  return dead;
}
