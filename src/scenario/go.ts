/**
 * The Go front end: a .go file (a small subset of Go, see GO_SUBSET) -> Program.
 * Parsing uses tree-sitter's Go grammar; this module walks declarations and statements,
 * resolves names through Go's block scopes and hoists every local into Func.locals, because
 * the compiler gives every local its own frame slot whatever block declares it.
 */
import {
  InputError, basicType,
  type Channel, type Expr, type Func, type GoType, type Program, type SourcePos, type Stmt, type Var,
} from '../program/model.js';
import { isConstant } from '../program/frame.js';
import { anyStmt } from '../program/stmts.js';
import { exprType, assignable, checkConstantFits, describe, validateProgram } from '../program/validate.js';
import { GO_SUBSET, GoConv, PREDECLARED, construct, short, type Names } from './goconv.js';
import { checkText } from './text.js';
import { firstSyntaxError, goParser, kids, syntaxErrorMessage, withTree, type Node } from './treesitter.js';

export async function parseGo(source: string, file: string): Promise<Program> {
  checkText(source, file, 'a Go program (package main)');
  const parser = await goParser();
  // A BOM is one UTF-16 unit: a space keeps every column where it was.
  const text = source.replace(/^\uFEFF/, ' ');
  const program = withTree(parser, text, (root) => new GoFile(file, root).program());
  validateProgram(program);
  return program;
}

/** The specs of a declaration, written alone (var x T) or grouped (var ( ... )). */
function specs(d: Node, type: string): Node[] {
  return kids(d).flatMap((c) => (c.type === type ? [c] : c.type.endsWith('_list') ? kids(c).filter((s) => s.type === type) : []));
}

class GoFile {
  readonly conv: GoConv;
  readonly funcs = new Map<string, Func>();
  readonly channels = new Map<string, Channel>();
  readonly funcNodes = new Map<string, Node>();
  runtime = false;
  /** The import's path, while nothing is known to use it. */
  private runtimeImport: Node | null = null;

  constructor(readonly file: string, readonly root: Node) {
    this.conv = new GoConv(file, (n) => ({ file, line: n.startPosition.row + 1, col: n.startPosition.column + 1 }));
  }

  program(): Program {
    const err = firstSyntaxError(this.root);
    if (err) this.conv.fail(err, syntaxErrorMessage(err));
    this.checkDirectives();
    const decls = kids(this.root);
    const pkg = decls[0];
    if (!pkg || pkg.type !== 'package_clause') {
      throw new InputError("expected 'package main' at the start of the file", { file: this.file, line: 1, col: 1 });
    }
    const pkgName = kids(pkg)[0];
    if (pkgName.text !== 'main') this.conv.fail(pkgName, `package ${pkgName.text}: the program must be package main`);
    let seenDecl = false;
    for (const d of decls.slice(1)) {
      if (d.type === 'import_declaration') {
        if (seenDecl) this.conv.fail(d, 'syntax error: imports must appear before other declarations');
        this.imports(d);
        continue;
      }
      seenDecl = true;
      if (d.type === 'function_declaration') this.declareFunc(d);
      else if (d.type === 'var_declaration') this.channelDecl(d);
      else this.conv.fail(d, `unsupported declaration: ${construct(d)} (${GO_SUBSET})`);
    }
    for (const [name, node] of this.funcNodes) this.funcs.set(name, new FuncBuilder(this, node).build());
    if (!this.funcs.has('main')) this.conv.fail(pkg, 'function main is undeclared in the main package');
    // As the compiler does: an import that nothing uses is an error.
    if (this.runtimeImport && ![...this.funcs.values()].some((f) => anyStmt(f.body, (x) => x.kind === 'gc'))) {
      this.conv.fail(this.runtimeImport, `${this.runtimeImport.text} imported and not used`);
    }
    return { file: this.file, funcs: this.funcs, channels: this.channels };
  }

  /** Compiler directives change code generation; only //go:noinline is harmless here. */
  private checkDirectives(): void {
    for (const c of this.root.descendantsOfType('comment')) {
      const m = /^\/\/go:(\w+)/.exec(c.text);
      if (m && m[1] !== 'noinline' && m[1] !== 'build') {
        this.conv.fail(c, `unsupported directive //go:${m[1]} (only //go:noinline is supported)`);
      }
    }
  }

  private imports(d: Node): void {
    for (const spec of specs(d, 'import_spec')) {
      const path = spec.childForFieldName('path')!;
      if (path.text !== '"runtime"' && path.text !== '`runtime`') {
        this.conv.fail(path, `unsupported import ${path.text} (only "runtime" is supported)`);
      }
      const alias = spec.childForFieldName('name');
      if (alias && alias.text !== 'runtime') this.conv.fail(alias, 'renamed and dot imports are not supported');
      this.runtime = true;
      this.runtimeImport = path;
    }
  }

  private declareFunc(d: Node): void {
    const nameNode = d.childForFieldName('name')!;
    const name = nameNode.text;
    if (name === 'init') this.conv.fail(nameNode, 'func init is not supported');
    if (PREDECLARED.has(name)) this.conv.fail(nameNode, `function name ${name} is a predeclared identifier (not supported)`);
    if (this.funcNodes.has(name) || this.channels.has(name)) this.conv.fail(nameNode, `${name} redeclared in this block`);
    if (d.childForFieldName('type_parameters')) this.conv.fail(d.childForFieldName('type_parameters')!, 'generic functions are not supported');
    const result = d.childForFieldName('result');
    if (result) this.conv.fail(result, `unsupported: function results (functions must not return values; ${GO_SUBSET})`);
    if (!d.childForFieldName('body')) this.conv.fail(nameNode, `missing function body for ${name}`);
    this.funcNodes.set(name, d);
  }

  /** var done = make(chan T): the only package-level variables. */
  private channelDecl(d: Node): void {
    for (const spec of specs(d, 'var_spec')) {
      const names = spec.childrenForFieldName('name');
      const value = spec.childForFieldName('value');
      const values = value ? kids(value) : [];
      const bad = () => this.conv.fail(spec, `unsupported package-level variable ${short(spec.text)}: only unbuffered channels (var done = make(chan struct{})) are supported`);
      if (names.length !== 1 || values.length !== 1 || values[0].type !== 'call_expression') bad();
      const call = values[0];
      const args = kids(call.childForFieldName('arguments')!);
      if (call.childForFieldName('function')!.text !== 'make' || args[0]?.type !== 'channel_type') bad();
      const chanType = args[0];
      if (!chanType.text.startsWith('chan') || chanType.children.some((c) => c.type === '<-')) {
        this.conv.fail(chanType, 'directional channel types are not supported');
      }
      if (args.length > 2 || (args[1] && !(args[1].type === 'int_literal' && this.conv.intLiteral(args[1]) === 0))) {
        this.conv.fail(args[1] ?? call, 'buffered channels are not supported (use an unbuffered make(chan T))');
      }
      const elem = this.conv.type(chanType.childForFieldName('value')!);
      const declared = spec.childForFieldName('type');
      if (declared) {
        const t = declared.type === 'channel_type' ? this.conv.type(declared.childForFieldName('value')!) : undefined;
        if (!t || describe(t) !== describe(elem)) this.conv.fail(declared, `cannot use make(${chanType.text}) as ${declared.text} value`);
      }
      const name = names[0].text;
      if (this.channels.has(name) || this.funcNodes.has(name)) this.conv.fail(names[0], `${name} redeclared in this block`);
      this.channels.set(name, { name, elem, pos: this.conv.pos(names[0]) });
    }
  }
}

/** One function: its block scopes (source name -> hoisted name) and the hoisted locals. */
class FuncBuilder implements Names {
  readonly conv: GoConv;
  private readonly scopes: Map<string, string>[] = [new Map()];
  private readonly types = new Map<string, GoType>();
  private readonly params: Var[] = [];
  private readonly locals: Var[] = [];
  /** Each local's declaring identifier, and the locals an expression reads. */
  private readonly localNodes = new Map<string, Node>();
  private readonly used = new Set<string>();

  constructor(readonly gofile: GoFile, readonly node: Node) {
    this.conv = gofile.conv;
  }

  get runtime(): boolean { return this.gofile.runtime; }
  isChannel(name: string): boolean { return this.gofile.channels.has(name); }
  isFunction(name: string): boolean { return this.gofile.funcNodes.has(name); }
  variable(name: string): string | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const v = this.scopes[i].get(name);
      if (v) return v;
    }
    return undefined;
  }
  use(hoisted: string): void { this.used.add(hoisted); }
  private varType = (name: string) => this.types.get(name);

  build(): Func {
    const nameNode = this.node.childForFieldName('name')!;
    // In Go a parameter list names all its parameters or none. The grammar reads a long group
    // such as (a, b, c, d, e, f, g, h, i, j int) as a type `a` and then the names b to j: a bare
    // identifier before a named group is a name of that group.
    let pending: Node[] = [];
    for (const p of kids(this.node.childForFieldName('parameters')!)) {
      if (p.type === 'variadic_parameter_declaration') this.conv.fail(p, 'variadic parameters are not supported');
      const names = p.childrenForFieldName('name');
      const typeNode = p.childForFieldName('type')!;
      if (names.length === 0 && typeNode.type === 'type_identifier' && !basicType(typeNode.text)) {
        pending.push(typeNode);
        continue;
      }
      if (names.length === 0) this.conv.fail(p, 'unnamed parameters are not supported');
      const t = this.conv.type(typeNode);
      for (const n of [...pending, ...names]) this.params.push(this.declare(n, t));
      pending = [];
    }
    if (pending.length) this.conv.fail(pending[0], 'unnamed parameters are not supported');
    // Parameters and the function body share one block, as in Go.
    const body = this.stmts(kids(this.node.childForFieldName('body')!));
    // As the compiler does: a local that is only declared or assigned is an error.
    for (const v of this.locals) if (!this.used.has(v.name)) this.conv.fail(this.localNodes.get(v.name)!, `declared and not used: ${this.localNodes.get(v.name)!.text}`);
    return { name: nameNode.text, pos: this.conv.pos(nameNode), params: this.params, locals: this.locals, body };
  }

  /** Declares a name in the innermost scope; a name already used in the function gets a ·N suffix. */
  private declare(n: Node, type: GoType): Var {
    const name = n.text;
    if (name === '_') this.conv.fail(n, 'the blank identifier _ is not supported here');
    const scope = this.scopes[this.scopes.length - 1];
    if (scope.has(name)) this.conv.fail(n, `${name} redeclared in this block`);
    let hoisted = name;
    for (let k = 2; this.types.has(hoisted); k++) hoisted = `${name}·${k}`;
    scope.set(name, hoisted);
    this.types.set(hoisted, type);
    return { name: hoisted, type, pos: this.conv.pos(n) };
  }

  private declareLocal(n: Node, type: GoType): string {
    if (type.kind === 'chan') this.conv.fail(n, 'channel variables are not supported (declare channels at package level)');
    const v = this.declare(n, type);
    this.locals.push(v);
    this.localNodes.set(v.name, n);
    return v.name;
  }

  private scoped<T>(fn: () => T): T {
    this.scopes.push(new Map());
    try {
      return fn();
    } finally {
      this.scopes.pop();
    }
  }

  private stmts(nodes: Node[]): Stmt[] {
    return nodes.flatMap((n) => this.stmt(n));
  }

  private block(n: Node): Stmt[] {
    return this.scoped(() => this.stmts(kids(n)));
  }

  private stmt(n: Node): Stmt[] {
    const pos = this.conv.pos(n);
    switch (n.type) {
      case 'expression_statement': {
        const e = kids(n)[0];
        if (e.type === 'call_expression') return [this.conv.call(e, this, 'call', pos)];
        if (e.type === 'unary_expression' && e.childForFieldName('operator')!.type === '<-') {
          return [{ kind: 'recv', chan: this.conv.channel(e.childForFieldName('operand')!, this), pos }];
        }
        return this.conv.fail(n, `unsupported statement: expression ${short(e.text)} is not used (only calls and receives can be statements)`);
      }
      case 'go_statement':
        return [this.conv.call(kids(n)[0], this, 'go', pos)];
      case 'send_statement':
        return [this.send(n, pos)];
      case 'inc_statement':
      case 'dec_statement': {
        const target = kids(n)[0];
        const name = this.target(target);
        const one: Expr = { kind: 'int', value: 1, pos };
        const value: Expr = { kind: 'binary', op: n.type === 'inc_statement' ? '+' : '-', left: { kind: 'var', name, pos: this.conv.pos(target) }, right: one, pos };
        return [{ kind: 'assign', name, value, pos }];
      }
      case 'assignment_statement':
        return [this.assign(n, pos)];
      case 'short_var_declaration':
        return this.define(n.childForFieldName('left')!, null, n.childForFieldName('right')!, pos);
      case 'var_declaration':
        return specs(n, 'var_spec').flatMap((spec) => {
          const names = spec.childrenForFieldName('name');
          return this.define(names, spec.childForFieldName('type'), spec.childForFieldName('value'), pos);
        });
      case 'block':
        return this.block(n);
      case 'if_statement':
        return this.scoped(() => this.ifStmt(n, pos));
      case 'for_statement':
        return this.scoped(() => [this.forStmt(n, pos)]);
      case 'return_statement':
        if (kids(n).length) this.conv.fail(kids(n)[0], 'unsupported: return with values (functions have no results)');
        return [{ kind: 'return', pos }];
      case 'empty_statement':
        return [];
      default:
        return this.conv.fail(n, `unsupported statement: ${construct(n)} (${GO_SUBSET})`);
    }
  }

  /** The variable an assignment or ++/-- writes. */
  private target(n: Node): string {
    if (n.type !== 'identifier') this.conv.fail(n, `cannot assign to ${short(n.text)} (only variables)`);
    const name = this.variable(n.text);
    if (!name) {
      if (this.isChannel(n.text) || this.isFunction(n.text)) this.conv.fail(n, `cannot assign to ${n.text}`);
      this.conv.fail(n, `undefined: ${n.text}`);
    }
    return name;
  }

  private assign(n: Node, pos: SourcePos): Stmt {
    const left = kids(n.childForFieldName('left')!);
    const right = kids(n.childForFieldName('right')!);
    if (left.length !== 1 || right.length !== 1) this.conv.fail(n, 'unsupported: multiple assignment (assign one variable at a time)');
    const op = n.childForFieldName('operator')!.type;
    const compound = ['+=', '-=', '*=', '/=', '%='];
    if (op !== '=' && !compound.includes(op)) this.conv.fail(n.childForFieldName('operator')!, `unsupported assignment operator ${op}`);
    const name = this.target(left[0]);
    let value = this.conv.expr(right[0], this);
    if (op !== '=') {
      const current: Expr = { kind: 'var', name, pos: this.conv.pos(left[0]) };
      value = { kind: 'binary', op: op[0] as '+', left: current, right: value, pos };
    }
    return { kind: 'assign', name, value, pos };
  }

  /**
   * var x T [= v] and x := v. The values are converted before the names are declared (in Go
   * `i := i + 1` reads an outer i). Basic-typed locals get an explicit assignment, which also
   * resets a var declared inside a loop on every iteration; arrays and struct{} hold nothing
   * the simulation reads, so they only need their frame slot.
   */
  private define(namesNode: Node | Node[], typeNode: Node | null, valueNode: Node | null, pos: SourcePos): Stmt[] {
    const names = Array.isArray(namesNode) ? namesNode : kids(namesNode);
    const values = valueNode ? kids(valueNode) : [];
    if (values.length && values.length !== names.length) this.conv.fail(valueNode!, `assignment mismatch: ${names.length} variables but ${values.length} values`);
    if (!typeNode && names.length > 1) this.conv.fail(names[1], 'unsupported: multiple assignment (declare one variable at a time)');
    const declared = typeNode ? this.conv.type(typeNode) : undefined;
    const exprs = values.map((v) => this.conv.expr(v, this));
    const out: Stmt[] = [];
    names.forEach((nameNode, i) => {
      let type = declared;
      const e = exprs[i];
      if (e) {
        const t = exprType(e, this.varType);
        if (type && !assignable(t, type)) this.conv.fail(values[i], `cannot use ${describe(t)} value as ${describe(type)} value in variable declaration`);
        if (type) checkConstantFits(e, type, 'variable declaration');
        type ??= t === 'untyped int' ? basicType('int')! : t === 'untyped bool' ? basicType('bool')! : t;
      }
      const name = this.declareLocal(nameNode, type!);
      if (type!.kind === 'basic') {
        const zero: Expr = type!.name === 'bool' ? { kind: 'bool', value: false, pos } : { kind: 'int', value: 0, pos };
        out.push({ kind: 'assign', name, value: e ?? zero, pos });
      }
    });
    return out;
  }

  private send(n: Node, pos: SourcePos): Stmt {
    const chan = this.conv.channel(n.childForFieldName('channel')!, this);
    const valueNode = n.childForFieldName('value')!;
    const value = this.conv.expr(valueNode, this);
    const elem = this.gofile.channels.get(chan)!.elem;
    const t = exprType(value, this.varType);
    if (!assignable(t, elem)) this.conv.fail(valueNode, `cannot use ${describe(t)} value as ${describe(elem)} value in send`);
    // A constant (struct{}{}, 7) adds nothing to the frame: the model keeps only other values.
    return isConstant(value) ? { kind: 'send', chan, pos } : { kind: 'send', chan, value, pos };
  }

  private ifStmt(n: Node, pos: SourcePos): Stmt[] {
    const init = n.childForFieldName('initializer');
    const before = init ? this.stmt(init) : [];
    const cond = this.conv.expr(n.childForFieldName('condition')!, this);
    const then = this.block(n.childForFieldName('consequence')!);
    const alt = n.childForFieldName('alternative');
    const otherwise = !alt ? [] : alt.type === 'if_statement' ? this.scoped(() => this.ifStmt(alt, this.conv.pos(alt))) : this.block(alt);
    return [...before, { kind: 'if', cond, then, else: otherwise, pos }];
  }

  private forStmt(n: Node, pos: SourcePos): Stmt {
    const body = n.childForFieldName('body')!;
    const header = kids(n).filter((c) => c.startIndex !== body.startIndex);
    let init: Stmt | null = null;
    let cond: Expr | null = null;
    let post: Stmt | null = null;
    const clause = header[0];
    if (clause?.type === 'range_clause') this.conv.fail(clause, `unsupported statement: for range (${GO_SUBSET})`);
    if (clause?.type === 'for_clause') {
      const one = (node: Node | null, what: string): Stmt | null => {
        if (!node) return null;
        const s = this.stmt(node);
        if (s.length > 1) this.conv.fail(node, `unsupported for loop ${what}: ${short(node.text)}`);
        return s[0] ?? null;
      };
      init = one(clause.childForFieldName('initializer'), 'initializer');
      const c = clause.childForFieldName('condition');
      cond = c ? this.conv.expr(c, this) : null;
      post = one(clause.childForFieldName('update'), 'post statement');
    } else if (clause) {
      cond = this.conv.expr(clause, this);
    }
    return { kind: 'for', init, cond, post, body: this.block(body), pos };
  }
}
