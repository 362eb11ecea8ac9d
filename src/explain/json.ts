/**
 * `run --format json`: one JSON object per event (NDJSON). The fields are documented in
 * docs/json-format.md; keep the two in step.
 */
import type { TraceEvent } from '../runtime/events.js';
import { MAX_STACK_SIZE } from '../runtime/stack.js';
import { hex } from '../runtime/print.js';

export type JsonRecord = Record<string, string | number | boolean | null>;


/** An address as both a number and the runtime's hex spelling: addr, addrHex. */
function addr(o: JsonRecord, name: string, v: number): void {
  o[name] = v;
  o[name + 'Hex'] = hex(v);
}

/** Event fields spelled out in the records. */
const RENAMED: Record<string, string> = { g: 'goroutine', fn: 'function' };
/** Event fields that are addresses: also given in the runtime's hex spelling. */
const ADDRESSES = new Set(['addr', 'sp', 'guard', 'lo', 'hi', 'oldLo', 'newLo']);

/** The record of one event, without the stream fields (seq, traceLine). */
export function eventRecord(e: TraceEvent): JsonRecord {
  const o: JsonRecord = {};
  for (const [k, v] of Object.entries(e) as [string, string | number | null][]) {
    if (ADDRESSES.has(k) && typeof v === 'number') addr(o, k, v);
    else o[RENAMED[k] ?? k] = v;
  }
  // Derived fields that make a record readable on its own.
  switch (e.kind) {
    case 'morestack':
      o.size = e.hi - e.lo;
      break;
    case 'copystack':
      o.copied = e.used;
      addr(o, 'oldHi', e.oldLo + e.oldSize);
      addr(o, 'newHi', e.newLo + e.newSize);
      break;
    case 'overflow':
      o.maxStackSize = MAX_STACK_SIZE;
      break;
  }
  return o;
}

/**
 * Turns a run into NDJSON lines: a `start` record, one record per event, an `exit` record (or
 * an `error` record when the run stopped on an error).
 * Trace lines are counted (not printed): each event says after which trace line it came.
 */
export class JsonStream {
  private seq = 0;
  private lines = 0;
  constructor(private readonly out: (line: string) => void) {}

  private emit(o: JsonRecord): void {
    this.out(JSON.stringify({ seq: this.seq++, ...o }));
  }

  start(info: { file: string; go: string; gomaxprocs: number }): void {
    this.emit({ kind: 'start', file: info.file, go: info.go, gomaxprocs: info.gomaxprocs });
  }

  /** A trace line was printed. */
  line = (): void => {
    this.lines++;
  };

  event = (e: TraceEvent): void => {
    const r = eventRecord(e);
    this.emit({ kind: r.kind, traceLine: this.lines, ...r });
  };

  exit(code: number): void {
    this.emit({ kind: 'exit', code, traceLines: this.lines });
  }

  /** The run stopped on an error (a division by zero the simulator does not model): the last record instead of `exit`. */
  error(message: string): void {
    this.emit({ kind: 'error', message, traceLines: this.lines });
  }
}
