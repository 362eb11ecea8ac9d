/**
 * Ms, Ps, Gs and the scheduler (runtime/proc.go): newproc with gfget/gfput, run queues, wakep,
 * the runtime's start-up. Goroutines run one at a time (interp.ts), each until it blocks, exits
 * or runs runtime.GC(): the order a single P (GOMAXPROCS=1) produces. Extra Ps take goroutines
 * from the others' run queues; a GC cycle's marking completes when no goroutine can run.
 */
import type { Profile } from '../profiles/profile.js';
import type { Program } from '../program/model.js';
import { compileProgram, functionTable, type Arithmetic, type FuncCode } from './code.js';
import type { ProgramAddresses } from './code-size.js';
import { profileRuntimeText, type ListedCode } from './listed-code.js';
import type { EventSink } from './events.js';
import { CodeIndex, FrameStack, type Int } from './frames.js';
import type { CodeAddresses } from './text.js';
import { MHeap, PAGE_SIZE, PageCache } from './mheap.js';
import { SmallObjects, spanPages } from './malloc.js';
import { FIXED_STACK, Stacks, type Stack, type StackCache, type StackEnv, type StackG } from './stack.js';
import { Interpreter, FORCE_PREEMPT_NS } from './interp.js';
import { bgsweepTurn, MCacheClasses } from './mgcsweep.js';
import { gcMarkDone, gcMarkRoots, type GCCycle, type StartSema } from './mgc.js';
import { Queue } from './queue.js';
import type { RtFrame } from './rtcalls.js';
import { fatalDeadlock, RuntimeExit } from './panic.js';

export type GStatus = 'runnable' | 'running' | 'waiting' | 'dead';

export class G implements StackG {
  stack: Stack = { lo: 0, hi: 0 };
  stackguard0 = 0;
  schedUsed = 0;
  isMarkWorker = false;
  status: GStatus = 'runnable';
  readonly frames: FrameStack;
  waitReason = '';
  /** The runtime's frames above the program's while parked (Runtime.park). */
  parkedFrames = 0;
  /** The goroutine's function; runtime goroutines have no frames we interpret. */
  startFn = '';
  /** A runtime goroutine (not reported by checkdead, not a user goroutine in tracebacks). */
  system = false;
  /** Whether the G owns a stack (dead Gs may be kept without one). */
  get hasStack(): boolean {
    return this.stack.hi !== 0;
  }
  /** The model's clock when the goroutine last got the CPU (for sysmon's preemption). */
  runStart = 0;
  /** Where the program's go statement started it (g.gopc and g.parentGoid), for tracebacks. */
  createdBy: CreatedBy | null = null;
  /**
   * The rest of the runtime call the goroutine stopped in, done when it runs again: runtime
   * frames to enter, or a step of the runtime (which may stop it again).
   */
  onResume: RtFrame[] | ((g: G) => 'block' | 'preempted' | null) | null = null;
  /**
   * runtime.GC's n := work.cycles, read when its call found a cycle running and waited for it
   * (0: none); the call, run again, then starts cycle n+1 unless another goroutine has.
   */
  gcCyclesRead = 0;
  /** The heap closure a go statement passed the goroutine's arguments in (0: none or not known). */
  closureAddr = 0;
  /** Whether it has run: its go statement's closure (and the arrays copied for it) are then garbage. */
  started = false;
  /** goid: 0 for an M's g0 and gsignal; every newproc gives a fresh one, also to a reused G. */
  constructor(public id: number, readonly addr: number, code: CodeIndex) {
    this.frames = new FrameStack(code);
  }
}

export interface CreatedBy {
  fn: FuncCode;
  /** The go statement's instruction in fn (its pc index) and the parent's goid. */
  pc: number;
  goid: number;
}

export class P {
  stackcache: StackCache[] = Stacks.newCache();
  pcache = new PageCache();
  runnext: G | null = null;
  runq: G[] = [];
  gFree: G[] = [];
  schedtick = 0;
  constructor(readonly id: number) {}
}

interface Chan {
  recvq: Queue<G>;
  sendq: Queue<G>;
}

const RUNQ_SIZE = 256; // len(p.runq)

/**
 * Time a line the runtime writes takes on the model's clock (interp.ts, FORCE_PREEMPT_NS): a
 * write(2) to stderr, about a microsecond. On the 10,000-goroutine program
 * (test/fixtures/go/loop-goroutines.go, Go 1.19 on this project's machines) main writes two or
 * three lines per goroutine it starts and is preempted in newproc twice, after 3,580 and after
 * 9,816 goroutines; the model preempts it after 4,702 and 9,400 (when sysmon looks within its
 * up to 10 ms sleep is not modelled), and prints 112,918 lines where the real run prints 112,914.
 */
export const WRITE_NS = 1000;
/**
 * With one P a GC cycle's marking is done by the fractional worker, which the scheduler runs
 * whenever its share of the time since the cycle started is below fractionalUtilizationGoal
 * (mgcpacer.go findRunnableGCWorker: 0.25 with one P), before any other goroutine; it stops
 * itself once its share is above 1.2 times that (mgc.go pollFractionalWorkerExit). Its first
 * turns, as the cycle starts, leave most of the marking; the goroutines then runnable run one
 * after another until enough time has passed, and a later turn finishes the cycle. On the model's
 * clock that is after 24 to 32 us. Measured with goroutines started just before runtime.GC()
 * that each grow their stack once to 32 KiB (8 us here) and park (recorded/conc-gc-second): the
 * cycle ended after four of them in the most frequent trace of 20 runs on Go 1.22 (16 of 20),
 * after two on 1.19 and 1.21 (13 and 17 of 20); recorded earlier with 7 runs, after four on 1.19
 * and 1.21 too. How many run is near the point where machines and runs differ. Of the 2,307
 * recorded, generated and computing traces at GOMAXPROCS=1, tier B held on 2,158, 2,165, 2,170,
 * 2,169 and 2,163 with 15, 20, 25, 30 and 40 us (tracebacks' build directories not passed): no
 * value fits them all, and the one kept is within one trace of the best. One goroutine that grows
 * to 128 KiB (100 us) is always the only one to run before the cycle ends (conc-gc-parked,
 * conc-gc-parked-second on every release).
 */
export const FRACTIONAL_RESUME_NS = 30_000;
/** mgcpacer.go: gcBackgroundUtilization, the fractional worker's goal with one P. */
const FRACTIONAL_GOAL = 0.25;
/** mgc.go pollFractionalWorkerExit: the worker stops above 1.2 times its goal. */
const FRACTIONAL_EXIT = 1.2 * FRACTIONAL_GOAL;
/**
 * The share of the time since the cycle started that the worker's turns before its scan took
 * (their root jobs write nothing). Measured: a scan that shrinks two stacks (ten lines) right
 * after a goroutine ran for 100 us is followed by mark termination at once (conc-gc-parked,
 * conc-gc-parked-second, 1.23 and 1.24), while one that shrinks the worker's own stack (five
 * lines) after four goroutines of 8 us yields to two more first (conc-gc-second, 1.24, 7 of 7
 * runs): a fifth satisfies both, a quarter (the goal) only the second.
 */
const FRACTIONAL_EARLIER = 0.2;
/**
 * proc.go procresize's p structs: objects of size class 52, 9472 bytes, six to a 7-page span
 * (span class 104 in the allocSpan runs of versions.ts PROCRESIZE_*, two spans for 8 Ps).
 */
const P_STRUCT_SIZE = 9472;
/** Spans schedinit has before procresize, of 16- and 24-byte objects with pointers (versions.ts PROCRESIZE_*). */
const SCHEDINIT_SPAN_SIZES = [16, 24];

/**
 * The pages procresize(n) takes at start-up: allp = make([]*p, n), in a new span unless its size
 * class has one (with one P the 8-byte class, which wordSpan says), and the p structs' spans.
 */
export function procresizePages(n: number, wordSpan: boolean): number {
  const allp = 8 * n;
  const allpPages = n === 1 ? +wordSpan : SCHEDINIT_SPAN_SIZES.includes(allp) ? 0 : spanPages(allp);
  const perSpan = Math.floor((spanPages(P_STRUCT_SIZE) * PAGE_SIZE) / P_STRUCT_SIZE);
  return allpPages + spanPages(P_STRUCT_SIZE) * Math.ceil(n / perSpan);
}

/**
 * Bytes in use while the runtime's own goroutines wait (Go 1.19, read with a debugger:
 * runtime-calls-1.19.json runtimeGoroutinesParkedUsed); other versions assumed the same.
 */
const RUNTIME_GOROUTINE_PARKED: Record<string, number> = {
  'runtime.forcegchelper': 112,
  'runtime.bgsweep': 144,
  'runtime.bgscavenge': 176,
};

/** Where the runtime's own goroutines wait (runtime2.go waitReasonStrings). */
const RUNTIME_GOROUTINE_WAIT: Record<string, string> = {
  'runtime.forcegchelper': 'force gc (idle)',
  'runtime.bgsweep': 'GC sweep wait',
  'runtime.bgscavenge': 'GC scavenge wait',
};

export interface SimOptions {
  gomaxprocs: number;
  write: (line: string) => void;
  event?: EventSink;
  /**
   * The environment the process starts with: the one the reference traces were recorded in
   * (default), or a minimal one (GOMAXPROCS only, as `stackdebug record` runs programs).
   */
  environ?: Environ;
  /** The real code addresses (text.ts), where the model's stand-ins would not do. */
  codeAddresses?: CodeAddresses;
  /** GOROOT the real program is built with, which tracebacks name (default: the profile's). */
  goroot?: string;
  /** How ints are computed (code.ts Arithmetic): in doubles unless a run found they do not do. */
  arithmetic?: Arithmetic;
}

export type Environ = 'reference' | 'minimal';

export class Runtime implements StackEnv {
  readonly heap = new MHeap();
  readonly stacks: Stacks;
  readonly ps: P[];
  readonly allgs: G[] = [];
  readonly globrunq = new Queue<G>();
  /** sched.gFree: dead Gs with and without stacks. */
  readonly gFreeStack: G[] = [];
  readonly gFreeNoStack: G[] = [];
  readonly chans = new Map<string, Chan>();
  readonly code: Map<string, FuncCode>;
  /** The runtime's addresses the program's code moves (code-size.ts). */
  readonly programText: ProgramAddresses;

  /** The runtime's code addresses as the profile measured them (listed-code.ts, which reads them once). */
  get runtimeText(): ListedCode | null {
    return profileRuntimeText(this.profile.version, this.programText.callsGC);
  }
  readonly interp = new Interpreter(this);
  /** Every function of the program by id, and its instructions numbered as one sequence. */
  readonly codeIndex: CodeIndex;
  /** A goroutine outside the scheduler, for warming up the compiled loop (jit.ts warmReturns). */
  scratchG(): G {
    return new G(-1, 0, this.codeIndex);
  }
  gcphase: 'off' | 'mark' = 'off';
  /** The size classes the P's mcache holds (one P), for what a cycle's sweep finds (mgcsweep.ts). */
  readonly mcacheClasses = new MCacheClasses();
  /** A finished cycle's work-buffer span that bgsweep has yet to free (0: none). */
  idleWbuf = 0;
  /** Spans left to sweep after the last mark termination (mgcsweep.ts). */
  sweepLeft = 0;
  /** Spans bgsweep has swept since it was last woken (nSwept in mgcsweep.go bgsweep). */
  bgsweepSwept = 0;
  /** The runtime's bgsweep goroutine (sweep.g), made at start-up. */
  private sweepG: G | null = null;
  /** Whether sweeping takes turns through the scheduler (mgcsweep.ts): measured for one P. */
  get sweepTurns(): boolean {
    return this.profile.sweepSpans !== null && this.ps.length === 1;
  }
  /** The GC cycle in progress, if any (mgc.ts). */
  gc: GCCycle | null = null;
  /** Address of gcenable's channel (a start-up step), which bgsweep and bgscavenge hold. */
  gcenableChan = 0;
  /** The main goroutine's first stack (a stale word of g0's points into it: panic.ts). */
  mainFirstStack = 0;
  /** One-page start-up spans the first GC cycle finds empty and frees (startup.ts). */
  deadAtFirstGC: number[] = [];
  /** Locals moved to the heap (newobject): their spans, and the frame whose local each is. */
  heapObjects: { base: number; pages: number; g: G; depth: number; fn: FuncCode; name: string }[] = [];
  /** The go statements' closures and the arrays they capture by reference (malloc.ts). */
  readonly smallObjects: SmallObjects;
  /** work.startSema while a goroutine is inside gcStart (see mgc.ts). */
  startSema: StartSema | null = null;
  gcCycles = 0;
  /** The P of the M that is running now; null while the runtime runs without one. */
  curP: P | null = null;
  curG: G | null = null;
  private nextGAddr: number;
  /** The span main's g and the g structs after it are in, until it fills. */
  private gSpanBase: number;
  /** Whether the start-up's g span has filled and a new one taken. */
  private gStartupSpanFull = false;
  private mainCreated = false;
  private gsBeforeMain = 0;
  /** Whether a new g has taken the g-span slot a GC cycle freed (Profile.gAddrs.freedByGC). */
  private freedGSlotTaken = false;
  private goid = 0;
  /** Structured events beside the trace lines, when someone listens; calls: call/return events too. */
  readonly event?: EventSink;
  readonly wantCalls: boolean;

  constructor(readonly profile: Profile, readonly program: Program, readonly opts: SimOptions) {
    const sink = opts.event;
    // Events count towards the slice's output, as lines do.
    this.event = sink && Object.assign((e: Parameters<EventSink>[0]) => {
      this.outputLeft--;
      sink(e);
    }, { calls: sink.calls });
    this.wantCalls = !!sink?.calls;
    this.stacks = new Stacks(this);
    this.ps = Array.from({ length: Math.max(1, opts.gomaxprocs) }, (_, i) => new P(i));
    const arith = opts.arithmetic ?? 'double';
    const compiled = compileProgram(program, profile, arith);
    this.code = compiled.codes;
    this.programText = compiled.text;
    this.codeIndex = new CodeIndex(functionTable(this.code), arith);
    this.nextGAddr = profile.gAddrs.main;
    // Where the start-up's spans are is known for the environment they were read in.
    this.smallObjects = new SmallObjects(new Set(profile.startupSpanClasses), opts.environ === 'minimal' ? profile.startupSpanFill : {});
    this.gSpanBase = profile.gAddrs.main - (profile.gAddrs.main % PAGE_SIZE);
    for (const name of program.channels.keys()) this.chans.set(name, { recvq: new Queue<G>(), sendq: new Queue<G>() });
  }

  /** A whole line of the runtime's (after any program text already on the line). */
  print(line: string): void {
    this.opts.write(this.interp.takePartial() + line);
    this.outputLeft--;
    this.spend(WRITE_NS);
  }

  // StackEnv
  cacheP() {
    return this.curP;
  }
  pageCache(): PageCache | undefined {
    return this.curP?.pcache;
  }
  spend(ns: number): void {
    this.clock += ns;
    this.spent += ns;
  }
  gcRunning(): boolean {
    return this.gcphase !== 'off';
  }

  /**
   * malg: a g struct from the heap with a stack of size. The g structs from the main goroutine's
   * on are consecutive objects of one size class; those allocated before it sit below it.
   */
  malg(size: number): G {
    let addr: number;
    const freed = this.profile.gAddrs.freedByGC;
    if (this.mainCreated && freed !== undefined && this.gcCycles > 0 && !this.freedGSlotTaken) {
      addr = freed;
      this.freedGSlotTaken = true;
    } else if (this.mainCreated) {
      const stride = this.profile.gAddrs.stride;
      if (this.nextGAddr + stride > this.gSpanBase + PAGE_SIZE) {
        // The g span is full: the next g starts a new one-page span of its size class
        // (recorded/conc-many: 19 g structs of 416 bytes a span on Go 1.19 and 1.21, 18 of 448 from 1.22).
        this.gSpanBase = this.heap.allocPages(1, this.curP?.pcache);
        this.nextGAddr = this.gSpanBase;
        if (!this.gStartupSpanFull) this.mcacheClasses.replaced('g');
        this.gStartupSpanFull = true;
      }
      addr = this.nextGAddr;
      this.nextGAddr += stride;
    } else {
      addr = this.profile.gAddrs.main - this.profile.gAddrs.stride * ++this.gsBeforeMain;
    }
    const g = new G(0, addr, this.codeIndex);
    // From the start-up's g span, which is then in the mcache; once that span is full and
    // replaced it is swept like the others (recorded/gc-then-spawn-many: Go 1.19 printing its
    // sweeping).
    if (!this.gStartupSpanFull) this.mcacheClasses.allocated('g');
    if (size > 0) this.giveStack(g, this.stacks.stackalloc(size));
    return g;
  }

  private giveStack(g: G, s: Stack): void {
    g.stack = s;
    g.stackguard0 = s.lo + this.profile.stackGuard;
  }

  /** Frees a dead G's stack (gfput, gfget, markrootFreeGStacks); the G is kept without one. */
  dropStack(g: G): void {
    this.stacks.stackfree(g.stack);
    g.stack = { lo: 0, hi: 0 };
  }

  /** Whether a dead G's stack is of another size than new goroutines start with now. */
  private staleStack(g: G): boolean {
    return g.hasStack && g.stack.hi - g.stack.lo !== this.startingStackSize;
  }

  /** newm -> allocm: the M's gsignal (32 KiB, mpreinit) and g0 stacks. */
  newm(): void {
    this.mcacheClasses.allocated('m'); // allocm: new(m)
    this.malg(32768);
    this.malg(this.profile.g0StackSize);
  }

  /**
   * allgadd: allgs = append(allgs, gp). When the slice grows, its new array can start a span of
   * its size class (Profile.allgsSpans): seen with a Go 1.19 runtime printing its allocSpan calls
   * (the fifth G, the first user goroutine or the first GC's mark worker, grows it to 8 entries;
   * the ninth to 16), and in the reference traces (goroutine-chain: w's first stack lands a page
   * higher than in a program without goroutines).
   */
  private allgadd(g: G): void {
    this.allgs.push(g);
    const pages = this.profile.allgsSpans[this.allgs.length];
    if (!pages) return;
    // The arrays before are garbage now; a cycle frees their spans (mgc.ts).
    for (const a of this.allgsArrays) a.garbage = true;
    this.allgsArrays.push({ base: this.heap.allocPages(pages, this.curP?.pcache), pages, garbage: false });
  }

  /**
   * The spans allgadd's arrays took (allgsSpans). When a cycle ends, those of arrays allgs has
   * outgrown are empty and go back to the heap: a Go 1.19 runtime printing its span frees frees
   * the 128-byte array's when marking ends (its class is in the mcache) and the 64-byte one's as
   * it is swept (recorded/gc-then-spawn-many); the model frees both as marking ends.
   */
  allgsArrays: { base: number; pages: number; garbage: boolean }[] = [];

  /**
   * newproc/newproc1: a G for fn, reusing a dead one (gfget) when there is one. firstUsed: where
   * fn is entered when not from goexit's frame (main.main, from runtime.main's).
   */
  newproc(fnName: string, fn: FuncCode | null, argVals: Int[] = [], argSlots: number[] = [], firstUsed?: number): G {
    const p = this.curP ?? this.ps[0];
    let g = this.gfget(p);
    if (!g) {
      // A new G always starts with _StackMin; reused ones get startingStackSize (gfget).
      g = this.malg(FIXED_STACK);
      this.allgadd(g);
    } else {
      // It was the right size when it went on the free list; the right size may have changed.
      if (this.staleStack(g)) this.dropStack(g);
      if (!g.hasStack) this.giveStack(g, this.stacks.stackalloc(this.startingStackSize));
    }
    g.status = 'runnable';
    g.id = ++this.goid;
    g.startFn = fnName;
    g.createdBy = null;
    g.frames.clear();
    g.schedUsed = this.profile.goEntryUsed;
    if (fn) {
      // ABI0 (<= 1.16): newproc1 copies the arguments onto the new stack, above the entry SP
      // (totalSize = 4*PtrSize + siz + MinFrameSize); the register ABI passes them in a closure.
      const entryUsed = firstUsed ?? this.profile.goEntryUsed + (this.profile.abi === 'stack' ? fn.layout.args : 0);
      const base = g.frames.start(fn, entryUsed, -1);
      argSlots.forEach((s, i) => g!.frames.store(base + s, argVals[i]));
    }
    return g;
  }

  /**
   * startingStackSize (stack.go): the stack a reused G gets; with adaptive stack starts (1.19+)
   * each GC sets it from the average stack use it scanned (mgc.ts).
   */
  startingStackSize = FIXED_STACK;

  /** gfput: a dead G goes to its P's free list, keeping a stack of the starting size only. */
  private gfput(p: P, g: G): void {
    if (this.staleStack(g)) this.dropStack(g);
    p.gFree.push(g);
    if (p.gFree.length >= 64) {
      // Move half of the local list to the global one.
      while (p.gFree.length >= 32) {
        const x = p.gFree.pop()!;
        (x.hasStack ? this.gFreeStack : this.gFreeNoStack).push(x);
      }
    }
  }

  /** gfget: a dead G from the P's list, refilled from the global lists (up to 32). */
  private gfget(p: P): G | null {
    if (p.gFree.length === 0 && (this.gFreeStack.length || this.gFreeNoStack.length)) {
      while (p.gFree.length < 32) {
        const x = this.gFreeStack.pop() ?? this.gFreeNoStack.pop();
        if (!x) break;
        p.gFree.push(x);
      }
    }
    return p.gFree.pop() ?? null;
  }

  /** runqput: next=true puts g in runnext, kicking the old runnext to the tail of the queue. */
  runqput(p: P, g: G, next: boolean): void {
    g.status = 'runnable';
    if (next) {
      const old = p.runnext;
      p.runnext = g;
      if (!old) return;
      g = old;
    }
    if (p.runq.length < RUNQ_SIZE) {
      p.runq.push(g);
      return;
    }
    // runqputslow: half of the local queue and g go to the global queue.
    const batch = p.runq.splice(0, RUNQ_SIZE / 2);
    this.globrunq.push(...batch, g);
  }

  /** Whether any goroutine waits to run, on any P or the global queue. */
  anyRunnable(): boolean {
    return this.globrunq.length > 0 || this.ps.some((p) => p.runnext !== null || p.runq.length > 0);
  }

  /** findRunnable, in the order of schedule(): fairness check, runnext, local, global, steal. */
  private findRunnable(p: P): G | null {
    p.schedtick++;
    if (p.schedtick % 61 === 0 && this.globrunq.length > 0) return this.globrunqget(p, 1);
    if (p.runnext) {
      const g = p.runnext;
      p.runnext = null;
      return g;
    }
    if (p.runq.length > 0) return p.runq.shift()!;
    if (this.globrunq.length > 0) return this.globrunqget(p, 0);
    for (const victim of this.ps) {
      if (victim === p) continue;
      const n = victim.runq.length - Math.floor(victim.runq.length / 2);
      if (n > 0) {
        this.spinning = false;
        const stolen = victim.runq.splice(0, n);
        const g = stolen.pop()!;
        p.runq.push(...stolen);
        return g;
      }
      if (victim.runnext) {
        this.spinning = false;
        const g = victim.runnext;
        victim.runnext = null;
        return g;
      }
    }
    return null;
  }

  private globrunqget(p: P, max: number): G {
    let n = Math.min(this.globrunq.length, Math.floor(this.globrunq.length / this.ps.length) + 1, RUNQ_SIZE / 2);
    if (max > 0) n = Math.min(n, max);
    const batch = this.globrunq.take(n);
    const g = batch.shift()!;
    for (const x of batch) this.runqput(p, x, false);
    return g;
  }

  /** The runtime's own start-up, as the profile lists it. */
  private startup(): G {
    let mainG: G | null = null;
    let allgsSpan = false;
    for (const step of this.profile.startup) {
      switch (step.kind) {
        case 'heap': {
          let pages = step.pages - (this.opts.environ === 'minimal' ? step.environ ?? 0 : 0);
          if (step.procresize) {
            const wordSpan = step.procresize.allpWordSpan;
            pages += procresizePages(this.ps.length, wordSpan) - procresizePages(1, wordSpan);
            // allgadd(main): allgs' first array is then the first 8-byte object with pointers.
            allgsSpan = wordSpan && this.ps.length > 1;
          }
          if (pages <= 0) break;
          const base = this.heap.allocPages(pages, this.curP?.pcache);
          for (let i = 0; i < (step.dead ?? 0); i++) this.deadAtFirstGC.push(base + i * PAGE_SIZE);
          break;
        }
        case 'gcenableChan':
          this.gcenableChan = this.heap.allocPages(1, this.curP?.pcache);
          this.deadAtFirstGC.push(this.gcenableChan); // gcenable's local channel
          break;
        case 'noP':
          this.malg(step.size);
          break;
        case 'mainG': {
          this.curP = this.ps[0]; // schedinit's procresize gave m0 its P
          this.mainCreated = true;
          const main = this.code.get('main')!;
          mainG = this.newproc('main.main', main, [], [], this.profile.mainEntryUsed);
          this.mainFirstStack = mainG.stack.lo;
          if (allgsSpan) this.heap.allocPages(1, this.curP.pcache);
          break;
        }
        case 'newm':
          this.newm();
          break;
        case 'go': {
          const g = this.newproc(step.fn, null);
          g.system = true;
          g.waitReason = RUNTIME_GOROUTINE_WAIT[step.fn] ?? 'idle';
          g.status = 'waiting'; // they park at once (forcegchelper, bgsweep, bgscavenge)
          g.schedUsed = RUNTIME_GOROUTINE_PARKED[step.fn] ?? this.profile.goEntryUsed;
          if (step.fn === 'runtime.bgsweep') this.sweepG = g;
          this.wakep();
          break;
        }
      }
    }
    // main.init's channels (makechan, 96 bytes) fit the span of their size class the runtime has.
    return mainG!;
  }

  /** The goroutine on the CPU between slices, and its P. */
  private running: { g: G | null; p: P } | null = null;
  /** Instructions left in the current slice. */
  budget = 0;
  /** Lines and events the current slice may still write; the goroutine yields when none are left. */
  outputLeft = 0;
  /** The model's clock in nanoseconds: statements simulated plus rt.spent (preemption, GC marking time). */
  clock = 0;
  /** The part of the clock spent outside statements: copying stacks, writing lines (the interpreter's deadline moves with it). */
  spent = 0;

  /**
   * Runs about `instructions` simulated statements, or fewer once about `outputs` lines and
   * events are written, then returns null so the caller can drain the output; returns the exit
   * status when the process has ended.
   */
  runSlice(instructions: number, outputs = Infinity): number | null {
    try {
      if (!this.running) {
        const mainG = this.startup();
        this.curG = mainG;
        this.interp.enter(mainG);
        this.running = { g: mainG, p: this.ps[0] };
      }
      this.budget = instructions;
      this.outputLeft = outputs;
      return this.schedule(this.running);
    } catch (e) {
      if (e instanceof RuntimeExit) return e.code;
      throw e;
    }
  }

  private schedule(st: { g: G | null; p: P }): number | null {
    for (;;) {
      // bgsweep's turn: a span, or the work buffers (mgcsweep.ts).
      if (st.g && st.g === this.sweepG) {
        bgsweepTurn(this, st.g);
        st.g = null;
      }
      if (st.g) {
        const g = st.g;
        this.curP = st.p;
        if (this.curG !== g || g.status !== 'running') g.runStart = this.clock; // a new time slice
        this.curG = g;
        g.status = 'running';
        g.started = true;
        const r = this.interp.execute(g);
        if (r === 'exit') return 0;
        if (r === 'yield') return null;
        // The fractional worker takes its share of the only P back when a goroutine stops.
        if (this.gc && this.ps.length === 1 && this.workerDue(this.gc)) this.workerTurn(st.p);
        if (r === 'preempted') {
          // gopreempt_m -> goschedImpl: onto the global run queue.
          g.status = 'runnable';
          this.globrunq.push(g);
          // A GC cycle's workers get their share of a busy P: after the same time slice,
          // marking completes even though goroutines are still runnable.
          if (this.gc && this.clock - this.gc.startClock >= FORCE_PREEMPT_NS) this.finishGC(st.p);
        }
      }
      st.g = null;
      for (let i = 0; i < this.ps.length && !st.g; i++) {
        const cand = this.ps[(st.p.id + i) % this.ps.length];
        st.g = this.findRunnable(cand);
        if (st.g) st.p = cand;
      }
      if (!st.g && this.gc) {
        // Nothing else to run: the mark workers finish the cycle.
        this.finishGC(st.p);
        continue;
      }
      if (!st.g) fatalDeadlock(this);
    }
  }

  /**
   * Whether the fractional worker runs next (one P): for its scan once other goroutines have run
   * FRACTIONAL_RESUME_NS since the cycle started; after a scan it yielded from, once its share of
   * the time is below the goal again.
   */
  private workerDue(gc: GCCycle): boolean {
    const elapsed = this.clock - gc.startClock;
    return gc.scan ? gc.workerTime < FRACTIONAL_GOAL * elapsed : elapsed >= FRACTIONAL_RESUME_NS;
  }

  /**
   * The fractional worker's turn: it scans the roots and stacks, whose shrinking writes lines and
   * takes time, and yields to the goroutines waiting when that puts its share of the time since
   * the cycle started above its limit (its turns before counted as FRACTIONAL_EARLIER of it),
   * after any stack job or once all are done; a later turn goes on with the next job. Otherwise
   * it finishes the cycle.
   */
  private workerTurn(p: P): void {
    const gc = this.gc!;
    if (!gc.scan?.done) {
      this.curP = p;
      const start = this.clock;
      const before = gc.scan ? gc.workerTime : FRACTIONAL_EARLIER * (start - gc.startClock);
      const over = () => this.anyRunnable() && before + (this.clock - start) > FRACTIONAL_EXIT * (this.clock - gc.startClock);
      // gcDrain polls pollFractionalWorkerExit after each root job, a stack's scan included.
      const done = gcMarkRoots(this, over);
      gc.workerTime = before + (this.clock - start);
      if (!done || over()) return;
    }
    this.finishGC(p);
  }

  /** Mark completion on P p; mark termination wakes the waiters with injectglist (global queue). */
  private finishGC(p: P): void {
    this.curP = p;
    for (const w of gcMarkDone(this)) {
      w.status = 'runnable';
      this.globrunq.push(w);
    }
    // gcSweep: ready(sweep.g) if it parked, as the P's next goroutine (mgcsweep.ts).
    const b = this.sweepTurns ? this.sweepG : null;
    if (b && b.status === 'waiting') this.runqput(p, b, true);
  }

  /**
   * Parks g, recording where its stack stands for a scan (gopark), and how many of the runtime's
   * frames then lie above the program's (a traceback walks them without printing them).
   */
  park(g: G, used: number, reason: string, runtimeFrames = 0): void {
    g.status = 'waiting';
    g.schedUsed = used;
    g.waitReason = reason;
    g.parkedFrames = runtimeFrames;
  }

  /** goready: runnable again, next on the current P. */
  ready(g: G): void {
    this.runqput(this.curP ?? this.ps[0], g, true);
    this.wakep();
  }

  /** Sudogs made so far (start-up makes one) and in use by parked channel waiters. */
  sudogsMade = 1;
  sudogsInUse = 0;

  /** acquireSudog found none cached: new(sudog), from the mcache's span of its class. */
  newSudog(): void {
    this.sudogsMade++;
    this.mcacheClasses.allocated('sudog');
  }

  /** Whether an M is spinning, looking for work for an idle P (sched.nmspinning > 0). */
  private spinning = false;

  /**
   * wakep: a goroutine became runnable while another P is idle and no M is spinning: start an M
   * (newm, with its gsignal and g0 stacks) to look for work for it. Goroutines run one at a time
   * here, so the other Ps are idle whenever this runs, and an M once started is not given back
   * to sched.midle for reuse.
   */
  wakep(): void {
    if (this.ps.length < 2 || this.spinning) return;
    this.newm();
    this.spinning = true;
  }

  /** goexit0: the G is dead; its stack is kept or freed by gfput. */
  goexit(g: G): void {
    g.status = 'dead';
    this.event?.({ kind: 'goexit', g: g.id });
    this.gfput(this.curP ?? this.ps[0], g);
  }
}
