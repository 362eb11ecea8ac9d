/**
 * How releases after Go 1.19 call differently under println, runtime.GC, channel operations and
 * go statements than runtime-calls-1.19.json's tree, each read from that release's source (the
 * function and file named) and checked on generated programs recorded with it.
 */
import type { Call, TreeChange } from '../runtime/rtcalls-release.js';
import { REFILL, REFILL_FULL, REFILL_NEW } from '../runtime/slow-path.js';

const FIRST_GC_CHAN = 'first runtime.GC of the process: starts the mark worker (go gcBgMarkWorker(ready), then waits in <-ready)';
/** Both conditions: <-ready's acquireSudog (proc.go) allocating, as a blocking channel operation's may. */
const FIRST_GC_NEW_SUDOG = `${FIRST_GC_CHAN}, and acquireSudog finds no cached sudog (more goroutines blocked at once than ever before)`;

/** malloc.go mallocgc (1.24) allocates in a function per kind. */
const CLOSURE_ALLOC: TreeChange = {
  change: 'add', parent: 'runtime.mallocgc', calls: [{ fn: 'runtime.mallocgcSmallScanNoHeader' }], since: 24, notUnder: 'runtime.makechan',
  why: "malloc.go mallocgc (1.24): a go statement's closure with pointers (up to 512 bytes) in mallocgcSmallScanNoHeader",
};

/**
 * malloc.go nextFree -> mcache.refill -> mcentral.cacheSpan (mcache.go, mcentral.go, the same
 * calls in Go 1.19 and 1.21 to 1.24): the first object of a span class after a GC cycle, or
 * after its span filled, takes these frames on the allocating goroutine's stack
 * (recorded/go-big-arrays-gc: main grows in cacheSpan's prologue, or deductSweepCredit's, on
 * every release, allocating a go statement's heap copy after runtime.GC). A new span's heap
 * bits are set up after mheap.alloc: heapBits.initSpan in 1.19 (recorded/go-mixed-captures-gc
 * grows in its forwardOrBoundary), mspan.initHeapBits from 1.21 (mbitmap.go).
 */
const allocSlowPath = (initHeapBits: Call): Call[] => [{
  // nextFree asks the span's nextFreeIndex first, which finds it full, then refills and asks the
  // new span (arith/arith-25 recorded with go1.22.12 grows in the first nextFreeIndex).
  fn: 'runtime.(*mcache).nextFree', when: REFILL, calls: [{ fn: 'runtime.(*mspan).nextFreeIndex' }, {
    fn: 'runtime.(*mcache).refill', calls: [
      { fn: 'runtime.(*mcentral).uncacheSpan', when: REFILL_FULL },
      {
        fn: 'runtime.(*mcentral).cacheSpan', calls: [
          { fn: 'runtime.deductSweepCredit' },
          { fn: 'runtime.(*spanSet).pop' },
          { fn: 'runtime.(*mcentral).grow', when: REFILL_NEW, calls: [{ fn: 'runtime.(*mheap).alloc' }, initHeapBits] },
          { fn: 'runtime.(*mspan).refillAllocCache' },
        ],
      },
    ],
  }, { fn: 'runtime.(*mspan).nextFreeIndex' }],
}];
const SLOW_PATH_WHY = 'malloc.go: v := nextFreeFast(span); if v == 0 { v, span, checkGCTrigger = c.nextFree(spc) }';
const ALLOC_SLOW_PATH_119 = allocSlowPath({ fn: 'runtime.heapBits.initSpan', calls: [{ fn: 'runtime.heapBits.forwardOrBoundary' }] });
// 1.21's initHeapBits writes the bits through writeHeapBits.flush; from 1.22 it clears them itself.
const ALLOC_SLOW_PATH_121 = allocSlowPath({ fn: 'runtime.(*mspan).initHeapBits', calls: [{ fn: 'runtime.writeHeapBits.flush' }] });
const ALLOC_SLOW_PATH = allocSlowPath({ fn: 'runtime.(*mspan).initHeapBits' });

/**
 * Go 1.15's runtime.GC path, from go1.15.15's source (mgc.go, mgcsweep.go, mprof.go) and the
 * calls its objdump shows: no CPU limiter, a simpler pacer, and sweepone sweeping through
 * mspan.sweep without the sweepLocker. Calls of NOSPLIT functions (write barriers, sysAlloc's)
 * are left as they are: they check no stack. generated/gen-29 and gen-47 and
 * recorded/gc-exact-chain recorded with go1.15.15 grow in spanSet.push's incTail 16 bytes deeper
 * than under 1.19's sweep frame (mspan.sweep: SUBQ $0xe0).
 */
const only115 = { since: 15, until: 15 } as const;
/**
 * Go 1.15's first cycle finds a tiny block in the P's mcache, which the runtime's start-up
 * allocations left (mcache.go releaseAll clears it at each cycle's end): programs calling
 * runtime.GC() first from a frame of 656 to 688 bytes, recorded with go1.15.15, grow in
 * greyobject under gcMarkTinyAllocs (arith/arith-27 too); with go1.19.8 none of 560 to 800 does.
 */
const TINY_BLOCK = "gcMarkTinyAllocs finds a tiny block in the P's mcache: the process's first cycle";
const GO115_CHANGES: TreeChange[] = [
  { change: 'remove', parent: 'runtime.gcStart', fn: 'runtime.gcTrigger.test', ...only115, why: 'mgc.go gcStart (1.15): trigger.test() is inlined, no call in the objdump' },
  { change: 'remove', parent: 'runtime.gcStart', fn: 'runtime.(*gcCPULimiterState).startGCTransition', ...only115, why: 'mgc.go gcStart (1.15): no gcCPULimiter (added in 1.19)' },
  { change: 'remove', parent: 'runtime.(*gcControllerState).startCycle', fn: 'runtime.(*gcControllerState).trigger', ...only115, why: 'mgc.go startCycle (1.15) computes no trigger' },
  { change: 'remove', parent: 'runtime.(*gcControllerState).startCycle', fn: 'runtime.(*gcControllerState).setMaxIdleMarkWorkers', ...only115, why: 'mgc.go startCycle (1.15) sets the idle workers itself' },
  { change: 'remove', parent: 'runtime.(*gcControllerState).revise', fn: 'runtime.(*gcControllerState).heapGoalInternal', ...only115, why: 'mgc.go revise (1.15) reads memstats.next_gc and calls nothing' },
  { change: 'remove', parent: 'runtime.sweepone', fn: 'runtime.(*sweepLocker).tryAcquire', ...only115, why: 'mgcsweep.go sweepone (1.15) takes the span with a CAS on its sweepgen' },
  { change: 'rename', parent: 'runtime.sweepone', fn: 'runtime.(*sweepLocked).sweep', to: 'runtime.(*mspan).sweep', ...only115, why: 'mgcsweep.go sweepone (1.15): s.sweep(false)' },
  { change: 'remove', parent: 'runtime.sweepone', fn: 'runtime.(*activeSweep).end', ...only115, why: 'mgcsweep.go sweepone (1.15) counts mheap_.sweepers with atomics' },
  {
    change: 'add', parent: 'runtime.gcMarkTinyAllocs', when: TINY_BLOCK, ...only115,
    calls: [{ fn: 'runtime.findObject' }, { fn: 'runtime.greyobject' }],
    why: 'mgcmark.go gcMarkTinyAllocs (1.15): findObject(c.tiny, 0, 0); greyobject(c.tiny, ...) for a P whose mcache has a tiny block',
  },
  // mprof.go mProf_PostSweep (1.15): lock(&proflock), the buckets' cycles, unlock(&proflock).
  { change: 'remove', parent: 'runtime.mProf_PostSweep', fn: 'runtime.lock2', ...only115, why: 'mprof.go mProf_PostSweep (1.15) locks proflock once' },
  { change: 'remove', parent: 'runtime.mProf_PostSweep', fn: 'runtime.unlock2', ...only115, why: 'mprof.go mProf_PostSweep (1.15) unlocks proflock once' },
  { change: 'remove', parent: 'runtime.mProf_PostSweep', fn: 'runtime.mProf_FlushLocked', ...only115, why: 'mprof.go mProf_PostSweep (1.15) flushes in its own loop' },
  { change: 'add', parent: 'runtime.mProf_PostSweep', calls: [{ fn: 'runtime.lock2' }, { fn: 'runtime.unlock2' }], ...only115, why: 'mprof.go mProf_PostSweep (1.15): lock(&proflock) ... unlock(&proflock)' },
];

export const TREE_CHANGES: TreeChange[] = [
  {
    change: 'add', parent: 'runtime.unlock2', calls: [{ fn: 'runtime.(*mLockProfile).recordUnlock' }], since: 22,
    why: 'lock_futex.go (1.22, 1.23) and lock_spinbit.go (1.24) unlock2: gp.m.mLockProfile.recordUnlock(l)',
  },
  {
    change: 'remove', parent: 'runtime.(*gcControllerState).startCycle', fn: 'runtime.(*gcControllerState).trigger', since: 20,
    why: "mgcpacer.go startCycle calls c.trigger() in 1.19 only (generated/gen-30 recorded with go1.21.13 grows in revise's heapGoalInternal)",
  },
  {
    change: 'rename', parent: 'runtime.(*spanSet).push', fn: 'runtime.(*headTailIndex).incTail', to: 'runtime.(*atomicHeadTailIndex).incTail', since: 21,
    why: 'mspanset.go (1.21+): spanSet.index is an atomicHeadTailIndex',
  },
  {
    change: 'add', parent: 'runtime.mallocgc', calls: [{ fn: 'runtime.deductAssistCredit' }], since: 21, until: 23,
    why: 'malloc.go mallocgc (1.21-1.23): assistG := deductAssistCredit(size), first and whether or not GC runs',
  },
  CLOSURE_ALLOC,
  // After deductAssistCredit (1.21 to 1.23); 1.24 allocates small objects in a function per kind.
  // go1.15.15's mallocgc, nextFree, refill, cacheSpan and grow make the same calls as 1.19's (objdump).
  { change: 'add', parent: 'runtime.mallocgc', calls: ALLOC_SLOW_PATH_119, since: 15, until: 20, why: SLOW_PATH_WHY },
  { change: 'add', parent: 'runtime.mallocgc', calls: ALLOC_SLOW_PATH_121, since: 21, until: 21, why: SLOW_PATH_WHY },
  { change: 'add', parent: 'runtime.mallocgc', calls: ALLOC_SLOW_PATH, since: 22, until: 23, why: SLOW_PATH_WHY },
  { change: 'add', parent: 'runtime.mallocgcSmallScanNoHeader', calls: ALLOC_SLOW_PATH, since: 24, why: SLOW_PATH_WHY },
  { change: 'add', parent: 'runtime.mallocgcSmallNoscan', calls: ALLOC_SLOW_PATH, since: 24, why: SLOW_PATH_WHY },
  {
    change: 'add', parent: 'runtime.mallocgc', calls: [{ fn: 'runtime.mallocgcSmallNoscan' }], since: 24, under: 'runtime.makechan',
    why: 'chan.go makechan (1.24): mallocgc(hchanSize, nil, true) has no type, so mallocgcSmallNoscan (generated/gen-97 recorded with go1.24.4 grows there)',
  },
  ...GO115_CHANGES,
  // gcBgMarkStartWorkers (mgc.go, 1.23+): ready := make(chan struct{}, 1); go gcBgMarkWorker(ready); <-ready.
  {
    change: 'remove', parent: 'runtime.gcBgMarkStartWorkers', fn: 'runtime.notetsleepg', since: 23,
    why: 'mgc.go gcBgMarkStartWorkers (1.23+) waits for the worker in <-ready, not in notetsleepg',
  },
  {
    change: 'add', parent: 'runtime.gcBgMarkStartWorkers', when: FIRST_GC_CHAN, since: 23,
    calls: [
      // make(chan struct{}, 1) has no buffer: makechan's first mallocgc (chan.go:97 in 1.23;
      // generated/gen-30 and gen-43 recorded with go1.23.5 grow under it).
      { fn: 'runtime.makechan', calls: [{ fn: 'runtime.mallocgc', ret: { 23: 'chan.go:99' } }] },
      { fn: 'runtime.newobject', calls: [{ fn: 'runtime.mallocgc' }] },
    ],
    why: 'mgc.go gcBgMarkStartWorkers (1.23+): make(chan struct{}, 1), then the closure of go gcBgMarkWorker(ready)',
  },
  {
    change: 'add', parent: 'runtime.gcBgMarkStartWorkers', after: 'runtime.newproc', when: FIRST_GC_CHAN, since: 23,
    calls: [{
      fn: 'runtime.chanrecv1', calls: [{
        fn: 'runtime.chanrecv', calls: [
          { fn: 'runtime.lock2' },
          {
            fn: 'runtime.acquireSudog', calls: [
              { fn: 'runtime.lock2', when: FIRST_GC_NEW_SUDOG },
              { fn: 'runtime.unlock2', when: FIRST_GC_NEW_SUDOG },
              { fn: 'runtime.newobject', when: FIRST_GC_NEW_SUDOG, calls: [{ fn: 'runtime.mallocgc' }] },
            ],
          },
          { fn: 'runtime.gopark', calls: [{ fn: 'runtime.mcall' }] },
        ],
      }],
    }],
    // generated/gen-48 recorded with go1.23.5: the caller grows in deductAssistCredit under the
    // new sudog's mallocgc (main is blocked on a channel, so <-ready needs a second sudog).
    why: 'mgc.go gcBgMarkStartWorkers (1.23+): <-ready parks until the new worker has started',
  },
];


/**
 * The changes for a go statement whose closure holds no pointers (ints, arrays of them): 1.24's
 * mallocgc takes it in mallocgcSmallNoscan (recorded/chain-wait recorded with go1.24.4 grows
 * there, go link(n - 1)).
 */
export const NOSCAN_CLOSURE_CHANGES: TreeChange[] = TREE_CHANGES.map((c) => (c === CLOSURE_ALLOC
  ? { ...c, calls: [{ fn: 'runtime.mallocgcSmallNoscan' }], why: 'malloc.go mallocgc (1.24): an object without pointers in mallocgcSmallNoscan' }
  : c));
