/**
 * The stack plot for a terminal: per goroutine a row of bars for the stack size, one for the
 * bytes in use (log scale, ▁ to █), and a row of marks (↑ grow, ↓ shrink, ✕ overflow), the
 * run laid out left to right in `width` columns.
 */
import { omittedSummary, pickGoroutines, type StackHistory } from './series.js';
import { byteRange, shortBytes, type PlotInfo } from './svg.js';

const BARS = '▁▂▃▄▅▆▇█';

export interface TextOptions extends PlotInfo {
  /** Total line width (the terminal's columns). */
  columns: number;
  /** Colors a goroutine's bars (chalk); identity when not on a terminal. */
  paint?: (index: number, s: string) => string;
}

export function renderText(h: StackHistory, o: TextOptions): string {
  const shown = pickGoroutines(h.goroutines, o.maxGoroutines);
  const [e0, e1] = byteRange(shown);
  const label = 8;
  const cols = Math.max(10, Math.min(200, o.columns - label - 1, h.events));
  const xMax = Math.max(1, h.events);
  const col = (x: number) => Math.min(cols - 1, Math.floor((x / xMax) * cols));
  const level = (v: number) => {
    const t = (Math.log2(Math.max(v, 2 ** e0)) - e0) / (e1 - e0);
    return BARS[Math.max(0, Math.min(BARS.length - 1, Math.round(t * (BARS.length - 1))))];
  };
  const paint = o.paint ?? ((_i: number, s: string) => s);
  const out: string[] = [];
  out.push(`Goroutine stacks: ${o.file}, Go ${o.go}, GOMAXPROCS ${o.gomaxprocs}` +
    (h.exitCode !== null ? `, exit status ${h.exitCode}` : ''));
  out.push(`${h.events.toLocaleString('en-US')} events left to right (${cols} columns); bars on a log scale, ` +
    `${BARS[0]} ${shortBytes(2 ** e0)} to ${BARS[BARS.length - 1]} ${shortBytes(2 ** e1)}`);
  if (h.goroutines.length > shown.length) {
    out.push(`showing ${shown.length} of ${h.goroutines.length.toLocaleString('en-US')} goroutines: main and the largest stacks; ` +
      `not shown: ${omittedSummary(h.goroutines, shown, shortBytes).join(', ')}`);
  }
  if (h.gcCycles.length) {
    const row = Array<string>(cols).fill(' ');
    for (const c of h.gcCycles) for (let x = col(c.start); x <= col(c.end ?? h.events); x++) row[x] = '░';
    out.push(pad('GC', label) + row.join('').trimEnd());
  }
  for (const [i, s] of shown.entries()) {
    const size = Array<number>(cols).fill(0);
    const used = Array<number>(cols).fill(0);
    for (const p of s.points) {
      const c = col(p.b * h.width);
      size[c] = Math.max(size[c], p.size);
      if (!Number.isNaN(p.usedHi)) used[c] = Math.max(used[c], p.usedHi);
    }
    // A stack keeps its size until the next point: carry it across empty columns while alive.
    const end = col(s.alive ? h.events : s.lastX);
    for (let c = col(s.firstX) + 1; c <= end; c++) if (size[c] === 0) size[c] = size[c - 1];
    const marks = Array<string>(cols).fill(' ');
    for (const m of s.marks) {
      const c = col(m.x);
      const sym = m.kind === 'grow' ? '↑' : m.kind === 'shrink' ? '↓' : '✕';
      marks[c] = marks[c] === ' ' || marks[c] === sym ? sym : sym === '✕' ? '✕' : '↕';
    }
    const stats = `peak ${shortBytes(s.peakSize)}, ${s.grows} grow${s.grows === 1 ? '' : 's'}, ` +
      `${s.shrinks} shrink${s.shrinks === 1 ? '' : 's'}, at most ${shortBytes(s.peakUsed)} in use` +
      (s.overflow ? ', stack overflow' : '') + (s.lives > 1 ? `, ${s.lives} lives` : '');
    out.push('');
    out.push(paint(i, `g${s.g} ${s.fn}`) + `  ${stats}`);
    out.push(pad('  size', label) + paint(i, size.map((v) => (v ? level(v) : ' ')).join('').trimEnd()));
    out.push(pad('  used', label) + paint(i, used.map((v) => (v ? level(v) : ' ')).join('').trimEnd()));
    const mk = marks.join('').trimEnd();
    if (mk) out.push(pad('', label) + mk);
  }
  out.push('');
  out.push('↑ grow  ↓ shrink  ↕ both  ✕ overflow' + (h.gcCycles.length ? '  ░ GC cycle' : ''));
  return out.join('\n') + '\n';
}

function pad(s: string, n: number): string {
  return s.length >= n ? s + ' ' : s + ' '.repeat(n - s.length);
}
