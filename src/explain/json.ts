/**
 * `run --format json`: one JSON object per event (NDJSON). The fields are documented in
 * docs/json-format.md; keep the two in step.
 */
import type { TraceEvent } from '../runtime/events.js';

export type JsonRecord = Record<string, string | number | boolean | null>;

const hex = (v: number) => '0x' + v.toString(16);

/** An address as both a number and the runtime's hex spelling: addr, addrHex. */
function addr(o: JsonRecord, name: string, v: number): void {
  o[name] = v;
  o[name + 'Hex'] = hex(v);
}

/** The record of one event, without the stream fields (seq, traceLine). */
export function eventRecord(e: TraceEvent): JsonRecord {
  const o: JsonRecord = { kind: e.kind };
  switch (e.kind) {
    case 'stackalloc':
      o.size = e.size;
      addr(o, 'addr', e.addr);
      o.source = e.source;
      o.order = e.order;
      break;
    case 'stackfree':
      o.size = e.size;
      addr(o, 'addr', e.addr);
      o.dest = e.dest;
      o.order = e.order;
      break;
    case 'stackcache-clear':
      o.p = e.p;
      break;
    case 'morestack':
      o.goroutine = e.g;
      o.function = e.fn;
      o.frame = e.frame;
      addr(o, 'sp', e.sp);
      addr(o, 'guard', e.guard);
      addr(o, 'lo', e.lo);
      addr(o, 'hi', e.hi);
      o.size = e.hi - e.lo;
      o.used = e.used;
      o.line = e.line;
      break;
    case 'copystack':
      o.goroutine = e.g;
      o.reason = e.reason;
      o.oldSize = e.oldSize;
      o.newSize = e.newSize;
      o.used = e.used;
      o.copied = e.used;
      addr(o, 'oldLo', e.oldLo);
      addr(o, 'oldHi', e.oldLo + e.oldSize);
      addr(o, 'newLo', e.newLo);
      addr(o, 'newHi', e.newLo + e.newSize);
      o.policy = e.policy;
      o.needed = e.needed;
      break;
    case 'shrink':
      o.goroutine = e.g;
      o.oldSize = e.oldSize;
      o.newSize = e.newSize;
      o.used = e.used;
      o.limit = e.limit;
      break;
    case 'overflow':
      o.goroutine = e.g;
      o.size = e.size;
      o.newSize = e.newSize;
      o.maxStackSize = 1_000_000_000;
      break;
    case 'output':
      o.goroutine = e.g;
      o.text = e.text;
      o.line = e.line;
      break;
    case 'call':
      o.goroutine = e.g;
      o.function = e.fn;
      o.used = e.used;
      o.size = e.size;
      o.line = e.line;
      break;
    case 'return':
      o.goroutine = e.g;
      o.function = e.fn;
      o.used = e.used;
      o.size = e.size;
      break;
    case 'go':
      o.goroutine = e.g;
      o.parent = e.parent;
      o.function = e.fn;
      break;
    case 'goexit':
      o.goroutine = e.g;
      break;
    case 'gc':
      o.phase = e.phase;
      o.cycle = e.cycle;
      break;
  }
  return o;
}

/**
 * Turns a run into NDJSON lines: a `start` record, one record per event, an `exit` record.
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
}
