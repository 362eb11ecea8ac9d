/**
 * The runtime's start-up as the reference traces show it (the first lines of every
 * reference/<program>/go1.NN.p1.log): m0's gsignal stack with no P, the main goroutine, sysmon's
 * M, the runtime goroutines of init and gcenable, and the M started when the main goroutine,
 * locked to m0 during init, parks in gcenable and hands its P off (proc.go main: lockOSThread;
 * gcenable: <-c; handoffp -> newm).
 * Heap page counts are the pages the traces leave between those stacks: the runtime's own heap
 * spans (schedinit's and init's mallocs), which this model does not break down further.
 */
import type { Procresize, StartupStep } from './profile.js';

export interface StartupHeap {
  beforeGsignal: number;
  /**
   * Of beforeGsignal's pages, the first ones whose one-page spans hold only schedinit objects
   * that are dead by the first GC cycle (see DEAD_AFTER_CHAN).
   */
  deadBeforeGsignal: number;
  /** 1.22+: a 16 KiB stack from the global pool during schedinit, after this many heap pages. */
  before16k: number | null;
  beforeMain: number;
  /**
   * Of the pages goenvs is among (before16k where there is one, else beforeMain), those the
   * reference traces' environment takes beyond a minimal one (null: unmeasured).
   */
  environ: number | null;
  beforeSysmon: number;
  /** Pages between sysmon's stacks and the hand-off M's, gcenable's channel first. */
  beforeHandoffM: number;
  /** Pages taken by runtime.main and package init after the hand-off M, before main.main. */
  beforeMainMain: number;
  /** procresize's allocations, the last of beforeMain's pages (null: not measured). */
  procresize: Procresize | null;
}

/**
 * Start-up spans whose objects are all dead when the first GC cycle marks: mark termination
 * sweeps the P's cached spans (mcache.prepareForSweep -> releaseAll) and frees the empty ones.
 * Runtimes printing their span frees (Go 1.19 and Debian's 1.21.13, 1.22.12, 1.23.5, 1.24.4,
 * generated/gen-17 and others, GOMAXPROCS alone) free the same four pages in the first cycle, three
 * in 1.24: the first pages of the start-up (schedinit's), gcenable's channel (its local `c`), and
 * the one-page span allocated next, and none of those size classes again.
 */
const DEAD_AFTER_CHAN = 1;

export function startupSteps(h: StartupHeap): StartupStep[] {
  const heap = (pages: number, why: string, environ: number | null = null, dead = 0, procresize: Procresize | null = null): StartupStep[] =>
    pages > 0 ? [{ kind: 'heap', pages, why, ...(environ ? { environ } : {}), ...(dead ? { dead } : {}), ...(procresize ? { procresize } : {}) }] : [];
  return [
    ...heap(h.beforeGsignal, 'schedinit mallocs before m0.gsignal', null, h.deadBeforeGsignal),
    { kind: 'noP', size: 32768, why: 'm0.gsignal (mcommoninit -> mpreinit -> malg(32 KiB))' },
    ...(h.before16k === null
      ? heap(h.beforeMain, 'schedinit mallocs before the main goroutine, goenvs among them', h.environ, 0, h.procresize)
      : [
          ...heap(h.before16k, 'schedinit mallocs, goenvs among them', h.environ),
          { kind: 'noP', size: 16384, why: '16 KiB stack from the global pool during schedinit' } as const,
          ...heap(h.beforeMain, 'schedinit mallocs before the main goroutine', null, 0, h.procresize),
        ]),
    { kind: 'mainG' },
    ...heap(h.beforeSysmon, 'runtime.main before newm(sysmon)'),
    { kind: 'newm', why: 'sysmon (runtime.main: newm(sysmon))' },
    { kind: 'go', fn: 'runtime.forcegchelper' },
    // The first of the pages before the hand-off M: 0xc00004e000, right after sysmon's stacks,
    // in stack-overflow/go1.19, go1.21 and go1.24.p1.log.
    { kind: 'gcenableChan' },
    { kind: 'go', fn: 'runtime.bgsweep' },
    { kind: 'go', fn: 'runtime.bgscavenge' },
    ...heap(h.beforeHandoffM - 1, 'runtime init before the hand-off M', null, DEAD_AFTER_CHAN),
    { kind: 'newm', why: 'main parks in gcenable while locked to m0: handoffp starts an M' },
    ...heap(h.beforeMainMain, 'runtime.main and package init before main.main'),
  ];
}
