/**
 * The stack plot as an SVG document, built as a string: stack size (steps) and bytes in use
 * (dashed line over a band: the range within a downsampled bucket) of each goroutine against the
 * event index, on a log2 byte scale; growths, shrinks and an overflow marked; GC cycles shaded.
 */
import { omittedSummary, pickGoroutines, type GoroutineSeries, type StackHistory } from './series.js';

export interface PlotInfo {
  file: string;
  go: string;
  gomaxprocs: number;
  /** At most this many goroutines are drawn. */
  maxGoroutines: number;
}

export const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22', '#7f7f7f'];

const W = 1000;
const H = 640;
const M = { left: 78, right: 250, top: 76, bottom: 64 };
const PW = W - M.left - M.right;
const PH = H - M.top - M.bottom;
const MAX_GC_BANDS = 200;
const MAX_MARKS = 1500;
const FONT = 'DejaVu Sans, Helvetica, Arial, sans-serif';

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

const f = (v: number) => (Math.round(v * 10) / 10).toString();

/** 512 -> "512 B", 2048 -> "2 KiB", 1.5 MiB -> "1.5 MiB". */
export function shortBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let u = 0;
  while (n >= 1024 && u < units.length - 1) {
    n /= 1024;
    u++;
  }
  const s = n >= 100 || Number.isInteger(n) ? Math.round(n).toString() : n.toFixed(1);
  return `${s} ${units[u]}`;
}

/** 1234567 -> "1.2M", 12000 -> "12k". */
export function shortCount(n: number): string {
  if (n >= 1e6) return `${+(n / 1e6).toFixed(n >= 1e7 ? 0 : 1)}M`;
  if (n >= 1e4) return `${+(n / 1e3).toFixed(0)}k`;
  return String(n);
}

/** Round tick steps (1, 2, 5 x 10^k) giving about `want` ticks over [0, max]. */
export function niceTicks(max: number, want = 8): number[] {
  if (max <= 0) return [0];
  const raw = max / want;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p;
  const ticks: number[] = [];
  for (let t = 0; t <= max + 1e-9; t += step) ticks.push(t);
  return ticks;
}

/** The y range as powers of two: [lowest, highest] exponent. */
export function byteRange(gs: GoroutineSeries[]): [number, number] {
  let lo = Infinity;
  let hi = 0;
  for (const s of gs) {
    for (const p of s.points) {
      if (p.size > hi) hi = p.size;
      const m = Math.min(p.size, Number.isNaN(p.usedLo) ? Infinity : p.usedLo);
      if (m < lo) lo = m;
    }
  }
  if (!Number.isFinite(lo) || hi === 0) return [10, 12];
  const a = Math.floor(Math.log2(Math.max(16, lo)));
  const b = Math.max(a + 1, Math.ceil(Math.log2(hi)));
  return [a, b];
}

export function renderSvg(h: StackHistory, info: PlotInfo): string {
  const shown = pickGoroutines(h.goroutines, info.maxGoroutines);
  const [e0, e1] = byteRange(shown);
  const xMax = Math.max(1, h.events);
  const X = (x: number) => M.left + (Math.min(Math.max(x, 0), xMax) / xMax) * PW;
  const top = e1 + 0.25; // a little headroom above the highest power of two
  const Y = (v: number) => M.top + PH - ((Math.log2(Math.max(v, 2 ** e0)) - e0) / (top - e0)) * PH;
  const o: string[] = [];
  const push = (s: string) => o.push(s);

  push('<?xml version="1.0" encoding="UTF-8"?>');
  push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="${FONT}" role="img">`);
  push(`<title>Goroutine stacks over the run of ${esc(info.file)}</title>`);
  const limited = h.goroutines.length > shown.length;
  push(`<desc>Stack size and bytes in use of ${shown.length} of ${h.goroutines.length} goroutines over ${h.events} events, ` +
    `simulated Go ${esc(info.go)}, GOMAXPROCS ${info.gomaxprocs}.</desc>`);
  push(`<rect class="background" x="0" y="0" width="${W}" height="${H}" fill="#ffffff"/>`);

  // Title and subtitle.
  push(`<text class="title" x="${M.left}" y="28" font-size="18" font-weight="bold" fill="#222">Goroutine stacks: ${esc(baseName(info.file))}</text>`);
  const sub = [`Go ${info.go}`, `GOMAXPROCS ${info.gomaxprocs}`, `${h.events.toLocaleString('en-US')} events`,
    `${h.calls.toLocaleString('en-US')} calls`, h.gcCycles.length ? `${h.gcCycles.length} GC cycle${h.gcCycles.length > 1 ? 's' : ''}` : 'no GC',
    h.exitCode !== null ? `exit status ${h.exitCode}` : ''].filter(Boolean).join(' · ');
  push(`<text class="subtitle" x="${M.left}" y="48" font-size="12" fill="#555">${esc(sub)}</text>`);
  const notes: string[] = [];
  if (limited) notes.push(`showing ${shown.length} of ${h.goroutines.length.toLocaleString('en-US')} goroutines: main and the largest stacks`);
  if (h.width > 1) notes.push(`downsampled: one point per ${h.width.toLocaleString('en-US')} events (lowest to highest use shaded)`);
  if (notes.length) push(`<text class="note" x="${M.left}" y="64" font-size="11" fill="#a33">${esc(notes.join('; '))}</text>`);

  // Plot frame, GC bands, grid.
  push(`<g class="plot-area">`);
  push(`<rect x="${M.left}" y="${M.top}" width="${PW}" height="${PH}" fill="#fafafa" stroke="#999" stroke-width="1"/>`);
  const bands = h.gcCycles.length > MAX_GC_BANDS ? h.gcCycles.filter((_, i) => i % Math.ceil(h.gcCycles.length / MAX_GC_BANDS) === 0) : h.gcCycles;
  push(`<g class="gc">`);
  for (const [i, c] of bands.entries()) {
    const x0 = X(c.start);
    const w = Math.max(2, X(c.end ?? h.events) - x0);
    push(`<rect x="${f(x0)}" y="${M.top}" width="${f(w)}" height="${PH}" fill="#e6e0f0" opacity="0.8"><title>GC cycle ${i + 1}</title></rect>`);
  }
  push(`</g>`);
  // y grid and labels (powers of two).
  const yStep = e1 - e0 > 14 ? 2 : 1;
  push(`<g class="axis y">`);
  for (let e = e0; e <= e1; e += yStep) {
    const y = Y(2 ** e);
    push(`<line x1="${M.left}" y1="${f(y)}" x2="${M.left + PW}" y2="${f(y)}" stroke="#e3e3e3" stroke-width="1"/>`);
    push(`<text x="${M.left - 6}" y="${f(y + 4)}" font-size="11" text-anchor="end" fill="#333">${shortBytes(2 ** e)}</text>`);
  }
  push(`<text class="label" transform="translate(18 ${M.top + PH / 2}) rotate(-90)" font-size="12" text-anchor="middle" fill="#222">bytes (log scale)</text>`);
  push(`</g>`);
  // x ticks.
  push(`<g class="axis x">`);
  for (const t of niceTicks(xMax)) {
    const x = X(t);
    push(`<line x1="${f(x)}" y1="${M.top + PH}" x2="${f(x)}" y2="${M.top + PH + 5}" stroke="#666"/>`);
    push(`<text x="${f(x)}" y="${M.top + PH + 18}" font-size="11" text-anchor="middle" fill="#333">${shortCount(t)}</text>`);
  }
  push(`<text class="label" x="${M.left + PW / 2}" y="${H - 18}" font-size="12" text-anchor="middle" fill="#222">` +
    `event index (calls, returns and runtime events, in order)</text>`);
  push(`</g>`);

  // One group per goroutine: used band + line, size steps, marks.
  let marksLeft = MAX_MARKS;
  for (const [i, s] of shown.entries()) {
    const color = PALETTE[i % PALETTE.length];
    push(`<g class="goroutine" data-g="${s.g}" data-fn="${esc(s.fn)}">`);
    const segs = segments(s);
    const endX = s.alive ? h.events : s.lastX + 1;
    for (const seg of segs) {
      const xs = seg.map((p, k) => {
        const x0 = p.b * h.width;
        const x1 = k + 1 < seg.length ? seg[k + 1].b * h.width : Math.max(x0 + 1, seg === segs[segs.length - 1] ? endX : x0 + h.width);
        return [x0, x1] as const;
      });
      // Bytes in use: steps along the highest, a band down to the lowest (downsampled buckets).
      const runs = splitUnknown(seg.map((p, k) => ({ p, x0: X(xs[k][0]), x1: X(xs[k][1]) })));
      for (const run of runs) {
        const top = stepPoints(run.map((r) => [r.x0, r.x1, Y(r.p.usedHi)]));
        if (run.some((r) => r.p.usedLo < r.p.usedHi)) {
          const bottom = stepPoints(run.map((r) => [r.x0, r.x1, Y(r.p.usedLo)])).reverse();
          push(`<polygon class="used-band" points="${[...top, ...bottom].join(' ')}" fill="${color}" fill-opacity="0.18" stroke="none"/>`);
        }
        push(`<polyline class="used" points="${top.join(' ')}" fill="none" stroke="${color}" stroke-width="1.3" stroke-dasharray="5 3" stroke-opacity="0.9"/>`);
      }
      // Stack size: a step line.
      let d = '';
      seg.forEach((p, k) => {
        const y = f(Y(p.size));
        d += k === 0 ? `M${f(X(xs[k][0]))} ${y}` : `V${y}`;
        d += `H${f(X(xs[k][1]))}`;
      });
      push(`<path class="size" d="${d}" fill="none" stroke="${color}" stroke-width="2.2"/>`);
    }
    for (const m of s.marks) {
      if (marksLeft-- <= 0) break;
      push(markSvg(m.kind, X(m.x), Y(m.kind === 'overflow' ? m.from : m.to), color, `${m.kind} ${m.from} -> ${m.to}`));
    }
    push(`</g>`);
  }
  push(`</g>`);

  // Legend.
  const lx = W - M.right + 20;
  let ly = M.top + 6;
  push(`<g class="legend">`);
  push(`<text x="${lx}" y="${ly}" font-size="12" font-weight="bold" fill="#222">Goroutines</text>`);
  ly += 18;
  for (const [i, s] of shown.entries()) {
    const color = PALETTE[i % PALETTE.length];
    push(`<line x1="${lx}" y1="${ly - 4}" x2="${lx + 22}" y2="${ly - 4}" stroke="${color}" stroke-width="3"/>`);
    const name = clip(`g${s.g} ${s.fn}${s.lives > 1 ? ` (${s.lives} lives)` : ''}`, 30);
    push(`<text x="${lx + 28}" y="${ly}" font-size="12" fill="#222">${esc(name)}</text>`);
    ly += 14;
    const stats = `peak ${shortBytes(s.peakSize)}, ${s.grows} grow${s.grows === 1 ? '' : 's'}, ${s.shrinks} shrink${s.shrinks === 1 ? '' : 's'}`;
    push(`<text x="${lx + 28}" y="${ly}" font-size="10" fill="#666">${esc(stats)}</text>`);
    if (s.overflow) {
      ly += 12;
      push(`<text x="${lx + 28}" y="${ly}" font-size="10" fill="#c00">stack overflow</text>`);
    }
    ly += 18;
  }
  if (limited) {
    const n = h.goroutines.length - shown.length;
    push(`<text class="omitted" x="${lx}" y="${ly}" font-size="10" fill="#a33">${n.toLocaleString('en-US')} more not shown:</text>`);
    ly += 13;
    const groups = omittedSummary(h.goroutines, shown, shortBytes);
    for (const line of groups.slice(0, 4)) {
      push(`<text class="omitted" x="${lx + 8}" y="${ly}" font-size="10" fill="#a33">${esc(line)}</text>`);
      ly += 13;
    }
    if (groups.length > 4) {
      push(`<text class="omitted" x="${lx + 8}" y="${ly}" font-size="10" fill="#a33">and ${groups.length - 4} other functions</text>`);
      ly += 13;
    }
    ly += 5;
  }
  ly += 6;
  push(`<text x="${lx}" y="${ly}" font-size="12" font-weight="bold" fill="#222">Key</text>`);
  ly += 18;
  const key = (svg: string, label: string) => {
    push(svg);
    push(`<text x="${lx + 28}" y="${ly}" font-size="11" fill="#222">${esc(label)}</text>`);
    ly += 18;
  };
  key(`<line x1="${lx}" y1="${ly - 4}" x2="${lx + 22}" y2="${ly - 4}" stroke="#444" stroke-width="2.2"/>`, 'stack size');
  key(`<line x1="${lx}" y1="${ly - 4}" x2="${lx + 22}" y2="${ly - 4}" stroke="#444" stroke-width="1.3" stroke-dasharray="5 3"/>`, 'bytes in use');
  key(markSvg('grow', lx + 11, ly - 4, '#444', 'grow'), 'grow (copy to a bigger stack)');
  key(markSvg('shrink', lx + 11, ly - 4, '#444', 'shrink'), 'shrink (GC halves the stack)');
  key(markSvg('overflow', lx + 11, ly - 4, '#444', 'overflow'), 'stack overflow');
  key(`<rect x="${lx}" y="${ly - 11}" width="22" height="12" fill="#e6e0f0"/>`, 'GC cycle');
  push(`</g>`);
  push('</svg>');
  return o.join('\n') + '\n';
}

function clip(s: string, n: number): string {
  return s.length <= n ? s : s.slice(0, n - 1) + '…';
}

function baseName(p: string): string {
  return p.split(/[\\/]/).pop() ?? p;
}

/** Runs of points whose bytes in use are known. */
function splitUnknown<T extends { p: { usedHi: number } }>(xs: T[]): T[][] {
  const runs: T[][] = [];
  let cur: T[] = [];
  for (const x of xs) {
    if (Number.isNaN(x.p.usedHi)) {
      if (cur.length) runs.push(cur);
      cur = [];
    } else {
      cur.push(x);
    }
  }
  if (cur.length) runs.push(cur);
  return runs;
}

/** Polyline points of a step line: each level held from x0 to x1. */
function stepPoints(levels: [number, number, number][]): string[] {
  const pts: string[] = [];
  for (const [x0, x1, y] of levels) pts.push(`${f(x0)},${f(y)}`, `${f(x1)},${f(y)}`);
  return pts;
}

/** A goroutine's points split where it was dead. */
function segments(s: GoroutineSeries) {
  const segs: (typeof s.points)[] = [];
  for (const p of s.points) {
    if (p.gap || segs.length === 0) segs.push([]);
    segs[segs.length - 1].push(p);
  }
  return segs;
}

function markSvg(kind: 'grow' | 'shrink' | 'overflow', x: number, y: number, color: string, title: string): string {
  const t = `<title>${esc(title)}</title>`;
  if (kind === 'grow') {
    return `<path class="mark grow" d="M${f(x)} ${f(y - 7)}L${f(x + 5)} ${f(y + 2)}L${f(x - 5)} ${f(y + 2)}Z" fill="${color}" stroke="#fff" stroke-width="0.8">${t}</path>`;
  }
  if (kind === 'shrink') {
    return `<path class="mark shrink" d="M${f(x)} ${f(y + 7)}L${f(x + 5)} ${f(y - 2)}L${f(x - 5)} ${f(y - 2)}Z" fill="#fff" stroke="${color}" stroke-width="1.5">${t}</path>`;
  }
  return `<path class="mark overflow" d="M${f(x - 6)} ${f(y - 6)}L${f(x + 6)} ${f(y + 6)}M${f(x + 6)} ${f(y - 6)}L${f(x - 6)} ${f(y + 6)}" stroke="#c00" stroke-width="2.5">${t}</path>`;
}
