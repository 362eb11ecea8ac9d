/**
 * A goroutine's frames as one typed array of two-int records (function, pc) rather than one
 * object per frame. Where a frame's SP and int variables lie follows from the frames below it (a
 * callee's frame starts where its caller's ends), so only the top frame's are kept: a
 * million-deep recursion costs 8 MB of records plus its variables, nothing for the garbage
 * collector to trace, and a goroutine's frames are two small objects (thousands of goroutines are
 * thousands of these). Memory is time here: every megabyte a run first touches is page faults.
 */
import type { FuncCode } from './code.js';

export interface FrameView {
  fn: FuncCode;
  pc: number;
  /** gp.stack.hi - entry SP: stays right when the stack moves. */
  entryUsed: number;
  vars: number[];
  /** Whether its prologue called morestack, which spills register arguments to their slots. */
  spilled: boolean;
}

/** Fields of a frame record: rec[i * FRAME + field]. */
export const FRAME = 2;
/** The function, as its index in the program's table (FuncCode.id), and the SPILLED flag. */
export const FN = 0;
/** The bits of FN that are the function's index. */
export const FN_ID = (1 << 30) - 1;
/**
 * In FN: the frame's prologue called morestack (to grow the stack or be preempted), which under
 * the register ABI first stores the register arguments in their spill slots.
 */
export const SPILLED = 1 << 30;
/** The next instruction; -1 for a function whose prologue has not run yet. */
export const PC = 1;

const NO_VARS = new Float64Array(0);

export class FrameStack {
  /** Number of frames. */
  depth = 0;
  /**
   * The frame records. Eight frames fit in V8's heap (no external buffer for the GC to account
   * for: thousands of goroutines each have one); deep stacks grow it fourfold.
   */
  rec = new Int32Array(8 * FRAME);
  /**
   * Int variables of every frame, each frame's from its base on: none until a function with int
   * variables is entered (most goroutines of programs with thousands of them have none).
   */
  vars: Float64Array = NO_VARS;
  /**
   * The top frame's bytes in use at entry (gp.stack.hi - entry SP), below 2^31: a stack is at
   * most 1 GB (maxstacksize). A callee's is its caller's plus the caller's frame and the return PC.
   */
  topUsed = 0;
  /** Where the top frame's int variables start in `vars`; a callee's follow its caller's. */
  topBase = 0;
  /** The first frame's bytes in use at entry: where the goroutine's code starts. */
  private firstUsed = 0;

  /** table: every function of the program by id (FuncCode.id). */
  constructor(private readonly table: FuncCode[]) {}

  /** The function of frame i. */
  fn(i: number): FuncCode {
    return this.table[this.rec[i * FRAME + FN] & FN_ID];
  }

  /** Marks frame i as having called morestack (SPILLED). */
  markSpilled(i: number): void {
    this.rec[i * FRAME + FN] |= SPILLED;
  }

  pc(i: number): number {
    return this.rec[i * FRAME + PC];
  }

  setPc(i: number, pc: number): void {
    this.rec[i * FRAME + PC] = pc;
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
  growVars(min: number): Float64Array {
    let n = Math.max(8, this.vars.length * 4);
    while (n < min) n *= 4;
    const v = new Float64Array(n);
    v.set(this.vars);
    return (this.vars = v);
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
    this.vars.fill(0, 0, fn.nslots);
    this.rec[FN] = fn.id;
    this.rec[PC] = pc;
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
    return { fn, pc: this.pc(i), entryUsed: used, vars: Array.from(this.vars.subarray(base, base + fn.nslots)),
      spilled: (this.rec[i * FRAME + FN] & SPILLED) !== 0 };
  }
}
