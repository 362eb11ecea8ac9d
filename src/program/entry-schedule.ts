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
 * between the block's schedule with and without the rule is what 1.21 adds or saves (frame.ts).
 *
 * The values are the ones the frame depends on: arithmetic (one value per operator, after the
 * folds that remove some: CSE, identities, x + (y ± c) and x + 2y as one LEAQ; a division by a
 * constant is its rewrite's sequence), comparisons (a flags value, and a SETcc where a bool is
 * taken), what a call waits for (a string's address and length, a constant argument, a zeroed
 * or copied array's address, a go statement's closure), loads of channel variables and of
 * parameters kept in memory, and the calls and stores on the memory chain.
 *
 * Without the rule positions order every pair of values, and a total order (before()) gives
 * 1.22's schedule. With it, a value of no position and an unmarked one with a position are
 * unordered both ways, and which comes first depends on the layout of schedule.go's heap: so
 * 1.21's schedule is that pass itself (ssa-schedule.ts) run on the block as it receives it,
 * which toSsa() builds from these values with what the pass sees besides (the memory, SP, SB,
 * the register parameters, each call's SelectN, a division's magic constants, the stores of a
 * zeroing, the second LEAQ of a product by 7), in the order and with the positions the passes
 * before it leave.
 */
import { sizeOf, stmtExprs, type Expr, type Func, type SourcePos, type Stmt } from './model.js';
import { walk } from './stmts.js';
import { sdivisible, smagic } from './magic.js';
import { schedule121, SCORE, typeKind, type SsaValue, type StmtState } from './ssa-schedule.js';
import { constValue } from './validate.js';
import type { Profile } from '../profiles/profile.js';
import { absConst, COMPARISONS, comparedValues, divisibility, exprShape, foldedValue, identityOf, isConstant, isVariableDivision, paramsInMemory, posBefore, powerOfTwo, subExprs } from './frame.js';

// The passes that append values to the block after the SSA builder, in the order they run.
const LATE_CALLS = 1; // expand_calls: a string argument's address and length
const LATE_OPT = 2; // opt: a division's sequence
const LATE_LOWER = 3; // lower: a compare's flags

interface Value {
  id: number;
  score: number;
  /** In-block arguments (values made in this block). */
  args: Value[];
  /** Source line and column. */
  line: number;
  col: number;
  /** The column cmd/compile gives the value: a binary expression's operator's. */
  ssaCol: number;
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
  /** Every argument in order, parameters included (the SSA value's Args but memory). */
  all: Value[];
  /** A register parameter (ArgIntReg): in no list of the block's values, only in all. */
  param?: string;
  /** An address's base: a symbol's (SB) or the frame's (SP); none for a constant. */
  base?: 'SB' | 'SP';
  /** The SSA value's AuxInt, where a tie can reach it (a constant, a shift count). */
  aux?: bigint;
  /** Its type where not int: uint64 (a magic constant), or a pointer to bytes or to an array. */
  type?: 'uint64' | 'string' | 'array';
  /**
   * A division's high multiply: its magic constant (a MOVQconst of uint64 at the division's
   * position) and, where the magic is odd, the ADDQ of the dividend after it (generic.rules).
   */
  magic?: { value: bigint; odd: boolean };
  /** A product by this constant: amd64.rules may make it two values (lowering's, after all else). */
  mulBy?: bigint;
  /**
   * n%c == 0 by a constant not a power of two: this is the MULQ by m; the ADDQ of a, the
   * rotation by k where c is even, and the compare with max that follow (generic.rules).
   */
  divisible?: { m: bigint; a: bigint; k: bigint; max: bigint };
  /** Folded away before the schedule: its users read its argument. */
  elided?: boolean;
  /** A constant CSE merges with an earlier one: the SSA value has its position and mark. */
  cseWith?: { line: number; ssaCol: number; stmt: boolean };
  /** y + y or y * 2: the y an ADDQ folds into LEAQ2 x y. */
  doubles?: Value;
  /** Marked as the first value of a line's second statement. */
  restated?: boolean;
  /**
   * REP STOSQ's count: its two MOVQconsts, the count statement-marked in every dump read, the
   * zero as the address is in a declaration (arith/arith-10 l7) and not in a call's temporary
   * (arith/arith-80 w11, arith-4 w10).
   */
  repeat?: bigint;
  /** A zeroing of a declared local (not a call's temporary). */
  declared?: boolean;
  /** Stores lowering makes before this one (a zeroing's). */
  stores?: number;
  /** No value in SSA (a zero-size store): its memory is the one before. */
  skip?: boolean;
  /** PosNotStmt with its position (an autotmp's address). */
  notStmt?: boolean;
  /** Made by the builder before the body (a parameter's address). */
  early?: boolean;
  /**
   * Made by a rewrite after the SSA builder (a division's sequence, a compare's flags): appended
   * to the block's list in the order made, with an ID after the builder's.
   */
  late?: number;
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

  private make(score: number, args: (Value | null)[], pos: { line: number; col: number; ssaCol?: number } | null, extra: Partial<Value> = {}): Value {
    const all = args.filter((a): a is Value => a !== null);
    const inBlock = all.filter((a) => !a.param);
    const v: Value = {
      id: this.values.length, score, args: inBlock, line: pos?.line ?? 0, col: pos?.col ?? 0, ssaCol: pos?.ssaCol ?? pos?.col ?? 0, noPos: pos === null,
      stmt: false, uses: 0, inBlockUse: false, call: false, remat: false, liveOut: false, bool: false, after: [], regArgs: inBlock.length, all, ...extra,
    };
    for (const a of inBlock) { a.uses++; a.inBlockUse = true; }
    // numberlines.go: the first value of a line that is not a poor statement op (an address, a
    // constant) is statement-marked.
    if (pos && pos.line === this.line && !this.lineHasMark && !v.remat) { v.stmt = true; this.lineHasMark = true; v.restated = this.restated; }
    // cse.go: a marked value CSE removes passes its mark to its user on the same line.
    if (this.markUser && inBlock.includes(this.markUser)) {
      if (pos && pos.line === this.line && score !== SCORE.memory) v.stmt = true;
      this.markUser = null;
    }
    this.values.push(v);
    return v;
  }

  /** A memory op: after the previous one. */
  private memOp(args: (Value | null)[], pos: { line: number; col: number } | null, call: boolean, extra: Partial<Value> = {}): Value {
    const v = this.make(SCORE.memory, [...args, this.mem], pos, { call, after: this.loads, ...extra });
    if (this.mem) this.mem.uses--; // the memory edge is an order, not a use
    this.mem = v;
    this.loads = [];
    return v;
  }

  /** A load: after the last memory op, and before the next (schedule.go's memory edges). */
  private load(pos: { line: number; col: number }, base: 'SB' | 'SP' = 'SP'): Value {
    const v = this.make(SCORE.default, [this.mem], pos, { base });
    if (this.mem) this.mem.uses--;
    this.loads.push(v);
    return v;
  }

  /** An address a memory op waits for: a default-scored value, remade wherever it is needed. */
  private addr(pos: { line: number; col: number } | null, base?: 'SB' | 'SP', extra: Partial<Value> = {}): Value {
    return this.make(SCORE.default, [], pos, { remat: true, base, ...extra });
  }

  /**
   * &x: LEAQ {x} SP, one per variable (CSE). A parameter's is of no position and made first of
   * all (arith/arith-51 c8 with go1.21.13: v6 = LEAQ {x} SP before the ArgIntRegs); a local's is
   * its zeroing's, or one at the &x.
   */
  private addresses = new Map<string, Value>();
  private localAddr(name: string, pos: SourcePos): Value {
    const made = this.addresses.get(name);
    if (made) return made;
    // A local whose zeroing stored a tail first (its LEAQ is at an offset) has its address made
    // at the &x, unmarked (arith/arith-10 l7: the zeroing's LEAQ {y} [8], then LEAQ {y} at &y).
    const param = this.fn.params.some((p) => p.name === name);
    const v = this.addr(null, 'SP', { type: 'array', early: param, cseWith: param ? undefined : { line: pos.line, ssaCol: pos.col, stmt: false } });
    this.addresses.set(name, v);
    return v;
  }

  private lateCount = 0;
  /** The place in the block's list of a value a later pass makes (phase, then order made). */
  private lateRank(phase: number): number {
    return phase * 100000 + this.lateCount++;
  }

  /** Register parameters as the values that read them see them (ArgIntReg), made once each. */
  readonly params = new Map<string, Value>();
  private param(name: string): Value | null {
    const p = this.fn.params.find((x) => x.name === name);
    if (!p || p.type.kind !== 'basic') return null;
    let v = this.params.get(name);
    if (!v) {
      v = { id: -1, score: 0, args: [], all: [], line: p.pos.line, col: p.pos.col, ssaCol: p.pos.col, noPos: false, stmt: false, uses: 0, inBlockUse: false, call: false,
        remat: false, liveOut: false, bool: p.type.kind === 'basic' && p.type.name === 'bool', after: [], regArgs: 0, param: name };
      this.params.set(name, v);
    }
    return v;
  }

  /** The line's second statement (a call after the temporaries of its dividing arguments). */
  private restated = false;

  private startLine(line: number) {
    this.line = line;
    this.restated = false;
    this.lineHasMark = false;
    this.markUser = null;
  }

  /** The value of an int expression, or null for a parameter or constant. */
  private expr(e: Expr): Value | null {
    if (this.constant(e)) return null;
    if (e.kind === 'var') return this.env.get(e.name) ?? (this.inMemory.has(e.name) ? this.load(e.pos) : this.param(e.name));
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
    if (e.kind === 'unary') v = this.make(SCORE.default, [this.expr(e.operand)], at(e), { regArgs: 1, bool: e.op === '!' });
    else if (e.kind === 'binary' && (e.op === '/' || e.op === '%')) v = this.division(e.op, this.expr(e.left), e.right, at(e), this.key(e.left));
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
        const xz = this.make(SCORE.default, [lx, lz], at(e), { regArgs: [x, z].filter((y) => !this.constant(y)).length });
        v = this.make(SCORE.default, [xz], at(e), { regArgs: 1 });
      } else {
        const l = this.expr(offset(e.left));
        const r = this.expr(offset(e.right));
        v = this.make(SCORE.default, [l, r], at(e), { regArgs: [e.left, e.right].filter((x) => !this.constant(x)).length });
        // By a constant: MULQconst, ADDQconst [c] (its AuxInt), and what lowering makes of a product.
        const c = this.constant(e.right) ? foldedValue(e.right) : this.constant(e.left) && e.op !== '-' ? foldedValue(e.left) : undefined;
        if (c !== undefined && c !== null) {
          v.aux = e.op === '-' ? -c : c;
          if (e.op === '*') v.mulBy = c;
          if (e.op === '*' && c === 2n) v.doubles = l ?? r ?? undefined;
        }
        if (e.op === '+' && e.left.kind === 'var' && e.right.kind === 'var' && e.left.name === e.right.name && l) v.doubles = l;
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
  private division(op: '/' | '%', n: Value | null, by: Expr, pos: { line: number; col: number; ssaCol: number }, nKey: string): Value {
    const c = absConst(by);
    this.noteDivisor(c, pos);
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
      const first = shared ? share(shared.v, this.line === pos.line && !this.lineHasMark) : this.make(SCORE.default, [n], pos);
      const next = (args: (Value | null)[]) => this.make(SCORE.default, args, pos, { stmt: first.stmt && !shared });
      const shifted = next([first]);
      if (!shared && c !== 2n) this.signs.set(nKey, { v: first, op, user: shifted });
      // ADDQ x (ADDQ y y) is LEAQ2 x y (amd64.rules): n = y + y is not read (arith/arith-11 w1: (k + k) / 16).
      const sum = next([n?.doubles ?? n, shifted]);
      const k = BigInt(c.toString(2).length - 1);
      first.aux ??= 63n;
      shifted.aux = 64n - k;
      // By 2 the sign's shift folds away: SHRQconst [63] n (generic.rules; arith/arith-60 c24).
      if (c === 2n && !shared) first.elided = true;
      // The opt pass's order of making them (generic.rules, outermost first); the outer value
      // is the builder's.
      if (op === '%') {
        const masked = next([sum]);
        masked.aux = -(1n << k);
        this.made(LATE_OPT, [masked, sum, shared ? null : first, shifted]);
        return next([n, masked]);
      }
      const result = next([sum]);
      result.aux = k;
      this.made(LATE_OPT, [sum, shifted, shared ? null : first]);
      return result;
    }
    const first = this.make(SCORE.default, [n], pos);
    const next = (args: (Value | null)[]) => this.make(SCORE.default, args, pos, { stmt: first.stmt });
    const shifted = next([first]);
    const sign = shared ? share(shared.v, first.stmt) : next([n]);
    const q = next([shifted, sign]);
    if (!shared) this.signs.set(nKey, { v: sign, op, user: q });
    const { s, m } = smagic(c);
    const odd = (m & 1n) === 1n;
    first.magic = { value: BigInt.asIntN(64, odd ? m : m / 2n), odd };
    shifted.aux = odd ? s : s - 1n;
    if (!shared) sign.aux = 63n;
    const sequence = [shifted, first, shared ? null : sign];
    if (op === '%') {
      const product = next([q]);
      product.mulBy = c;
      this.made(LATE_OPT, [product, q, ...sequence]);
      return next([n, product]);
    }
    this.made(LATE_OPT, sequence);
    return q;
  }

  /** Values a later pass makes, in the order it makes them. */
  private made(phase: number, values: (Value | null)[]) {
    for (const v of values) if (v && v.late === undefined) v.late = this.lateRank(phase);
  }

  /** The constants divisions divide by, at the first such division (its position and mark). */
  private divisors = new Map<bigint, { line: number; col: number; ssaCol: number; stmt: boolean }>();
  private noteDivisor(c: bigint, pos: { line: number; col: number; ssaCol: number }) {
    if (!this.divisors.has(c)) this.divisors.set(c, { ...pos, stmt: pos.line === this.line && !this.lineHasMark });
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
    const aux = value === 'true' ? 1n : value === 'false' || value === undefined ? 0n : BigInt(value);
    const v = this.addr(literal ? null : at(e), undefined, { aux, bool: e.kind === 'bool' });
    if (value !== undefined) this.constantValues.set(value, v);
    return v;
  }

  /**
   * printstring's arguments: the string's address and its length, both of no position; CSE
   * makes each once per function (arith/arith-86 c13: "c13 " printed twice waits once).
   */
  private string(text: string): Value[] {
    let address = this.strings.get(text);
    // expand_calls.go makes a string argument's address and length after the builder.
    if (!address) this.strings.set(text, (address = this.addr(null, 'SB', { type: 'string', late: this.lateRank(LATE_CALLS) })));
    const length = `${new TextEncoder().encode(text).length}`;
    let n = this.constantValues.get(length);
    // CSE makes it one with a divisor of the same value, whose position it keeps (arith/arith-57 c9:
    // (a * a) % 3 before printstring("c9 "), arith-31 c3).
    const divisor = this.divisors.get(BigInt(length));
    if (!n) this.constantValues.set(length, (n = this.addr(null, undefined, { aux: BigInt(length), late: this.lateRank(LATE_CALLS), cseWith: divisor })));
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
    return this.make(SCORE.readFlags, [flags], at(e), { bool: true });
  }

  /** A compare's flags: lowering makes them (the builder's compare becomes the SETcc or goes). */
  private flags(e: Expr, control = false): Value {
    const v = this.compare(e, control);
    this.made(LATE_LOWER, [v]);
    return v;
  }

  private compare(e: Expr, control: boolean): Value {
    if (e.kind === 'unary' && e.op === '!') return this.compare(e.operand, control);
    if (e.kind !== 'binary') return this.make(control ? SCORE.control : SCORE.flags, [this.expr(e)], at(e));
    // n%c == 0 multiplies and adds first (generic.rules): one value, then the compare.
    // x + c == d compares x with d - c, and x % 2^k == 0 tests x's bits (comparedValues).
    let divisible: Value | undefined;
    if (divisibility(e)) {
      const mod = e.left as Extract<Expr, { kind: 'binary' }>;
      const c = absConst(mod.right);
      this.noteDivisor(c, at(mod));
      divisible = this.make(SCORE.default, [this.expr(mod.left)], at(e), { divisible: sdivisible(c) });
      this.made(LATE_OPT, [divisible]);
    }
    const args = divisible ? [divisible] : comparedValues(e).map((x) => this.expr(x));
    // The compare is statement-marked in every dump read (CMPQ, CMPQconst, BTQconst: arith/arith-16
    // c2, arith-65 c4, frames/folds.go lowBit): among flags values, position decides.
    return this.make(control ? SCORE.control : SCORE.flags, args, at(e), { stmt: true });
  }

  /** A structural key for CSE: variables by the value they hold. */
  private key(e: Expr): string {
    const k = (x: Expr): string => (x.kind === 'var' ? (this.env.has(x.name) ? this.env.get(x.name)!.param ?? `#${this.env.get(x.name)!.id}` : x.name)
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
  private zero(size: number, pos: { line: number; col: number }, local?: string) {
    // Up to 64 bytes, stores of 16 bytes and one of the tail: lowering makes all but the last
    // (arith/arith-11 w1 with go1.21.13: [5]int{} is three MOVOstoreconst).
    if (size <= 64) { this.memOp([], pos, false, { base: 'SP', stores: Math.floor(size / 16) + (size % 16 ? 1 : 0) - 1 }); return; }
    // A tail of under 16 bytes is stored first (amd64 rules: Zero [s] with s%16 != 0), and the
    // rest's address is a new value, made by the rule at the zeroing's marked position.
    const addr = this.addr(pos, 'SP', { type: 'array' });
    // A local's address, &x printed later is the same value (CSE; recorded/many-print-args show)
    // unless a tail is stored first: the rest's address is then at an offset.
    if (local && size % 16 === 0) this.addresses.set(local, addr);
    if (size % 16 !== 0) addr.stmt = true;
    // Over 1024 bytes REP STOSQ, with its count and its zero in registers (arith/arith-80 w11).
    const rest = size - (size % 16 ? size % 16 : 0);
    this.memOp([addr], pos, false, { stores: size % 16 ? 1 : 0, repeat: rest > 1024 ? BigInt(rest / 8) : undefined, declared: !!local });
  }

  stmt(s: Stmt): void {
    this.startLine(s.pos.line);
    const at = { line: s.pos.line, col: s.pos.col };
    switch (s.kind) {
      case 'assign': {
        const v = this.expr(s.value);
        if (v && !v.param) { this.env.set(s.name, v); v.local ??= s.name; }
        else if (v) this.env.set(s.name, v); // a copy of a parameter is the parameter's value
        else this.env.delete(s.name);
        if (this.constant(s.value)) this.constants.add(s.name);
        else this.constants.delete(s.name);
        return;
      }
      case 'println': {
        // walk/builtin.go walkPrint: every argument is evaluated before printlock.
        const vals = s.args.map((a) => (a.kind === 'int' ? this.expr(a.expr) : null));
        this.memOp([], at, true); // printlock
        // walkPrint's pieces: a space between arguments and a newline after them, runs of
        // constant strings made one; " " alone is printsp, "\n" alone printnl.
        type Piece = { text: string } | { arg: number };
        const pieces: Piece[] = [];
        s.args.forEach((a, i) => {
          if (i > 0) pieces.push({ text: ' ' });
          pieces.push(a.kind === 'string' ? { text: a.value } : { arg: i });
        });
        pieces.push({ text: '\n' });
        const runs: Piece[] = [];
        for (const p of pieces) {
          const last = runs[runs.length - 1];
          if ('text' in p && last && 'text' in last) runs[runs.length - 1] = { text: last.text + p.text };
          else runs.push(p);
        }
        for (const p of runs) {
          if ('text' in p) {
            if (p.text === ' ' || p.text === '\n') this.memOp([], at, true); // printsp, printnl
            else this.memOp(this.string(p.text), at, true);
            continue;
          }
          const a = s.args[p.arg];
          if (a.kind === 'addr') this.memOp([this.localAddr(a.name, a.pos)], at, true);
          else if (a.kind === 'int') this.memOp([vals[p.arg] ?? this.constantArg(a.expr)], at, true);
        }
        this.memOp([], at, true); // printunlock
        return;
      }
      case 'call': {
        // walk.go mayCall: an argument that divides is evaluated first, into a temporary.
        const divides = (e: Expr) => subExprs(e).some((x) => x.kind === 'binary' && (x.op === '/' || x.op === '%'));
        const vals = new Map<Expr, Value | null>();
        for (const e of s.args) if (divides(e)) vals.set(e, this.expr(e));
        // The temporaries are statements of their own: the call's first value is marked again
        // (arith/arith-11 w7 with go1.21.13: k % 8, then k * 12, both marked).
        if (vals.size) { this.lineHasMark = false; this.markUser = null; this.restated = true; }
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
          for (const v of vals) if (v && !v.param) this.memOp([v], at, false);
        }
        this.memOp([this.addr(null)], at, true); // newproc
        return;
      }
      case 'send': {
        const value = s.value ? this.expr(s.value) : null;
        // cmd/compile places a send at its arrow (gofmt's "c <- v").
        const arrow = { line: at.line, col: at.col, ssaCol: at.col + s.chan.length + 1 };
        const ch = this.load(arrow, 'SB'); // a channel variable is a global
        // The value's temporary: nothing is stored for struct{}{}.
        this.memOp([value], at, false, { skip: !value && (!s.value || s.value.kind === 'zero' && sizeOf(s.value.type) === 0) });
        this.memOp([ch, this.addr(arrow, 'SP', { notStmt: true })], arrow, true); // chansend1
        return;
      }
      case 'recv': {
        const ch = this.load(at, 'SB'); // a channel variable is a global
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
          this.zero(sizeOf(l.type), { line: l.pos.line, col: l.pos.col }, l.name);
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
        if (moved.has(v) || v.score !== SCORE.default || v.remat || v.uses > 0 || !v.liveOut || v.regArgs > 1) continue;
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

/**
 * The block as the schedule pass receives it: the memory, SP and SB, the register parameters,
 * the builder's values (each call followed by its SelectN), then what later passes appended. The
 * IDs follow that order; the builder's own (freed IDs reused, values made and removed) are not
 * modelled.
 */
function toSsa(values: Value[], params: ReadonlyMap<string, Value>, fn: Func): { block: SsaValue[]; of: Map<SsaValue, Value> } {
  const block: SsaValue[] = [];
  const of = new Map<SsaValue, Value>();
  const ssa = new Map<Value, SsaValue>();
  const add = (v: Omit<SsaValue, 'id'>): SsaValue => { const x = { id: block.length + 1, ...v }; block.push(x); return x; };
  const base = { args: [], memory: false, pos: null, state: 'N' as const, aux: 0n, usesOutside: 0 };
  const at = (v: Value) => ({ line: v.line, col: v.ssaCol });
  const initMem = add({ ...base, score: SCORE.initMem, memory: true, type: typeKind('ssa') });
  const sp = values.some((v) => v.base === 'SP') ? add({ ...base, score: SCORE.arg, type: typeKind('uintptr') }) : initMem;
  // SB is the builder's where a value it makes reads it (a global's load, a closure's type);
  // else expand_calls makes it again with a string's address (arith/arith-51 c8: SB after it).
  const makeSB = () => add({ ...base, score: SCORE.arg, type: typeKind('uintptr') });
  let sb = values.some((v) => v.base === 'SB' && v.late === undefined) ? makeSB() : undefined;
  const order = [...values.filter((v) => v.early), ...values.filter((v) => v.late === undefined && !v.early),
    ...values.filter((v) => v.late !== undefined).sort((a, b) => a.late! - b.late!)];
  const selects = new Map<Value, SsaValue>();
  const magics = new Map<Value, SsaValue>();
  const sums = new Map<Value, SsaValue>();
  const divisibles = new Map<Value, { m: SsaValue; result: SsaValue; max: SsaValue }>();
  const pending = new Map<SsaValue, Value>();
  // A default-scored value a rewrite makes beside a model value (an ADDQ, a MOVQconst).
  const derived = (pos: SsaValue['pos'], state: StmtState, type: 'int' | 'uint64', aux = 0n) =>
    add({ ...base, score: SCORE.default, pos, state, aux, type: typeKind(type) });
  const make = (v: Value) => {
    if (v.skip || v.elided) return;
    if (v.base === 'SB' && !sb) sb = makeSB();
    let state: StmtState = v.noPos || v.notStmt ? 'N' : v.stmt ? 'S' : 'D';
    if (v.cseWith) state = v.cseWith.stmt ? 'S' : 'D';
    // A rewrite's values take the position of the value it rewrites, statement mark included.
    // A division's high multiply: where the magic is odd the ADDQ of the dividend is made before
    // it, its magic constant after it (generic.rules' order of making them).
    if (v.magic?.odd) sums.set(v, derived(at(v), state, 'int'));
    // n%c == 0: the ADDQ is made before the MULQ, the constants after it (the rule's order).
    const test = v.divisible;
    const sum = test ? derived(at(v), state, 'uint64') : undefined;
    const type = v.score === SCORE.memory || v.score === SCORE.flags || v.score === SCORE.control ? typeKind('ssa')
      : v.bool ? typeKind('bool') : v.type === 'string' ? typeKind('ptr', 'uint8') : v.type === 'array' ? typeKind('ptr', 'array')
        : v.type === 'uint64' ? typeKind('uint64') : typeKind('int');
    const pos = v.cseWith ? { line: v.cseWith.line, col: v.cseWith.ssaCol } : v.noPos ? null : at(v);
    const x = add({ score: v.score, args: [], memory: v.score === SCORE.memory, pos, state,
      aux: v.aux ?? 0n, type, usesOutside: (v.liveOut ? 1 : 0) + (v.score === SCORE.control ? 1 : 0) });
    ssa.set(v, x);
    of.set(x, v);
    pending.set(x, v);
    // One constant per value (CSE keeps the first made): two divisions by 5 share their magic.
    if (v.magic) {
      const same = [...magics.values()].find((m) => m.aux === v.magic!.value);
      magics.set(v, same ?? derived(at(v), state, 'uint64', v.magic.value));
    }
    if (test && sum) {
      const constant = (value: bigint) => derived(at(v), state, 'uint64', BigInt.asIntN(64, value));
      const [m, a] = [constant(test.m), constant(test.a)];
      const rotated = test.k > 0n ? derived(at(v), state, 'uint64', 64n - test.k) : sum;
      sum.args = [x, a];
      if (rotated !== sum) rotated.args = [sum];
      divisibles.set(v, { m, result: rotated, max: constant(test.max) });
    }
    // A call's results are a SelectN, memory too.
    if (v.call) selects.set(v, add({ ...base, score: SCORE.memory, memory: true, pos: at(v), state: 'D', type: typeKind('ssa') }));
  };
  for (const v of order.filter((v) => v.early)) make(v);
  // Each register parameter read is an ArgIntReg at the function's name, its AuxInt its register.
  const read = new Set(values.flatMap((v) => v.all.filter((a) => a.param)));
  fn.params.filter((p) => p.type.kind === 'basic').forEach((p, register) => {
    const v = params.get(p.name);
    if (v && read.has(v)) ssa.set(v, add({ ...base, score: SCORE.phi, pos: { line: fn.pos.line, col: fn.pos.col }, aux: BigInt(register), type: typeKind(v.bool ? 'bool' : 'int') }));
  });
  for (const v of order.filter((v) => !v.early)) make(v);
  const previousMemory = (v: Value) => v.all.find((a) => a.score === SCORE.memory);
  for (const v of order) if (v.elided) ssa.set(v, ssa.get(v.all[0])!);
  const memoryOf = (v: Value | undefined): SsaValue => (!v ? initMem : v.skip ? memoryOf(previousMemory(v)) : selects.get(v) ?? ssa.get(v)!);
  // Arguments, once every value has its SSA value (a late value's users come before it).
  for (const [x, v] of pending) {
    const args: SsaValue[] = [];
    if (v.base) args.push(v.base === 'SB' ? sb! : sp);
    if (v.magic) args.push(magics.get(v)!);
    if (v.divisible) args.push(divisibles.get(v)!.m);
    const tested = v.all.find((a) => a.divisible);
    if (tested) args.push(divisibles.get(tested)!.max, divisibles.get(tested)!.result);
    else for (const a of v.all) if (a.score !== SCORE.memory) args.push(sums.get(a) ?? ssa.get(a)!);
    if (v.repeat !== undefined) {
      const address = args[0];
      args.push(derived(address.pos, 'S', 'uint64', v.repeat), derived(address.pos, v.declared ? address.state : 'D', 'uint64'));
    }
    let memory = memoryOf(previousMemory(v));
    for (let i = 0; i < (v.stores ?? 0); i++) {
      memory = add({ ...base, score: SCORE.memory, memory: true, pos: x.pos, state: 'D', type: typeKind('ssa'), args: [sp, memory] });
    }
    if (v.score === SCORE.memory || v.base && !v.remat) args.push(memory);
    x.args = args;
  }
  for (const [hmul, sum] of sums) {
    const n = hmul.all.find((a) => a.score !== SCORE.memory);
    sum.args = [ssa.get(hmul)!, ...(n ? [ssa.get(n.doubles ?? n)!] : [])];
  }
  for (const [v, sel] of selects) sel.args = [ssa.get(v)!];
  for (const v of order) {
    const x = ssa.get(v)!;
    const shape = v.mulBy !== undefined ? loweredProduct(v.mulBy) : null;
    if (!shape || x.args.length === 0) continue;
    const n = x.args[0];
    if (shape === 'lea') { x.args = [n, n]; continue; }
    const inner = derived(x.pos, x.state, 'int');
    inner.args = [n, n];
    // SHLQconst of a LEAQ: both keep the mark (recorded/conc-workers worker: id*20), but a call's
    // after the temporaries of its dividing arguments is the LEAQ's alone (arith/arith-11 w7: k * 12).
    if (shape === 'shift' && x.state === 'S' && v.restated) x.state = 'D';
    x.args = shape === 'shift' ? [inner] : shape === 'twice' ? [inner, inner] : [n, inner];
  }
  return { block, of };
}

/** Go 1.21's schedule of the block (ssa-schedule.ts), as the model's values. */
function heapSchedule(values: Value[], params: ReadonlyMap<string, Value>, fn: Func): Value[] {
  const { block, of } = toSsa(values, params, fn);
  return schedule121(block).flatMap((x) => (of.has(x) ? [of.get(x)!] : []));
}

/**
 * amd64.rules' MULQconst that make two values: x*7 is LEAQ2 x (LEAQ2 x x) ('add'), x*27 is
 * LEAQ8 of one LEAQ2 twice ('twice'), x*6 is SHLQconst [1] (LEAQ2 x x) ('shift'), x*3 is one
 * LEAQ2 x x ('lea'); null for one value of one argument.
 */
function loweredProduct(c: bigint): 'lea' | 'add' | 'twice' | 'shift' | null {
  if ([3n, 5n, 9n].includes(c)) return 'lea';
  if ([7n, 11n, 13n, 19n, 21n, 25n, 37n, 41n, 73n].includes(c)) return 'add';
  if ([27n, 45n, 81n].includes(c)) return 'twice';
  for (const k of [3n, 5n, 9n]) {
    const q = c / k;
    if (c % k === 0n && q > 1n && (q & (q - 1n)) === 0n) return 'shift';
  }
  return null;
}

/** An expression's position, with the column cmd/compile gives its values (a binary one's operator). */
function at(e: Expr): { line: number; col: number; ssaCol: number } {
  return { line: e.pos.line, col: e.pos.col, ssaCol: e.kind === 'binary' ? e.opCol ?? e.pos.col : e.pos.col };
}

/**
 * ssa/schedule.go's ValHeap.Less without 1.21's entry-block rule (1.22 and later): positions
 * order every pair, so a total order of the model's values gives the schedule. XPos.Before puts
 * NoXPos first.
 */
function before(x: Value, y: Value): boolean {
  if (x.score !== y.score) return x.score < y.score;
  if (x.inBlockUse !== y.inBlockUse) return x.inBlockUse;
  const samePos = x.noPos === y.noPos && x.line === y.line && x.col === y.col;
  if (!samePos) {
    if (x.noPos !== y.noPos) return x.noPos;
    return x.line !== y.line ? x.line < y.line : x.col < y.col;
  }
  if (x.args.length !== y.args.length) return x.args.length > y.args.length;
  if (x.uses !== y.uses) return x.uses > y.uses;
  return x.id < y.id;
}

/** The block's values in the order Go 1.22's schedule gives them. */
function schedule(values: Value[]): Value[] {
  const deps = (v: Value) => new Set([...v.args, ...v.after]);
  const waiting = new Map<Value, number>(values.map((v) => [v, deps(v).size]));
  const users = new Map<Value, Value[]>(values.map((v) => [v, []]));
  for (const v of values) for (const a of deps(v)) users.get(a)!.push(v);
  const ready = values.filter((v) => waiting.get(v) === 0);
  const out: Value[] = [];
  while (ready.length) {
    let best = 0;
    for (let k = 1; k < ready.length; k++) if (before(ready[k], ready[best])) best = k;
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
    if (value.remat || value.score === SCORE.memory || value.score === SCORE.flags || value.score === SCORE.control) return [];
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
  const with121 = keptAcrossCalls(heapSchedule(values, builder.params, fn));
  const without = keptAcrossCalls(schedule(values));
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
  const builder = new EntryBuilder(fn, paramsInMemory(fn, profile));
  const values = builder.build();
  const order = entryStatementsFirst ? heapSchedule(values, builder.params, fn) : schedule(values);
  const kept = new Set(keptAcrossCalls(order).map((k) => k.value));
  return order.map((v) =>
    `v${v.id} ${v.call ? 'call' : v.score === SCORE.memory ? 'store' : v.remat ? 'addr' : v.bool ? 'setcc' : v.score >= SCORE.flags ? 'flags' : 'op'}` +
    ` ${v.noPos ? '?' : `${v.stmt ? '+' : ''}${v.line}:${v.col}`} (${v.args.map((a) => `v${a.id}`).join(' ')})${v.local ? ` ${v.local}` : ''}${kept.has(v) ? ' KEPT' : ''}`);
}
