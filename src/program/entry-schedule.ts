/**
 * The entry block's schedule, value by value, as cmd/compile/internal/ssa/schedule.go makes it
 * (Go 1.21 and 1.22 share it but for one rule), and which of its values live across a call.
 *
 * Go 1.21's ValHeap.Less has a rule of its own: "In the entry block, put statement-marked
 * instructions earlier". A statement-marked value is the first value of each source line
 * (ssa/numberlines.go) and the values the rewrite rules make from it (they take its position).
 * Wherever a call waits for a value of its own (a string's address, an argument), 1.21 first
 * makes every ready statement-marked value of the later lines, and those read after the call are
 * kept in a slot across it. The frame model counts the slots as 1.22 makes them; the difference
 * between this schedule with and without the rule is what 1.21 adds or saves (frame.ts).
 *
 * The values are the ones the frame depends on: arithmetic (one value per operator, after the
 * folds that remove some: CSE, identities, x + (y ± c) and x + 2y as one LEAQ; a division by a
 * constant is its rewrite's sequence), comparisons (a flags value, and a SETcc where a bool is
 * taken), what a call waits for (a string's address and length, a constant argument, a zeroed
 * or copied array's address, a go statement's closure), loads of channel variables and of
 * parameters kept in memory, and the calls and stores on the memory chain. Parameters in
 * registers are ready from the start; addresses and constants are never kept in a slot.
 * Where the rule leaves two values equal, the real heap's layout decides; see before().
 */
import { sizeOf, stmtExprs, type Expr, type Func, type SourcePos, type Stmt } from './model.js';
import { walk } from './stmts.js';
import { constValue } from './validate.js';
import type { Profile } from '../profiles/profile.js';
import { absConst, COMPARISONS, comparedValues, divisibility, exprShape, foldedValue, identityOf, isConstant, isVariableDivision, paramsInMemory, posBefore, powerOfTwo, subExprs } from './frame.js';

// ssa/schedule.go's scores (lower first).
const SCORE_MEMORY = 5;
const SCORE_READ_FLAGS = 6;
const SCORE_DEFAULT = 7;
const SCORE_FLAGS = 8;
const SCORE_CONTROL = 9;

interface Value {
  id: number;
  score: number;
  /** In-block arguments (values made in this block). */
  args: Value[];
  /** Source line and column. */
  line: number;
  col: number;
  /** NoXPos: a string's address, a literal constant, a local's address. */
  noPos: boolean;
  /** Statement-marked (numberlines.go). */
  stmt: boolean;
  uses: number;
  inBlockUse: boolean;
  /** A call: every register is clobbered across it. */
  call: boolean;
  /** Rematerializable (an address): never kept in a slot. */
  remat: boolean;
  /** Read after the entry block. */
  liveOut: boolean;
  /** A local's value, or an unnamed temporary. */
  local?: string;
  bool: boolean;
  /** Values that must come first without being read (a load before the next store). */
  after: Value[];
  /** Register inputs, parameters included (tighten.go's narg). */
  regArgs: number;
}

class EndOfBlock extends Error {}

/** The entry block's values in the order the SSA builder makes them. */
class EntryBuilder {
  values: Value[] = [];
  private env = new Map<string, Value>();
  private constants = new Set<string>();
  private constantValues = new Map<string, Value>();
  private strings = new Map<string, Value>();
  private cse = new Map<string, Value>();
  private mem: Value | null = null;
  private loads: Value[] = [];
  private line = 0;
  private lineHasMark = false;
  private markUser: Value | null = null;

  constructor(private readonly fn: Func, private readonly inMemory: ReadonlySet<string>) {}

  private make(score: number, args: (Value | null)[], pos: { line: number; col: number } | null, extra: Partial<Value> = {}): Value {
    const inBlock = args.filter((a): a is Value => a !== null);
    const v: Value = {
      id: this.values.length, score, args: inBlock, line: pos?.line ?? 0, col: pos?.col ?? 0, noPos: pos === null,
      stmt: false, uses: 0, inBlockUse: false, call: false, remat: false, liveOut: false, bool: false, after: [], regArgs: inBlock.length, ...extra,
    };
    for (const a of inBlock) { a.uses++; a.inBlockUse = true; }
    // numberlines.go: the first value of a line that is not a poor statement op (an address, a
    // constant) is statement-marked.
    if (pos && pos.line === this.line && !this.lineHasMark && !v.remat) { v.stmt = true; this.lineHasMark = true; }
    // cse.go: a marked value CSE removes passes its mark to its user on the same line.
    if (this.markUser && inBlock.includes(this.markUser)) {
      if (pos && pos.line === this.line && score !== SCORE_MEMORY) v.stmt = true;
      this.markUser = null;
    }
    this.values.push(v);
    return v;
  }

  /** A memory op: after the previous one. */
  private memOp(args: (Value | null)[], pos: { line: number; col: number } | null, call: boolean): Value {
    const v = this.make(SCORE_MEMORY, [...args, this.mem], pos, { call, after: this.loads });
    if (this.mem) this.mem.uses--; // the memory edge is an order, not a use
    this.mem = v;
    this.loads = [];
    return v;
  }

  /** A load: after the last memory op, and before the next (schedule.go's memory edges). */
  private load(pos: { line: number; col: number }): Value {
    const v = this.make(SCORE_DEFAULT, [this.mem], pos);
    if (this.mem) this.mem.uses--;
    this.loads.push(v);
    return v;
  }

  /** An address a memory op waits for: a default-scored value, remade wherever it is needed. */
  private addr(pos: { line: number; col: number } | null): Value {
    return this.make(SCORE_DEFAULT, [], pos, { remat: true });
  }

  private startLine(line: number) {
    this.line = line;
    this.lineHasMark = false;
    this.markUser = null;
  }

  /** The value of an int expression, or null for a parameter or constant. */
  private expr(e: Expr): Value | null {
    if (this.constant(e)) return null;
    if (e.kind === 'var') return this.env.get(e.name) ?? (this.inMemory.has(e.name) ? this.load(e.pos) : null);
    if (e.kind === 'binary' && (e.op === '&&' || e.op === '||')) throw new EndOfBlock();
    if (isVariableDivision(e)) throw new EndOfBlock();
    const same = identityOf(e);
    if (same !== null) return this.env.get(same) ?? null;
    if (e.kind === 'binary' && COMPARISONS.includes(e.op)) return this.bool(e);
    if (e.kind === 'unary' && e.op === '!' && e.operand.kind === 'binary' && COMPARISONS.includes(e.operand.op)) return this.bool(e.operand);
    const key = this.key(e);
    const seen = this.cse.get(key);
    if (seen) {
      // A line's first value that CSE removes passes its mark to its user on the line (cse.go):
      // an arithmetic parent (arith/arith-9 c16: (b + a) * 182235779 after a + b), or a call,
      // where it orders nothing (recorded/cse-args: twice).
      if (seen.line !== this.line && !this.lineHasMark) { this.lineHasMark = true; this.markUser = seen; }
      return seen;
    }
    let v: Value;
    // !flag is an XORL of a bool: a one-byte slot where it is kept.
    if (e.kind === 'unary') v = this.make(SCORE_DEFAULT, [this.expr(e.operand)], e.pos, { regArgs: 1, bool: e.op === '!' });
    else if (e.kind === 'binary' && (e.op === '/' || e.op === '%')) v = this.division(e.op, this.expr(e.left), e.right, e.pos, this.key(e.left));
    else if (e.kind === 'binary') {
      // x + (y ± c) is one LEAQ of x and y with c as its offset (amd64 rules: ADDQ x (ADDQconst
      // [c] y) -> LEAQ1 [c] x y): no value for y ± c (arith/arith-89 c1).
      // So is x + (y + y), or x + y*2, 4, 8: LEAQ2 x y and the like (arith/arith-47 c2).
      const offset = (x: Expr): Expr => {
        if (e.op !== '+' || x.kind !== 'binary' || this.cse.has(this.key(x))) return x;
        if ((x.op === '+' || x.op === '-') && this.constant(x.right) && !this.constant(x.left)) return x.left;
        if (x.op === '+' && x.left.kind === 'var' && x.right.kind === 'var' && x.left.name === x.right.name) return x.left;
        if (x.op === '*' && x.left.kind === 'var' && [2n, 4n, 8n].includes(constValue(x.right) ?? 0n)) return x.left;
        return x;
      };
      const reassociated = this.reassociated(e);
      if (reassociated) {
        const { x, z, innerFirst } = reassociated;
        // The SSA builder's order: the operands left to right, the product c * z once z is made,
        // taking the line's mark if none is taken yet (then lost with it).
        let lx: Value | null = null;
        if (!innerFirst) lx = this.expr(x);
        const lz = this.expr(z);
        if (e.pos.line === this.line) this.lineHasMark = true;
        if (innerFirst) lx = this.expr(x);
        const xz = this.make(SCORE_DEFAULT, [lx, lz], e.pos, { regArgs: [x, z].filter((y) => !this.constant(y)).length });
        v = this.make(SCORE_DEFAULT, [xz], e.pos, { regArgs: 1 });
      } else {
        const l = this.expr(offset(e.left));
        const r = this.expr(offset(e.right));
        v = this.make(SCORE_DEFAULT, [l, r], e.pos, { regArgs: [e.left, e.right].filter((x) => !this.constant(x)).length });
      }
    } else return null;
    this.cse.set(key, v);
    return v;
  }

  /**
   * generic.rules' reassociation, constants outward: x * (c * z) -> c * (x * z), both values at
   * the outer product's position. The product c * z, the line's first value and so its statement
   * mark, is dead then, and its mark is lost: neither new value is marked (arith/arith-75 c11 with
   * go1.21.13 -S: b * (d * 90900) is IMULQ then IMUL3Q $90900, both after the println before it).
   * Returns x and z, and whether c * z is the left operand; null where the rule does not apply.
   */
  private reassociated(e: Expr): { x: Expr; z: Expr; innerFirst: boolean } | null {
    if (e.kind !== 'binary' || e.op !== '*') return null;
    for (const [inner, x, innerFirst] of [[e.right, e.left, false], [e.left, e.right, true]] as const) {
      if (inner.kind !== 'binary' || inner.op !== '*' || this.constant(x) || this.cse.has(this.key(inner))) continue;
      const z = this.constant(inner.left) && !this.constant(inner.right) ? inner.right
        : this.constant(inner.right) && !this.constant(inner.left) ? inner.left : null;
      if (z) return { x, z, innerFirst };
    }
    return null;
  }

  /**
   * n/c or n%c by a constant: the generic rules' sequence, each value at the division's position
   * and statement-marked with it. By a power of two: the sign, its shift, the sum, the shift (and
   * for % the mask and the difference); else the magic multiply, its shift, the sign, the
   * quotient (and for % the product and the difference). The sign is made once for every
   * division of n in the block (CSE).
   */
  private division(op: '/' | '%', n: Value | null, by: Expr, pos: SourcePos, nKey: string): Value {
    const c = absConst(by);
    // n >> 63, which every signed division of n by a constant but 2 takes: CSE makes it once.
    const shared = c !== 2n ? this.signs.get(nKey) : undefined;
    const share = (sign: Value, stmt: boolean) => {
      // cse.go keeps the value of the lowest ID: a division's rewrite runs before a remainder's,
      // whose division the first rewrite makes (arith/arith-71 w1 with go1.21.13's
      // -d=ssa/schedule/dump: j % -3, then j / 16, share j / 16's unmarked sign). A removed marked
      // sign passes its mark to its user.
      if (shared!.op === '%' && op === '/') {
        sign.line = pos.line;
        sign.col = pos.col;
        if (sign.stmt && !stmt) {
          sign.stmt = false;
          shared!.user.stmt = true;
        }
      }
      return sign;
    };
    if (powerOfTwo(c)) {
      const first = shared ? share(shared.v, this.line === pos.line && !this.lineHasMark) : this.make(SCORE_DEFAULT, [n], pos);
      const next = (args: (Value | null)[]) => this.make(SCORE_DEFAULT, args, pos, { stmt: first.stmt && !shared });
      const shifted = next([first]);
      if (!shared && c !== 2n) this.signs.set(nKey, { v: first, op, user: shifted });
      const sum = next([n, shifted]);
      if (op === '%') return next([n, next([sum])]);
      return next([sum]);
    }
    const first = this.make(SCORE_DEFAULT, [n], pos);
    const next = (args: (Value | null)[]) => this.make(SCORE_DEFAULT, args, pos, { stmt: first.stmt });
    const shifted = next([first]);
    const sign = shared ? share(shared.v, first.stmt) : next([n]);
    const q = next([shifted, sign]);
    if (!shared) this.signs.set(nKey, { v: sign, op, user: q });
    if (op === '%') return next([n, next([q])]);
    return q;
  }

  /** Each dividend's sign (by its CSE key), the division that made it, and its user there. */
  private signs = new Map<string, { v: Value; op: '/' | '%'; user: Value }>();

  /**
   * A constant passed in a register is a MOVQconst the call waits for, of no position
   * (frames/param-locals.go computed: g(1) waits for 1, and Go 1.21 makes v := k + 1 first).
   */
  private constantArg(e: Expr): Value | null {
    if (!this.constant(e) || e.kind === 'zero') return null;
    // One the generic rules fold (b - b) keeps the expression's position (frames/computed-args.go
    // folded, bare-int-params.go plusZeroArg).
    const literal = e.kind === 'int' || e.kind === 'bool' || (e.kind === 'unary' && (e.operand.kind === 'int' || e.operand.kind === 'bool'));
    // The same constant twice is one value (CSE): the first (frames/computed-args.go
    // constantBefore: println(0), then take2(a, b-b)).
    const value = e.kind === 'bool' ? `${e.value}` : foldedValue(e)?.toString();
    const seen = value === undefined ? undefined : this.constantValues.get(value);
    if (seen) return seen;
    const v = this.addr(literal ? null : { line: e.pos.line, col: e.pos.col });
    if (value !== undefined) this.constantValues.set(value, v);
    return v;
  }

  /**
   * printstring's arguments: the string's address and its length, both of no position; CSE
   * makes each once per function (arith/arith-86 c13: "c13 " printed twice waits once).
   */
  private string(text: string): Value[] {
    let address = this.strings.get(text);
    if (!address) this.strings.set(text, (address = this.addr(null)));
    const length = `${new TextEncoder().encode(text).length}`;
    let n = this.constantValues.get(length);
    if (!n) this.constantValues.set(length, (n = this.addr(null)));
    return [address, n];
  }

  /** A constant, or built from locals holding constants only: folded. */
  private constant(e: Expr): boolean {
    if (isConstant(e)) return true;
    if (e.kind === 'var') return this.constants.has(e.name);
    if (e.kind === 'unary') return this.constant(e.operand);
    if (e.kind === 'binary') return this.constant(e.left) && this.constant(e.right);
    return false;
  }

  /** A comparison as a bool: its flags, and the SETcc that reads them. */
  private bool(e: Expr): Value {
    const flags = this.flags(e);
    return this.make(SCORE_READ_FLAGS, [flags], e.pos, { bool: true });
  }

  private flags(e: Expr, control = false): Value {
    if (e.kind === 'unary' && e.op === '!') return this.flags(e.operand, control);
    if (e.kind !== 'binary') return this.make(control ? SCORE_CONTROL : SCORE_FLAGS, [this.expr(e)], e.pos);
    // n%c == 0 multiplies and adds first (generic.rules): one value, then the compare.
    // x + c == d compares x with d - c, and x % 2^k == 0 tests x's bits (comparedValues).
    const args = divisibility(e) ? [this.make(SCORE_DEFAULT, [this.expr((e.left as Extract<Expr, { kind: 'binary' }>).left)], e.pos)]
      : comparedValues(e).map((x) => this.expr(x));
    // The compare is statement-marked in every dump read (CMPQ, CMPQconst, BTQconst: arith/arith-16
    // c2, arith-65 c4, frames/folds.go lowBit): among flags values, position decides.
    return this.make(control ? SCORE_CONTROL : SCORE_FLAGS, args, e.pos, { stmt: true });
  }

  /** A structural key for CSE: variables by the value they hold. */
  private key(e: Expr): string {
    const k = (x: Expr): string => (x.kind === 'var' ? (this.env.has(x.name) ? `#${this.env.get(x.name)!.id}` : x.name)
      : x.kind === 'binary' ? `(${(['+', '*', '==', '!='].includes(x.op) ? [k(x.left), k(x.right)].sort() : [k(x.left), k(x.right)]).join(x.op)})`
        : x.kind === 'unary' ? `(${x.op}${k(x.operand)})` : exprShape(x));
    return k(e);
  }

  /** An array argument passed on the stack: zeroed or copied in the outgoing area. */
  private arrayArg(e: Expr, line: number, col: number) {
    const t = e.kind === 'zero' ? e.type : e.kind === 'var' ? [...this.fn.params, ...this.fn.locals].find((v) => v.name === e.name)?.type : undefined;
    if (!t || t.kind !== 'array' && t.kind !== 'struct') return false;
    // A copy (DUFFCOPY) loads and stores its tail first; its addresses are no statement.
    if (e.kind === 'zero') this.zero(sizeOf(t), { line, col });
    else this.memOp(sizeOf(t) > 64 ? [this.addr({ line, col })] : [], { line, col }, false);
    return true;
  }

  /**
   * Zeroing or copying an array: over 64 bytes it takes the array's address (DUFFZERO, REP
   * STOSQ, DUFFCOPY), a value made at its line but no statement; below, stores off SP need none.
   */
  private zero(size: number, pos: { line: number; col: number }) {
    if (size <= 64) { this.memOp([], pos, false); return; }
    // A tail of under 16 bytes is stored first (amd64 rules: Zero [s] with s%16 != 0), and the
    // rest's address is a new value, made by the rule at the zeroing's marked position.
    const addr = this.addr(pos);
    if (size % 16 !== 0) addr.stmt = true;
    this.memOp([addr], pos, false);
  }

  stmt(s: Stmt): void {
    this.startLine(s.pos.line);
    const at = { line: s.pos.line, col: s.pos.col };
    switch (s.kind) {
      case 'assign': {
        const v = this.expr(s.value);
        if (v) { this.env.set(s.name, v); v.local ??= s.name; }
        else this.env.delete(s.name);
        if (this.constant(s.value)) this.constants.add(s.name);
        else this.constants.delete(s.name);
        return;
      }
      case 'println': {
        // walk/builtin.go walkPrint: every argument is evaluated before printlock.
        const vals = s.args.map((a) => (a.kind === 'int' ? this.expr(a.expr) : null));
        this.memOp([], at, true); // printlock
        s.args.forEach((a, i) => {
          if (a.kind === 'string') this.memOp(this.string(a.value + (i === s.args.length - 1 ? '\n' : ' ')), at, true);
          else if (a.kind === 'addr') this.memOp([this.addr(null)], at, true); // LEAQ {x} SP: no position
          else this.memOp([vals[i] ?? this.constantArg(a.expr)], at, true);
        });
        this.memOp([], at, true); // printnl
        this.memOp([], at, true); // printunlock
        return;
      }
      case 'call': {
        // walk.go mayCall: an argument that divides is evaluated first, into a temporary.
        const divides = (e: Expr) => subExprs(e).some((x) => x.kind === 'binary' && (x.op === '/' || x.op === '%'));
        const vals = new Map<Expr, Value | null>();
        for (const e of s.args) if (divides(e)) vals.set(e, this.expr(e));
        const regs: (Value | null)[] = [];
        for (const e of s.args) {
          if (this.arrayArg(e, at.line, at.col)) continue;
          regs.push(vals.has(e) ? vals.get(e)! : this.expr(e) ?? this.constantArg(e));
        }
        this.memOp(regs, at, true);
        return;
      }
      case 'gc':
        this.memOp([], at, true);
        return;
      case 'go': {
        const vals = s.args.map((e) => this.expr(e));
        const captured = s.args.some((e) => !isConstant(e));
        if (captured) {
          this.memOp([this.addr(null)], at, true); // newobject(closure type)
          for (const v of vals) if (v) this.memOp([v], at, false);
        }
        this.memOp([this.addr(null)], at, true); // newproc
        return;
      }
      case 'send': {
        const value = s.value ? this.expr(s.value) : null;
        const ch = this.load(at);
        this.memOp([value], at, false); // the value's temporary
        this.memOp([ch, this.addr(at)], at, true); // chansend1
        return;
      }
      case 'recv': {
        const ch = this.load(at);
        this.memOp([ch], at, true); // chanrecv1
        return;
      }
      case 'if':
        this.flags(s.cond, true);
        throw new EndOfBlock();
      default:
        throw new EndOfBlock();
    }
  }

  /** Marks the values of locals read after the entry block. */
  markLiveOut(rest: Stmt[]) {
    const read = new Set<string>();
    walk(rest, (s) => { for (const e of stmtExprs(s)) for (const x of subExprs(e)) if (x.kind === 'var') read.add(x.name); });
    for (const [name, v] of this.env) if (read.has(name)) v.liveOut = true;
  }

  /** The statement that ends the block (null: the whole body is one block). */
  end: SourcePos | null = null;

  /** Builds the entry block: the statements up to the first branch, loop or division by a variable. */
  build(): Value[] {
    const body = this.fn.body;
    let i = 0;
    try {
      const zeroed = new Set<string>();
      for (; i < body.length; i++) {
        if (body[i].kind === 'for') break;
        // A local array is zeroed where it is declared.
        for (const l of this.fn.locals) {
          if (l.type.kind !== 'array' || zeroed.has(l.name) || !posBefore(l.pos, body[i].pos)) continue;
          zeroed.add(l.name);
          this.startLine(l.pos.line);
          this.zero(sizeOf(l.type), { line: l.pos.line, col: l.pos.col });
        }
        this.stmt(body[i]);
      }
    } catch (e) {
      if (!(e instanceof EndOfBlock)) throw e;
    }
    this.end = body[i]?.pos ?? null;
    this.markLiveOut(body.slice(i));
    return this.tighten();
  }

  /**
   * tighten.go: a value read only after the block, with at most one register input, is moved to
   * where it is read; what it reads is then read there too (arith/arith-89 c1: v4 := (a*v2)*5
   * moves, a*v2, two inputs, stays, with no use left in the block).
   */
  private tighten(): Value[] {
    const moved = new Set<Value>();
    for (let changed = true; changed;) {
      changed = false;
      for (const v of this.values) {
        if (moved.has(v) || v.score !== SCORE_DEFAULT || v.remat || v.uses > 0 || !v.liveOut || v.regArgs > 1) continue;
        moved.add(v);
        changed = true;
        for (const a of v.args) {
          a.uses--;
          a.liveOut = true;
          if (a.uses === 0) a.inBlockUse = false;
        }
      }
    }
    return this.values.filter((v) => !moved.has(v));
  }
}

/** ssa/schedule.go's ValHeap.Less: whether x goes before y. */
function before(x: Value, y: Value, entryStatementsFirst: boolean): boolean {
  if (x.score !== y.score) return x.score < y.score;
  if (x.inBlockUse !== y.inBlockUse) return x.inBlockUse;
  const samePos = x.noPos === y.noPos && x.line === y.line && x.col === y.col;
  if (!samePos) {
    if (entryStatementsFirst && x.stmt !== y.stmt) return x.stmt;
    // XPos.Before puts NoXPos first. 1.21's rule makes a value of no position (a string's
    // address) and an unmarked one with a position (different IsStmt states, neither marked)
    // equal, and the heap then leaves the address last in the cases measured (arith/arith-1 c16,
    // arith-21 c22, arith-80 w11 with go1.21.13's -d=ssa/schedule/dump).
    if (x.noPos !== y.noPos) return entryStatementsFirst ? y.noPos : x.noPos;
    return x.line !== y.line ? x.line < y.line : x.col < y.col;
  }
  if (x.args.length !== y.args.length) return x.args.length > y.args.length;
  if (x.uses !== y.uses) return x.uses > y.uses;
  return x.id < y.id;
}

/** The block's values in schedule order. */
function schedule(values: Value[], entryStatementsFirst: boolean): Value[] {
  const deps = (v: Value) => new Set([...v.args, ...v.after]);
  const waiting = new Map<Value, number>(values.map((v) => [v, deps(v).size]));
  const users = new Map<Value, Value[]>(values.map((v) => [v, []]));
  for (const v of values) for (const a of deps(v)) users.get(a)!.push(v);
  const ready = values.filter((v) => waiting.get(v) === 0);
  const out: Value[] = [];
  while (ready.length) {
    let best = 0;
    for (let k = 1; k < ready.length; k++) if (before(ready[k], ready[best], entryStatementsFirst)) best = k;
    const [v] = ready.splice(best, 1);
    out.push(v);
    for (const u of users.get(v)!) {
      const n = waiting.get(u)! - 1;
      waiting.set(u, n);
      if (n === 0) ready.push(u);
    }
  }
  return out;
}

interface Kept { value: Value; start: number; end: number }

/** A value kept across a call of the block: its source position, and its life in the schedule. */
export interface KeptValue { line: number; col: number; start: number; end: number }

/** The slots unnamed kept values take: one per value live at once (intervals: greedy is optimal). */
export function unnamedSlots(kept: { start: number; end: number }[]): number {
  let most = 0;
  for (const k of kept) most = Math.max(most, kept.filter((o) => o.start <= k.start && k.start < o.end).length);
  return most;
}

/**
 * The values a schedule keeps in a slot across a call: made before one and read after it, each
 * with its life in the schedule (from where it is made to its last read).
 */
function keptAcrossCalls(order: Value[]): Kept[] {
  const lastRead = new Map<Value, number>();
  for (const [i, v] of order.entries()) for (const a of v.args) lastRead.set(a, Math.max(lastRead.get(a) ?? -1, i));
  const calls = order.flatMap((v, i) => (v.call ? [i] : []));
  return order.flatMap((value, start) => {
    if (value.remat || value.score === SCORE_MEMORY || value.score === SCORE_FLAGS || value.score === SCORE_CONTROL) return [];
    const end = value.liveOut ? Infinity : lastRead.get(value) ?? -1;
    return calls.some((c) => c > start && c < end) ? [{ value, start, end }] : [];
  });
}

export interface EntryDifference {
  /** Slots of 8-byte values 1.21's rule adds (negative: saves). */
  ints: number;
  /** Of those, the unnamed values that live only in the block, with the rule and without it. */
  unnamed: [KeptValue[], KeptValue[]];
  /** Where the entry block ends: the statement that ends it, or null. */
  end: SourcePos | null;
  /** Slots of bools (SETcc results). */
  bools: number;
}

/**
 * What Go 1.21's entry-block rule changes in the values kept across calls, against the same
 * block scheduled by position alone (1.22+).
 */
export function entryRuleDifference(fn: Func, profile: Profile): EntryDifference {
  const builder = new EntryBuilder(fn, paramsInMemory(fn, profile));
  const values = builder.build();
  const with121 = keptAcrossCalls(schedule(values, true));
  const without = keptAcrossCalls(schedule(values, false));
  const count = (vs: Kept[], bool: boolean) => slots(vs.filter((k) => k.value.bool === bool));
  const unnamed = (vs: Kept[]): KeptValue[] => vs.filter((k) => !k.value.bool && !k.value.local && k.end !== Infinity)
    .map((k) => ({ line: k.value.line, col: k.value.col, start: k.start, end: k.end }));
  return { ints: count(with121, false) - count(without, false), unnamed: [unnamed(with121), unnamed(without)], end: builder.end, bools: count(with121, true) - count(without, true) };
}

/**
 * The slots kept values take (ssa/stackalloc.go): a local's value its own, the unnamed ones
 * one per value live at once (their lives are intervals of the block: greedy is optimal).
 */
function slots(kept: Kept[]): number {
  return kept.filter((k) => k.value.local).length + unnamedSlots(kept.filter((k) => !k.value.local));
}

/** For a reader: the schedule of the entry block, one value per line (scripts and tests). */
export function describeEntrySchedule(fn: Func, profile: Profile, entryStatementsFirst: boolean): string[] {
  const values = new EntryBuilder(fn, paramsInMemory(fn, profile)).build();
  const order = schedule(values, entryStatementsFirst);
  const kept = new Set(keptAcrossCalls(order).map((k) => k.value));
  return order.map((v) =>
    `v${v.id} ${v.call ? 'call' : v.score === SCORE_MEMORY ? 'store' : v.remat ? 'addr' : v.bool ? 'setcc' : v.score >= SCORE_FLAGS ? 'flags' : 'op'}` +
    ` ${v.noPos ? '?' : `${v.stmt ? '+' : ''}${v.line}:${v.col}`} (${v.args.map((a) => `v${a.id}`).join(' ')})${v.local ? ` ${v.local}` : ''}${kept.has(v) ? ' KEPT' : ''}`);
}
