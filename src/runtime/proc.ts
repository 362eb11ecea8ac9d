/**
 * Ms, Ps, Gs and the scheduler (runtime/proc.go), and the interpreter that runs a goroutine's
 * frames. Goroutines run one at a time, each until it blocks, exits or starts a GC: the order a
 * single P (GOMAXPROCS=1) produces. Extra Ps take goroutines from the others' run queues.
 */
import type { Profile } from '../profiles/profile.js';
import type { Program } from '../program/model.js';
import { compileProgram, functionTable, type FuncCode } from './code.js';
import type { EventSink } from './events.js';
import { FrameStack } from './frames.js';
import { MHeap, PageCache } from './mheap.js';
import { hex } from './print.js';
import { FIXED_STACK, newstack, STACK_SMALL, Stacks, type Stack, type StackCache, type StackEnv, type StackG } from './stack.js';
import { gcCycle } from './mgc.js';
import { isFirstGCOnly, isNewSudog, textPart, workersStartedAt, type RtFrame } from './rtcalls.js';
import { fatalStackOverflow, fatalDeadlock, RuntimeExit } from './panic.js';

export type GStatus = 'runnable' | 'running' | 'waiting' | 'dead';

export class G implements StackG {
  stack: Stack = { lo: 0, hi: 0 };
  stackguard0 = 0;
  schedUsed = 0;
  shrinkSafe = true;
  isMarkWorker = false;
  status: GStatus = 'runnable';
  readonly frames: FrameStack;
  waitReason = '';
  /** The goroutine's function; runtime goroutines have no frames we interpret. */
  startFn = '';
  system = false;
  hasStack = false;
  /** Runtime frames to enter when the goroutine runs again (the rest of the call it parked in). */
  onResume: RtFrame[] | null = null;
  /** goid: 0 for an M's g0 and gsignal; every newproc gives a fresh one, also to a reused G. */
  constructor(public id: number, readonly addr: number, table: FuncCode[]) {
    this.frames = new FrameStack(table);
  }
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
  recvq: G[];
  sendq: G[];
}

const RUNQ_SIZE = 256; // len(p.runq)
/**
 * Bytes in use while the runtime's own goroutines wait (Go 1.19, read with a debugger:
 * runtime-calls-1.19.json runtimeGoroutinesParkedUsed); other versions assumed the same.
 */
const RUNTIME_GOROUTINE_PARKED: Record<string, number> = {
  'runtime.forcegchelper': 112,
  'runtime.bgsweep': 144,
  'runtime.bgscavenge': 176,
};

/** A channel waiter's only work on waking: releaseSudog (NOSPLIT) gives its sudog back. */
const RELEASE_SUDOG: RtFrame[] = [];

/** A stable code address for a runtime function without a model of its own (masked in comparisons). */
function runtimePC(fn: string): number {
  let h = 0;
  for (let i = 0; i < fn.length; i++) h = (h * 31 + fn.charCodeAt(i)) >>> 0;
  return 0x403000 + (h % 0x50000);
}
/** Where the runtime's own goroutines wait (runtime2.go waitReasonStrings). */
const RUNTIME_GOROUTINE_WAIT: Record<string, string> = {
  'runtime.forcegchelper': 'force gc (idle)',
  'runtime.bgsweep': 'GC sweep wait',
  'runtime.bgscavenge': 'GC scavenge wait',
};
const TEXT_BASE = 0x458000;
/** Code addresses of runtime functions, for morebuf/sched lines (masked in comparisons). */
const GOEXIT_PC = 0x454fc1; // goexit+1: the return PC a goroutine's first function sees
const RUNTIME_MAIN_PC = 0x432f12; // inside runtime.main, after the call of main.main
export const RUNTIME_TEXT_PC = 0x440000; // runtime functions without a model of their own

export interface SimOptions {
  gomaxprocs: number;
  write: (line: string) => void;
  event?: EventSink;
}

export class Runtime implements StackEnv {
  readonly heap = new MHeap();
  readonly stacks: Stacks;
  readonly ps: P[];
  readonly allgs: G[] = [];
  readonly globrunq: G[] = [];
  /** sched.gFree: dead Gs with and without stacks. */
  readonly gFreeStack: G[] = [];
  readonly gFreeNoStack: G[] = [];
  readonly chans = new Map<string, Chan>();
  readonly code: Map<string, FuncCode>;
  /** Every function by id, for the frame stacks. */
  private readonly table: FuncCode[];
  gcphase: 'off' | 'mark' = 'off';
  gcCycles = 0;
  /** The P of the M that is running now; null while the runtime runs without one. */
  curP: P | null = null;
  curG: G | null = null;
  private nextGAddr: number;
  private mainCreated = false;
  private gsBeforeMain = 0;
  private goid = 0;
  /** Program text written since the last newline: a runtime line printed now continues it. */
  private partial = '';
  private partialProgram = '';
  readonly event?: EventSink;
  private readonly wantCalls: boolean;

  constructor(readonly profile: Profile, readonly program: Program, readonly opts: SimOptions) {
    this.event = opts.event;
    this.wantCalls = !!opts.event?.calls;
    this.stacks = new Stacks(this);
    this.ps = Array.from({ length: Math.max(1, opts.gomaxprocs) }, (_, i) => new P(i));
    this.code = compileProgram(program, profile, TEXT_BASE);
    this.table = functionTable(this.code);
    this.nextGAddr = profile.gAddrs.main;
    for (const name of program.channels.keys()) this.chans.set(name, { recvq: [], sendq: [] });
  }

  /** A whole line of the runtime's (after any program text already on the line). */
  print(line: string): void {
    if (this.partial) {
      line = this.partial + line;
      this.partial = '';
    }
    this.opts.write(line);
  }

  /** Text the program writes (println writes its pieces one by one); a newline ends the line. */
  private writeText(g: G, text: string, srcLine: number | null): void {
    this.partialProgram += text;
    if (!text.endsWith('\n')) {
      this.partial += text;
      return;
    }
    this.print(text.slice(0, -1));
    const out = this.partialProgram.slice(0, -1);
    this.partialProgram = '';
    this.event?.({ kind: 'output', g: g.id, text: out, line: srcLine });
  }

  /**
   * The stack checks of runtime frames entered from the top frame's call site, in order: the
   * runtime's own prologues can grow the goroutine's stack (rtcalls.ts).
   */
  private runtimeFrames(g: G, frames: RtFrame[], skip?: (f: RtFrame) => boolean): void {
    const fs = g.frames;
    const top = fs.depth - 1;
    const userSP = fs.used[top] + fs.fn(top).layout.frame;
    for (const f of frames) {
      if (f.nosplit || (skip && skip(f))) continue;
      const pc = runtimePC(f.fn);
      this.prologue(g, userSP + f.entry, f.frame, pc, pc + 0x35, f.fn);
    }
  }

  // StackEnv
  cacheP() {
    return this.curP;
  }
  pageCache(): PageCache | undefined {
    return this.curP?.pcache;
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
    if (this.mainCreated) {
      addr = this.nextGAddr;
      this.nextGAddr += this.profile.gAddrs.stride;
    } else {
      addr = this.profile.gAddrs.main - this.profile.gAddrs.stride * ++this.gsBeforeMain;
    }
    const g = new G(0, addr, this.table);
    if (size > 0) this.giveStack(g, this.stacks.stackalloc(size));
    return g;
  }

  private giveStack(g: G, s: Stack): void {
    g.stack = s;
    g.stackguard0 = s.lo + this.profile.stackGuard;
    g.hasStack = true;
  }

  /** newm -> allocm: the M's gsignal (32 KiB, mpreinit) and g0 stacks. */
  newm(): void {
    this.malg(32768);
    this.malg(this.profile.g0StackSize);
  }

  /** newproc/newproc1: a G for fn, reusing a dead one (gfget) when there is one. */
  newproc(fnName: string, fn: FuncCode | null, argVals: number[] = [], argSlots: number[] = []): G {
    const p = this.curP ?? this.ps[0];
    let g = this.gfget(p);
    if (!g) {
      // A new G always starts with _StackMin; reused ones get startingStackSize (gfget).
      g = this.malg(FIXED_STACK);
      this.allgs.push(g);
    } else {
      if (g.hasStack && g.stack.hi - g.stack.lo !== this.startingStackSize) {
        // It was the right size when it went on the free list; the right size has changed.
        this.stacks.stackfree(g.stack);
        g.hasStack = false;
      }
      if (!g.hasStack) this.giveStack(g, this.stacks.stackalloc(this.startingStackSize));
    }
    g.status = 'runnable';
    g.id = ++this.goid;
    g.startFn = fnName;
    g.frames.clear();
    g.schedUsed = this.profile.goEntryUsed;
    if (fn) {
      // ABI0 (<= 1.16): newproc1 copies the arguments onto the new stack, above the entry SP
      // (totalSize = 4*PtrSize + siz + MinFrameSize); the register ABI passes them in a closure.
      const entryUsed = this.profile.goEntryUsed + (this.profile.abi === 'stack' ? fn.layout.args : 0);
      const base = g.frames.push(fn, entryUsed, -1);
      argSlots.forEach((s, i) => (g!.frames.vars[base + s] = argVals[i]));
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
    if (g.hasStack && g.stack.hi - g.stack.lo !== this.startingStackSize) {
      this.stacks.stackfree(g.stack);
      g.hasStack = false;
      g.stack = { lo: 0, hi: 0 };
    }
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
    const batch = this.globrunq.splice(0, n);
    const g = batch.shift()!;
    for (const x of batch) this.runqput(p, x, false);
    return g;
  }

  /** The runtime's own start-up, as the profile lists it. */
  private startup(): G {
    let mainG: G | null = null;
    for (const step of this.profile.startup) {
      switch (step.kind) {
        case 'heap':
          if (step.pages > 0) this.heap.allocPages(step.pages, this.curP?.pcache);
          break;
        case 'noP':
          this.malg(step.size);
          break;
        case 'mainG': {
          this.curP = this.ps[0]; // schedinit's procresize gave m0 its P
          this.mainCreated = true;
          const main = this.code.get('main')!;
          mainG = this.newproc('main.main', main);
          mainG.frames.used[0] = this.profile.mainEntryUsed;
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
          this.wakep();
          break;
        }
      }
    }
    return mainG!;
  }

  /** Runs the whole program; returns the exit status. */
  run(): number {
    for (;;) {
      const code = this.runSlice(Infinity);
      if (code !== null) return code;
    }
  }

  /** The goroutine on the CPU between slices, and its P. */
  private running: { g: G | null; p: P } | null = null;
  /** Instructions left in the current slice. */
  private budget = 0;

  /**
   * Runs about `instructions` simulated statements, then returns null so the caller can drain
   * the output; returns the exit status when the process has ended.
   */
  runSlice(instructions: number): number | null {
    try {
      if (!this.running) {
        const mainG = this.startup();
        this.curG = mainG;
        this.enter(mainG, true);
        this.running = { g: mainG, p: this.ps[0] };
      }
      this.budget = instructions;
      return this.schedule(this.running);
    } catch (e) {
      if (e instanceof RuntimeExit) return e.code;
      throw e;
    }
  }

  private schedule(st: { g: G | null; p: P }): number | null {
    for (;;) {
      if (st.g) {
        const g = st.g;
        this.curP = st.p;
        this.curG = g;
        g.status = 'running';
        this.busy.clear();
        this.busy.add(st.p);
        const r = this.execute(g);
        if (r === 'exit') return 0;
        if (r === 'yield') return null;
      }
      st.g = null;
      for (let i = 0; i < this.ps.length && !st.g; i++) {
        const cand = this.ps[(st.p.id + i) % this.ps.length];
        st.g = this.findRunnable(cand);
        if (st.g) st.p = cand;
      }
      if (!st.g) fatalDeadlock(this);
    }
  }

  /**
   * The prologue of the top frame (just pushed): the stack check the compiler emits, morestack
   * and newstack on failure. A goroutine's first frame was entered from goexit's return PC.
   */
  private enter(g: G, fromGoexit = false): void {
    const fs = g.frames;
    const top = fs.depth - 1;
    const fn = fs.fn(top);
    fs.pcs[top] = 0;
    const lay = fn.layout;
    if (lay.nosplit) return;
    // The common case first: the frame fits above the guard.
    const sp = g.stack.hi - fs.used[top];
    if ((lay.frame <= STACK_SMALL ? sp : sp - (lay.frame - STACK_SMALL)) > g.stackguard0) return;
    const retPC = top > 0 ? fs.fn(top - 1).entryPC + 0x18 + fs.pcs[top - 1] * 0x13 : fromGoexit ? GOEXIT_PC : RUNTIME_MAIN_PC;
    this.prologue(g, fs.used[top], lay.frame, fn.entryPC, retPC, `main.${fn.name}`);
  }

  /** The stack check of a function with this frame entered with entryUsed bytes in use. */
  prologue(g: G, entryUsed: number, frame: number, fnPC: number, retPC: number, fnName: string): void {
    for (;;) {
      const sp = g.stack.hi - entryUsed;
      const limit = frame <= STACK_SMALL ? sp : sp - (frame - STACK_SMALL);
      if (limit > g.stackguard0) return;
      this.newstack(g, entryUsed, frame, fnPC, retPC, fnName);
      if (this.profile.growth !== 'double') return;
    }
  }

  /** morestack -> newstack; the overflow ends the process here. */
  private newstack(g: G, entryUsed: number, frame: number, fnPC: number, retPC: number, fnName: string): void {
    const fs = g.frames;
    const c = fs.depth - 2; // the caller's current instruction is the call (none for a goroutine's first function)
    const line = this.event && c >= 0 ? fs.fn(c).lines[fs.pcs[c] - 1] ?? null : null;
    const r = newstack(this.stacks, this, g, { fnName, entryUsed, frame, fnPC, retPC, line }, this.profile);
    if (r.kind === 'overflow') fatalStackOverflow(this, g, r.sp);
  }

  /** Bytes in use at a call made from the top frame: its entry use, its frame, the return PC. */
  private callSiteUsed(g: G): number {
    const fs = g.frames;
    const top = fs.depth - 1;
    return fs.used[top] + fs.fn(top).layout.frame + 8;
  }

  /** Parks g, recording where its stack stands for a scan (gopark). */
  park(g: G, used: number, reason: string): void {
    g.status = 'waiting';
    g.schedUsed = used;
    g.waitReason = reason;
  }

  /** goready: runnable again, next on the current P. */
  ready(g: G): void {
    this.runqput(this.curP ?? this.ps[0], g, true);
    this.wakep();
  }

  /** Sudogs made so far (start-up makes one) and in use by parked channel waiters. */
  private sudogsMade = 1;
  private sudogsInUse = 0;

  /** Whether an M is spinning, looking for work for an idle P (sched.nmspinning > 0). */
  private spinning = false;
  /** Ms stopped for lack of work (sched.midle), reused before new ones are made. */
  private readonly idleMs = 0;

  /**
   * wakep: a goroutine became runnable while a P is idle and no M is spinning: start an M (an
   * idle one, or newm with its gsignal and g0 stacks) to run it on the idle P.
   */
  private wakep(): void {
    if (this.ps.length < 2 || this.spinning) return;
    if (!this.ps.some((p) => p !== this.curP && !this.busy.has(p))) return;
    // Goroutines run one at a time here, so an M started once is never idle again: no reuse.
    if (this.idleMs === 0) this.newm();
    this.spinning = true;
  }

  /** Ps that have a goroutine on them now (the others are idle). */
  private readonly busy = new Set<P>();

  /** Runs g until it blocks ('block'), exits ('dead'), main returns ('exit') or the slice ends ('yield'). */
  private execute(g: G): 'block' | 'dead' | 'exit' | 'yield' {
    const fs = g.frames;
    let top = fs.depth - 1;
    if (fs.pcs[top] < 0) this.enter(g, true);
    if (g.onResume) {
      // The rest of the runtime call the goroutine was parked in.
      const after = g.onResume;
      g.onResume = null;
      if (after === RELEASE_SUDOG) this.sudogsInUse--;
      else this.runtimeFrames(g, after);
    }
    // The frame arrays are reallocated as they grow: re-read them after every push.
    let { pcs, vars } = fs;
    let fn = fs.fn(top);
    let base = fs.bases[top];
    // The slice's budget lives in a local while the loop runs (written back on every exit).
    let budget = this.budget;
    const out = (r: 'block' | 'dead' | 'exit' | 'yield') => {
      this.budget = budget;
      return r;
    };
    for (;;) {
      if (--budget < 0) return out('yield');
      const ins = fn.code[pcs[top]++];
      switch (ins.op) {
        case 'jumpIfNot':
          if (!ins.cond(vars, base)) pcs[top] = ins.target;
          break;
        case 'call': {
          const callee = ins.fn;
          const entryUsed = fs.used[top] + fn.layout.frame + 8;
          const nb = fs.push(callee, entryUsed, 0);
          pcs = fs.pcs;
          vars = fs.vars;
          for (let i = 0; i < ins.argSlots.length; i++) vars[nb + ins.argSlots[i]] = ins.args[i](vars, base);
          if (this.wantCalls) {
            this.event!({ kind: 'call', g: g.id, fn: `main.${callee.name}`, used: entryUsed + callee.layout.frame,
              size: g.stack.hi - g.stack.lo, line: fn.lines[pcs[top] - 1] ?? null });
          }
          top++;
          fn = callee;
          base = nb;
          this.enter(g);
          break;
        }
        case 'ret': {
          const entryUsed = fs.used[top];
          fs.pop();
          if (this.wantCalls) {
            this.event!({ kind: 'return', g: g.id, fn: `main.${fn.name}`, used: entryUsed, size: g.stack.hi - g.stack.lo });
          }
          if (--top < 0) {
            if (g.startFn === 'main.main') return out('exit');
            this.goexit(g);
            return out('dead');
          }
          fn = fs.fn(top);
          base = fs.bases[top];
          break;
        }
        case 'go': {
          const rc = this.profile.runtimeCalls;
          // go f(args) under the register ABI first allocates the closure (newobject -> mallocgc).
          if (this.profile.abi === 'register' && ins.args.length > 0) this.runtimeFrames(g, rc.newprocClosure);
          this.runtimeFrames(g, rc.newproc);
          const vals = ins.args.map((f) => f(vars, base));
          const ng = this.newproc(`main.${ins.fn.name}`, ins.fn, vals, ins.argSlots);
          this.event?.({ kind: 'go', g: ng.id, parent: g.id, fn: `main.${ins.fn.name}` });
          this.runqput(this.curP!, ng, true);
          this.wakep();
          break;
        }
        case 'print': {
          const parts = this.profile.runtimeCalls.println;
          const srcLine = fn.lines[pcs[top] - 1] ?? null;
          this.runtimeFrames(g, parts.prologue);
          for (const piece of ins.pieces) {
            if (piece.kind === 'text') {
              this.runtimeFrames(g, parts.parts[textPart(piece.text)]);
              this.writeText(g, piece.text, srcLine);
              continue;
            }
            const a = ins.args[piece.index];
            if (a.kind === 'int') {
              const v = a.value(vars, base);
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
          break;
        }
        case 'gc': {
          const rc = this.profile.runtimeCalls.gc;
          const split = workersStartedAt(rc.beforePark);
          gcCycle(this, g, this.callSiteUsed(g) - 8 + rc.parked, (part, first) => {
            const frames = part === 'before-workers' ? rc.beforePark.slice(0, split) : rc.beforePark.slice(split);
            this.runtimeFrames(g, frames, (f) => isFirstGCOnly(f) && !first);
          });
          // Mark termination wakes the waiters with injectglist: onto the global run queue, so
          // the goroutines already runnable on this P run before the caller resumes; it then
          // finishes runtime.GC (the spans it may sweep itself are left to bgsweep here).
          g.status = 'runnable';
          g.onResume = rc.afterResume;
          this.globrunq.push(g);
          return out('block');
        }
        case 'send':
        case 'recv': {
          const rc = this.profile.runtimeCalls;
          const c = this.chans.get(ins.chan)!;
          const peer = ins.op === 'send' ? c.recvq.shift() : c.sendq.shift();
          if (peer) {
            this.runtimeFrames(g, ins.op === 'send' ? rc.chanReady.send : rc.chanReady.recv);
            this.ready(peer);
          } else {
            // acquireSudog allocates a new sudog when more goroutines wait at once than ever before.
            const fresh = this.sudogsInUse >= this.sudogsMade;
            this.runtimeFrames(g, ins.op === 'send' ? rc.chanBlock.send : rc.chanBlock.recv, (f) => isNewSudog(f) && !fresh);
            if (fresh) this.sudogsMade++;
            this.sudogsInUse++;
            this.park(g, this.callSiteUsed(g) - 8 + rc.chanBlock.parked, ins.op === 'send' ? 'chan send' : 'chan receive');
            g.onResume = RELEASE_SUDOG;
            (ins.op === 'send' ? c.sendq : c.recvq).push(g);
            return out('block');
          }
          break;
        }
        case 'jump':
          pcs[top] = ins.target;
          break;
        case 'set':
          vars[base + ins.slot] = ins.value(vars, base);
          break;
      }
    }
  }

  /** Address of a local or parameter of frame i, wherever the stack is now. */
  private addrOf(g: G, i: number, name: string): number {
    const lay = g.frames.fn(i).layout;
    const entrySP = g.stack.hi - g.frames.used[i];
    const local = lay.localOffset.get(name);
    if (local !== undefined) return entrySP - lay.frame + local;
    return entrySP + 8 + (lay.paramOffset.get(name) ?? 0);
  }

  /** goexit0: the G is dead; its stack is kept or freed by gfput. */
  private goexit(g: G): void {
    g.status = 'dead';
    this.event?.({ kind: 'goexit', g: g.id });
    this.gfput(this.curP ?? this.ps[0], g);
  }
}
