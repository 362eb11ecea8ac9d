/**
 * A goroutine's frames as one typed array of four-int records (function, pc, bytes in use at
 * entry, base of its int variables) rather than one object per frame: a million-deep recursion
 * then costs 16 MB of numbers, nothing for the garbage collector to trace, and a goroutine's
 * frames are two small objects (thousands of goroutines are thousands of these).
 */
import type { FuncCode } from './code.js';

export interface FrameView {
  fn: FuncCode;
  pc: number;
  /** gp.stack.hi - entry SP: stays right when the stack moves. */
  entryUsed: number;
  vars: number[];
}

/** Fields of a frame record: rec[i * FRAME + field]. */
export const FRAME = 4;
/** The function, as its index in the program's table (FuncCode.id). */
export const FN = 0;
/** The next instruction; -1 for a function whose prologue has not run yet. */
export const PC = 1;
/**
 * Bytes in use at entry (gp.stack.hi - entry SP). Below 2^31: a stack is at most 1 GB
 * (maxstacksize) and the caller's frame lies within it.
 */
export const USED = 2;
/** Where the frame's int variables start in `vars`. */
export const BASE = 3;

const NO_VARS = new Float64Array(0);

export class FrameStack {
  /** Number of frames. */
  depth = 0;
  /**
   * The frame records. Four frames fit in V8's heap (no external buffer for the GC to account
   * for: thousands of goroutines each have one); deep stacks grow it fourfold.
   */
  rec = new Int32Array(4 * FRAME);
  /**
   * Int variables of every frame, each frame's from its base on: none until a function with int
   * variables is entered (most goroutines of programs with thousands of them have none).
   */
  vars: Float64Array = NO_VARS;
  private varsTop = 0;

  /** table: every function of the program by id (FuncCode.id). */
  constructor(private readonly table: FuncCode[]) {}

  /** The function of frame i. */
  fn(i: number): FuncCode {
    return this.table[this.rec[i * FRAME + FN]];
  }

  pc(i: number): number {
    return this.rec[i * FRAME + PC];
  }

  setPc(i: number, pc: number): void {
    this.rec[i * FRAME + PC] = pc;
  }

  used(i: number): number {
    return this.rec[i * FRAME + USED];
  }

  setUsed(i: number, used: number): void {
    this.rec[i * FRAME + USED] = used;
  }

  base(i: number): number {
    return this.rec[i * FRAME + BASE];
  }

  private growFrames(): void {
    const rec = new Int32Array(this.rec.length * 4);
    rec.set(this.rec);
    this.rec = rec;
  }

  private growVars(min: number): void {
    let n = Math.max(8, this.vars.length * 4);
    while (n < min) n *= 4;
    const v = new Float64Array(n);
    v.set(this.vars);
    this.vars = v;
  }

  /** Pushes a frame with zeroed variables and returns its base; pc -1 marks a function not entered yet. */
  push(fn: FuncCode, entryUsed: number, pc: number): number {
    const r = this.depth * FRAME;
    if (r === this.rec.length) this.growFrames();
    const base = this.varsTop;
    const top = base + fn.nslots;
    if (top > this.vars.length) this.growVars(top);
    for (let i = base; i < top; i++) this.vars[i] = 0;
    this.varsTop = top;
    const rec = this.rec;
    rec[r + FN] = fn.id;
    rec[r + PC] = pc;
    rec[r + USED] = entryUsed;
    rec[r + BASE] = base;
    this.depth++;
    return base;
  }

  pop(): void {
    this.depth--;
    this.varsTop = this.rec[this.depth * FRAME + BASE];
  }

  clear(): void {
    this.depth = 0;
    this.varsTop = 0;
  }

  /** Frame i (0 = outermost) as an object, for tracebacks. */
  view(i: number): FrameView {
    const base = this.base(i);
    const fn = this.fn(i);
    return { fn, pc: this.pc(i), entryUsed: this.used(i), vars: Array.from(this.vars.subarray(base, base + fn.nslots)) };
  }
}
