/**
 * runtime.GC() as the stacks see it (runtime/mgc.go, mgcmark.go): the background mark workers
 * (one goroutine per P, started on the first cycle), the stack scan that shrinks stacks, and mark
 * termination, which frees the stack spans and clears every P's stack cache.
 */
import { FIXED_STACK, MAX_STACK_SIZE, shrinkstack } from './stack.js';
import { RUNTIME_TEXT_PC } from './interp.js';
import type { G, Runtime } from './proc.js';

/** A cycle between gcStart and mark completion. */
export interface GCCycle {
  /** Goroutines waiting in runtime.GC for this cycle (gcWaitOnMark). */
  waiters: G[];
  /** Goroutines that called runtime.GC while this cycle ran: they wait, then start their own. */
  joiners: G[];
  /** The work-buffer span taken for this cycle. */
  wbuf: number;
  /** The model's clock at gcStart. */
  startClock: number;
}

/**
 * runtime.GC -> gcStart: the caller's own stack checks up to its park (gcBgMarkStartWorkers
 * starts the mark workers in the middle of them), the mark phase begins, and the caller parks in
 * gcWaitOnMark. Marking finishes when the Ps run out of other work (gcMarkDone below): with
 * goroutines runnable, they run first, as beside the real runtime's fractional worker.
 */
export function gcStart(
  rt: Runtime, gp: G, parkedUsed: number,
  callerFrames: (part: 'before-workers' | 'after-workers', firstGC: boolean) => void,
): void {
  const workers = rt.allgs.filter((g) => g.isMarkWorker);
  const first = workers.length === 0;
  callerFrames('before-workers', first);
  // gcBgMarkStartWorkers: `go gcBgMarkWorker()` for every P that has none yet.
  for (let i = workers.length; i < rt.ps.length; i++) {
    const w = rt.newproc('runtime.gcBgMarkWorker', null);
    w.isMarkWorker = true;
    w.system = true;
    rt.park(w, rt.profile.markWorkerParkUsed, 'GC worker (idle)');
  }
  callerFrames('after-workers', first);
  rt.event?.({ kind: 'gc', phase: 'start', cycle: rt.gcCycles + 1 });
  rt.gcphase = 'mark';
  // Marking takes work buffers: getempty allocates them 32 KiB at a time from the heap
  // (mgcwork.go: workbufAlloc = 32 << 10, mheap_.allocManual) before any stack is scanned.
  const pages = rt.profile.gcWorkbufPages;
  const wbuf = pages > 0 ? rt.heap.allocPages(pages, rt.curP?.pcache) : 0;
  rt.park(gp, parkedUsed, 'GC');
  rt.gc = { waiters: [gp], joiners: [], wbuf, startClock: rt.clock };
}

/** runtime.GC while a cycle runs: wait for it (gcWaitOnMark(n)), then start one's own. */
export function gcJoin(rt: Runtime, gp: G, parkedUsed: number): void {
  rt.park(gp, parkedUsed, 'GC');
  rt.gc!.joiners.push(gp);
}

/**
 * Mark completion, when no goroutine is left to run: the stack scan that shrinks stacks, then
 * mark termination, which frees the stack spans and clears every P's stack cache, and wakes the
 * waiters. Returns the goroutines to make runnable: the waiters finish runtime.GC, the joiners
 * call it again.
 */
export function gcMarkDone(rt: Runtime): { waiters: G[]; joiners: G[] } {
  const cycle = rt.gc!;
  // markroot: first the stacks of dead Gs on the global free list (markrootFreeGStacks) ...
  while (rt.gFreeStack.length > 0) {
    const g = rt.gFreeStack.shift()!;
    rt.dropStack(g);
    rt.gFreeNoStack.push(g);
  }
  // ... then every goroutine's stack, in allgs order (markrootStack -> scanstack -> shrinkstack),
  // adding up the bytes in use for the adaptive starting stack size.
  let scannedStackSize = 0;
  let scannedStacks = 0;
  for (const g of rt.allgs) {
    if (g.status === 'dead' || !g.hasStack) continue;
    scannedStackSize += g.schedUsed;
    scannedStacks++;
    shrinkstack(rt.stacks, rt, g, rt.profile);
  }
  // gcMarkDone: a worker (1.23+) calls deep enough into the runtime to grow its stack.
  const growth = rt.profile.markWorkerGrowth;
  const worker = rt.allgs.find((g) => g.isMarkWorker);
  if (growth && worker) {
    rt.interp.prologue(worker, {
      fnName: 'runtime.gcMarkDone', entryUsed: growth.entryUsed, frame: growth.frame,
      fnPC: RUNTIME_TEXT_PC, retPC: RUNTIME_TEXT_PC + 0x93,
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
  for (const p of rt.ps) rt.stacks.stackcacheClear(p.stackcache, p.id);
  rt.event?.({ kind: 'gc', phase: 'end', cycle: rt.gcCycles + 1 });
  // Sweeping gives the emptied work buffers back (freeSomeWbufs).
  if (cycle.wbuf) rt.heap.freePages(cycle.wbuf, rt.profile.gcWorkbufPages);
  rt.gcCycles++;
  rt.gc = null;
  return { waiters: cycle.waiters, joiners: cycle.joiners };
}
