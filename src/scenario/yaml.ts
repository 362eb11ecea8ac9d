/**
 * The scenario front end: a YAML description of a Go program -> Program.
 *
 *   channels: [done]                      # or {done: "struct{}"}: unbuffered channels
 *   functions:
 *     main:
 *       params: {n: int, x: "[16]int"}    # ordered name -> Go type
 *       locals: {y: "[16]int"}
 *       frame: 4096                       # optional: explicit frame size instead of locals
 *       steps:
 *         - call: r(n-1, y)               # also go: f(...)
 *         - println: "&y"                 # "&name" prints an address, other text a string
 *         - if: n == 0                    # then: [...], else: [...]
 *           then: [return]
 *         - repeat: 10                    # counted loop over the nested steps
 *           steps: [ {go: w()} ]
 *         - recv: done                    # also send: done
 *         - gc                            # runtime.GC(); also: return
 *
 * Call arguments, conditions, counts and types are Go text, parsed with the Go grammar
 * (goconv.ts) so a scenario accepts exactly what a .go file would; positions inside those
 * snippets are mapped back into the YAML file.
 */
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, type Node as YNode, type Scalar } from 'yaml';
import type Parser from 'web-tree-sitter';
import {
  INT, InputError,
  type Channel, type Expr, type Func, type GoType, type PrintArg, type Program, type SourcePos, type Stmt, type Var,
} from '../program/model.js';
import { argsSize, exprType, isInteger, validateProgram } from '../program/validate.js';
import { GoConv, PREDECLARED, type Names } from './goconv.js';
import { checkText } from './text.js';
import { firstSyntaxError, goParser, kids, syntaxErrorMessage, withTree, type Node } from './treesitter.js';

export async function parseScenario(source: string, file: string): Promise<Program> {
  checkText(source, file, 'a scenario (a YAML mapping with functions:)');
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { keepSourceTokens: true, lineCounter, prettyErrors: false });
  const at = (offset: number): SourcePos => ({ file, ...lineCounter.linePos(offset) });
  const err = doc.errors[0];
  // The yaml library's advice to call another of its functions is not the user's to follow.
  if (err?.code === 'MULTIPLE_DOCS') throw new InputError('a second YAML document (after ---): a scenario is one document', at(err.pos[0]));
  // Thousands of nested [ or { exhaust the yaml library's recursion, which it reports as an error.
  if (err && /call stack/i.test(err.message)) throw new InputError('YAML nested too deep (thousands of levels of [ or {)', at(err.pos[0]));
  if (err) throw new InputError(`YAML syntax error: ${err.message}`, at(err.pos[0]));
  if (doc.contents == null) {
    throw new InputError('empty scenario: expected a mapping with functions: (and optional channels:)', { file, line: 1, col: 1 });
  }
  const program = new Scenario(file, source, at, await goParser()).program(doc.contents as YNode);
  validateProgram(program);
  return program;
}

const TOP_KEYS = ['channels', 'functions'];
const FUNC_KEYS = ['params', 'locals', 'frame', 'steps'];
const STEP_KINDS = ['call', 'go', 'println', 'if', 'repeat', 'recv', 'send', 'gc', 'return'];
const STEP_EXTRA: Record<string, string[]> = { if: ['then', 'else'], repeat: ['steps'] };
const GO_KEYWORDS = new Set(['break', 'case', 'chan', 'const', 'continue', 'default', 'defer', 'else',
  'fallthrough', 'for', 'func', 'go', 'goto', 'if', 'import', 'interface', 'map', 'package', 'range',
  'return', 'select', 'struct', 'switch', 'type', 'var']);
const IDENT = /^[\p{L}_][\p{L}\p{Nd}_]*$/u;

interface Entry {
  key: Scalar;
  value: YNode | null;
}

/** One function being read: its variables, for name resolution and type checks. */
class FuncScope implements Names {
  readonly vars = new Map<string, GoType>();
  readonly locals: Var[] = [];
  repeats = 0;
  readonly runtime = true; // lets runtime.GC() through the call converter, to be refused with a hint
  constructor(readonly scenario: Scenario) {}
  variable(name: string): string | undefined { return this.vars.has(name) ? name : undefined; }
  isChannel(name: string): boolean { return this.scenario.channels.has(name); }
  isFunction(name: string): boolean { return this.scenario.funcNames.has(name); }
}

class Scenario {
  readonly channels = new Map<string, Channel>();
  readonly funcNames = new Set<string>();

  constructor(
    readonly file: string,
    readonly source: string,
    readonly at: (offset: number) => SourcePos,
    readonly parser: Parser,
  ) {}

  pos(node: YNode): SourcePos {
    return this.at(node.range?.[0] ?? 0);
  }

  fail(node: YNode, message: string): never {
    throw new InputError(message, this.pos(node));
  }

  program(root: YNode): Program {
    const top = this.entries(root, 'the scenario', TOP_KEYS);
    const channels = top.get('channels');
    if (channels) this.readChannels(channels.value);
    const functions = top.get('functions');
    if (!functions) this.fail(root, 'missing functions: (a mapping of function name -> definition, with a main)');
    const defs = this.entries(functions.value, 'functions', null);
    for (const [name, e] of defs) {
      this.identifier(e.key, 'function name');
      if (name === 'init') this.fail(e.key, 'func init is not supported');
      if (PREDECLARED.has(name)) this.fail(e.key, `function name ${name} is a predeclared Go identifier (not supported)`);
      this.funcNames.add(name);
    }
    if (!defs.has('main')) this.fail(functions.key, 'function main is undeclared: functions: needs a main');
    const funcs = new Map<string, Func>();
    for (const [name, e] of defs) funcs.set(name, this.func(name, e));
    return { file: this.file, funcs, channels: this.channels };
  }

  /** A mapping's entries by key; `allowed` null accepts any key (e.g. function names). */
  private entries(node: YNode | null, what: string, allowed: string[] | null): Map<string, Entry> {
    const out = new Map<string, Entry>();
    if (node == null || (isScalar(node) && node.value == null)) return out;
    this.noAlias(node);
    if (!isMap(node)) this.fail(node, `${what} must be a mapping (key: value lines)`);
    for (const pair of node.items) {
      const key = pair.key as YNode;
      this.noAlias(key);
      if (!isScalar(key) || typeof key.value !== 'string') this.fail(key ?? node, `${what}: keys must be plain names`);
      if (allowed && !allowed.includes(key.value)) {
        // In flow style a comma ends the value: { call: f(a, b) } reads as keys "call" and "b)".
        const hint = node.flow ? '; inside [ ] or { }, quote values with commas: "f(a, b)"' : '';
        this.fail(key, `unknown key "${key.value}" in ${what} (allowed: ${allowed.join(', ')}${hint})`);
      }
      if (pair.value) this.noAlias(pair.value as YNode);
      out.set(key.value, { key, value: (pair.value as YNode | null) ?? null });
    }
    return out;
  }

  private noAlias(node: YNode): void {
    if (isAlias(node)) this.fail(node, 'YAML aliases (*name) are not supported in scenarios');
  }

  private identifier(node: YNode, what: string): string {
    const v = isScalar(node) ? node.value : undefined;
    if (typeof v !== 'string' || !IDENT.test(v) || GO_KEYWORDS.has(v) || v === '_') {
      this.fail(node, `invalid ${what} ${JSON.stringify(v ?? null)} (expected a Go identifier)`);
    }
    return v;
  }

  private readChannels(node: YNode | null): void {
    const add = (nameNode: YNode, elem: GoType) => {
      const name = this.identifier(nameNode, 'channel name');
      if (this.channels.has(name)) this.fail(nameNode, `${name} redeclared`);
      this.channels.set(name, { name, elem, pos: this.pos(nameNode) });
    };
    if (node && isSeq(node)) {
      for (const item of node.items as YNode[]) add(item, { kind: 'struct', fields: [] });
    } else if (node && isMap(node)) {
      for (const [, e] of this.entries(node, 'channels', null)) add(e.key, this.goType(e.value, e.key));
    } else if (node && !(isScalar(node) && node.value == null)) {
      this.fail(node, 'channels must be a list of names ([done]) or a mapping of name -> element type');
    }
  }

  private func(name: string, e: Entry): Func {
    const def = this.entries(e.value, `function ${name}`, FUNC_KEYS);
    const scope = new FuncScope(this);
    const vars = (kind: 'params' | 'locals'): Var[] =>
      [...this.entries(def.get(kind)?.value ?? null, `${kind} of ${name}`, null)].map(([v, entry]) => {
        this.identifier(entry.key, kind === 'params' ? 'parameter name' : 'local name');
        if (scope.vars.has(v)) this.fail(entry.key, `${v} redeclared in function ${name}`);
        const type = this.goType(entry.value, entry.key);
        scope.vars.set(v, type);
        return { name: v, type, pos: this.pos(entry.key) };
      });
    const params = vars('params');
    scope.locals.push(...vars('locals'));
    const fn: Func = { name, pos: this.pos(e.key), params, locals: scope.locals, body: [] };
    const frame = def.get('frame');
    if (frame) {
      if (def.has('locals')) this.fail(frame.key, 'frame: replaces locals: give one or the other');
      const v = frame.value && isScalar(frame.value) ? frame.value.value : undefined;
      if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v % 8 !== 0) {
        this.fail(frame.value ?? frame.key, 'frame: must be a size in bytes, a non-negative multiple of 8');
      }
      fn.frameOverride = { frame: v, args: argsSize(params) };
    }
    fn.body = this.steps(def.get('steps')?.value ?? null, scope, 'steps');
    return fn;
  }

  /** A list of steps; a single step is accepted where a list is expected (then: return). */
  private steps(node: YNode | null, scope: FuncScope, what: string): Stmt[] {
    if (node == null || (isScalar(node) && node.value == null)) return [];
    if (!isSeq(node)) return [this.step(node, scope)];
    return (node.items as YNode[]).map((item) => {
      if (item == null) this.fail(node, `empty item in ${what}`);
      return this.step(item, scope);
    });
  }

  private step(node: YNode, scope: FuncScope): Stmt {
    this.noAlias(node);
    const kindsList = `${STEP_KINDS.join(', ')}`;
    if (isScalar(node)) {
      if (node.value === 'return') return { kind: 'return', pos: this.pos(node) };
      if (node.value === 'gc') return { kind: 'gc', pos: this.pos(node) };
      this.fail(node, `unknown step ${JSON.stringify(node.value)} (a step is gc, return, or a mapping with one of: ${kindsList})`);
    }
    if (!isMap(node)) this.fail(node, `a step must be gc, return or a mapping such as {call: f()} (steps: ${kindsList})`);
    const keys = node.items.map((p) => (isScalar(p.key) ? String(p.key.value) : ''));
    const kinds = keys.filter((k) => STEP_KINDS.includes(k));
    if (kinds.length !== 1) {
      this.fail(node, kinds.length ? `a step has exactly one kind, found ${kinds.join(' and ')}`
        : `unknown step "${keys[0]}" (steps: ${kindsList})`);
    }
    const kind = kinds[0];
    const e = this.entries(node, `${kind} step`, [kind, ...(STEP_EXTRA[kind] ?? [])]);
    const { key, value } = e.get(kind)!;
    const pos = this.pos(key);
    switch (kind) {
      case 'call':
      case 'go':
        return this.call(value, key, kind, scope);
      case 'println': {
        const items = value && isSeq(value) ? (value.items as YNode[]) : [value];
        return { kind: 'println', args: items.map((a) => this.printArg(a, key, scope)), pos };
      }
      case 'if': {
        const cond = this.expr(value, key, 'if condition', scope);
        const then = e.get('then');
        if (!then) this.fail(key, 'if: needs then: (a list of steps)');
        const otherwise = e.get('else');
        return {
          kind: 'if', cond, pos,
          then: this.steps(then.value, scope, 'then'),
          else: otherwise ? this.steps(otherwise.value, scope, 'else') : [],
        };
      }
      case 'repeat':
        return this.repeat(value, key, e.get('steps'), scope);
      case 'recv':
      case 'send': {
        if (!value) this.fail(key, `${kind}: needs a channel name`);
        const chan = this.identifier(value, 'channel name');
        if (scope.vars.has(chan)) this.fail(value, `${chan} is not a channel`);
        if (!this.channels.has(chan)) this.fail(value, `undefined channel: ${chan} (declare it in channels:)`);
        return { kind, chan, pos: this.pos(value) };
      }
      default: // gc, return written as mappings ({gc: null})
        if (value && !(isScalar(value) && value.value == null)) this.fail(value, `${kind} takes no value`);
        return kind === 'gc' ? { kind: 'gc', pos } : { kind: 'return', pos };
    }
  }

  private call(value: YNode | null, key: Scalar, kind: 'call' | 'go', scope: FuncScope): Stmt {
    return this.snippet(value, key, `${kind} expression`, 'var _ = ', (spec, conv) => {
      const e = this.single(spec, conv, value!, 'a call f(args)');
      if (e.type !== 'call_expression') conv.fail(e, `${kind}: expected a call such as f(x), not ${JSON.stringify(e.text)}`);
      const s = conv.call(e, scope, kind, conv.pos(e));
      if (s.kind !== kind) {
        const hint = s.kind === 'gc' ? 'use the gc step' : s.kind === 'println' ? 'use the println step' : '';
        conv.fail(e, `${kind}: must call a function of the scenario (${hint})`);
      }
      return s;
    });
  }

  /**
   * repeat: N is `for i·k := 0; i·k < N; i·k++ { steps }` over a hidden counter. The counter
   * is a real local: the Go compiler keeps such a counter in the frame when the body calls.
   */
  private repeat(value: YNode | null, key: Scalar, stepsEntry: Entry | undefined, scope: FuncScope): Stmt {
    const count = this.expr(value, key, 'repeat count', scope);
    if (!isInteger(exprType(count, (n) => scope.vars.get(n)))) this.fail(value!, 'repeat: count must be an integer');
    if (count.kind === 'unary' && count.op === '-' && count.operand.kind === 'int' && count.operand.value > 0) {
      this.fail(value!, 'repeat: count must not be negative');
    }
    if (!stepsEntry) this.fail(key, 'repeat: needs steps: (the steps to repeat)');
    const pos = this.pos(key);
    const name = `i·${++scope.repeats}`;
    scope.locals.push({ name, type: INT, pos });
    const counter = (): Expr => ({ kind: 'var', name, pos });
    const int = (value: number): Expr => ({ kind: 'int', value, pos });
    return {
      kind: 'for', pos,
      init: { kind: 'assign', name, value: int(0), pos },
      cond: { kind: 'binary', op: '<', left: counter(), right: count, pos },
      post: { kind: 'assign', name, value: { kind: 'binary', op: '+', left: counter(), right: int(1), pos }, pos },
      body: this.steps(stepsEntry.value, scope, 'steps'),
    };
  }

  /** "&name" prints an address; any other scalar prints as the text written. */
  private printArg(node: YNode | null, key: Scalar, scope: FuncScope): PrintArg {
    if (!node || (isScalar(node) && node.value == null)) {
      this.fail(node ?? key, 'println: needs a value (quote addresses: "&x"; unquoted, &x is a YAML anchor)');
    }
    if (!isScalar(node)) this.fail(node, 'println: takes a text or a list of texts');
    if (typeof node.value !== 'string') return { kind: 'string', value: this.scalarText(node).text };
    const m = /^&(.+)$/u.exec(node.value);
    if (m && IDENT.test(m[1])) {
      if (!scope.vars.has(m[1])) this.fail(node, `undefined: ${m[1]} ("&name" prints the address of a parameter or local)`);
      return { kind: 'addr', name: m[1], pos: this.pos(node) };
    }
    return { kind: 'string', value: node.value };
  }

  private expr(value: YNode | null, key: Scalar, what: string, scope: FuncScope): Expr {
    return this.snippet(value, key, what, 'var _ = ', (spec, conv) => conv.expr(this.single(spec, conv, value!, 'a Go expression'), scope));
  }

  /** The one expression of `var _ = <snippet>`. */
  private single(spec: Node, conv: GoConv, value: YNode, what: string): Node {
    const v = spec.childForFieldName('value');
    const exprs = v ? kids(v) : [];
    if (exprs.length !== 1 || spec.childForFieldName('type')) this.fail(value, `expected ${what}`);
    return exprs[0];
  }

  /** A Go type written as a string ("[10]int"). */
  private goType(value: YNode | null, key: Scalar): GoType {
    return this.snippet(value, key, 'type', 'var _ ', (spec, conv) => {
      const t = spec.childForFieldName('type');
      if (!t || spec.childForFieldName('value')) this.fail(value!, 'expected a Go type such as int or "[10]int"');
      return conv.type(t);
    });
  }

  /**
   * Parses `package p\n<prefix><scalar text>` with the Go grammar and hands over the single
   * var spec, with a converter whose positions point into the YAML file.
   */
  private snippet<T>(value: YNode | null, key: Scalar, what: string, prefix: string, fn: (spec: Node, conv: GoConv) => T): T {
    if (!value || (isScalar(value) && value.value == null)) this.fail(key, `${key.value}: needs a value (${what})`);
    if (!isScalar(value)) this.fail(value, `${key.value}: expected a single value (${what}), not a list or mapping`);
    const { text, offset } = this.scalarText(value);
    const head = `package p\n${prefix}`;
    const conv = new GoConv(this.file, (n) => this.at(offset(n.startIndex - head.length)));
    return withTree(this.parser, `${head}${text}\n`, (root) => {
      const err = firstSyntaxError(root);
      if (err) conv.fail(err, snippetSyntaxError(err, head.length, text, what));
      const decls = kids(root);
      const specs = decls.length === 2 && decls[1].type === 'var_declaration' ? kids(decls[1]) : [];
      if (specs.length !== 1 || specs[0].type !== 'var_spec') this.fail(value, `expected ${what}, got ${JSON.stringify(text)}`);
      return fn(specs[0], conv);
    });
  }

  /**
   * A scalar's text and a map from text index to file offset. Plain one-line scalars are taken
   * as written (0x10 stays Go's 0x10); quoted or multi-line ones use the YAML value, and each
   * character is found again in the raw source, in order, to locate it.
   */
  private scalarText(node: Scalar): { text: string; offset: (i: number) => number } {
    const [start, end] = node.range ?? [0, 0];
    const raw = this.source.slice(start, end);
    const clamp = (i: number, n: number) => Math.max(0, Math.min(i, n));
    if (node.type === 'PLAIN' && !raw.includes('\n')) return { text: raw, offset: (i) => start + clamp(i, raw.length) };
    const text = String(node.value);
    const offs: number[] = [];
    let cur = node.type === 'QUOTE_SINGLE' || node.type === 'QUOTE_DOUBLE' ? 1 : 0;
    for (const ch of text.split('')) {
      const j = raw.indexOf(ch, cur);
      offs.push(j >= 0 ? j : cur);
      if (j >= 0) cur = j + 1;
    }
    offs.push(cur);
    return { text, offset: (i) => start + offs[clamp(i, text.length)] };
  }
}

/**
 * A syntax error in a scenario's snippet, quoting the user's own text only, never the Go it was
 * wrapped in to be parsed (`var _ = `): an error wholly in that wrapping means the text is not
 * what was expected at all.
 */
function snippetSyntaxError(err: Node, skip: number, text: string, what: string): string {
  if (!err.isError) return `${syntaxErrorMessage(err)} in ${what}`;
  const near = text.slice(Math.max(0, err.startIndex - skip), Math.max(0, err.endIndex - skip)).trim().split('\n')[0]!;
  if (!near) return `\`${text.trim()}\` is not a ${what}`;
  return `syntax error near \`${near.length > 30 ? `${near.slice(0, 30)}...` : near}\` in ${what}`;
}
