/**
 * The runtime's own frames on a goroutine's stack. println, runtime.GC(), channel operations and
 * go statements call into the runtime on the calling goroutine's stack, and each of those
 * functions has its prologue stack check: a goroutine whose stack is nearly full grows inside
 * printlock, gcStart or chansend, not in the program's next function. The frames, in execution
 * order, are measured data (src/profiles/runtime-calls-1.19.json, test/fixtures/go119-runtime-calls.md).
 */
import data from '../profiles/runtime-calls-1.19.json' with { type: 'json' };

/** One runtime frame entered on the goroutine's stack. */
export interface RtFrame {
  fn: string;
  frame: number;
  /** Bytes in use at its entry SP minus the bytes in use at the user function's SP. */
  entry: number;
  nosplit: boolean;
  /** Set on frames that are entered only under a condition (see the data file). */
  when?: string;
  /** A closure's context (sched.ctxt at its morestack): bytes in use at it, from the call site. */
  ctxt?: number;
  /** A stable stand-in for its code address (morebuf/sched pcs, when the real ones are not known). */
  pc: number;
  /** 1: called by the program's function; d + 1: by the nearest preceding frame of depth d (0: not known). */
  depth: number;
  /** file:line of the return address into its caller (morebuf.pc), when measured. */
  ret: string | null;
}

function runtimePC(fn: string): number {
  let h = 0;
  for (let i = 0; i < fn.length; i++) h = (h * 31 + fn.charCodeAt(i)) >>> 0;
  return 0x403000 + (h % 0x50000);
}

/**
 * Closures the runtime calls on the goroutine's stack keep their context in their creator's
 * frame; morestack saves it as sched.ctxt (recorded/rt-chan-send-ready and rt-chan-recv-ready
 * .go1.19.p1.log: ctxt - sched.sp = 0xa0 and 0xb0 at entries 240 and 248).
 */
const CLOSURE_CONTEXT: Record<string, number> = {
  'runtime.chansend.func1': 240 - 0xa0,
  'runtime.chanrecv.func1': 248 - 0xb0,
};

type Raw = { fn: string; frame: number; entry: number; nosplit: boolean; when?: string; depth: number; ret: string | null };
const checks = (list: Raw[]): RtFrame[] =>
  list.map(({ fn, frame, entry, nosplit, when, depth, ret }) => ({
    fn, frame, entry, nosplit, pc: runtimePC(fn), depth, ret,
    ...(when ? { when } : {}), ...(fn in CLOSURE_CONTEXT ? { ctxt: CLOSURE_CONTEXT[fn] } : {}),
  }));

export interface RuntimeCalls {
  println: {
    prologue: RtFrame[];
    epilogue: RtFrame[];
    parts: Record<'pointer' | 'int' | 'int_negative' | 'string' | 'space' | 'newline', RtFrame[]>;
  };
  gc: {
    /** Up to the park in gcWaitOnMark; the frames marked `first` run only in a process's first GC. */
    beforePark: RtFrame[];
    /** Bytes below the call site while parked (gcWaitOnMark -> gopark -> mcall). */
    parked: number;
    /** After the caller resumes: afterResume, one span it sweeps itself, sweepDone, tail. */
    afterResume: RtFrame[];
    /**
     * After the process's first cycle: nothing to sweep. bgsweep looks first and finds the
     * sweep done, so the caller's sweepone returns at once; then tail.
     */
    afterFirstCycle: RtFrame[];
    /**
     * runtime.GC while another goroutine is inside gcStart holding work.startSema: up to the
     * park in semacquire1, the bytes below the call site while parked there, and, once the
     * holder releases it, the way back (gcStart finds the cycle started) to the park in
     * gcWaitOnMark.
     */
    startSema: { block: RtFrame[]; parked: number; resume: RtFrame[] };
  };
  /**
   * A blocking channel operation: its frames up to the park, the bytes below the call site while
   * parked, and the runtime's frames then above the caller's (gopark, chanrecv, chanrecv1).
   */
  chanBlock: { send: RtFrame[]; recv: RtFrame[]; parked: { send: number; recv: number }; parkedFrames: number; newSudog: string };
  chanReady: { send: RtFrame[]; recv: RtFrame[] };
  newproc: RtFrame[];
  newprocClosure: RtFrame[];
}

const d = data as unknown as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const shifted = (frames: RtFrame[], by: number): RtFrame[] => frames.map((f) => ({ ...f, entry: f.entry + by }));

/**
 * The startSema path, put together from measured pieces: runtime.GC's frames down to gcStart's
 * semacquire1 (entry 200, frame 96), acquireSudog's subtree as measured under chansend (entry 192
 * there, 304 here), then semacquire1's own lock2, (*semaRoot).queue (frame 0x20: go tool
 * objdump of a Go 1.19 binary) and gopark -> mcall. Checked on generated/gen-12 and twelve
 * variants of it recorded with Go 1.19, whose frames put the first failing check at lock2 and at
 * mallocgc under acquireSudog (entries 416 and 456 from the call site's SP, as here); two are
 * kept as recorded/first-gc-startsema-*.
 */
function startSemaPath(gcFrames: RtFrame[], sendBlock: RtFrame[], sendResume: RtFrame[]): RuntimeCalls['gc']['startSema'] {
  const sema = gcFrames.findIndex((f) => f.fn === 'runtime.semacquire1');
  const semaEntry = gcFrames[sema].entry;
  const calleeEntry = semaEntry + gcFrames[sema].frame + 8;
  const acquire = sendBlock.findIndex((f) => f.fn === 'runtime.acquireSudog');
  const subtree = sendBlock.slice(acquire).filter((f, i) => i === 0 || f.when);
  const by = calleeEntry - sendBlock[acquire].entry;
  const gopark = gcFrames.find((f) => f.fn === 'runtime.gopark')!;
  const lock2 = gcFrames.find((f) => f.fn === 'runtime.lock2')!;
  const own = (fn: string, frame: number, nosplit = false, entry = calleeEntry): RtFrame =>
    ({ fn, frame, entry, nosplit, pc: runtimePC(fn), depth: 0, ret: null });
  const block = [
    ...gcFrames.slice(0, sema + 1),
    ...shifted(subtree, by),
    own('runtime.lock2', lock2.frame),
    own('runtime.(*semaRoot).queue', 0x20),
    own('runtime.gopark', gopark.frame),
    own('runtime.mcall', 0, true, calleeEntry + gopark.frame + 8),
  ];
  // Back in gcStart: the trigger test fails (the cycle has started), semrelease; then GC's
  // gcWaitOnMark for that cycle, to its park (the last gcWaitOnMark of runtime.GC's frames).
  const test = gcFrames.find((f) => f.fn === 'runtime.gcTrigger.test')!;
  const release = gcFrames.find((f) => f.fn === 'runtime.semrelease1')!;
  const wait = gcFrames.map((f) => f.fn).lastIndexOf('runtime.gcWaitOnMark');
  const resume = [...shifted(sendResume, by), test, release, ...gcFrames.slice(wait)];
  return { block, parked: calleeEntry + gopark.frame, resume };
}

/** A release's frames for runtime functions: scripts/runtime-frames.ts, runtime-frames-1.NN.json. */
export interface RuntimeFrames {
  /** 'go1.22.12 linux/amd64' */
  version: string;
  frames: Record<string, { frame: number; nosplit: boolean }>;
}

/** A call in a tree of calls: the function and, in order, what it calls. */
export interface Call { fn: string; calls?: Call[] }

/**
 * How later releases call differently from Go 1.19's tree, read from their source, for releases
 * 1.`since` to 1.`until`: 'add', calls every `parent` frame makes, before its other callees or
 * after the callee `after`, conditional as `when` says (else as the parent is); 'remove', a call
 * of `parent`'s no longer made, with everything under it; 'rename', a callee of `parent`'s now
 * named `to`.
 */
export type TreeChange = { parent: string; since: number; until?: number; why: string } & (
  | { change: 'add'; calls: Call[]; after?: string; when?: string }
  | { change: 'remove'; fn: string }
  | { change: 'rename'; fn: string; to: string }
);

const FIRST_GC_CHAN = 'first runtime.GC of the process: starts the mark worker (go gcBgMarkWorker(ready), then waits in <-ready)';

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
  {
    change: 'add', parent: 'runtime.mallocgc', calls: [{ fn: 'runtime.mallocgcSmallScanNoHeader' }], since: 24,
    why: "malloc.go mallocgc (1.24) allocates in a function per kind: a go statement's closure (pointers, up to 512 bytes) in mallocgcSmallScanNoHeader",
  },
  // gcBgMarkStartWorkers (mgc.go, 1.23+): ready := make(chan struct{}, 1); go gcBgMarkWorker(ready); <-ready.
  {
    change: 'remove', parent: 'runtime.gcBgMarkStartWorkers', fn: 'runtime.notetsleepg', since: 23,
    why: 'mgc.go gcBgMarkStartWorkers (1.23+) waits for the worker in <-ready, not in notetsleepg',
  },
  {
    change: 'add', parent: 'runtime.gcBgMarkStartWorkers', when: FIRST_GC_CHAN, since: 23,
    calls: [
      { fn: 'runtime.makechan', calls: [{ fn: 'runtime.mallocgc' }] },
      { fn: 'runtime.newobject', calls: [{ fn: 'runtime.mallocgc' }] },
    ],
    why: 'mgc.go gcBgMarkStartWorkers (1.23+): make(chan struct{}, 1), then the closure of go gcBgMarkWorker(ready)',
  },
  {
    change: 'add', parent: 'runtime.gcBgMarkStartWorkers', after: 'runtime.newproc', when: FIRST_GC_CHAN, since: 23,
    calls: [{
      fn: 'runtime.chanrecv1', calls: [{
        fn: 'runtime.chanrecv', calls: [{ fn: 'runtime.lock2' }, { fn: 'runtime.gopark', calls: [{ fn: 'runtime.mcall' }] }],
      }],
    }],
    why: 'mgc.go gcBgMarkStartWorkers (1.23+): <-ready parks until the new worker has started',
  },
];

/** The minor release of a 'go1.22.12 linux/amd64' version line. */
const minor = (version: string) => Number(/^go1\.(\d+)/.exec(version)![1]);

/**
 * Go 1.19's call tree with another release's frames: every frame and NOSPLIT taken from the
 * table (functions it lacks keep theirs), every entry recomputed down the tree (a child's entry
 * is its parent's entry + frame + 8), and the bytes in use while parked with them (gopark's
 * entry + frame). A list that does not start at depth 1 continues its object's beforePark.
 */
function reframed(table: RuntimeFrames): Record<string, any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const isFrames = (v: unknown): v is Raw[] => Array.isArray(v) && v.length > 0 && typeof v[0]?.depth === 'number';
  const restack = (list: Raw[], context: Raw[] | null) => {
    const byDepth: Raw[] = [];
    for (const f of context ?? []) byDepth[f.depth] = f;
    for (const f of list) {
      const t = table.frames[f.fn];
      if (t) { f.frame = t.frame; f.nosplit = t.nosplit; }
      const parent = byDepth[f.depth - 1];
      f.entry = f.depth === 1 ? 8 : parent ? parent.entry + parent.frame + 8 : f.entry;
      byDepth[f.depth] = f;
      byDepth.length = f.depth + 1;
    }
  };
  const release = minor(table.version);
  const changes = TREE_CHANGES.filter((c) => release >= c.since && release <= (c.until ?? Infinity));
  const adds = changes.filter((c) => c.change === 'add');
  const removed = (parent: string, fn: string) => changes.some((c) => c.change === 'remove' && c.parent === parent && c.fn === fn);
  // frame, nosplit and entry are set by restack below.
  const frames = (calls: Call[], depth: number, when: string | undefined): Raw[] => calls.flatMap((c) =>
    withAdds({ fn: c.fn, frame: 0, entry: 0, nosplit: false, depth, ret: null, ...(when ? { when } : {}) }, c.calls ?? []));
  // A frame with what it calls first: the added calls (and theirs), then `calls`.
  function withAdds(f: Raw, calls: Call[]): Raw[] {
    const first = adds.filter((c) => c.parent === f.fn && !c.after);
    return [f, ...first.flatMap((c) => frames(c.calls, f.depth + 1, c.when ?? f.when)), ...frames(calls, f.depth + 1, f.when)];
  }
  const changed = (list: Raw[]): Raw[] => {
    const out: Raw[] = [];
    const parents: Raw[] = [];
    // Calls to add once the subtree of the callee they follow has ended.
    let pending: { depth: number; frames: Raw[] } | null = null;
    let removedDepth = Infinity;
    for (const f of list) {
      if (pending && f.depth <= pending.depth) { out.push(...pending.frames); pending = null; }
      if (f.depth <= removedDepth) removedDepth = Infinity;
      else continue; // under a removed call
      const parent = parents[f.depth - 1];
      if (parent && removed(parent.fn, f.fn)) {
        removedDepth = f.depth;
        continue;
      }
      const rename = parent && changes.find((c) => c.change === 'rename' && c.parent === parent.fn && c.fn === f.fn);
      if (rename && rename.change === 'rename') f.fn = rename.to;
      parents[f.depth] = f;
      out.push(...withAdds(f, []));
      const later = parent ? adds.filter((c) => c.parent === parent.fn && c.after === f.fn) : [];
      if (later.length) pending = { depth: f.depth, frames: later.flatMap((c) => frames(c.calls, f.depth, c.when ?? parent!.when)) };
    }
    if (pending) out.push(...pending.frames);
    return out;
  };
  const copy = structuredClone(d);
  (function change(o: Record<string, unknown>) {
    for (const [k, v] of Object.entries(o)) {
      if (isFrames(v)) o[k] = changed(v);
      else if (v && typeof v === 'object' && !Array.isArray(v)) change(v as Record<string, unknown>);
    }
  })(copy);
  (function visit(o: Record<string, unknown>) {
    const before = isFrames(o.beforePark) ? o.beforePark : null;
    if (before) restack(before, null);
    for (const [k, v] of Object.entries(o)) {
      if (k === 'beforePark') continue;
      if (isFrames(v)) restack(v, v[0]!.depth === 1 ? null : before);
      else if (v && typeof v === 'object' && !Array.isArray(v)) visit(v as Record<string, unknown>);
    }
    const park = o.park as { fn: string; parkedUsed: number } | undefined;
    if (before && park) {
      const gopark = before.filter((f) => f.fn === park.fn).pop()!;
      park.parkedUsed = gopark.entry + gopark.frame;
    }
  })(copy);
  return copy;
}

/** The runtime's frames as RuntimeCalls, from runtime-calls-1.19.json's layout. */
function runtimeCalls(d: Record<string, any>): RuntimeCalls { // eslint-disable-line @typescript-eslint/no-explicit-any
  return {
    println: {
      prologue: checks(d.println.prologue),
      epilogue: checks(d.println.epilogue),
      parts: Object.fromEntries(Object.entries(d.println.parts).map(([k, v]) => [k, checks(v as Raw[])])) as RuntimeCalls['println']['parts'],
    },
    gc: {
      beforePark: checks(d.gc.beforePark),
      parked: d.gc.park.parkedUsed,
      // The caller sweeps one span (newMarkBits' slow paths, taken when it is the first to sweep in
      // the cycle or no gcBits arena is free, are left out: which goroutine sweeps first is timing).
      afterResume: [...checks(d.gc.afterResume), ...checks(d.gc.sweepSpan).filter((f) => !f.when || isNewSpanSetBlock(f)),
        ...checks(d.gc.sweepDone), ...checks(d.gc.tail)],
      // No span is left to sweep after a process's first cycle: its spans are still in the Ps'
      // mcaches, not in mcentral's sets. Seen with a Go 1.19 runtime printing sweepone's work on
      // every GC-calling program recorded here (55: reference, generated, recorded).
      afterFirstCycle: [...checks(d.gc.afterResume), ...checks(d.gc.sweepDone).slice(0, 1), ...checks(d.gc.tail)],
      startSema: startSemaPath(checks(d.gc.beforePark), checks(d.chansend_block.beforePark), checks(d.chansend_block.afterResume)),
    },
    chanBlock: {
      send: checks(d.chansend_block.beforePark),
      recv: checks(d.chanrecv_block.beforePark),
      parked: { send: d.chansend_block.park.parkedUsed, recv: d.chanrecv_block.park.parkedUsed },
      parkedFrames: d.chanrecv_block.park.depth,
      newSudog: 'acquireSudog finds no cached sudog',
    },
    chanReady: { send: checks(d.chansend_ready), recv: checks(d.chanrecv_ready) },
    newproc: checks(d.newproc),
    newprocClosure: checks(d.newproc_closure),
  };
}

/** Go 1.19's runtime frames: measured (runtime-calls-1.19.json). */
export const RUNTIME_CALLS_119: RuntimeCalls = runtimeCalls(d);

/** Go 1.19's call tree with a later release's frames, measured by its compiler (see reframed). */
export const runtimeCallsWith = (table: RuntimeFrames): RuntimeCalls => runtimeCalls(reframed(table));

/**
 * In runtime.GC()'s frames, the point where the first GC's caller is back from notetsleepg
 * (after exitsyscall's mcall): while it slept its P was handed off, and if another goroutine
 * was runnable the caller now waits on the global run queue.
 */
export function handedOffAt(frames: RtFrame[]): number {
  let last = -1;
  frames.forEach((f, i) => { if (isFirstGCOnly(f)) last = i; });
  return last + 1;
}

/** In runtime.GC()'s frames, the point where the first GC has started its mark workers (after newproc). */
export function workersStartedAt(frames: RtFrame[]): number {
  const i = frames.findIndex((f) => f.fn === 'runtime.newproc' && isFirstGCOnly(f));
  return i < 0 ? 0 : i + 1;
}

/** Whether a conditional frame of runtime.GC() belongs to the first GC of the process. */
export const isFirstGCOnly = (f: RtFrame) => !!f.when && f.when.startsWith('first runtime.GC of the process');

/**
 * Whether a frame of sweeping a span belongs to a swept-span set's new block: the sets alternate
 * between two per size class with the cycle's parity (mcentral.partialSwept), so a process's
 * first two cycles find them without blocks (recorded/rt-gc: the second cycle's caller grows in
 * persistentalloc under spanSetBlockAlloc.alloc, later ones in incTail).
 */
export function isNewSpanSetBlock(f: RtFrame): boolean {
  return !!f.when && f.when.startsWith("the span class's swept-span set has no free block");
}

/** Whether a frame of a blocking channel operation belongs to allocating a new sudog. */
export const isNewSudog = (f: RtFrame) => !!f.when && f.when.startsWith('acquireSudog finds no cached sudog');

/**
 * The parts println(args) is compiled to (cmd/compile walkPrint): the arguments with " " between
 * them and "\n" after the last, adjacent constant strings merged; a lone " " is printsp, a lone
 * "\n" printnl, any other string printstring.
 */
export type PrintPiece =
  | { kind: 'text'; text: string }
  | { kind: 'value'; index: number };

export function printPieces(args: readonly { kind: string; value?: unknown }[]): PrintPiece[] {
  const raw: PrintPiece[] = [];
  args.forEach((a, i) => {
    if (i > 0) raw.push({ kind: 'text', text: ' ' });
    raw.push(a.kind === 'string' ? { kind: 'text', text: String(a.value) } : { kind: 'value', index: i });
  });
  raw.push({ kind: 'text', text: '\n' });
  const out: PrintPiece[] = [];
  for (const p of raw) {
    const last = out[out.length - 1];
    if (p.kind === 'text' && last && last.kind === 'text') last.text += p.text;
    else out.push(p.kind === 'text' ? { ...p } : p);
  }
  return out.filter((p) => p.kind !== 'text' || p.text.length > 0);
}

export function textPart(text: string): 'space' | 'newline' | 'string' {
  return text === ' ' ? 'space' : text === '\n' ? 'newline' : 'string';
}
