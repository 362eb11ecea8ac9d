/**
 * The program running on a goroutine: function prologues (the stack check, morestack and
 * newstack), the statements of the program model, and the runtime calls they make (println,
 * channel operations, go, runtime.GC()) with the runtime's own frames on the goroutine's stack.
 * A goroutine runs until it blocks, exits or its slice of statements is used up.
 */
import { gcBeginMark, gcBgMarkStartWorkers, gcBgMarkWorkerStarts, gcWaitOnMark, releaseStartSema, workersStarted } from './mgc.js';
import { largeObjectPages, SUDOG_SIZE, type GoObjectOwner } from './malloc.js';
import { fatalNewprocArgs, fatalStackOverflow, newprocArgsTooLarge } from './panic.js';
import { hex } from './print.js';
import type { G, Runtime } from './proc.js';
import { handedOffAt, isFirstGCOnly, isNewSpanSetMemory, isNewSudog, isTinyBlockMark, textPart, workersStartedAt, type RtFrame } from './rtcalls.js';
import { newstack, STACK_PREEMPT, STACK_SMALL, type MorestackSite } from './stack.js';
import { MODEL_MORESTACK_RETURN, type FuncCode, type Instr } from './code.js';
import { goexitReturnPC, mainReturnPC, type CallSite } from './text.js';
import type { SlowPath } from './slow-path.js';
import { compileLoop, warmReturns, type Loop } from './jit.js';

/** A code address for runtime functions without a model of their own (masked in comparisons). */
export const RUNTIME_TEXT_PC = 0x440000;

/** A channel waiter's only work on waking: releaseSudog (NOSPLIT) gives its sudog back. */
const RELEASE_SUDOG: RtFrame[] = [];


export type ExecResult = 'block' | 'dead' | 'exit' | 'yield' | 'preempted';

/**
 * The stack check a function's prologue makes, entered at sp with a frame of the given size:
 * sp > stackguard0 for a small frame, sp - (frame - StackSmall) > stackguard0 for a big one.
 */
function fits(sp: number, frame: number, guard: number): boolean {
  return (frame <= STACK_SMALL ? sp : sp - (frame - STACK_SMALL)) > guard;
}

/**
 * The model's clock counts time in nanoseconds of a real run: a statement takes one, a stack copy
 * COPY_NS_PER_BYTE (stack.ts) for each byte it moves (memmove into fresh pages, each faulted in
 * on first touch), a line the runtime writes WRITE_NS (proc.ts). sysmon preempts a goroutine that
 * has run for 10 ms (proc.go: forcePreemptNS).
 * Calibrated on test/fixtures/recorded/recursion-million.go1.19.p1.log: the 1,000,000-deep
 * recursion (3,000,000 statements, a few ms) is preempted right after its copies to 32, 64 and
 * 128 MiB and nowhere else, which holds for 0.29 to 0.57 ns a byte: the time is in the copies.
 */
export const FORCE_PREEMPT_NS = 10_000_000; // proc.go: forcePreemptNS = 10 * 1000 * 1000

export class Interpreter {
  /** Program text written since the last newline: a runtime line printed now continues it. */
  private partial = '';
  private partialProgram = '';

  /** The runtime functions the current statement has called, and how often (real code addresses only). */
  private readonly callsInStatement = new Map<string, number>();

  /** The program's instructions as one compiled loop (jit.ts), made on first use. */
  private loop: Loop | null = null;

  constructor(private readonly rt: Runtime) {}

  /** The program text that starts the next runtime line, if the program left its line open. */
  takePartial(): string {
    const p = this.partial;
    this.partial = '';
    return p;
  }

  /** Text the program writes (println writes its pieces one by one); a newline ends the line. */
  private writeText(g: G, text: string, srcLine: number | null): void {
    const rt = this.rt;
    this.partialProgram += text;
    if (!text.endsWith('\n')) {
      this.partial += text;
      return;
    }
    rt.print(text.slice(0, -1));
    const out = this.partialProgram.slice(0, -1);
    this.partialProgram = '';
    rt.event?.({ kind: 'output', g: g.id, text: out, line: srcLine });
  }

  /**
   * The stack checks of runtime frames entered from the top frame's call site, in order: the
   * runtime's own prologues can grow the goroutine's stack (rtcalls.ts). Returns whether a
   * prologue found sysmon's request instead: the goroutine is preempted there, and the frames
   * after it are not entered (callers that do not re-run the call ignore this).
   */
  private runtimeFrames(g: G, frames: RtFrame[], skip?: (f: RtFrame) => boolean, from = 0, to = frames.length): boolean {
    const fs = g.frames;
    const top = fs.depth - 1;
    const userSP = fs.topUsed + fs.fn(top).layout.frame;
    const text = this.rt.opts.codeAddresses;
    for (let i = from; i < to; i++) {
      const f = frames[i];
      if (skip && skip(f)) continue;
      if (f.slowPath && !this.takesSlowPath(f.slowPath)) continue;
      // Which of the statement's calls of this function it is (println(a, b) calls printint twice).
      let nth = 0;
      if (f.depth === 1) {
        nth = this.callsInStatement.get(f.fn) ?? 0;
        this.callsInStatement.set(f.fn, nth + 1);
      }
      if (f.nosplit) continue;
      // The prologue's check inline: most runtime frames fit, and then no site is built.
      const sp = g.stack.hi - (userSP + f.entry);
      if (fits(sp, f.frame, g.stackguard0)) continue;
      // The real binary's addresses; or the profile's runtime text, and the program's own layout
      // for a call from the program (code-size.ts); or stand-ins.
      let schedPC = f.pc + MODEL_MORESTACK_RETURN;
      let retPC = f.pc + 0x35;
      if (text) {
        schedPC = text.morestackReturn(f.fn) ?? schedPC;
        retPC = text.callReturn(f.fn, this.runtimeCallSite(g, frames, i, nth)) ?? retPC;
      } else {
        const runtime = this.rt.runtimeText;
        schedPC = runtime?.morestackReturn(f.fn) ?? schedPC;
        retPC = (f.depth === 1 ? programCallReturn(g, f.fn, nth) : runtime?.callReturn(f.fn, this.runtimeCallSite(g, frames, i, nth))) ?? retPC;
      }
      const preempted = this.prologue(g, {
        fnName: f.fn, entryUsed: userSP + f.entry, frame: f.frame, schedPC, retPC,
        ctxtUsed: f.ctxt === undefined ? null : userSP + f.ctxt, line: null,
      });
      if (preempted) return true;
    }
    return false;
  }

  /** The slow path of the allocation whose frames are being entered (null: its fast path). */
  private slowAlloc: SlowPath | null = null;

  private takesSlowPath(part: 'refill' | 'full' | 'new'): boolean {
    const s = this.slowAlloc;
    return !!s && (part === 'refill' || (part === 'full' ? s.full : s.fresh));
  }

  /**
   * The frames of an allocation (newobject -> mallocgc), on its slow path where it takes it. A
   * new span is taken from the heap in mheap.alloc, before the frames after it (which can grow
   * the stack: heap bits); the object itself is taken from it afterwards.
   */
  private allocFrames(g: G, frames: RtFrame[], size: number, noscan: boolean, skip?: (f: RtFrame) => boolean): boolean {
    const slow = this.rt.smallObjects.slowPath(size, noscan);
    this.slowAlloc = slow;
    try {
      const spanTaken = slow?.fresh ? frames.findIndex((f) => f.slowPath === 'new' && f.fn === 'runtime.(*mheap).alloc') + 1 : 0;
      if (spanTaken <= 0) return this.runtimeFrames(g, frames, skip);
      if (this.runtimeFrames(g, frames, skip, 0, spanTaken)) return true;
      this.rt.smallObjects.newSpan(this.rt, size, noscan);
      return this.runtimeFrames(g, frames, skip, spanTaken);
    } finally {
      this.slowAlloc = null;
    }
  }

  /**
   * Where runtime frame frames[i] was called from: the program's function at its statement
   * (depth 1), or the nearest preceding frame one level up, and the measured line of the
   * return address.
   */
  private runtimeCallSite(g: G, frames: RtFrame[], i: number, nth: number): CallSite {
    // (A call from the program's function names its line only with the real binary's code.)
    const f = frames[i];
    const site: CallSite = { returnLine: f.ret ?? undefined };
    if (f.depth === 1 && this.rt.opts.codeAddresses) {
      const fs = g.frames;
      const top = fs.depth - 1;
      site.caller = fs.fn(top).symbol;
      site.callLine = `${this.rt.opts.codeAddresses!.sourceFile}:${fs.line(top)}`;
      site.nth = nth;
    } else if (f.depth > 1) {
      for (let j = i - 1; j >= 0; j--) {
        if (frames[j].depth === f.depth - 1) {
          site.caller = frames[j].fn;
          break;
        }
      }
    }
    return site;
  }

  /**
   * The prologue of the top frame (just pushed): the stack check the compiler emits, morestack
   * and newstack on failure.
   */
  enter(g: G): boolean {
    const fs = g.frames;
    const top = fs.depth - 1;
    const fn = fs.fn(top);
    fs.setPc(top, 0);
    const lay = fn.layout;
    if (lay.nosplit) return false;
    // The common case first: the frame fits above the guard.
    const sp = g.stack.hi - fs.topUsed;
    if (fits(sp, lay.frame, g.stackguard0)) return false;
    fs.markSpilled(top);
    const { schedPC, retPC } = this.programPCs(g, top);
    // A go statement's wrapper needs its closure (NEEDCTXT): morestack saves it as sched.ctxt.
    const ctxt = top === 0 && fn.wrapper ? g.closureAddr : 0;
    const preempted = this.prologue(g, { fnName: fn.symbol, entryUsed: fs.topUsed, frame: lay.frame, schedPC, retPC, line: null, ctxt });
    // Preempted in the prologue: the function starts over (prologue included) when g runs again.
    if (preempted) fs.setPc(top, -1);
    return preempted;
  }

  /**
   * sched.pc and morebuf.pc for the program's function in frame top: the return address of its
   * call to morestack, and the one into its caller (for a goroutine's first function into
   * goexit, for main.main into runtime.main). The model's own layout, or the real binary's.
   */
  private programPCs(g: G, top: number): { schedPC: number; retPC: number } {
    const fs = g.frames;
    const fn = fs.fn(top);
    const { profile } = this.rt;
    const text = this.rt.opts.codeAddresses;
    const caller = top > 0 ? fs.fn(top - 1) : null;
    const schedPC = text?.morestackReturn(fn.symbol) ?? fn.entryPC + fn.morestackOffset;
    if (!caller) {
      return { schedPC, retPC: g.startFn === 'main.main' ? mainReturnPC(text, profile, this.rt.programText) : goexitReturnPC(text, this.rt.programText) };
    }
    // The program's lines are the input's (a .go file).
    const retPC = text?.callReturn(fn.symbol, { caller: caller.symbol, callLine: `${text.sourceFile}:${fs.line(top - 1)}` });
    return { schedPC, retPC: retPC ?? caller.entryPC + caller.returnOffsets[fs.pc(top - 1)] };
  }

  /**
   * The stack check of a function entered with site.entryUsed bytes in use: morestack -> newstack
   * when it fails (the overflow ends the process here). Go 1.14 re-runs the check after growing.
   * Returns whether newstack preempted the goroutine instead (a sysmon request, STACK_PREEMPT).
   * Runtime functions are always re-entered after a preemption in this model, so their callers
   * only need the stack effect.
   */
  prologue(g: G, site: MorestackSite): boolean {
    const rt = this.rt;
    const { entryUsed, frame } = site;
    for (;;) {
      const sp = g.stack.hi - entryUsed;
      if (fits(sp, frame, g.stackguard0)) return false;
      const fs = g.frames;
      const c = fs.depth - 2; // the caller's current instruction is the call (none for a goroutine's first function)
      if (rt.event && c >= 0) site.line = fs.line(c);
      const r = newstack(rt.stacks, rt, g, site, rt.profile);
      if (r.kind === 'overflow') fatalStackOverflow(rt, g, r.sp);
      if (r.kind === 'preempted') return true;
      if (rt.profile.growth !== 'double') return false;
    }
  }

  /** Bytes in use at a call made from the top frame: its entry use, its frame, the return PC. */
  private callSiteUsed(g: G): number {
    const fs = g.frames;
    const top = fs.depth - 1;
    return fs.topUsed + fs.fn(top).layout.frame + 8;
  }

  /** Runs g until it blocks ('block'), exits ('dead'), main returns ('exit') or the slice ends ('yield'). */
  execute(g: G): ExecResult {
    const rt = this.rt;
    const fs = g.frames;
    if (fs.pc(fs.depth - 1) < 0 && this.enter(g)) return 'preempted';
    if (g.onResume) {
      // The rest of the runtime call the goroutine was parked in.
      const after = g.onResume;
      g.onResume = null;
      if (after === RELEASE_SUDOG) rt.sudogsInUse--;
      else if (typeof after === 'function') {
        const r = after(g);
        if (r) return r;
      } else this.runtimeFrames(g, after);
    }
    // sysmon asks a goroutine that has run for a time slice to yield (see FORCE_PREEMPT_NS).
    // Stack copies and the runtime's writes advance rt.clock directly (rt.spent): the deadline
    // moves closer by the time they take.
    const preemptAt = rt.budget - (FORCE_PREEMPT_NS - (rt.clock - g.runStart)) - rt.spent;
    if (!this.loop) {
      this.loop = compileLoop(rt.codeIndex);
      warmReturns(this.loop, this, rt, rt.codeIndex, rt.scratchG());
    }
    return this.loop(this, rt, g, fs, preemptAt);
  }

  /** The call event (run --format json with calls, plots); called by the loop. */
  callEvent(g: G, callee: FuncCode, entryUsed: number, line: number | null): void {
    this.rt.event!({ kind: 'call', g: g.id, fn: callee.symbol, used: entryUsed + callee.layout.frame,
      size: g.stack.hi - g.stack.lo, line });
  }

  /**
   * The top frame's prologue check failed: morestack -> newstack. Returns whether the goroutine
   * was preempted instead. newstack returns to the function's entry, which runs its prologue
   * again: a request sysmon made while the stack was copied (a long copy crosses its deadline)
   * fails it. Called by the loop.
   */
  morestack(g: G, budget: number, preemptAt: number): boolean {
    const lo = g.stack.lo;
    if (this.enter(g)) return true;
    if (g.stack.lo !== lo && budget <= preemptAt + this.rt.spent) {
      g.stackguard0 = STACK_PREEMPT;
      return this.enter(g);
    }
    return false;
  }

  /**
   * A statement that calls into the runtime (go, println, runtime.GC, a channel operation) from
   * the top frame; due says whether sysmon's deadline has passed. Returns how the goroutine
   * stops, or null when it goes on. Called by the loop.
   */
  runtimeOp(g: G, ins: Instr, top: number, base: number, due: boolean): ExecResult | null {
    const rt = this.rt;
    this.callsInStatement.clear();
    switch (ins.op) {
      case 'newobject': {
        // A large object (over 32 KiB) takes a span of its own from the page allocator
        // (mallocgc -> mcache.allocLarge -> mheap.alloc). newobject's own frames are not entered:
        // a large allocation's path was not measured.
        const base = rt.smallObjects.alloc(rt, ins.size, true);
        rt.heapObjects.push({ base, pages: largeObjectPages(ins.size), g, depth: top, fn: g.frames.fn(top), name: ins.name });
        return null;
      }
      case 'go': {
        const rc = rt.profile.runtimeCalls;
        // sysmon's request lands in newproc's prologue: the goroutine yields before creating one.
        if (due && g.stackguard0 !== STACK_PREEMPT) g.stackguard0 = STACK_PREEMPT;
        // go f(args) under the register ABI first allocates the closure (newobject -> mallocgc),
        // unless every argument is a constant.
        const alloc = ins.alloc;
        const closureFrames = alloc?.noscan ? rc.newprocClosureNoscan : rc.newprocClosure;
        // Each array captured by reference is copied to the heap first (newobject, then the copy);
        // a prologue on the way may find sysmon's request.
        const preemptedAllocating = () => alloc!.temps.some((size) => this.allocFrames(g, rc.newprocClosureNoscan, size, true)) ||
          this.allocFrames(g, closureFrames, alloc!.closure, alloc!.noscan);
        if ((alloc && preemptedAllocating()) || this.runtimeFrames(g, rc.newproc)) {
          // The go statement runs again when the goroutine does.
          g.frames.setPc(top, g.frames.pc(top) - 1);
          return 'preempted';
        }
        // The stack ABI's newproc1 copies the arguments onto the new goroutine's stack, and
        // throws where they would not leave it room.
        if (rt.profile.newprocThrow && newprocArgsTooLarge(ins.fn.layout.args)) fatalNewprocArgs(rt, g, this.callSiteUsed(g) - 8, ins.fn.layout.args);
        let closureAddr = 0;
        const owner: GoObjectOwner = { g: null };
        if (alloc) {
          for (const size of alloc.temps) rt.smallObjects.alloc(rt, size, true, owner);
          closureAddr = rt.smallObjects.alloc(rt, alloc.closure, alloc.noscan, owner);
        }
        const vals = ins.args.map((f) => f(g.frames.vars, base));
        const ng = rt.newproc(ins.fn.symbol, ins.fn, vals, ins.argSlots);
        owner.g = ng;
        ng.closureAddr = closureAddr;
        ng.createdBy = { fn: g.frames.fn(top), pc: g.frames.pc(top) - 1, goid: g.id };
        rt.event?.({ kind: 'go', g: ng.id, parent: g.id, fn: ins.fn.symbol });
        rt.runqput(rt.curP!, ng, true);
        rt.wakep();
        return null;
      }
      case 'print': {
        const parts = rt.profile.runtimeCalls.println;
        const srcLine = g.frames.line(top);
        this.runtimeFrames(g, parts.prologue);
        for (const piece of ins.pieces) {
          if (piece.kind === 'text') {
            this.runtimeFrames(g, parts.parts[textPart(piece.text)]);
            this.writeText(g, piece.text, srcLine);
            continue;
          }
          const a = ins.args[piece.index];
          if (a.kind === 'int') {
            const v = a.value(g.frames.vars, base);
            if (v < 0) {
              // printint writes the sign with printstring("-") before printuint.
              const neg = parts.parts.int_negative;
              const split = neg.findIndex((f, i) => i > 0 && f.fn === 'runtime.printuint');
              this.runtimeFrames(g, neg.slice(0, split));
              this.writeText(g, '-', srcLine);
              this.runtimeFrames(g, neg.slice(split));
              this.writeText(g, String(-v), srcLine);
            } else {
              this.runtimeFrames(g, parts.parts.int);
              this.writeText(g, String(v), srcLine);
            }
          } else if (a.kind === 'bool') {
            const v = a.value(g.frames.vars, base);
            this.runtimeFrames(g, v ? parts.parts.bool_true : parts.parts.bool_false);
            this.writeText(g, v ? 'true' : 'false', srcLine);
          } else if (a.kind === 'addr') {
            // printpointer(p) holds p as a pointer, which a stack copy adjusts; printhex(v)
            // holds a plain number: a growth below printpointer prints the old address.
            const [printpointer, ...below] = parts.parts.pointer;
            this.runtimeFrames(g, [printpointer]);
            const value = this.addrOf(g, top, a.name);
            this.runtimeFrames(g, below);
            this.writeText(g, hex(value), srcLine);
          }
        }
        this.runtimeFrames(g, parts.epilogue);
        return null;
      }
      case 'gc': {
        return this.runtimeGC(g);
      }
      case 'send':
      case 'recv': {
        const rc = rt.profile.runtimeCalls;
        const c = rt.chans.get(ins.chan)!;
        const peer = ins.op === 'send' ? c.recvq.shift() : c.sendq.shift();
        if (peer) {
          this.runtimeFrames(g, ins.op === 'send' ? rc.chanReady.send : rc.chanReady.recv);
          rt.ready(peer);
        } else {
          this.blockingFrames(g, ins.op === 'send' ? rc.chanBlock.send : rc.chanBlock.recv);
          rt.park(g, this.callSiteUsed(g) - 8 + rc.chanBlock.parked[ins.op], ins.op === 'send' ? 'chan send' : 'chan receive',
            rc.chanBlock.parkedFrames);
          g.onResume = RELEASE_SUDOG;
          (ins.op === 'send' ? c.sendq : c.recvq).push(g);
          return 'block';
        }
        return null;
      }
      default:
        return null;
    }
  }

  /**
   * runtime.GC() called from the top frame (mgc.go GC): wait for a running cycle and then start
   * one's own; queue on work.startSema while another goroutine is inside gcStart; or start a
   * cycle. The first cycle of the process starts the mark workers and waits for them in
   * notetsleepg, which hands the P off: when another goroutine is runnable it runs meanwhile, and
   * the caller finishes gcStart from the global run queue. Returns how the goroutine stops.
   */
  private runtimeGC(g: G): ExecResult | null {
    const rt = this.rt;
    const rc = rt.profile.runtimeCalls.gc;
    const userSP = this.callSiteUsed(g) - 8;
    // work.cycles: the cycles started so far, the running one included.
    const cycles = rt.gcCycles + (rt.gc ? 1 : 0);
    const n = g.gcCyclesRead;
    g.gcCyclesRead = 0;
    if (n > 0 && cycles > n) {
      // Back from waiting for cycle n, another goroutine has started n+1 already: gcStart's
      // trigger test fails, and the call waits for that cycle's mark termination (n+1) only.
      if (rt.gcCycles > n) return this.afterGC(g);
      gcWaitOnMark(rt, g, userSP + rc.parked);
      g.onResume = this.afterGC;
      return 'block';
    }
    if (rt.gc) {
      // A cycle is running: wait for it, then this call starts its own (the call runs again).
      g.gcCyclesRead = cycles;
      g.frames.setPc(g.frames.depth - 1, g.frames.pc(g.frames.depth - 1) - 1);
      gcWaitOnMark(rt, g, userSP + rc.parked);
      return 'block';
    }
    if (rt.startSema) return this.waitStartSema(g, userSP);
    const first = !workersStarted(rt);
    const frames = rc.beforePark;
    // 1.23+: the first cycle's <-ready takes a sudog; a new one when all are in use. It is back
    // in the cache once the worker has started.
    const freshSudog = first && rt.sudogsInUse >= rt.sudogsMade && frames.some(isNewSudog);
    if (freshSudog) rt.newSudog();
    const skip = (f: RtFrame) => ((isFirstGCOnly(f) || isTinyBlockMark(f)) && !first) || (isNewSudog(f) && !freshSudog);
    const started = workersStartedAt(frames);
    const back = handedOffAt(frames);
    const sweep = rc.startSweep;
    if (rt.sweepTurns && rt.sweepLeft > 0 && sweep.at < started) {
      // gcStart sweeps what the last cycle left, all of it, before it starts the next.
      this.runtimeFrames(g, frames.slice(0, sweep.at), skip);
      this.runtimeFrames(g, sweep.frames, (f) => isNewSpanSetMemory(f) && rt.gcCycles > 2);
      rt.sweepLeft = 0;
      this.runtimeFrames(g, frames.slice(sweep.at + 1, started), skip);
    } else this.runtimeFrames(g, frames.slice(0, started), skip);
    gcBgMarkStartWorkers(rt);
    const waitsInChan = rt.profile.markWorkerStartWait === 'chan';
    if (first && !waitsInChan) gcBgMarkWorkerStarts(rt);
    this.runtimeFrames(g, frames.slice(started, back), skip);
    if (first && waitsInChan) gcBgMarkWorkerStarts(rt);
    const finish = (): 'block' => {
      this.runtimeFrames(g, frames.slice(back), skip);
      gcBeginMark(rt, g, userSP + rc.parked);
      if (rt.startSema) releaseStartSema(rt);
      g.onResume = this.afterGC;
      return 'block';
    };
    if (first && rt.anyRunnable() && !waitsInChan) {
      // exitsyscall found no P: the caller waits on the global run queue, holding startSema.
      rt.startSema = { waiters: [] };
      g.onResume = finish;
      return 'preempted';
    }
    return finish();
  }

  /**
   * The frames of a call that parks with a sudog (a channel operation, semacquire1):
   * acquireSudog allocates a new one when more goroutines wait at once than ever before.
   */
  private blockingFrames(g: G, frames: RtFrame[]): void {
    const rt = this.rt;
    const fresh = rt.sudogsInUse >= rt.sudogsMade;
    const skip = (f: RtFrame) => isNewSudog(f) && !fresh;
    if (fresh) {
      this.allocFrames(g, frames, SUDOG_SIZE, false, skip);
      rt.smallObjects.sudog();
      rt.newSudog();
    } else this.runtimeFrames(g, frames, skip);
    rt.sudogsInUse++;
  }

  /** runtime.GC while another goroutine holds work.startSema: semacquire1 parks until it is ours. */
  private waitStartSema(g: G, userSP: number): ExecResult {
    const rt = this.rt;
    const { block, parked, resume } = rt.profile.runtimeCalls.gc.startSema;
    this.blockingFrames(g, block);
    rt.park(g, userSP + parked, 'semacquire');
    rt.startSema!.waiters.push(g);
    g.onResume = (w) => {
      // gcStart finds the cycle started: semrelease, and wait for that cycle in gcWaitOnMark.
      rt.sudogsInUse--;
      this.runtimeFrames(w, resume);
      releaseStartSema(rt);
      if (!rt.gc) return null;
      gcWaitOnMark(rt, w, userSP + rt.profile.runtimeCalls.gc.parked);
      w.onResume = this.afterGC;
      return 'block';
    };
    return 'block';
  }

  /**
   * The rest of runtime.GC when mark termination wakes the caller: it sweeps a span (with a new
   * swept-span set block in the first cycle that sweeps, the process's second), or finds nothing
   * left, as after the first cycle, and finishes; with sweeping in turns (mgcsweep.ts) it goes on
   * sweeping a span per turn until nothing is left.
   */
  private readonly afterGC = (g: G): 'preempted' | null => {
    const rt = this.rt;
    const gc = rt.profile.runtimeCalls.gc;
    const nothingLeft = rt.sweepTurns ? rt.sweepLeft === 0 : rt.gcCycles === 1;
    if (nothingLeft) this.runtimeFrames(g, gc.afterFirstCycle);
    else this.runtimeFrames(g, gc.afterResume, (f) => isNewSpanSetMemory(f) && rt.gcCycles > 2);
    return rt.sweepTurns ? this.sweepTurn(g) : null;
  };

  /**
   * runtime.GC's sweep loop (mgcsweep.ts): a span, then Gosched (the global run queue), until
   * nothing is left; its frames are those entered on the first turn.
   */
  private readonly sweepTurn = (g: G): 'preempted' | null => {
    const rt = this.rt;
    if (rt.sweepLeft === 0) return null;
    rt.sweepLeft--;
    g.onResume = this.sweepTurn;
    return 'preempted';
  };

  /** Address of a local or parameter of frame i, wherever the stack is now. */
  private addrOf(g: G, i: number, name: string): number {
    const fn = g.frames.fn(i);
    const lay = fn.layout;
    if (lay.heapLocals.some((v) => v.name === name)) {
      // A local moved to the heap: &x is its large object's address, its span's base.
      const objs = this.rt.heapObjects;
      for (let j = objs.length - 1; j >= 0; j--) {
        const o = objs[j];
        if (o.g === g && o.depth === i && o.fn === fn && o.name === name) return o.base;
      }
    }
    const entrySP = g.stack.hi - g.frames.used(i);
    const local = lay.localOffset.get(name);
    if (local !== undefined) return entrySP - lay.frame + local;
    return entrySP + 8 + (lay.paramOffset.get(name) ?? 0);
  }
}

/**
 * The return address of the program's nth call of fn in the statement its top frame is running:
 * the model's layout of that statement's code (code-size.ts).
 */
function programCallReturn(g: G, fn: string, nth: number): number | undefined {
  const fs = g.frames;
  const top = fs.depth - 1;
  const code = fs.fn(top);
  const sites = code.callSites[fs.pc(top) - 1]?.filter((c) => c.callee === fn) ?? [];
  const site = sites[Math.min(nth, sites.length - 1)];
  return site ? code.entryPC + site.ret : undefined;
}
