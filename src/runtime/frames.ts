/**
 * A goroutine's frames as one typed array with one int per frame rather than one object per
 * frame: the number of the frame's next instruction, counting every function's instructions as
 * one sequence (CodeIndex), which names its function too. Where a frame's SP and int variables
 * lie follows from the frames below it (a callee's frame starts where its caller's ends), so only
 * the top frame's are kept: a million-deep recursion with an int variable a frame costs 8 MB,
 * nothing for the garbage collector to trace, and a goroutine's frames are two small objects
 * (thousands of goroutines are thousands of these). Memory is time here: every megabyte a run
 * first touches is page faults.
 */
import type { Arithmetic, FuncCode } from './code.js';

export interface FrameView {
  fn: FuncCode;
  pc: number;
  /** gp.stack.hi - entry SP: stays right when the stack moves. */
  entryUsed: number;
  vars: Int[];
  /** Whether its prologue called morestack, which spills register arguments to their slots. */
  spilled: boolean;
}

/** The bits of a record that are the next instruction's number. */
export const NEXT = (1 << 29) - 1;
/** In a record: the function's prologue has not run yet (its next instruction is its first). */
export const FRESH = 1 << 29;
/**
 * In a record: the frame's prologue called morestack (to grow the stack or be preempted), which
 * under the register ABI first stores the register arguments in their spill slots.
 */
export const SPILLED = 1 << 30;

/** Every function's instructions numbered as one sequence, in FuncCode.id order. */
export class CodeIndex {
  /** The number of each function's first instruction, by id. */
  readonly first: Int32Array;
  /** The function (id) of each instruction number. */
  readonly fnOf: Int32Array;

  /** Ints as doubles or exact (code.ts Arithmetic): what the goroutines' variables hold. */
  constructor(readonly table: FuncCode[], readonly arith: Arithmetic = 'double') {
    this.first = new Int32Array(table.length);
    let n = 0;
    for (const f of table) {
      this.first[f.id] = n;
      n += f.code.length;
    }
    if (n > NEXT) throw new Error(`a program of ${n} instructions: at most ${NEXT}`);
    this.fnOf = new Int32Array(n);
    for (const f of table) this.fnOf.fill(f.id, this.first[f.id], this.first[f.id] + f.code.length);
  }
}

/**
 * A goroutine's int variables. In doubles (code.ts Arithmetic): 32-bit ints while every value
 * stored in them is one (4 bytes a variable, as first touching memory costs time), 64-bit floats
 * from the first that is not (FrameStack.widen; the code checks that they stay exact). Exact:
 * 64-bit integers, whose stores wrap around as Go's int does.
 */
export type Vars = Int32Array | Float64Array | BigInt64Array;

/** An int variable's value: a number in doubles, a BigInt exact. */
export type Int = number | bigint;

export class FrameStack {
  /** Number of frames. */
  depth = 0;
  /**
   * The frame records. Eight frames fit in V8's heap (no external buffer for the GC to account
   * for: thousands of goroutines each have one); deep stacks grow it fourfold.
   */
  rec = new Int32Array(8);
  /**
   * Int variables of every frame, each frame's from its base on: none until a function with int
   * variables is entered (most goroutines of programs with thousands of them have none). Stores
   * of values that are not 32-bit ints widen them first (store, widen).
   */
  vars: Vars;
  /**
   * The top frame's bytes in use at entry (gp.stack.hi - entry SP), below 2^31: a stack is at
   * most 1 GB (maxstacksize). A callee's is its caller's plus the caller's frame and the return PC.
   */
  topUsed = 0;
  /** Where the top frame's int variables start in `vars`; a callee's follow its caller's. */
  topBase = 0;
  /** The first frame's bytes in use at entry: where the goroutine's code starts. */
  private firstUsed = 0;

  constructor(private readonly code: CodeIndex) {
    this.vars = code.arith === 'int64' ? new BigInt64Array(0) : new Int32Array(0);
  }

  /** The function of frame i. */
  fn(i: number): FuncCode {
    return this.code.table[this.code.fnOf[this.rec[i] & NEXT]];
  }

  /** Marks frame i as having called morestack (SPILLED). */
  markSpilled(i: number): void {
    this.rec[i] |= SPILLED;
  }

  /** Frame i's next instruction in its function; -1 while its prologue has not run. */
  pc(i: number): number {
    const r = this.rec[i];
    if (r & FRESH) return -1;
    return (r & NEXT) - this.code.first[this.code.fnOf[r & NEXT]];
  }

  setPc(i: number, pc: number): void {
    const r = this.rec[i];
    const first = this.code.first[this.code.fnOf[r & NEXT]];
    this.rec[i] = (r & SPILLED) | (pc < 0 ? FRESH | first : first + pc);
  }

  /**
   * The source line frame i is at: of the instruction it is running (the call it made, or the
   * runtime call it is in), or of its first one before it starts.
   */
  line(i: number): number {
    return this.fn(i).lines[Math.max(0, this.pc(i) - 1)];
  }

  /** Bytes in use at frame i's entry: counted from the nearer end of the stack. */
  used(i: number): number {
    return this.locate(i).used;
  }

  /** Frame i's entry use and where its variables start, walked to from the nearer end. */
  private locate(i: number): { used: number; base: number } {
    if (this.depth - 1 - i <= i) {
      let used = this.topUsed;
      let base = this.topBase;
      for (let j = this.depth - 2; j >= i; j--) {
        const f = this.fn(j);
        used -= f.layout.frame + 8;
        base -= f.nslots;
      }
      return { used, base };
    }
    let used = this.firstUsed;
    let base = 0;
    for (let j = 0; j < i; j++) {
      const f = this.fn(j);
      used += f.layout.frame + 8;
      base += f.nslots;
    }
    return { used, base };
  }

  /** Room for more records; returns the new array. */
  growFrames(): Int32Array {
    const rec = new Int32Array(this.rec.length * 4);
    rec.set(this.rec);
    return (this.rec = rec);
  }

  /** Room for at least min variables; returns the new array. */
  growVars(min: number): Vars {
    let n = Math.max(8, this.vars.length * 4);
    while (n < min) n *= 4;
    const old = this.vars;
    const v = old instanceof BigInt64Array ? new BigInt64Array(n) : old instanceof Float64Array ? new Float64Array(n) : new Int32Array(n);
    (v as typeof old).set(old as never);
    return (this.vars = v);
  }

  /** The variables as 64-bit floats, for a value that is not a 32-bit int; returns them. */
  widen(): Vars {
    if (!(this.vars instanceof Int32Array)) return this.vars;
    return (this.vars = Float64Array.from(this.vars));
  }

  /** Stores v in variable slot i (widening the variables if v needs it). */
  store(i: number, v: Int): void {
    if (typeof v === 'bigint') {
      (this.vars as BigInt64Array)[i] = v;
      return;
    }
    if ((v | 0) !== v) this.widen();
    (this.vars as Float64Array)[i] = v;
  }

  /**
   * The goroutine's first frame, entered with entryUsed bytes in use, its variables zeroed;
   * returns where they start. pc -1 marks a function not entered yet. Calls push the frames
   * after it, and returns pop them, in the compiled loop (jit.ts).
   */
  start(fn: FuncCode, entryUsed: number, pc: number): number {
    this.depth = 1;
    this.firstUsed = entryUsed;
    this.topUsed = entryUsed;
    this.topBase = 0;
    if (fn.nslots > this.vars.length) this.growVars(fn.nslots);
    if (this.vars instanceof BigInt64Array) this.vars.fill(0n, 0, fn.nslots);
    else this.vars.fill(0, 0, fn.nslots);
    const first = this.code.first[fn.id];
    this.rec[0] = pc < 0 ? FRESH | first : first + pc;
    return 0;
  }

  clear(): void {
    this.depth = 0;
    this.topUsed = 0;
    this.topBase = 0;
  }

  /** Frame i (0 = outermost) as an object, for tracebacks. */
  view(i: number): FrameView {
    const { used, base } = this.locate(i);
    const fn = this.fn(i);
    return { fn, pc: this.pc(i), entryUsed: used, vars: Array.from(this.vars.subarray(base, base + fn.nslots) as ArrayLike<Int>),
      spilled: (this.rec[i] & SPILLED) !== 0 };
  }
}
