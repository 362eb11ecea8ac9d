/**
 * The program model: what every front end (YAML scenario, Go source) produces and what the
 * simulated runtime executes. It keeps only what matters to goroutine stacks: functions with
 * their parameters and locals (types give frame sizes), and the statements that call, start
 * goroutines, block on channels, print, run the GC, branch and loop.
 */

/** 1-based position in an input file, used for every user-facing error. */
export interface SourcePos {
  file: string;
  line: number;
  col: number;
}

export type GoType =
  | { kind: 'basic'; name: string; size: number; align: number }
  | { kind: 'array'; len: number; elem: GoType }
  | { kind: 'chan'; elem: GoType }
  | { kind: 'struct'; fields: GoType[] }
  /** Only the compiler's own: the address of a local moved to the heap (&x, frame.ts). */
  | { kind: 'pointer'; elem: GoType };

export interface Var {
  name: string;
  type: GoType;
  pos: SourcePos;
}

export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '&&' | '||';

export type Expr =
  /** big: the exact value, where a double does not hold it (a literal beyond 2^53 - 1). */
  | { kind: 'int'; value: number; pos: SourcePos; big?: bigint }
  | { kind: 'bool'; value: boolean; pos: SourcePos }
  | { kind: 'var'; name: string; pos: SourcePos }
  | { kind: 'unary'; op: '-' | '!'; operand: Expr; pos: SourcePos }
  /** opCol: the operator's column, the position cmd/compile gives the expression's values. */
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr; pos: SourcePos; opCol?: number }
  /** struct{}{} and other zero composite values (sent on channels). */
  | { kind: 'zero'; type: GoType; pos: SourcePos };

export type PrintArg =
  | { kind: 'string'; value: string }
  /** &local: prints the local's current address (it moves with the stack). */
  | { kind: 'addr'; name: string; pos: SourcePos }
  | { kind: 'int'; expr: Expr };

export type Stmt =
  | { kind: 'call'; callee: string; args: Expr[]; pos: SourcePos }
  | { kind: 'go'; callee: string; args: Expr[]; pos: SourcePos }
  | { kind: 'println'; args: PrintArg[]; pos: SourcePos }
  | { kind: 'gc'; pos: SourcePos }
  /** c <- value; without a value (a scenario's send) the element type's zero value. */
  | { kind: 'send'; chan: string; value?: Expr; pos: SourcePos }
  | { kind: 'recv'; chan: string; pos: SourcePos }
  | { kind: 'if'; cond: Expr; then: Stmt[]; else: Stmt[]; pos: SourcePos }
  | { kind: 'return'; pos: SourcePos }
  /** name = value (also i := 0, i++, i += k); only int variables. */
  | { kind: 'assign'; name: string; value: Expr; pos: SourcePos }
  /** for init; cond; post { body } (counted loops; every part optional). */
  | { kind: 'for'; init: Stmt | null; cond: Expr | null; post: Stmt | null; body: Stmt[]; pos: SourcePos };

/**
 * The expressions a statement evaluates itself, not those of the statements nested in it: call
 * and go arguments, println's int arguments (its &local arguments are addresses, not reads), an
 * assignment's value, a condition, a sent value.
 */
export function stmtExprs(s: Stmt): Expr[] {
  switch (s.kind) {
    case 'call': case 'go': return s.args;
    case 'println': return s.args.flatMap((a) => (a.kind === 'int' ? [a.expr] : []));
    case 'assign': return [s.value];
    case 'if': return [s.cond];
    case 'for': return s.cond ? [s.cond] : [];
    case 'send': return s.value ? [s.value] : [];
    default: return [];
  }
}

export interface Func {
  name: string;
  pos: SourcePos;
  params: Var[];
  /** Every local declared in the body (var x T, i := 0), hoisted: they all get frame slots. */
  locals: Var[];
  body: Stmt[];
  /** An explicit frame size from a scenario ("frame: 4096"), used instead of the frame model. */
  frameOverride?: { frame: number; args: number };
}

export interface Channel {
  name: string;
  elem: GoType;
  pos: SourcePos;
}

export interface Program {
  /** The input file the program came from. */
  file: string;
  funcs: Map<string, Func>;
  /** Package-level channels (var done = make(chan struct{})): unbuffered. */
  channels: Map<string, Channel>;
}

export const INT: GoType = { kind: 'basic', name: 'int', size: 8, align: 8 };
export const BOOL: GoType = { kind: 'basic', name: 'bool', size: 1, align: 1 };
export const BYTE: GoType = { kind: 'basic', name: 'byte', size: 1, align: 1 };

const BASIC: Record<string, [number, number]> = {
  int: [8, 8], uint: [8, 8], uintptr: [8, 8], int64: [8, 8], uint64: [8, 8], float64: [8, 8],
  int32: [4, 4], uint32: [4, 4], float32: [4, 4], rune: [4, 4],
  int16: [2, 2], uint16: [2, 2], int8: [1, 1], uint8: [1, 1], byte: [1, 1], bool: [1, 1],
};

/** A named basic type, or undefined when Go has no such basic type. */
export function basicType(name: string): GoType | undefined {
  const b = BASIC[name];
  return b ? { kind: 'basic', name, size: b[0], align: b[1] } : undefined;
}

export function sizeOf(t: GoType): number {
  switch (t.kind) {
    case 'basic': return t.size;
    case 'array': return t.len * sizeOf(t.elem);
    case 'chan':
    case 'pointer': return 8;
    case 'struct': {
      let off = 0;
      for (const f of t.fields) off = alignUp(off, alignOf(f)) + sizeOf(f);
      return alignUp(off, alignOf(t));
    }
  }
}

export function alignOf(t: GoType): number {
  switch (t.kind) {
    case 'basic': return t.align;
    case 'array': return alignOf(t.elem);
    case 'chan':
    case 'pointer': return 8;
    case 'struct': return t.fields.reduce((a, f) => Math.max(a, alignOf(f)), 1);
  }
}

export function hasPointers(t: GoType): boolean {
  switch (t.kind) {
    case 'basic': return false;
    case 'array': return t.len > 0 && hasPointers(t.elem);
    case 'chan':
    case 'pointer': return true;
    case 'struct': return t.fields.some(hasPointers);
  }
}

export function typeString(t: GoType): string {
  switch (t.kind) {
    case 'basic': return t.name;
    case 'array': return `[${t.len}]${typeString(t.elem)}`;
    case 'chan': return `chan ${typeString(t.elem)}`;
    case 'pointer': return `*${typeString(t.elem)}`;
    case 'struct': return t.fields.length === 0 ? 'struct{}' : `struct{${t.fields.map(typeString).join('; ')}}`;
  }
}

/** A function's byte variables: they wrap around at 256 and divide unsigned. */
export function byteVariables(f: Func): ReadonlySet<string> {
  return new Set([...f.params, ...f.locals].filter((v) => v.type.kind === 'basic' && (v.type.name === 'byte' || v.type.name === 'uint8')).map((v) => v.name));
}

export function alignUp(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

/** An input error: always reported as "file:line:col: message", never as a stack trace. */
export class InputError extends Error {
  constructor(message: string, readonly pos?: Partial<SourcePos> & { file: string }) {
    super(message);
  }
  format(): string {
    const p = this.pos;
    if (!p) return this.message;
    // An error about an input (a file, an option) is one line, whatever it quotes from it.
    const where = p.line ? `${p.file}:${p.line}${p.col ? `:${p.col}` : ''}` : p.file;
    return `${where}: ${this.message}`.replace(/\r/g, '\\r').replace(/\n/g, '\\n');
  }
}
