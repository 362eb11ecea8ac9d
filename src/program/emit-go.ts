/**
 * Program -> Go source: the program a scenario (or a parsed .go file) stands for, as a Go file
 * that the Go front end reads back into the same Program and that the real compiler builds.
 *
 * - Every function is //go:noinline, as the frame model assumes.
 * - Names that are not Go identifiers (the hidden counter of a scenario's `repeat`, `i·1`, and
 *   the ·N suffixes the Go front end gives a name declared again in an inner block) become
 *   identifiers (`i1`), avoiding every other name the function uses.
 * - Locals: an int or bool local is declared where it is first assigned (`x := v`, `var x T`,
 *   `for i := 0; ...`) when every use is inside that block; otherwise, and for arrays, it is
 *   declared where its position says it was (a scenario's locals: at the top of the function).
 *   A local the program never reads is left out: Go refuses it ("declared and not used"), and
 *   the compiler would give it no stack slot anyway.
 * - Layout follows gofmt: tabs, blank lines between declarations, and gofmt's spacing of binary
 *   expressions (go/printer: spaces around + and * only where they show precedence).
 */
import {
  stmtExprs, typeString,
  type Expr, type Func, type GoType, type PrintArg, type Program, type SourcePos, type Stmt, type Var,
} from './model.js';
import { exprType } from './validate.js';
import { anyStmt, innerLists } from './stmts.js';

const GO_KEYWORDS = new Set(['break', 'case', 'chan', 'const', 'continue', 'default', 'defer', 'else',
  'fallthrough', 'for', 'func', 'go', 'goto', 'if', 'import', 'interface', 'map', 'package', 'range',
  'return', 'select', 'struct', 'switch', 'type', 'var']);
const IDENT = /^[\p{L}_][\p{L}\p{Nd}_]*$/u;

/** Go operator precedence (go/token). */
const PREC: Record<string, number> = {
  '||': 1, '&&': 2, '==': 3, '!=': 3, '<': 3, '<=': 3, '>': 3, '>=': 3, '+': 4, '-': 4, '*': 5, '/': 5, '%': 5,
};

export function programToGo(p: Program): string {
  const usesGC = [...p.funcs.values()].some((f) => anyStmt(f.body, (s) => s.kind === 'gc'));
  const parts: string[] = ['package main\n'];
  if (usesGC) parts.push('import "runtime"\n');
  if (p.channels.size > 0) {
    parts.push([...p.channels.values()].map((c) => `var ${goName(c.name)} = make(chan ${typeString(c.elem)})\n`).join(''));
  }
  for (const f of p.funcs.values()) parts.push(new FuncEmitter(p, f).emit());
  return parts.join('\n');
}

/** A top-level name (function, channel) as a Go identifier; they come from valid Go or checked scenarios. */
function goName(name: string): string {
  return IDENT.test(name) && !GO_KEYWORDS.has(name) ? name : sanitize(name);
}

function sanitize(name: string): string {
  let s = [...name].filter((c) => /[\p{L}\p{Nd}_]/u.test(c)).join('');
  if (!s || !/^[\p{L}_]/u.test(s)) s = `v${s}`;
  return s;
}

// ---------------------------------------------------------------------------------------------
// Statement walking

function exprVars(e: Expr | null | undefined, out: Set<string>): Set<string> {
  if (!e) return out;
  switch (e.kind) {
    case 'var': out.add(e.name); break;
    case 'unary': exprVars(e.operand, out); break;
    case 'binary': exprVars(e.left, out); exprVars(e.right, out); break;
    default: break;
  }
  return out;
}

/** Variables a statement reads (its own expressions only, not nested statements). */
function readsOf(s: Stmt): Set<string> {
  const out = new Set<string>();
  for (const e of stmtExprs(s)) exprVars(e, out);
  // println(&local) takes the local's address: it mentions it.
  if (s.kind === 'println') for (const a of s.args) if (a.kind === 'addr') out.add(a.name);
  return out;
}

/** Every variable a statement mentions, nested statements included. */
function mentions(s: Stmt, out = new Set<string>()): Set<string> {
  for (const v of readsOf(s)) out.add(v);
  if (s.kind === 'assign') out.add(s.name);
  if (s.kind === 'if') [...s.then, ...s.else].forEach((t) => mentions(t, out));
  if (s.kind === 'for') {
    if (s.init) mentions(s.init, out);
    if (s.post) mentions(s.post, out);
    s.body.forEach((t) => mentions(t, out));
  }
  return out;
}

function before(a: SourcePos, b: SourcePos): boolean {
  return a.line < b.line || (a.line === b.line && a.col < b.col);
}

// ---------------------------------------------------------------------------------------------
// Expressions, printed the way gofmt prints them (go/printer nodes.go: binaryExpr, cutoff)

/** An expression tree with the parentheses Go needs made explicit. */
type PExpr =
  | { kind: 'leaf'; text: string }
  | { kind: 'unary'; op: string; operand: PExpr }
  | { kind: 'binary'; op: string; left: PExpr; right: PExpr }
  | { kind: 'paren'; inner: PExpr };

function toPExpr(e: Expr, name: (v: string) => string): PExpr {
  switch (e.kind) {
    case 'int':
      return e.value < 0 ? { kind: 'unary', op: '-', operand: { kind: 'leaf', text: String(-e.value) } } : { kind: 'leaf', text: String(e.big ?? e.value) };
    case 'bool': return { kind: 'leaf', text: String(e.value) };
    case 'var': return { kind: 'leaf', text: name(e.name) };
    case 'zero': return { kind: 'leaf', text: zeroValue(e.type) };
    case 'unary': {
      const operand = toPExpr(e.operand, name);
      return { kind: 'unary', op: e.op, operand: operand.kind === 'binary' ? { kind: 'paren', inner: operand } : operand };
    }
    case 'binary': {
      const p = PREC[e.op]!;
      let left = toPExpr(e.left, name);
      let right = toPExpr(e.right, name);
      if (left.kind === 'binary' && PREC[left.op]! < p) left = { kind: 'paren', inner: left };
      if (right.kind === 'binary' && PREC[right.op]! <= p) right = { kind: 'paren', inner: right };
      return { kind: 'binary', op: e.op, left, right };
    }
  }
}

function walkBinary(e: Extract<PExpr, { kind: 'binary' }>): { has4: boolean; has5: boolean; maxProblem: number } {
  const prec = PREC[e.op]!;
  let has4 = prec === 4;
  let has5 = prec === 5;
  let maxProblem = 0;
  const merge = (x: Extract<PExpr, { kind: 'binary' }>) => {
    const r = walkBinary(x);
    has4 ||= r.has4;
    has5 ||= r.has5;
    maxProblem = Math.max(maxProblem, r.maxProblem);
  };
  if (e.left.kind === 'binary' && PREC[e.left.op]! >= prec) merge(e.left);
  if (e.right.kind === 'binary' && PREC[e.right.op]! > prec) merge(e.right);
  if (e.right.kind === 'unary') {
    const pair = e.op + e.right.op;
    if (pair === '&&') maxProblem = 5;
    else if (pair === '--' || pair === '++') maxProblem = Math.max(maxProblem, 4);
  }
  return { has4, has5, maxProblem };
}

function cutoff(e: Extract<PExpr, { kind: 'binary' }>, depth: number): number {
  const { has4, has5, maxProblem } = walkBinary(e);
  if (maxProblem > 0) return maxProblem + 1;
  if (has4 && has5) return depth === 1 ? 5 : 4;
  return depth === 1 ? 6 : 4;
}

function printExpr(e: PExpr, depth: number): string {
  return expr1(e, depth);
}

function expr1(e: PExpr, depth: number): string {
  switch (e.kind) {
    case 'leaf': return e.text;
    case 'paren': {
      const inner = e.inner.kind === 'paren' ? e.inner.inner : e.inner;
      return `(${expr1(inner, Math.max(1, depth - 1))})`;
    }
    case 'unary': {
      const operand = expr1(e.operand, depth);
      // go/printer separates tokens that would merge: - -x, not --x.
      return e.op === '-' && operand.startsWith('-') ? `- ${operand}` : `${e.op}${operand}`;
    }
    case 'binary': {
      const prec = PREC[e.op]!;
      const blank = prec < cutoff(e, depth) ? ' ' : '';
      const diff = e.left.kind === 'binary' && PREC[e.left.op] === prec ? 0 : 1;
      const left = expr1(e.left, depth + diff);
      const right = expr1(e.right, depth + 1);
      return `${left}${blank}${e.op}${blank}${right}`;
    }
  }
}

/** The zero value of a type as a Go expression: struct{}{}, [3]int{}, 0, false. */
function zeroValue(t: GoType): string {
  if (t.kind === 'basic') return t.name === 'bool' ? 'false' : '0';
  return `${typeString(t)}{}`;
}

/** A Go interpreted string literal for `s` (strconv.Quote's escapes). */
export function goString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    switch (ch) {
      case '"': out += '\\"'; break;
      case '\\': out += '\\\\'; break;
      case '\n': out += '\\n'; break;
      case '\t': out += '\\t'; break;
      case '\r': out += '\\r'; break;
      case '\x07': out += '\\a'; break;
      case '\b': out += '\\b'; break;
      case '\f': out += '\\f'; break;
      case '\v': out += '\\v'; break;
      default:
        if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
        else if ((cp >= 0x80 && cp < 0xa0) || cp === 0xfeff || (cp >= 0x2028 && cp <= 0x2029)) {
          out += `\\u${cp.toString(16).padStart(4, '0')}`;
        } else out += ch;
    }
  }
  return `${out}"`;
}

// ---------------------------------------------------------------------------------------------
// Functions

/** Where each local is declared. */
interface Plan {
  /** Basic locals declared by their first assignment (x := v, var x T = v, for i := 0): that statement. */
  declaringAssign: Map<Stmt, Var>;
  /** Locals declared by a `var` line right before a statement (null: the function has no statements). */
  varLinesBefore: Map<Stmt | null, Var[]>;
  /** Locals never read: not declared at all. */
  omitted: Var[];
}

/** Whether `v` is mentioned anywhere in `s` other than its nested statement lists. */
function mentionedInHeader(s: Stmt, v: string): boolean {
  if (readsOf(s).has(v) || (s.kind === 'assign' && s.name === v)) return true;
  return s.kind === 'for' && ((!!s.init && mentions(s.init).has(v)) || (!!s.post && mentions(s.post).has(v)));
}

function planLocals(f: Func): Plan {
  const plan: Plan = { declaringAssign: new Map(), varLinesBefore: new Map(), omitted: [] };
  const read = new Set<string>();
  anyStmt(f.body, (s) => {
    for (const v of readsOf(s)) read.add(v);
    return false;
  });
  const top = f.body[0] ?? null;
  const addVarLine = (at: Stmt | null, v: Var) => {
    const list = plan.varLinesBefore.get(at) ?? [];
    list.push(v);
    plan.varLinesBefore.set(at, list);
  };
  for (const v of f.locals) {
    if (!read.has(v.name)) {
      plan.omitted.push(v);
    } else if (v.type.kind === 'basic') {
      const decl = declaringAssignment(f.body, v.name);
      if (decl) plan.declaringAssign.set(decl, v);
      else addVarLine(top, v);
    } else {
      const at = statementAfter(f.body, v.pos);
      addVarLine(at && inScopeFrom(f.body, at, v.name) ? at : top, v);
    }
  }
  return plan;
}

/**
 * The assignment that can declare `v`: its first mention, sitting directly in a statement list
 * (or as a for loop's init), not reading `v`, with every later mention in the same list (or, for
 * a loop's init, inside that loop). Null when there is none.
 */
function declaringAssignment(list: Stmt[], v: string): Stmt | null {
  for (let i = 0; i < list.length; i++) {
    const s = list[i]!;
    if (!mentions(s).has(v)) continue;
    const laterMention = list.slice(i + 1).some((t) => mentions(t).has(v));
    if (s.kind === 'assign') return s.name === v && !readsOf(s).has(v) ? s : null;
    if (s.kind === 'for' && s.init?.kind === 'assign' && s.init.name === v && !readsOf(s.init).has(v)) {
      return laterMention ? null : s.init;
    }
    // The first mention is nested in s: declare it there only if s's header and everything after s leave it alone.
    if (laterMention || mentionedInHeader(s, v)) return null;
    const lists = innerLists(s).filter((l) => l.some((t) => mentions(t).has(v)));
    return lists.length === 1 ? declaringAssignment(lists[0]!, v) : null;
  }
  return null;
}

/**
 * The first statement after a declaration at `pos`, in the innermost block around `pos` that
 * has one (a Go file's `var y [4]int` inside a loop goes back inside the loop). Scenario locals
 * come before every step: the function's first statement.
 */
function statementAfter(list: Stmt[], pos: SourcePos): Stmt | null {
  for (let i = 0; i < list.length; i++) {
    const s = list[i]!;
    if (before(pos, s.pos)) return s;
    const next = list[i + 1];
    if (!next || before(pos, next.pos)) {
      // pos lies after s starts and before the next statement: inside s, or right after it.
      for (const l of innerLists(s)) {
        const hit = statementAfter(l, pos);
        if (hit) return hit;
      }
      if (next) return next;
    }
  }
  return null;
}

/** Whether a declaration right before `at` has every mention of `v` in its scope. */
function inScopeFrom(body: Stmt[], at: Stmt, v: string): boolean {
  const holder = (list: Stmt[]): Stmt[] | null => {
    if (list.includes(at)) return list;
    for (const s of list) {
      for (const l of innerLists(s)) {
        const h = holder(l);
        if (h) return h;
      }
    }
    return null;
  };
  const count = (list: Stmt[]): number =>
    list.reduce((n, s) => n + Number(mentionedInHeader(s, v)) + innerLists(s).reduce((m, l) => m + count(l), 0), 0);
  const home = holder(body);
  return !!home && count(home.slice(home.indexOf(at))) === count(body);
}

class FuncEmitter {
  private readonly names = new Map<string, string>();
  private readonly types = new Map<string, GoType>();
  private readonly plan: Plan;
  private readonly lines: string[] = [];
  private readonly omitted: Set<string>;

  constructor(readonly prog: Program, readonly fn: Func) {
    for (const v of [...fn.params, ...fn.locals]) this.types.set(v.name, v.type);
    this.assignNames();
    this.plan = planLocals(fn);
    this.omitted = new Set(this.plan.omitted.map((v) => v.name));
  }

  /** An assignment to a local that is left out (never read) is left out with it. */
  private dropped(s: Stmt | null): boolean {
    return !!s && s.kind === 'assign' && this.omitted.has(s.name);
  }

  /**
   * Keeps every name that is a Go identifier and hides nothing the function uses (a callee, a
   * channel, println, runtime, a type name); gives the others an identifier no other name takes.
   */
  private assignNames(): void {
    const f = this.fn;
    const reserved = new Set<string>([...GO_KEYWORDS, '_', 'true', 'false']);
    const addTypeNames = (t: GoType): void => {
      if (t.kind === 'basic') reserved.add(t.name);
      else if (t.kind === 'array' || t.kind === 'chan' || t.kind === 'pointer') addTypeNames(t.elem);
      else t.fields.forEach(addTypeNames);
    };
    anyStmt(f.body, (s) => {
      if (s.kind === 'call' || s.kind === 'go') reserved.add(goName(s.callee));
      else if (s.kind === 'send' || s.kind === 'recv') {
        reserved.add(goName(s.chan));
        addTypeNames(this.prog.channels.get(s.chan)!.elem);
      } else if (s.kind === 'println') reserved.add('println');
      else if (s.kind === 'gc') reserved.add('runtime');
      return false;
    });
    const vars = [...f.params, ...f.locals];
    vars.forEach((v) => addTypeNames(v.type));
    const keep = (n: string) => IDENT.test(n) && !reserved.has(n);
    const taken = new Set<string>(reserved);
    for (const v of vars) if (keep(v.name)) taken.add(v.name);
    for (const v of vars) {
      if (keep(v.name)) {
        this.names.set(v.name, v.name);
        continue;
      }
      const base = sanitize(v.name);
      let cand = base;
      for (let k = 2; taken.has(cand); k++) cand = `${base}_${k}`;
      taken.add(cand);
      this.names.set(v.name, cand);
    }
  }

  private name = (v: string): string => this.names.get(v) ?? goName(v);

  emit(): string {
    const f = this.fn;
    const params = f.params.map((p) => `${this.name(p.name)} ${typeString(p.type)}`).join(', ');
    const head: string[] = [];
    if (f.frameOverride) {
      head.push(`// The scenario gives ${f.name} a ${f.frameOverride.frame}-byte frame; the compiler sizes it from its locals.`);
    }
    for (const v of this.plan.omitted) {
      head.push(`// ${this.name(v.name)} ${typeString(v.type)} is never read: Go refuses an unused local, so it is left out.`);
    }
    // gofmt separates a doc comment from the directive with an empty comment line.
    if (head.length) head.push('//');
    head.push('//go:noinline');
    if (f.body.length === 0) this.varLines(null, 1);
    this.block(f.body, 1);
    const body = this.lines.length ? `${this.lines.join('\n')}\n` : '';
    return `${head.join('\n')}\nfunc ${goName(f.name)}(${params}) {\n${body}}\n`;
  }

  private out(indent: number, text: string): void {
    this.lines.push(`${'\t'.repeat(indent)}${text}`);
  }

  private varLines(at: Stmt | null, indent: number): void {
    for (const v of this.plan.varLinesBefore.get(at) ?? []) this.out(indent, `var ${this.name(v.name)} ${typeString(v.type)}`);
  }

  private block(list: Stmt[], indent: number): void {
    for (const s of list) {
      this.varLines(s, indent);
      this.stmt(s, indent);
    }
  }

  /** An expression; depth 2 inside calls of several arguments (gofmt's compact mode). */
  private e(x: Expr, depth = 1): string {
    return printExpr(toPExpr(x, this.name), depth);
  }

  private callArgs(args: Expr[]): string {
    const depth = args.length > 1 ? 2 : 1;
    return args.map((a) => this.e(a, depth)).join(', ');
  }

  private printArg(a: PrintArg, depth: number): string {
    if (a.kind === 'string') return goString(a.value);
    if (a.kind === 'addr') return `&${this.name(a.name)}`;
    return this.e(a.expr, depth);
  }

  /** The type `x := value` would give x. */
  private naturalType(value: Expr): string {
    const t = exprType(value, (n) => this.types.get(n));
    return t === 'untyped int' ? 'int' : t === 'untyped bool' ? 'bool' : typeString(t);
  }

  /** An assignment, written as the declaration of its variable when it declares it. */
  private assign(s: Extract<Stmt, { kind: 'assign' }>): string {
    const v = this.plan.declaringAssign.get(s);
    const name = this.name(s.name);
    if (v) {
      const type = typeString(v.type);
      if (this.naturalType(s.value) === type) return `${name} := ${this.e(s.value)}`;
      const zero = (s.value.kind === 'int' && s.value.value === 0) || (s.value.kind === 'bool' && !s.value.value);
      return zero ? `var ${name} ${type}` : `var ${name} ${type} = ${this.e(s.value)}`;
    }
    const val = s.value;
    if (val.kind === 'binary' && val.left.kind === 'var' && val.left.name === s.name && ['+', '-', '*', '/', '%'].includes(val.op)) {
      if ((val.op === '+' || val.op === '-') && val.right.kind === 'int' && val.right.value === 1) return `${name}${val.op}${val.op}`;
      return `${name} ${val.op}= ${this.e(val.right)}`;
    }
    return `${name} = ${this.e(val)}`;
  }

  private stmt(s: Stmt, indent: number): void {
    switch (s.kind) {
      case 'call': this.out(indent, `${goName(s.callee)}(${this.callArgs(s.args)})`); return;
      case 'go': this.out(indent, `go ${goName(s.callee)}(${this.callArgs(s.args)})`); return;
      case 'println': {
        const depth = s.args.length > 1 ? 2 : 1;
        this.out(indent, `println(${s.args.map((a) => this.printArg(a, depth)).join(', ')})`);
        return;
      }
      case 'gc': this.out(indent, 'runtime.GC()'); return;
      case 'send': {
        const value = s.value ? this.e(s.value, 1) : zeroValue(this.prog.channels.get(s.chan)!.elem);
        this.out(indent, `${goName(s.chan)} <- ${value}`);
        return;
      }
      case 'recv': this.out(indent, `<-${goName(s.chan)}`); return;
      case 'return': this.out(indent, 'return'); return;
      case 'assign': if (!this.dropped(s)) this.out(indent, this.assign(s)); return;
      case 'if': this.ifStmt(s, indent); return;
      case 'for': this.forStmt(s, indent); return;
    }
  }

  private forStmt(s: Extract<Stmt, { kind: 'for' }>, indent: number): void {
    let init = '';
    if (s.init && !this.dropped(s.init)) {
      if (s.init.kind !== 'assign') throw new Error(`internal: a for loop's init is a ${s.init.kind} statement`);
      const v = this.plan.declaringAssign.get(s.init);
      // A for clause cannot hold `var`: a counter := would mistype is declared just before the loop.
      if (v && this.naturalType(s.init.value) !== typeString(v.type)) {
        this.out(indent, `var ${this.name(v.name)} ${typeString(v.type)}`);
        this.plan.declaringAssign.delete(s.init);
      }
      init = this.assign(s.init);
    }
    if (s.post && s.post.kind !== 'assign') throw new Error(`internal: a for loop's post is a ${s.post.kind} statement`);
    const post = s.post && !this.dropped(s.post) ? this.assign(s.post) : '';
    const cond = s.cond ? this.e(s.cond) : '';
    const header = !init && !post ? (cond ? `for ${cond}` : 'for') : `for ${init}; ${cond};${post ? ` ${post}` : ''}`;
    this.out(indent, `${header} {`);
    this.block(s.body, indent + 1);
    this.out(indent, '}');
  }

  private ifStmt(s: Extract<Stmt, { kind: 'if' }>, indent: number, keyword = 'if'): void {
    this.out(indent, `${keyword} ${this.e(s.cond)} {`);
    this.block(s.then, indent + 1);
    const only = s.else.length === 1 ? s.else[0]! : null;
    if (only && only.kind === 'if' && !this.plan.varLinesBefore.has(only)) {
      this.ifStmt(only, indent, '} else if');
      return;
    }
    if (s.else.length > 0) {
      this.out(indent, '} else {');
      this.block(s.else, indent + 1);
    }
    this.out(indent, '}');
  }
}
