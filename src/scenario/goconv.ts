/**
 * Go syntax -> model, for the pieces both front ends share: types, expressions and call
 * statements. A .go file gives whole functions; a scenario gives single expressions and type
 * strings, parsed with the same grammar so both accept and refuse exactly the same things.
 * Positions come from a callback because scenario snippets map back into the YAML file.
 */
import {
  InputError, basicType,
  type BinaryOp, type Expr, type GoType, type PrintArg, type SourcePos, type Stmt,
} from '../program/model.js';
import { checkType } from '../program/validate.js';
import { kids, type Node } from './treesitter.js';

export const GO_SUBSET = 'the supported Go subset is: package main, import "runtime", package-level ' +
  'unbuffered channels, functions without results, locals of integer, bool, array and struct{} types, ' +
  'calls, go f(...), runtime.GC(), println, channel send and receive, if/else, for loops, return, ' +
  'assignments, ++ and --';

const TYPES = 'supported types: integer types, bool, arrays [N]T and struct{}';
const EXPRS = 'supported: integer literals, variables, unary - and !, + - * / %, comparisons, && and ||, struct{}{}';

/** Go's names for the constructs the subset leaves out, for error messages. */
const CONSTRUCT: Record<string, string> = {
  func_literal: 'closure (func literal)', defer_statement: 'defer', select_statement: 'select',
  expression_switch_statement: 'switch', type_switch_statement: 'type switch', labeled_statement: 'label',
  goto_statement: 'goto', break_statement: 'break', continue_statement: 'continue',
  fallthrough_statement: 'fallthrough', const_declaration: 'const declaration',
  type_declaration: 'type declaration', method_declaration: 'method', slice_type: 'slice type',
  map_type: 'map type', pointer_type: 'pointer type', function_type: 'func type',
  interface_type: 'interface type', channel_type: 'channel type', qualified_type: 'qualified type',
  generic_type: 'generic type', implicit_length_array_type: '[...]T array type',
  negated_type: 'type constraint', slice_expression: 'slice expression',
  index_expression: 'index expression', selector_expression: 'selector expression',
  type_assertion_expression: 'type assertion', type_conversion_expression: 'type conversion',
  float_literal: 'floating-point literal', imaginary_literal: 'imaginary literal',
  rune_literal: 'rune literal', interpreted_string_literal: 'string', raw_string_literal: 'string',
  nil: 'nil', iota: 'iota', range_clause: 'for range', composite_literal: 'composite literal',
};

export function construct(n: Node): string {
  return CONSTRUCT[n.type] ?? n.type.replace(/_(statement|expression|declaration)$/, '').replace(/_/g, ' ');
}

/** Go's predeclared functions: none of them is part of the subset except println. */
export const BUILTINS = new Set(['append', 'cap', 'clear', 'close', 'complex', 'copy', 'delete', 'imag',
  'len', 'make', 'max', 'min', 'new', 'panic', 'print', 'println', 'real', 'recover']);

/** Identifiers Go predeclares: functions and variables may not take these names here. */
export const PREDECLARED = new Set([...BUILTINS, 'true', 'false', 'nil', 'iota', '_', 'string', 'any',
  'error', 'float32', 'float64', 'complex64', 'complex128', 'int', 'int8', 'int16', 'int32', 'int64', 'uint',
  'uint8', 'uint16', 'uint32', 'uint64', 'uintptr', 'byte', 'rune', 'bool']);

const BINARY = new Set<string>(['+', '-', '*', '/', '%', '==', '!=', '<', '<=', '>', '>=', '&&', '||']);

/** What a name means where an expression uses it. */
export interface Names {
  /** The (hoisted) name of the variable visible under this name, if any. */
  variable(name: string): string | undefined;
  isChannel(name: string): boolean;
  isFunction(name: string): boolean;
  /** Whether `import "runtime"` is in effect. */
  runtime: boolean;
  /** Notes that an expression reads a variable (Go rejects a local that nothing reads). */
  use?(hoisted: string): void;
}

export class GoConv {
  constructor(readonly file: string, readonly pos: (n: Node) => SourcePos) {}

  fail(n: Node, message: string): never {
    throw new InputError(message, this.pos(n));
  }

  type(n: Node): GoType {
    switch (n.type) {
      case 'type_identifier': {
        const t = basicType(n.text);
        return t ?? this.fail(n, `unsupported type: ${n.text} (${TYPES})`);
      }
      case 'parenthesized_type':
        return this.type(kids(n)[0]);
      case 'struct_type': {
        const fields = n.namedChildren.find((c) => c.type === 'field_declaration_list');
        if (fields && kids(fields).length > 0) this.fail(n, `unsupported type: struct with fields (${TYPES})`);
        return { kind: 'struct', fields: [] };
      }
      case 'array_type': {
        const t: GoType = { kind: 'array', len: this.arrayLength(n.childForFieldName('length')!), elem: this.type(n.childForFieldName('element')!) };
        checkType(t, this.pos(n));
        return t;
      }
      default:
        return this.fail(n, `unsupported type: ${construct(n)} ${n.text} (${TYPES})`);
    }
  }

  private arrayLength(n: Node): number {
    if (n.type === 'int_literal') return this.intLiteral(n);
    if (n.type === 'unary_expression' && n.childForFieldName('operator')?.type === '-') {
      return this.fail(n, `invalid array length ${n.text}`);
    }
    return this.fail(n, `array length must be an integer literal, not ${n.text}`);
  }

  /** An array length or a count: a literal a double holds. */
  intLiteral(n: Node): number {
    const v = this.literalValue(n);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) this.fail(n, `integer constant ${n.text} too large (the limit is 2^53-1)`);
    return Number(v);
  }

  /** Decimal, 0x, 0o, 0b and legacy 0777 octal, with _ separators. */
  literalValue(n: Node): bigint {
    let text = n.text.replace(/_/g, '').toLowerCase();
    if (/^0[0-7]+$/.test(text)) text = `0o${text.slice(1)}`;
    try {
      return BigInt(text);
    } catch {
      return this.fail(n, `invalid integer literal ${n.text}`);
    }
  }

  expr(n: Node, names: Names): Expr {
    const pos = this.pos(n);
    switch (n.type) {
      case 'int_literal': {
        // Exact in the model, whatever its size: a constant too large for its type is refused
        // where it is used (validate.ts checkConstantFits), as the compiler does.
        const v = this.literalValue(n);
        return v > BigInt(Number.MAX_SAFE_INTEGER) ? { kind: 'int', value: Number(v), big: v, pos } : { kind: 'int', value: Number(v), pos };
      }
      case 'true':
      case 'false':
        if (names.variable(n.type)) return { kind: 'var', name: names.variable(n.type)!, pos };
        return { kind: 'bool', value: n.type === 'true', pos };
      case 'identifier':
        return { kind: 'var', name: this.variable(n, names), pos };
      case 'parenthesized_expression':
        return this.expr(kids(n)[0], names);
      case 'unary_expression': {
        const op = n.childForFieldName('operator')!.type;
        const operand = n.childForFieldName('operand')!;
        if (op === '+') return this.expr(operand, names);
        if (op === '-' || op === '!') return { kind: 'unary', op, operand: this.expr(operand, names), pos };
        if (op === '&') return this.fail(n, `&${operand.text} is only supported as a println argument`);
        if (op === '<-') return this.fail(n, 'a receive (<-ch) is only supported as a statement');
        return this.fail(n, `unsupported operator ${op} (${EXPRS})`);
      }
      case 'binary_expression': {
        const operator = n.childForFieldName('operator')!;
        const op = operator.type;
        if (!BINARY.has(op)) this.fail(operator, `unsupported operator ${op} (${EXPRS})`);
        return {
          kind: 'binary', op: op as BinaryOp, pos, opCol: this.pos(operator).col,
          left: this.expr(n.childForFieldName('left')!, names),
          right: this.expr(n.childForFieldName('right')!, names),
        };
      }
      case 'composite_literal': {
        const body = n.childForFieldName('body');
        const t = this.type(n.childForFieldName('type')!);
        if (body && kids(body).length > 0) {
          this.fail(body, 'composite literals with elements are not supported (only zero values such as struct{}{})');
        }
        return { kind: 'zero', type: t, pos };
      }
      case 'call_expression': {
        const fn = n.childForFieldName('function')!;
        if (fn.type === 'func_literal') return this.fail(fn, `unsupported: closure (func literal) (${GO_SUBSET})`);
        if (fn.type === 'identifier' && basicType(fn.text)) return this.fail(n, `unsupported expression: type conversion ${fn.text}(...) (${EXPRS})`);
        return this.fail(n, `a call cannot be used as a value (functions have no results): ${n.text}`);
      }
      case 'func_literal':
        return this.fail(n, `unsupported: closure (func literal) (${GO_SUBSET})`);
      default:
        return this.fail(n, `unsupported expression: ${construct(n)} ${short(n.text)} (${EXPRS})`);
    }
  }

  private variable(n: Node, names: Names): string {
    const name = n.text;
    const v = names.variable(name);
    if (v) {
      names.use?.(v);
      return v;
    }
    if (names.isChannel(name)) this.fail(n, `channel ${name} can only be used in send and receive statements`);
    if (names.isFunction(name)) this.fail(n, `function ${name} cannot be used as a value`);
    if (name === '_') this.fail(n, 'cannot use _ as value');
    return this.fail(n, `undefined: ${name}`);
  }

  /** A channel operand of a send or receive: a package-level channel name. */
  channel(n: Node, names: Names): string {
    if (n.type !== 'identifier') return this.fail(n, `unsupported channel operand ${short(n.text)} (use a package-level channel name)`);
    if (names.variable(n.text)) this.fail(n, `${n.text} is not a channel`);
    if (!names.isChannel(n.text)) this.fail(n, `undefined channel: ${n.text}`);
    return n.text;
  }

  /**
   * A call statement: f(args) on a declared function (also started with go), println(...)
   * or runtime.GC(). Unknown function names are left to validateProgram.
   */
  call(n: Node, names: Names, kind: 'call' | 'go', pos: SourcePos): Stmt {
    if (n.type !== 'call_expression') return this.fail(n, `${kind === 'go' ? 'go' : 'expression statement'} needs a function call, not ${short(n.text)}`);
    const fn = n.childForFieldName('function')!;
    const argList = n.childForFieldName('arguments')!;
    if (n.childForFieldName('type_arguments')) this.fail(n, 'generic calls are not supported');
    if (argList.children.some((c) => c.type === '...')) this.fail(argList, 'variadic calls (f(x...)) are not supported');
    const args = kids(argList);
    if (fn.type === 'func_literal') return this.fail(fn, `unsupported: closure (func literal) (${GO_SUBSET})`);
    if (fn.type === 'selector_expression') {
      const pkg = fn.childForFieldName('operand')!;
      const field = fn.childForFieldName('field')!.text;
      if (pkg.type !== 'identifier' || pkg.text !== 'runtime' || names.variable('runtime')) {
        return this.fail(fn, `unsupported call: ${short(fn.text)} (methods and packages other than runtime are not supported)`);
      }
      if (!names.runtime) this.fail(pkg, 'undefined: runtime (add import "runtime")');
      if (field !== 'GC') this.fail(fn, `unsupported call: runtime.${field} (only runtime.GC() is supported)`);
      if (kind === 'go') this.fail(fn, 'go runtime.GC() is not supported (go needs a declared function)');
      if (args.length) this.fail(argList, 'runtime.GC takes no arguments');
      return { kind: 'gc', pos };
    }
    if (fn.type !== 'identifier') return this.fail(fn, `unsupported call of ${construct(fn)} ${short(fn.text)}`);
    const name = fn.text;
    if (names.variable(name)) this.fail(fn, `cannot call non-function ${name}`);
    if (name === 'println' && !names.isFunction(name)) {
      if (kind === 'go') this.fail(fn, 'go println(...) is not supported (go needs a declared function)');
      return { kind: 'println', args: args.map((a) => this.printArg(a, names)), pos };
    }
    if (BUILTINS.has(name)) this.fail(fn, `unsupported call: builtin ${name} (only println is supported)`);
    if (basicType(name)) this.fail(n, `unsupported expression: type conversion ${name}(...)`);
    return { kind, callee: name, args: args.map((a) => this.expr(a, names)), pos };
  }

  printArg(n: Node, names: Names): PrintArg {
    if (n.type === 'interpreted_string_literal' || n.type === 'raw_string_literal') {
      return { kind: 'string', value: this.stringLiteral(n) };
    }
    if (n.type === 'unary_expression' && n.childForFieldName('operator')!.type === '&') {
      const operand = n.childForFieldName('operand')!;
      if (operand.type !== 'identifier') this.fail(n, `unsupported println argument ${short(n.text)} (only &variable)`);
      return { kind: 'addr', name: this.variable(operand, names), pos: this.pos(n) };
    }
    return { kind: 'int', expr: this.expr(n, names) };
  }

  /** A Go string literal's value: raw strings as written, interpreted ones with escapes decoded. */
  private stringLiteral(n: Node): string {
    const body = n.text.slice(1, -1);
    if (n.type === 'raw_string_literal') return body.replace(/\r/g, '');
    const simple: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', "'": "'", '"': '"' };
    const bytes: number[] = [];
    const enc = new TextEncoder();
    for (let i = 0; i < body.length;) {
      if (body[i] !== '\\') {
        const cp = body.codePointAt(i)!;
        const ch = String.fromCodePoint(cp);
        bytes.push(...enc.encode(ch));
        i += ch.length;
        continue;
      }
      const c = body[i + 1];
      if (c in simple) { bytes.push(simple[c].charCodeAt(0)); i += 2; }
      else if (c === 'x') { bytes.push(parseInt(body.slice(i + 2, i + 4), 16)); i += 4; }
      else if (c >= '0' && c <= '7') { bytes.push(parseInt(body.slice(i + 1, i + 4), 8) & 0xff); i += 4; }
      else if (c === 'u' || c === 'U') {
        const len = c === 'u' ? 4 : 8;
        const cp = parseInt(body.slice(i + 2, i + 2 + len), 16);
        if (!(cp <= 0x10ffff) || (cp >= 0xd800 && cp <= 0xdfff)) this.fail(n, `invalid Unicode code point in escape \\${body.slice(i + 1, i + 2 + len)}`);
        bytes.push(...enc.encode(String.fromCodePoint(cp)));
        i += 2 + len;
      } else {
        this.fail(n, `invalid escape sequence \\${c} in string`);
      }
    }
    return new TextDecoder().decode(new Uint8Array(bytes));
  }
}

/** A snippet of source for messages: first line, at most 40 characters. */
export function short(text: string): string {
  const line = text.split('\n')[0];
  return line.length > 40 ? `${line.slice(0, 40)}...` : line;
}
