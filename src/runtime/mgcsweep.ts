/**
 * Sweeping after a GC cycle, as far as it decides where a cycle's work buffers go
 * (runtime/mgcsweep.go and mgcwork.go, Go 1.19, one P).
 *
 * Mark termination readies bgsweep, which runs first, and wakes runtime.GC's caller; the two then
 * take turns sweeping one span each (sweepone, then Gosched), and the one that finds nothing left
 * first decides: bgsweep frees the cycle's work buffers at once (freeSomeWbufs) and parks; the
 * caller returns to the program instead, and bgsweep, queued behind it, frees them when it next
 * runs, unless a new cycle has started by then and taken them again (getempty reuses them).
 *
 * The spans to sweep are the runtime's small-object spans that no P's mcache holds when marking
 * ends: each size class allocated from since the previous mark termination (or since start-up)
 * has its span in the mcache, which mark termination sweeps itself (mcache.prepareForSweep).
 * A Go 1.19 runtime printing the spans sweepone takes shows the start-up's spans, one per size
 * class (Profile.sweepSpans), less those of the classes the program's runtime calls allocated
 * from since the last cycle: g structs (a goroutine or M without a free G), m structs (an M), and
 * the P's timer slice the scavenger's first sleep allocates. That happens in the process's third
 * cycle: gcPaceScavenger gives the scavenger its first goal at the end of the second (it needs
 * the previous cycle's heap goal), and the third cycle's gcStart wakes it (finishsweep_m), so it
 * runs while that cycle marks; in 8 of 46 programs it found no work then (the heap it keeps is
 * not modelled).
 */
import type { G, Runtime } from './proc.js';

/** What a program's runtime calls allocate between cycles, by the size class it takes. */
export type SweepClass = 'g' | 'm' | 'timers';

/**
 * The size classes a P's mcache holds; all of the start-up's until the first mark termination,
 * which is why the process's first cycle leaves nothing to sweep.
 */
export class MCacheClasses {
  private startup = true;
  private readonly used = new Set<SweepClass>();

  allocated(c: SweepClass): void {
    this.used.add(c);
  }

  /** The spans sweepone finds when marking ends now, of the start-up's `spans`; the mcache is then empty. */
  flush(spans: number): number {
    const left = this.startup ? 0 : spans - this.used.size;
    this.startup = false;
    this.used.clear();
    return left;
  }
}

/**
 * After mark termination: whether runtime.GC's caller, rather than bgsweep, finds nothing left
 * to sweep first. bgsweep sweeps first if it had parked (mark termination readies it), otherwise
 * the caller does; they alternate over `spans` spans.
 */
export function callerFindsSweepDone(spans: number, bgsweepFirst: boolean): boolean {
  return (spans % 2 === 0) !== bgsweepFirst;
}

/** The runtime's bgsweep goroutine. */
export function bgsweepG(rt: Runtime): G | undefined {
  return rt.allgs.find((g) => g.startFn === 'runtime.bgsweep');
}

/**
 * bgsweep when it runs again after the caller returned first: nothing left to sweep, so it frees
 * the work buffers the cycle left (when no new cycle is marking: one that has started took them
 * again) and parks.
 */
export function bgsweepRuns(rt: Runtime, g: G): void {
  if (rt.gcphase === 'off' && rt.idleWbuf) {
    rt.heap.freePages(rt.idleWbuf, rt.profile.gcWorkbufPages);
    rt.idleWbuf = 0;
  }
  g.status = 'waiting';
}
