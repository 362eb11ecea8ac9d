/**
 * The runtime's own frames on a goroutine's stack. println, runtime.GC(), channel operations and
 * go statements call into the runtime on the calling goroutine's stack, and each of those
 * functions has its prologue stack check: a goroutine whose stack is nearly full grows inside
 * printlock, gcStart or chansend, not in the program's next function. The frames, in execution
 * order, are measured data (src/profiles/runtime-calls-1.19.json, test/fixtures/go119-runtime-calls.md).
 */
import data from '../profiles/runtime-calls-1.19.json' with { type: 'json' };
import { reframed, releaseOf, type RuntimeFrames, type TreeChange } from './rtcalls-release.js';
import { REFILL, REFILL_FULL, REFILL_NEW } from './slow-path.js';

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
  /** A frame of mallocgc's slow path, and which part of it (see SlowPath). */
  slowPath?: 'refill' | 'full' | 'new';
}

const SLOW_PATH_PARTS: Record<string, RtFrame['slowPath']> = { [REFILL]: 'refill', [REFILL_FULL]: 'full', [REFILL_NEW]: 'new' };

function runtimePC(fn: string): number {
  let h = 0;
  for (let i = 0; i < fn.length; i++) h = (h * 31 + fn.charCodeAt(i)) >>> 0;
  return 0x403000 + (h % 0x50000);
}

/**
 * Closures the runtime calls on the goroutine's stack keep their context in their creator's
 * frame (chansend's, chanrecv's); morestack saves it as sched.ctxt. How far above the closure's
 * entry SP it is (sched.ctxt - sched.sp), by release: 0xa0 and 0xb0 on Go 1.19 to 1.24 (every
 * trace recorded here where one grows, recorded/rt-chan-send-ready and rt-chan-recv-ready among
 * them); chansend's 0x98 on Go 1.15 (recorded/gc-then-spawn-many recorded with go1.15.15;
 * chanrecv's unmeasured there, 1.19's kept).
 */
const CLOSURE_CONTEXT: Record<string, number> = {
  'runtime.chansend.func1': 0xa0,
  'runtime.chanrecv.func1': 0xb0,
};
const CLOSURE_CONTEXT_BY_RELEASE: Record<number, Record<string, number>> = {
  15: { ...CLOSURE_CONTEXT, 'runtime.chansend.func1': 0x98 },
};

export type Raw = { fn: string; frame: number; entry: number; nosplit: boolean; when?: string; depth: number; ret: string | null };
/** A list of frames as the model enters them; `contexts`: CLOSURE_CONTEXT's distances. */
const framesOf = (list: Raw[], contexts: Record<string, number>): RtFrame[] =>
  list.map(({ fn, frame, entry, nosplit, when, depth, ret }) => ({
    fn, frame, entry, nosplit, pc: runtimePC(fn), depth, ret,
    ...(when ? { when } : {}), ...(fn in contexts ? { ctxt: entry - contexts[fn]! } : {}),
    ...(when && SLOW_PATH_PARTS[when] ? { slowPath: SLOW_PATH_PARTS[when] } : {}),
  }));

export interface RuntimeCalls {
  println: {
    prologue: RtFrame[];
    epilogue: RtFrame[];
    /** bool_true and bool_false: printbool's printstring("true") or ("false"), two return lines. */
    parts: Record<'pointer' | 'int' | 'int_negative' | 'bool_true' | 'bool_false' | 'string' | 'space' | 'newline', RtFrame[]>;
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
     * gcStart sweeps the spans the last cycle left before it starts the next (mgc.go gcStart:
     * for trigger.test() && sweepone() != ^uintptr(0) {}, with no Gosched): beforePark's sweepone
     * call, at index `at`, becomes a span's sweep there.
     */
    startSweep: { at: number; frames: RtFrame[] };
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
  /** The same for a closure without pointers (only ints and arrays of them): 1.24 allocates it elsewhere. */
  newprocClosureNoscan: RtFrame[];
}

const d = data as unknown as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const shifted = (frames: RtFrame[], by: number): RtFrame[] => frames.map((f) => ({ ...f, entry: f.entry + by }));

/** gcStart's sweep of one span: the caller's span sweep (sweepSpan) moved to gcStart's sweepone call. */
function startSweep(gcFrames: RtFrame[], sweepSpan: RtFrame[]): RuntimeCalls['gc']['startSweep'] {
  const at = gcFrames.findIndex((f) => f.fn === 'runtime.sweepone');
  const [sweepone, ...below] = sweepSpan;
  const by = gcFrames[at].entry - sweepone.entry;
  const deeper = gcFrames[at].depth - sweepone.depth;
  return { at, frames: [gcFrames[at], ...below.map((f) => ({ ...f, entry: f.entry + by, depth: f.depth && f.depth + deeper }))] };
}

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
  // Go 1.15 inlines the test (tree-changes.ts): no frame.
  const test = gcFrames.filter((f) => f.fn === 'runtime.gcTrigger.test').slice(0, 1);
  const release = gcFrames.find((f) => f.fn === 'runtime.semrelease1')!;
  const wait = gcFrames.map((f) => f.fn).lastIndexOf('runtime.gcWaitOnMark');
  const resume = [...shifted(sendResume, by), ...test, release, ...gcFrames.slice(wait)];
  return { block, parked: calleeEntry + gopark.frame, resume };
}

/** The runtime's frames as RuntimeCalls, from runtime-calls-1.19.json's layout. */
function runtimeCalls(d: Record<string, any>, release = 19): RuntimeCalls { // eslint-disable-line @typescript-eslint/no-explicit-any
  const contexts = CLOSURE_CONTEXT_BY_RELEASE[release] ?? CLOSURE_CONTEXT;
  const checks = (list: Raw[]) => framesOf(list, contexts);
  const gcFrames = checks(d.gc.beforePark);
  const sendBlock = checks(d.chansend_block.beforePark);
  // A span's sweep (newMarkBits' slow paths, taken when its sweeper is the first to sweep in the
  // cycle or no gcBits arena is free, are left out: which goroutine sweeps first is timing).
  const sweepSpan = checks(d.gc.sweepSpan).filter((f) => !f.when || isNewSpanSetBlock(f));
  return {
    println: {
      prologue: checks(d.println.prologue),
      epilogue: checks(d.println.epilogue),
      parts: Object.fromEntries(Object.entries(d.println.parts).map(([k, v]) => [k, checks(v as Raw[])])) as RuntimeCalls['println']['parts'],
    },
    gc: {
      beforePark: gcFrames,
      parked: d.gc.park.parkedUsed,
      // The caller sweeps one span.
      afterResume: [...checks(d.gc.afterResume), ...sweepSpan, ...checks(d.gc.sweepDone), ...checks(d.gc.tail)],
      // No span is left to sweep after a process's first cycle: its spans are still in the Ps'
      // mcaches, not in mcentral's sets. Seen with a Go 1.19 runtime printing sweepone's work on
      // every GC-calling program recorded here (55: reference, generated, recorded).
      afterFirstCycle: [...checks(d.gc.afterResume), ...checks(d.gc.sweepDone).slice(0, 1), ...checks(d.gc.tail)],
      startSweep: startSweep(gcFrames, sweepSpan),
      startSema: startSemaPath(gcFrames, sendBlock, checks(d.chansend_block.afterResume)),
    },
    chanBlock: {
      send: sendBlock,
      recv: checks(d.chanrecv_block.beforePark),
      parked: { send: d.chansend_block.park.parkedUsed, recv: d.chanrecv_block.park.parkedUsed },
      parkedFrames: d.chanrecv_block.park.depth,
      newSudog: 'acquireSudog finds no cached sudog',
    },
    chanReady: { send: checks(d.chansend_ready), recv: checks(d.chanrecv_ready) },
    newproc: checks(d.newproc),
    newprocClosure: checks(d.newproc_closure),
    newprocClosureNoscan: checks(d.newproc_closure),
  };
}

/**
 * Go 1.19's runtime frames as measured with a debugger (runtime-calls-1.19.json), before the
 * calls tree-changes.ts adds; the profiles take the tree framed by the 1.19 compiler's listing,
 * which agrees with every measured frame, with those additions (versions.ts).
 */
export const measuredRuntimeCalls119 = (): RuntimeCalls => runtimeCalls(d);

/** Go 1.19's call tree as a later release makes it, with its frames (rtcalls-release.ts). */
export const runtimeCallsWith = (table: RuntimeFrames, changes: TreeChange[]): RuntimeCalls =>
  runtimeCalls(reframed(d, table, changes), releaseOf(table));

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
export const isFirstGCOnly = (f: RtFrame) => !!f.when && f.when.includes('first runtime.GC of the process');

/**
 * Whether a frame of sweeping a span belongs to a swept-span set's new block: the sets alternate
 * between two per size class with the cycle's parity (mcentral.partialSwept), so a process's
 * first two cycles find them without blocks (recorded/rt-gc: the second cycle's caller grows in
 * persistentalloc under spanSetBlockAlloc.alloc, later ones in incTail).
 */
export function isNewSpanSetBlock(f: RtFrame): boolean {
  return !!f.when && f.when.startsWith("the span class's swept-span set has no free block");
}

/**
 * Of those, the frames that allocate memory for the block or the spine (persistentalloc, on
 * the system stack): only while the block pool is empty, the process's first two cycles. Every
 * cycle's first push of a span class still takes spineLock, since reset empties the spine
 * (mspanset.go push, reset: b.spineLen.Store(0)), and so enters lock2 and unlock2 (from 1.22
 * recordUnlock, where arith/arith-57 c9's runtime.GC grows).
 */
export function isNewSpanSetMemory(f: RtFrame): boolean {
  return isNewSpanSetBlock(f) && ['runtime.persistentalloc', 'runtime.systemstack.abi0', 'gosave_systemstack_switch'].includes(f.fn);
}

/** Whether a frame of runtime.GC() marks a tiny block left by start-up (Go 1.15's first cycle: tree-changes.ts). */
export const isTinyBlockMark = (f: RtFrame) => !!f.when && f.when.startsWith('gcMarkTinyAllocs finds a tiny block');

/** Whether a frame of a blocking channel operation belongs to allocating a new sudog. */
export const isNewSudog = (f: RtFrame) => !!f.when && f.when.includes('acquireSudog finds no cached sudog');

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
