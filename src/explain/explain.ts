/**
 * Explained traces: a note of why after the trace lines of each runtime event. The notes are
 * built from the structured events (src/runtime/events.ts) alone, plus a little state carried
 * from one event to the next (an allocation right after a morestack is the new stack, a free
 * right after a copy is the old one, ...). Nothing here reads the runtime itself.
 */
import type { StackDest, StackSource, TraceEvent } from '../runtime/events.js';
import { hex } from '../runtime/print.js';

/** Every note line starts with this (trace lines never do): strip them to get the plain trace. */
export const NOTE_PREFIX = '    \u21b3 ';

/** The constants the notes quote (runtime/stack.go; the same in every simulated version). */
const STACK_GUARD = 928;
const STACK_SMALL = 128;
const STACK_LIMIT = 800;
const STACK_CACHE_SIZE = 32768;
const PAGE = 8192;
const MAX_STACK = 1_000_000_000;


/** 2048 -> "2 KiB", 1048576 -> "1 MiB", 3000 -> "3000 bytes". */
export function bytes(n: number): string {
  if (n >= 1 << 30 && n % (1 << 30) === 0) return `${n / (1 << 30)} GiB`;
  if (n >= 1 << 20 && n % (1 << 20) === 0) return `${n / (1 << 20)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

/** A stack size as the trace prints it, with its short form: "32768 bytes (32 KiB)". */
const size = (n: number) => (n >= 1024 && n % 1024 === 0 ? `${n} bytes (${bytes(n)})` : `${n} bytes`);

const orderText = (order: number | null) => (order === null ? '' : ` order ${order} (${bytes(2048 << order)} stacks)`);
const plural = (n: number, one: string, many = one + 's') => `${n} ${n === 1 ? one : many}`;
const bigStacks = `stacks of ${bytes(STACK_CACHE_SIZE)} and more are never cached`;

/** What the explanation remembers between events. */
export interface ExplainState {
  /** The stack being replaced right now: the next stackalloc is its successor, the next stackfree the old one. */
  copy: { g: number; phase: 'alloc' | 'free'; reason: 'grow' | 'shrink' } | null;
  /** The last morestack, for "stack grow done" and the copy note. */
  morestack: { g: number; fn: string; frame: number } | null;
  /** A goroutine that just exited: a stackfree right after is its stack. */
  exited: number | null;
  gcRunning: boolean;
  /** The kind and size of the previous event (a `go` right after a 2 KiB stackalloc got that stack). */
  last: { kind: TraceEvent['kind']; size?: number } | null;
  /** Which policy the last growth used (for "stack grow done" on Go 1.14). */
  lastPolicy: string | null;
}

export function newExplainState(): ExplainState {
  return { copy: null, morestack: null, exited: null, gcRunning: false, last: null, lastPolicy: null };
}

function allocSource(source: StackSource, n: number, order: number | null): string {
  switch (source) {
    case 'cache':
      return `taken from the P's stack cache,${orderText(order)}`;
    case 'refill':
      return `the P's cache for${orderText(order)} was empty: stackcacherefill moved ${bytes(STACK_CACHE_SIZE / 2)} ` +
        `(${plural(STACK_CACHE_SIZE / 2 / n, 'stack')}) from the global pool into it, then took one`;
    case 'pool':
      return `no P to cache for (start-up, or GC with preemption off): taken straight from the global pool,${orderText(order)}`;
    case 'heap':
      return `${bigStacks}: a span of its own, ${n / PAGE} pages from the heap`;
    case 'stackLarge':
      return `${bigStacks}: reuses a span of this size freed earlier in this GC cycle (stackLarge)`;
  }
}

function freeDest(dest: StackDest, n: number, order: number | null): string {
  switch (dest) {
    case 'cache':
      return `back into the P's stack cache,${orderText(order)}`;
    case 'release':
      return `the P's cache for${orderText(order)} already held ${bytes(STACK_CACHE_SIZE)}: stackcacherelease gave stacks ` +
        `back to the global pool until it held ${bytes(STACK_CACHE_SIZE / 2)}, then this one went into the cache`;
    case 'pool':
      return `no P: straight back to the global pool,${orderText(order)}`;
    case 'heap':
      return `${bigStacks}, and GC is not running: its ${n / PAGE}-page span goes back to the heap at once`;
    case 'stackLarge':
      return `${bigStacks}, and GC is running: kept in stackLarge (the span may not become heap memory ` +
        `until the cycle ends); the next stackalloc of this size reuses it`;
  }
}

function growthWhy(e: Extract<TraceEvent, { kind: 'copystack' }>): string {
  if (e.policy === 'half') return 'shrinking always halves the stack';
  if (e.policy === 'double' || e.needed === null) {
    return 'doubling: Go <= 1.14 doubles once per morestack; if the frame still does not fit, ' +
      'the prologue fails again and the stack doubles again';
  }
  const base = e.policy === 'fit-used' ? e.used : e.oldSize;
  const baseName = e.policy === 'fit-used' ? 'bytes in use' : 'old size';
  const rule = e.policy === 'fit-used'
    ? 'grow to fit, counted from the bytes in use'
    : 'grow to fit, counted from the old size (Go 1.15)';
  const frame = e.needed - STACK_GUARD;
  const fit = `${e.newSize} - ${base} (${baseName}) = ${e.newSize - base} >= frame + guard = ${frame} + ${STACK_GUARD} = ${e.needed}`;
  if (e.newSize === e.oldSize * 2) return `doubling is enough: ${fit} (${rule})`;
  const times = Math.log2(e.newSize / e.oldSize);
  return `doubled ${times} times, until ${fit} (${rule})`;
}

/**
 * The note for one event, or null when the event needs none (program output, calls). Updates
 * the state for the events that follow.
 */
export function explainEvent(e: TraceEvent, st: ExplainState): string | null {
  const note = noteOf(e, st);
  st.last = { kind: e.kind, size: 'size' in e ? e.size : undefined };
  // Only the free right after a goroutine's exit is its stack.
  if (e.kind !== 'goexit') st.exited = null;
  return note;
}

function noteOf(e: TraceEvent, st: ExplainState): string | null {
  switch (e.kind) {
    case 'stackalloc': {
      let who = '';
      if (st.copy && st.copy.phase === 'alloc') {
        who = st.copy.reason === 'grow' ? `new stack for goroutine ${st.copy.g}: ` : `smaller stack for goroutine ${st.copy.g}: `;
        st.copy.phase = 'free';
      }
      return `${who}${size(e.size)} at ${hex(e.addr)}: ${allocSource(e.source, e.size, e.order)}`;
    }
    case 'stackfree': {
      let who = '';
      if (st.copy && st.copy.phase === 'free') {
        who = `old stack of goroutine ${st.copy.g}, now copied: `;
        st.copy = null;
      } else if (st.exited !== null) {
        who = `goroutine ${st.exited} exited; a dead G keeps only a ${bytes(2048)} stack, so this one is freed: `;
      } else if (st.gcRunning) {
        who = 'GC frees the stacks of dead goroutines on the global free list (markrootFreeGStacks): ';
      }
      st.exited = null;
      return `${who}${size(e.size)} at ${hex(e.addr)}: ${freeDest(e.dest, e.size, e.order)}`;
    }
    case 'stackcache-clear':
      return `GC mark termination: every stack in P${e.p}'s cache goes back to the global pool; ` +
        'pool spans left with no stack in use return to the heap';
    case 'morestack': {
      st.morestack = { g: e.g, fn: e.fn, frame: e.frame };
      st.copy = { g: e.g, phase: 'alloc', reason: 'grow' };
      const where = e.line !== null ? `, called at line ${e.line},`
        : e.fn.startsWith('runtime.') ? ', deep in the runtime,' : `, the goroutine's first function,`;
      const check = e.frame <= STACK_SMALL
        ? `SP ${hex(e.sp)}`
        : `SP - (frame - ${STACK_SMALL}) = ${hex(e.sp - (e.frame - STACK_SMALL))}`;
      return `goroutine ${e.g}: ${e.fn} (frame ${e.frame} bytes)${where} starts with ${e.used} of its ` +
        `${e.hi - e.lo} stack bytes in use\n` +
        `its prologue finds ${check} at or below stackguard0 = lo + ${e.guard - e.lo} = ${hex(e.guard)}, ` +
        'so it calls morestack -> newstack (which prints sp = SP - 8)';
    }
    case 'copystack': {
      st.lastPolicy = e.policy;
      if (st.copy === null || st.copy.g !== e.g) st.copy = { g: e.g, phase: 'free', reason: e.reason };
      else st.copy.phase = 'free';
      const delta = e.newLo + e.newSize - (e.oldLo + e.oldSize);
      const sign = delta < 0 ? '-' : '+';
      return `goroutine ${e.g} ${e.reason === 'grow' ? 'grows' : 'shrinks'} ${e.oldSize} -> ${e.newSize} bytes: the ${e.used} ` +
        `bytes in use are copied to the top of the new stack (hi - ${e.used} on both sides); pointers into it move by ` +
        `${sign}${hex(Math.abs(delta))}\n` +
        `why ${e.newSize}: ${growthWhy(e)}`;
    }
    case 'shrink': {
      st.copy = { g: e.g, phase: 'alloc', reason: 'shrink' };
      return `GC stack scan of goroutine ${e.g}: ${e.used} bytes in use + ${STACK_LIMIT} kept free = ${e.used + STACK_LIMIT} ` +
        `< a quarter of the stack (${e.oldSize}/4 = ${e.limit}), so it is halved to ${e.newSize}`;
    }
    case 'preempt':
      return `goroutine ${e.g} has run for 10 ms: sysmon asked it to yield by setting stackguard0 to stackPreempt, ` +
        `so the prologue of ${e.fn} fails with room to spare\n` +
        'newstack sees the request, grows nothing and reschedules the goroutine (gopreempt_m); ' +
        `${e.fn} runs its prologue again when the goroutine next runs`;
    case 'overflow':
      st.copy = null;
      return `goroutine ${e.g}: the next size, ${e.newSize}, would pass maxstacksize (${MAX_STACK} bytes): ` +
        'newstack throws "stack overflow" and the process exits with status 2';
    case 'gc':
      st.gcRunning = e.phase === 'start';
      return e.phase === 'start'
        ? `runtime.GC(): cycle ${e.cycle} starts; each goroutine's stack is scanned now and halved when ` +
            `it uses less than a quarter of itself (with ${STACK_LIMIT} bytes to spare)`
        : null;
    case 'go': {
      const got = st.last?.kind === 'stackalloc' && st.last.size === 2048;
      const by = e.parent === null ? '' : ` by goroutine ${e.parent}`;
      return got
        ? `that stack belongs to goroutine ${e.g}, started${by} to run ${e.fn} (every goroutine starts with ${bytes(2048)})`
        : `goroutine ${e.g}, started${by} to run ${e.fn}, reuses a dead G that kept its ${bytes(2048)} stack: nothing allocated`;
    }
    case 'goexit':
      st.exited = e.g;
      return null;
    case 'output':
    case 'call':
    case 'return':
      return null;
  }
}

/** Notes that belong to trace lines without an event of their own. */
export function explainLine(line: string, st: ExplainState): string | null {
  if (line === 'stack grow done' && st.morestack) {
    const m = st.morestack;
    st.morestack = null;
    st.exited = null;
    return st.lastPolicy === 'double'
      ? `newstack returns: ${m.fn} re-runs its prologue on the new stack; it grows again if its frame still does not fit`
      : `newstack returns: ${m.fn} re-runs its prologue, which now passes: its ${m.frame}-byte frame fits`;
  }
  return null;
}

/**
 * The explainer the CLI drives: lines and events in the order the runtime reports them, note
 * text out (without the prefix).
 */
export class Explainer {
  readonly state = newExplainState();
  line(text: string): string | null {
    return explainLine(text, this.state);
  }
  event(e: TraceEvent): string | null {
    return explainEvent(e, this.state);
  }
}

/** The plain trace back from an explained one: every note line removed. */
export function stripNotes(text: string): string {
  return text
    .split('\n')
    .filter((l) => !l.startsWith(NOTE_PREFIX))
    .join('\n');
}
