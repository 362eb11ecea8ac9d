/**
 * Sweeping after a GC cycle, as far as it decides where a cycle's work buffers go
 * (runtime/mgcsweep.go and mgcwork.go, one P).
 *
 * Mark termination readies bgsweep (the P's next goroutine, if it had parked) and wakes
 * runtime.GC's caller; the caller sweeps a span and yields (sweepone, then Gosched), and bgsweep
 * does the same up to Go 1.19; from 1.20 it sweeps a batch of spans before it yields
 * (Profile.sweepBatch). With other runnable goroutines in between they take turns through the
 * scheduler. When bgsweep finds nothing left it frees the cycle's work buffers (freeSomeWbufs)
 * and parks; when the caller does, it returns to the program, and bgsweep, still queued, frees
 * them when it next runs, unless a new cycle has started by then and taken them again (getempty
 * reuses them). A goroutine that starts that cycle first sweeps whatever is left, in gcStart and
 * without yielding (interp.ts).
 *
 * The spans to sweep are the runtime's small-object spans that no P's mcache holds when marking
 * ends: each size class allocated from since the previous mark termination (or since start-up)
 * has its span in the mcache, which mark termination sweeps itself (mcache.prepareForSweep).
 * A Go 1.19 runtime printing the spans sweepone takes shows the start-up's spans, one per size
 * class (Profile.sweepSpans), less those of the classes the program's runtime calls allocated
 * from since the last cycle: g structs (a goroutine or M without a free G), m structs (an M),
 * sudogs (acquireSudog finding none cached), go statements' closures (recorded/dead-stacks-reuse:
 * the 16-byte class without pointers is not swept after a cycle its go statements ran in), and
 * the P's timer slice the scavenger's first sleep allocates. The last happens in the process's
 * third cycle: gcPaceScavenger gives the scavenger its first goal at the end of the second (it
 * needs the previous cycle's heap goal), and the third cycle's gcStart wakes it (finishsweep_m),
 * so it runs while that cycle marks; in 8 of 46 programs it found no work then (the heap it
 * keeps is not modelled).
 * Read on 74 generated programs (generated/); with it, every heap address agrees in all but 3 of
 * the 72 generated programs whose whole trace agrees otherwise. Go 1.21 to 1.24 printing the same
 * show the same spans and classes (the timer heap's entries, 16 bytes from 1.23, in a class of
 * their own as 1.19's slice of pointers is).
 */
import type { G, Runtime } from './proc.js';

/**
 * What a program's runtime calls allocate between cycles, by the size class it takes; a number
 * is a start-up span class a go statement's closure took an object from (malloc.ts), never the
 * g's, m's, sudogs' or timers' (closures are small: the function word and values of up to 128 bytes).
 */
export type SweepClass = 'g' | 'm' | 'sudog' | 'timers' | number;

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

  /** The mcache's start-up span of the class filled and was replaced: sweepone finds it after all. */
  replaced(c: SweepClass): void {
    this.used.delete(c);
  }

  /** The spans sweepone finds when marking ends now, of the start-up's `spans`; the mcache is then empty. */
  flush(spans: number): number {
    // Never below none: a profile whose start-up spans are fewer than the classes used.
    const left = this.startup ? 0 : Math.max(0, spans - this.used.size);
    this.startup = false;
    this.used.clear();
    return left;
  }
}

/**
 * bgsweep's turn: it sweeps spans until a batch is done (Profile.sweepBatch) and yields
 * (Gosched or goschedIfBusy: the global run queue's tail), or finds nothing left, frees the work
 * buffers a cycle left (freeSomeWbufs, only while no cycle marks: one that has started took them
 * again) and parks. Its count of spans swept starts again each time it is woken.
 */
export function bgsweepTurn(rt: Runtime, g: G): void {
  while (rt.sweepLeft > 0) {
    rt.sweepLeft--;
    if (++rt.bgsweepSwept % rt.profile.sweepBatch === 0) {
      g.status = 'runnable';
      rt.globrunq.push(g);
      return;
    }
  }
  if (rt.gcphase === 'off' && rt.idleWbuf) {
    rt.heap.freePages(rt.idleWbuf, rt.profile.gcWorkbufPages);
    rt.idleWbuf = 0;
  }
  rt.bgsweepSwept = 0;
  g.status = 'waiting';
}
