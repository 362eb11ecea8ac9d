/**
 * A goroutine's frames as parallel typed arrays (function, pc, bytes in use at entry, base of its
 * int variables) rather than one object per frame: a million-deep recursion then costs a few
 * megabytes of numbers, and nothing for the garbage collector to trace.
 */
import type { FuncCode } from './code.js';

export interface FrameView {
  fn: FuncCode;
  pc: number;
  /** gp.stack.hi - entry SP: stays right when the stack moves. */
  entryUsed: number;
  vars: number[];
}

const NO_VARS = new Float64Array(0);

export class FrameStack {
  /** Number of frames. */
  depth = 0;
  /** Each frame's function, as its index in `table` (no array of pointers for the GC to trace). */
  // Small initial arrays stay inside V8's heap (no external buffers for the GC to account for:
  // thousands of goroutines each have one); deep stacks grow them fourfold.
  fnIds = new Int32Array(8);
  pcs = new Int32Array(8);
  /** Entry use in bytes: up to 1 GB, so a float array (exact for integers). */
  used = new Float64Array(8);
  bases = new Int32Array(8);
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
    return this.table[this.fnIds[i]];
  }

  // Arrays grow fourfold: few copies for a deep recursion.
  private growFrames(): void {
    const n = this.pcs.length * 4;
    const ids = new Int32Array(n); ids.set(this.fnIds); this.fnIds = ids;
    const pcs = new Int32Array(n); pcs.set(this.pcs); this.pcs = pcs;
    const used = new Float64Array(n); used.set(this.used); this.used = used;
    const bases = new Int32Array(n); bases.set(this.bases); this.bases = bases;
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
    const d = this.depth;
    if (d === this.pcs.length) this.growFrames();
    const base = this.varsTop;
    const top = base + fn.nslots;
    if (top > this.vars.length) this.growVars(top);
    for (let i = base; i < top; i++) this.vars[i] = 0;
    this.varsTop = top;
    this.fnIds[d] = fn.id;
    this.pcs[d] = pc;
    this.used[d] = entryUsed;
    this.bases[d] = base;
    this.depth = d + 1;
    return base;
  }

  pop(): void {
    this.depth--;
    this.varsTop = this.bases[this.depth];
  }

  clear(): void {
    this.depth = 0;
    this.varsTop = 0;
  }

  /** Frame i (0 = outermost) as an object, for tracebacks. */
  view(i: number): FrameView {
    const base = this.bases[i];
    const fn = this.fn(i);
    return { fn, pc: this.pcs[i], entryUsed: this.used[i], vars: Array.from(this.vars.subarray(base, base + fn.nslots)) };
  }
}
