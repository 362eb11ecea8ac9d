/**
 * One program under several Go versions, side by side: how often and how far its stacks grow,
 * what they cost to copy, how big they get, and where the traces part ways (compared with
 * addresses normalized to offsets within their stacks, as the fidelity tiers do).
 */
import type { EventSink, TraceEvent } from '../runtime/events.js';
import { normalizeTrace, relabel } from '../trace/tiers.js';

export interface VersionStats {
  go: string;
  exitCode: number;
  traceLines: number;
  morestacks: number;
  grows: number;
  shrinks: number;
  /** Bytes copied by every copystack (grow and shrink): the bytes in use each time. */
  bytesCopied: number;
  peakMain: number;
  peakAll: number;
  /** Main's stack size after the last GC cycle, or at exit when no GC ran. */
  finalMain: number;
  finalMainWhen: 'exit' | 'gc';
  gcCycles: number;
  overflow: boolean;
}

export interface FirstDifference {
  /** 1-based line number of the first line that differs (after normalization). */
  line: number;
  /** The two raw lines there (null: that trace had ended). */
  base: string | null;
  other: string | null;
}

export interface VersionResult extends VersionStats {
  /** Against the first version compared: null when the normalized traces are the same. */
  diff: FirstDifference | null;
}

/** Counts from the events of one run. */
export class StatsCollector {
  private s: Omit<VersionStats, 'go' | 'exitCode' | 'traceLines'> = {
    morestacks: 0, grows: 0, shrinks: 0, bytesCopied: 0, peakMain: 2048, peakAll: 2048,
    finalMain: 2048, finalMainWhen: 'exit', gcCycles: 0, overflow: false,
  };
  private mainSize = 2048;
  private mainAfterGc: number | null = null;
  readonly sink: EventSink = (e: TraceEvent) => this.event(e);

  event(e: TraceEvent): void {
    const s = this.s;
    switch (e.kind) {
      case 'preempt':
        s.morestacks++;
        break;
      case 'morestack':
        s.morestacks++;
        if (e.g === 1) this.mainSize = e.hi - e.lo;
        break;
      case 'copystack':
        if (e.reason === 'grow') s.grows++;
        else s.shrinks++;
        s.bytesCopied += e.used;
        s.peakAll = Math.max(s.peakAll, e.oldSize, e.newSize);
        if (e.g === 1) {
          this.mainSize = e.newSize;
          s.peakMain = Math.max(s.peakMain, e.oldSize, e.newSize);
        }
        break;
      case 'overflow':
        s.overflow = true;
        break;
      case 'gc':
        if (e.phase === 'end') {
          s.gcCycles++;
          this.mainAfterGc = this.mainSize;
        }
        break;
      default:
        break;
    }
  }

  result(go: string, exitCode: number, traceLines: number): VersionStats {
    const final = this.mainAfterGc ?? this.mainSize;
    return {
      go, exitCode, traceLines, ...this.s,
      finalMain: final, finalMainWhen: this.mainAfterGc === null ? 'exit' : 'gc',
    };
  }
}

/** The first line where two traces differ once addresses are normalized; null when they agree. */
export function firstDifference(base: string[], other: string[]): FirstDifference | null {
  const a = relabel(normalizeTrace(base).map((l) => l.norm));
  const b = relabel(normalizeTrace(other).map((l) => l.norm));
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return { line: i + 1, base: base[i] ?? null, other: other[i] ?? null };
  }
  return null;
}

export type RunOne = (go: string, write: (line: string) => void, event: EventSink) => Promise<number>;

/** Runs the program once per version and compares each with the first. */
export async function compareVersions(versions: string[], run: RunOne): Promise<VersionResult[]> {
  const results: VersionResult[] = [];
  let baseLines: string[] | null = null;
  for (const go of versions) {
    const lines: string[] = [];
    const c = new StatsCollector();
    const code = await run(go, (l) => lines.push(l), c.sink);
    const stats = c.result(go, code, lines.length);
    const diff = baseLines === null ? null : firstDifference(baseLines, lines);
    if (baseLines === null) baseLines = lines;
    results.push({ ...stats, diff });
  }
  return results;
}

const num = (n: number) => n.toLocaleString('en-US');

/** The comparison as a text table, then where each trace first differs from the first one. */
export function formatComparison(file: string, rs: VersionResult[], gomaxprocs: number): string {
  const head = ['Go', 'morestacks', 'grows', 'shrinks', 'bytes copied', 'peak main', 'peak any', 'main final', 'lines', 'exit', `differs from ${rs[0]?.go ?? ''} at`];
  const rows = rs.map((r, i) => [
    r.go, num(r.morestacks), num(r.grows), num(r.shrinks), num(r.bytesCopied), num(r.peakMain), num(r.peakAll),
    `${num(r.finalMain)} ${r.finalMainWhen === 'gc' ? '(GC)' : '(exit)'}`, num(r.traceLines),
    r.overflow ? `${r.exitCode} overflow` : String(r.exitCode),
    i === 0 ? '(base)' : r.diff ? `line ${num(r.diff.line)}` : 'same',
  ]);
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const right = new Set([1, 2, 3, 4, 5, 6, 7, 8]);
  const fmt = (cells: string[]) => cells.map((s, c) => (right.has(c) ? s.padStart(widths[c]) : s.padEnd(widths[c]))).join('  ').trimEnd();
  const out: string[] = [];
  out.push(`${file}, GOMAXPROCS ${gomaxprocs}: ${rs.length} Go version${rs.length === 1 ? '' : 's'}`);
  out.push('');
  out.push(fmt(head));
  out.push(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) out.push(fmt(r));
  out.push('');
  out.push('Sizes in bytes. grows/shrinks: copystacks; bytes copied: bytes in use at each copy; main final: main\'s');
  out.push('stack after the last GC cycle (GC), or at exit when no GC ran (exit). Traces are compared with');
  out.push('addresses normalized to offsets within their stacks and code addresses masked.');
  const diffs = rs.slice(1).filter((r) => r.diff);
  if (diffs.length) {
    out.push('');
    out.push(`First difference from Go ${rs[0].go}:`);
    for (const r of diffs) {
      const d = r.diff!;
      out.push(`  Go ${r.go}, line ${num(d.line)}:`);
      out.push(`    ${rs[0].go.padEnd(5)} ${d.base ?? '(trace ended)'}`);
      out.push(`    ${r.go.padEnd(5)} ${d.other ?? '(trace ended)'}`);
    }
  }
  return out.join('\n') + '\n';
}
