/**
 * runtime.GC() as the stacks see it (runtime/mgc.go, mgcmark.go): the background mark workers
 * (one goroutine per P, started on the first cycle), the stack scan that shrinks stacks, and mark
 * termination, which frees the stack spans and clears every P's stack cache.
 */
import { FIXED_STACK, MAX_STACK_SIZE, shrinkstack } from './stack.js';
import { RUNTIME_TEXT_PC } from './interp.js';
import { MODEL_MORESTACK_RETURN } from './code.js';
import type { G, Runtime } from './proc.js';

/** A cycle between gcStart and mark completion. */
export interface GCCycle {
  /**
   * work.sweepWaiters: goroutines parked in gcWaitOnMark, in the order they parked: the callers
   * waiting for this cycle, and those that called runtime.GC while it ran, which then start their
   * own (their call is re-run).
   */
  sleepers: G[];
  /** The model's clock at gcStart. */
  startClock: number;
  /**
   * What markroot found, once the worker has started on the roots and stacks (gcMarkRoots): the
   * stack jobs run in allgs order, and `next` is the first not run yet where the worker yielded.
   */
  scan: { wbuf: number; stackBytes: number; stacks: number; next: number; done: boolean } | null;
  /** With one P: the fractional worker's time in this cycle when it yielded after its scan. */
  workerTime: number;
}

/** work.startSema while a goroutine holds it inside gcStart: the goroutines queued on it. */
export interface StartSema {
  waiters: G[];
}

/** Whether the process has started its mark workers (the first runtime.GC does). */
export const workersStarted = (rt: Runtime): boolean => rt.allgs.some((g) => g.isMarkWorker);

/**
 * gcBgMarkStartWorkers: `go gcBgMarkWorker()` for every P that has none yet; each runs first and
 * parks at once. Its newproc puts it in runnext, which sends a goroutine waiting there to the tail
 * of the run queue (runqput): goroutines started just before the first runtime.GC() then run in
 * the order they were started (recorded/conc-gc-parked, on every release recorded).
 */
export function gcBgMarkStartWorkers(rt: Runtime): void {
  const workers = rt.allgs.filter((g) => g.isMarkWorker).length;
  for (let i = workers; i < rt.ps.length; i++) {
    const p = rt.curP ?? rt.ps[0]!;
    const w = rt.newproc('runtime.gcBgMarkWorker', null);
    w.isMarkWorker = true;
    w.system = true;
    rt.runqput(p, w, true);
    p.runnext = null; // it runs at once, and parks
    rt.park(w, rt.profile.markWorkerParkUsed, 'GC worker (idle)');
  }
}

/**
 * The first worker's first steps: node := new(gcBgMarkWorkerNode), 32 bytes without pointers. In
 * a minimal environment it starts a span of that size class, which in the reference traces'
 * environment the runtime already has (Go 1.19 printing its allocSpan calls: generated/gen-2,
 * gen-6 and gen-12, recorded with GOMAXPROCS alone). Up to 1.22 the worker runs while its
 * creator sleeps in notetsleepg; from 1.23 once its creator has parked in <-ready (Go 1.23
 * printing the same: generated/gen-48, where the creator grows before the span is taken).
 * Go 1.15's worker allocates a 16-byte parkInfo instead, which takes no new span.
 */
export function gcBgMarkWorkerStarts(rt: Runtime): void {
  if (rt.opts.environ === 'minimal' && rt.profile.markWorkerNodeSpan) rt.heap.allocPages(1, rt.curP?.pcache);
}

/**
 * semrelease(&work.startSema) at the end of gcStart (or by a waiter that found the cycle
 * started): the first goroutine queued on it runs next and holds it in turn.
 */
export function releaseStartSema(rt: Runtime): void {
  const next = rt.startSema!.waiters.shift();
  if (next) rt.ready(next);
  else rt.startSema = null;
}

/**
 * The end of runtime.GC -> gcStart, after the caller's own stack checks: the mark phase begins,
 * and the caller parks in gcWaitOnMark. Marking finishes when the Ps run out of other work
 * (gcMarkDone below): with goroutines runnable, they run first, until with one P the fractional
 * worker's share of the time is due (proc.ts FRACTIONAL_RESUME_NS).
 */
export function gcBeginMark(rt: Runtime, gp: G, parkedUsed: number): void {
  rt.event?.({ kind: 'gc', phase: 'start', cycle: rt.gcCycles + 1 });
  rt.gcphase = 'mark';
  // Marking takes work buffers (getempty) at its first grey object, when a worker first drains
  // (gcMarkDone below), not here: runtimes printing their work-buffer spans (1.19, 1.21-1.24)
  // allocate them after the goroutines that run while the cycle marks, in the first cycle too.
  rt.gc = { sleepers: [gp], startClock: rt.clock, scan: null, workerTime: 0 };
  // The process's third cycle wakes the scavenger, which has its first goal now; its first sleep
  // allocates the P's timer slice while the cycle marks (mgcsweep.ts).
  if (rt.gcCycles === 2) rt.mcacheClasses.allocated('timers');
  rt.park(gp, parkedUsed, 'GC');
}

/**
 * getempty's first call in a cycle: work buffers 32 KiB at a time from the heap (mgcwork.go:
 * workbufAlloc = 32 << 10, mheap_.allocManual), or a previous cycle's that bgsweep has not
 * freed yet.
 */
function takeWorkbufs(rt: Runtime): number {
  const pages = rt.profile.gcWorkbufPages;
  const wbuf = rt.idleWbuf || (pages > 0 ? rt.heap.allocPages(pages, rt.curP?.pcache) : 0);
  rt.idleWbuf = 0;
  return wbuf;
}

/** gcWaitOnMark for the running cycle: park until its mark termination. */
export function gcWaitOnMark(rt: Runtime, gp: G, parkedUsed: number): void {
  rt.park(gp, parkedUsed, 'GC');
  rt.gc!.sleepers.push(gp);
}

/**
 * The workers' markroot jobs, when no goroutine is left to run or the fractional worker's turn
 * has come: first the stacks of dead Gs on the global free list (markrootFreeGStacks), then the
 * data and BSS roots, whose first grey object takes the work buffers, then every goroutine's
 * stack, in allgs order (markrootStack -> scanstack -> shrinkstack), adding up the bytes in use
 * for the adaptive starting stack size.
 */
export function gcMarkRoots(rt: Runtime, yieldNow: () => boolean = () => false): boolean {
  const cycle = rt.gc!;
  if (!cycle.scan) {
    while (rt.gFreeStack.length > 0) {
      const g = rt.gFreeStack.shift()!;
      rt.dropStack(g);
      rt.gFreeNoStack.push(g);
    }
    cycle.scan = { wbuf: takeWorkbufs(rt), stackBytes: 0, stacks: 0, next: 0, done: false };
  }
  const scan = cycle.scan;
  // gcDrain polls pollFractionalWorkerExit after every root job: a goroutine that runs in
  // between and exits is dead when its own job comes (recorded/gc-loop-growers: the last
  // grower's stack is shrunk, then the one before it exits and frees its stack).
  while (scan.next < rt.allgs.length) {
    const g = rt.allgs[scan.next++]!;
    if (g.status === 'dead' || !g.hasStack) continue;
    scan.stackBytes += g.schedUsed;
    scan.stacks++;
    shrinkstack(rt.stacks, rt, g, rt.profile);
    if (scan.next < rt.allgs.length && yieldNow()) return false;
  }
  scan.done = true;
  return true;
}

/**
 * Mark completion, after the roots (gcMarkRoots, here if not done yet): mark termination, which
 * frees the stack spans and clears every P's stack cache, and wakes the sleepers. Returns the
 * goroutines to make runnable, in the order injectglist queues them: the list is a stack
 * (gList.push), so the last to park runs first.
 */
export function gcMarkDone(rt: Runtime): G[] {
  const cycle = rt.gc!;
  if (!cycle.scan?.done) gcMarkRoots(rt);
  const { wbuf, stackBytes: scannedStackSize, stacks: scannedStacks } = cycle.scan!;
  // gcMarkDone: a worker (1.23+) calls deep enough into the runtime to grow its stack.
  const growth = rt.profile.markWorkerGrowth;
  const worker = rt.allgs.find((g) => g.isMarkWorker);
  if (growth && worker) {
    // The real binary's addresses, or the profile's runtime text.
    const text = rt.opts.codeAddresses ?? rt.runtimeText;
    rt.interp.prologue(worker, {
      fnName: growth.fn, entryUsed: growth.entryUsed, frame: growth.frame,
      schedPC: text?.morestackReturn(growth.fn) ?? RUNTIME_TEXT_PC + MODEL_MORESTACK_RETURN,
      retPC: text?.callReturn(growth.fn, { caller: growth.caller }) ?? RUNTIME_TEXT_PC + 0x93, line: null,
    });
    worker.schedUsed = rt.profile.markWorkerParkUsed;
  }
  // gcMarkDone -> gcComputeStartingStackSize (1.19+, debug.adaptivestackstart = 1 by default):
  // the average use plus the guard, rounded up to a power of two.
  if (rt.profile.adaptiveStackStart && scannedStacks > 0) {
    const avg = Math.min(Math.floor(scannedStackSize / scannedStacks) + rt.profile.stackGuard, MAX_STACK_SIZE);
    rt.startingStackSize = Math.max(FIXED_STACK, 2 ** Math.ceil(Math.log2(avg)));
  }
  // gcMarkTermination: freeStackSpans, then each P's mcache.prepareForSweep -> stackcache_clear.
  rt.gcphase = 'off';
  rt.stacks.freeStackSpans();
  // releaseAll sweeps the cached spans: the start-up's empty ones are freed in the first cycle.
  for (const base of rt.deadAtFirstGC.splice(0)) rt.heap.freePages(base, 1);
  rt.smallObjects.freeGarbageSpans(rt);
  for (const a of rt.allgsArrays) if (a.garbage) rt.heap.freePages(a.base, a.pages);
  rt.allgsArrays = rt.allgsArrays.filter((a) => !a.garbage);
  for (const p of rt.ps) rt.stacks.stackcacheClear(p.stackcache, p.id);
  rt.smallObjects.flush(); // and the spans of small objects (releaseAll)
  // Sweeping frees the spans of large objects no frame holds any more (a Go 1.24 runtime
  // printing its span frees: reference big-frame); the model frees them as marking ends.
  rt.heapObjects = rt.heapObjects.filter((o) => {
    const live = o.g.status !== 'dead' && o.g.frames.depth > o.depth && o.g.frames.fn(o.depth) === o.fn;
    if (!live) rt.heap.freePages(o.base, o.pages);
    return live;
  });
  rt.event?.({ kind: 'gc', phase: 'end', cycle: rt.gcCycles + 1 });
  // Sweeping gives the emptied work buffers back (freeSomeWbufs): bgsweep does, when it finds
  // nothing left to sweep (mgcsweep.ts; measured with one P); otherwise they go back now.
  rt.sweepLeft = rt.mcacheClasses.flush(rt.profile.sweepSpans ?? 0);
  if (rt.sweepTurns) rt.idleWbuf = wbuf;
  else if (wbuf) rt.heap.freePages(wbuf, rt.profile.gcWorkbufPages);
  rt.gcCycles++;
  rt.gc = null;
  return [...cycle.sleepers].reverse();
}
