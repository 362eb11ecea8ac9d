/**
 * What a stack plot shows, gathered from the runtime's events (with call and return events):
 * the stack size and the bytes in use of each goroutine over the run, and its growths, shrinks
 * and overflow. The x axis is the event index. Long runs are downsampled as they go: the x range
 * is cut into at most MAX_BUCKETS buckets, and each goroutine keeps one point per bucket (the
 * lowest and highest bytes in use, the largest stack size); when the run outgrows the buckets
 * their width doubles and neighbours merge. Memory stays bounded however long the run is.
 */
import type { EventSink, TraceEvent } from '../runtime/events.js';

export const MAX_BUCKETS = 600;
/** The events of a growth: a call's bytes in use are recorded after them. */
const GROWTH = new Set<TraceEvent['kind']>(['morestack', 'stackalloc', 'copystack', 'stackfree', 'overflow']);
/** Marks kept per goroutine; beyond it they are thinned to every other one. */
const MAX_MARKS = 400;

export interface Point {
  /** Bucket index (x = bucket * width). */
  b: number;
  /** Lowest and highest bytes in use seen in the bucket; NaN when not known yet. */
  usedLo: number;
  usedHi: number;
  /** Largest stack size in the bucket. */
  size: number;
  /** The goroutine was dead before this point: do not join it to the previous one. */
  gap: boolean;
}

export type MarkKind = 'grow' | 'shrink' | 'overflow';

export interface Mark {
  x: number;
  kind: MarkKind;
  from: number;
  to: number;
}

export interface GoroutineSeries {
  g: number;
  /** The function the goroutine runs (main.main, main.w, ...), or "(runtime goroutine)" when no go statement started it. */
  fn: string;
  points: Point[];
  marks: Mark[];
  peakSize: number;
  peakUsed: number;
  grows: number;
  shrinks: number;
  overflow: boolean;
  /** How many times the G was reused for a new goroutine (the simulator keeps the id). */
  lives: number;
  alive: boolean;
  firstX: number;
  lastX: number;
}

export interface StackHistory {
  goroutines: GoroutineSeries[];
  /** Events seen: the x range is [0, events). */
  events: number;
  calls: number;
  /** Bucket width in events. */
  width: number;
  gcCycles: { start: number; end: number | null }[];
  exitCode: number | null;
}

export class StackRecorder {
  private readonly gs = new Map<number, GoroutineSeries>();
  private x = 0;
  private calls = 0;
  private width = 1;
  private readonly gc: { start: number; end: number | null }[] = [];
  private pendingGap = new Set<number>();
  /** A call whose callee may grow the stack first: recorded once the growth is over. */
  private pendingCall: { g: number; used: number } | null = null;
  private curSize = new Map<number, number>();

  /** The sink to give the engine (asks for call and return events). */
  readonly sink: EventSink = Object.assign((e: TraceEvent) => this.event(e), { calls: true });

  private series(g: number): GoroutineSeries {
    let s = this.gs.get(g);
    if (!s) {
      s = {
        g, fn: g === 1 ? 'main.main' : '(runtime goroutine)', points: [], marks: [], peakSize: 0, peakUsed: 0, grows: 0, shrinks: 0,
        overflow: false, lives: 1, alive: true, firstX: this.x, lastX: this.x,
      };
      this.gs.set(g, s);
    }
    return s;
  }

  private record(g: number, size: number, used: number | null): void {
    const s = this.series(g);
    this.curSize.set(g, size);
    const b = Math.floor(this.x / this.width);
    s.lastX = this.x;
    s.alive = true;
    if (size > s.peakSize) s.peakSize = size;
    if (used !== null && used > s.peakUsed) s.peakUsed = used;
    const last = s.points[s.points.length - 1];
    const gap = this.pendingGap.delete(g);
    if (last && last.b === b && !gap) {
      if (size > last.size) last.size = size;
      if (used !== null) {
        if (!(used >= last.usedLo)) last.usedLo = used;
        if (!(used <= last.usedHi)) last.usedHi = used;
      }
      return;
    }
    s.points.push({ b, usedLo: used ?? NaN, usedHi: used ?? NaN, size, gap: gap && s.points.length > 0 });
  }

  private mark(g: number, kind: MarkKind, from: number, to: number): void {
    const s = this.series(g);
    s.marks.push({ x: this.x, kind, from, to });
    if (s.marks.length > MAX_MARKS) s.marks = s.marks.filter((m, i) => i % 2 === 0 || m.kind !== 'grow');
  }

  private compact(): void {
    this.width *= 2;
    for (const s of this.gs.values()) {
      const out: Point[] = [];
      for (const p of s.points) {
        const b = p.b >> 1;
        const q = out[out.length - 1];
        if (q && q.b === b) {
          q.size = Math.max(q.size, p.size);
          if (!(p.usedLo >= q.usedLo)) q.usedLo = Number.isNaN(p.usedLo) ? q.usedLo : p.usedLo;
          if (!(p.usedHi <= q.usedHi)) q.usedHi = Number.isNaN(p.usedHi) ? q.usedHi : p.usedHi;
        } else {
          out.push({ ...p, b });
        }
      }
      s.points = out;
    }
  }

  event(e: TraceEvent): void {
    // The main goroutine is there from the start, on its first 2 KiB stack.
    if (this.x === 0) this.record(1, 2048, null);
    if (this.pendingCall && !GROWTH.has(e.kind)) this.flushCall();
    switch (e.kind) {
      case 'call':
        this.calls++;
        // Its bytes in use count the callee's frame, which may not fit until the stack has grown.
        this.curSize.set(e.g, e.size);
        this.pendingCall = { g: e.g, used: e.used };
        break;
      case 'return':
        this.record(e.g, e.size, e.used);
        break;
      case 'morestack':
        this.record(e.g, e.hi - e.lo, e.used);
        break;
      case 'copystack': {
        const s = this.series(e.g);
        if (s.points.length === 0) this.record(e.g, e.oldSize, e.used);
        this.record(e.g, e.newSize, e.used);
        if (e.reason === 'grow') s.grows++;
        else s.shrinks++;
        this.mark(e.g, e.reason, e.oldSize, e.newSize);
        break;
      }
      case 'overflow': {
        const s = this.series(e.g);
        s.overflow = true;
        this.mark(e.g, 'overflow', e.size, e.newSize);
        break;
      }
      case 'go': {
        const s = this.gs.get(e.g);
        if (s) {
          s.lives++;
          if (s.fn !== e.fn && !s.fn.endsWith(', ...')) s.fn = `${s.fn}, ...`;
        } else {
          this.series(e.g).fn = e.fn;
        }
        this.record(e.g, 2048, null);
        break;
      }
      case 'goexit': {
        const s = this.gs.get(e.g);
        if (s) s.alive = false;
        this.pendingGap.add(e.g);
        break;
      }
      case 'gc':
        if (e.phase === 'start') this.gc.push({ start: this.x, end: null });
        else if (this.gc.length) this.gc[this.gc.length - 1].end = this.x;
        break;
      default:
        break;
    }
    this.x++;
    if (this.x > this.width * MAX_BUCKETS) this.compact();
  }

  private flushCall(): void {
    const c = this.pendingCall!;
    this.pendingCall = null;
    this.record(c.g, this.curSize.get(c.g) ?? 2048, c.used);
  }

  result(exitCode: number | null = null): StackHistory {
    if (this.pendingCall) this.flushCall();
    return {
      goroutines: [...this.gs.values()].filter((s) => s.points.length > 0),
      events: this.x,
      calls: this.calls,
      width: this.width,
      gcCycles: this.gc,
      exitCode,
    };
  }
}

/**
 * The goroutines worth drawing when there are many: main first, then the largest peak stacks,
 * then the most copies, then the most bytes in use.
 */
export function pickGoroutines(all: GoroutineSeries[], n: number): GoroutineSeries[] {
  const score = (s: GoroutineSeries) => [s.g === 1 ? 1 : 0, s.peakSize, s.grows + s.shrinks, s.peakUsed, -s.g];
  const sorted = [...all].sort((a, b) => {
    const x = score(a);
    const y = score(b);
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return y[i] - x[i];
    return 0;
  });
  return sorted.slice(0, Math.max(1, n)).sort((a, b) => a.g - b.g);
}

/** The goroutines left out of a chart, by function: "9,993 main.w (peak 16 KiB)". */
export function omittedSummary(all: GoroutineSeries[], shown: GoroutineSeries[], fmt: (n: number) => string): string[] {
  const ids = new Set(shown.map((s) => s.g));
  const by = new Map<string, { n: number; peak: number }>();
  for (const s of all) {
    if (ids.has(s.g)) continue;
    const b = by.get(s.fn) ?? { n: 0, peak: 0 };
    b.n++;
    b.peak = Math.max(b.peak, s.peakSize);
    by.set(s.fn, b);
  }
  return [...by.entries()]
    .sort((a, b) => b[1].n - a[1].n)
    .map(([fn, b]) => `${b.n.toLocaleString('en-US')} ${fn} (peak ${fmt(b.peak)})`);
}

/** The stack history of one run (imports the engine lazily). */
export async function recordFile(path: string, opts: { go: string; gomaxprocs: number }): Promise<StackHistory> {
  const { runFile } = await import('../engine.js');
  const rec = new StackRecorder();
  const code = await runFile(path, { ...opts, write: () => {}, event: rec.sink });
  return rec.result(code);
}
