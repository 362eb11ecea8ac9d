/**
 * Structured events the simulated runtime reports beside its trace lines, for explanations,
 * JSON output and plots. Each event is reported right after the trace line it belongs to.
 */
export type StackSource = 'cache' | 'refill' | 'pool' | 'heap' | 'stackLarge';
export type StackDest = 'cache' | 'release' | 'pool' | 'heap' | 'stackLarge';

export type TraceEvent =
  | { kind: 'stackalloc'; size: number; addr: number; source: StackSource; order: number | null }
  | { kind: 'stackfree'; size: number; addr: number; dest: StackDest; order: number | null }
  | { kind: 'stackcache-clear'; p: number }
  | {
      kind: 'morestack'; g: number; fn: string; frame: number; sp: number; guard: number;
      lo: number; hi: number; used: number; line: number | null;
    }
  | {
      kind: 'copystack'; g: number; reason: 'grow' | 'shrink'; oldSize: number; newSize: number;
      used: number; oldLo: number; newLo: number; policy: string; needed: number | null;
    }
  | { kind: 'shrink'; g: number; oldSize: number; newSize: number; used: number; limit: number }
  | { kind: 'overflow'; g: number; size: number; newSize: number }
  /** newstack found sysmon's preemption request (stackguard0 = stackPreempt) instead of a full stack. */
  | { kind: 'preempt'; g: number; fn: string; sp: number; lo: number; hi: number; used: number; line: number | null }
  | { kind: 'output'; g: number; text: string; line: number | null }
  | { kind: 'call'; g: number; fn: string; used: number; size: number; line: number | null }
  | { kind: 'return'; g: number; fn: string; used: number; size: number }
  | { kind: 'go'; g: number; parent: number | null; fn: string }
  | { kind: 'goexit'; g: number }
  | { kind: 'gc'; phase: 'start' | 'end'; cycle: number };

export interface EventSink {
  (e: TraceEvent): void;
  /** Whether call and return events are wanted (they are many). */
  calls?: boolean;
}
