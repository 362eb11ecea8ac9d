/** The simulated process: a program model, a profile, Ps; out come trace lines and an exit status. */
import type { Program } from '../program/model.js';
import type { Profile } from '../profiles/profile.js';
import type { EventSink } from './events.js';
import { Runtime, type Environ } from './proc.js';
import type { CodeAddresses } from './text.js';

export interface SimulateOptions {
  gomaxprocs: number;
  write: (line: string) => void;
  /** Structured events beside the lines (explanations, JSON, plots). */
  event?: EventSink;
  /**
   * Awaited between slices of the run: lets the output drain, so memory stays flat. Given the
   * statements simulated so far.
   */
  ready?: (statements: number) => Promise<void>;
  /**
   * Statements simulated between two calls of ready at most (default SLICE); a slice also ends
   * after SLICE_OUTPUT lines and events. The trace does not depend on either.
   */
  sliceStatements?: number;
  /** The environment the process starts with (SimOptions.environ). */
  environ?: Environ;
  /** The real code addresses (SimOptions.codeAddresses). */
  codeAddresses?: CodeAddresses;
}

/**
 * Statements simulated between two checks of the output at most: some tens of milliseconds. A
 * slice is long because every return to the scheduler leaves the compiled loop (jit.ts) and
 * re-entering it starts in unoptimized code.
 */
const SLICE = 5_000_000;
/** Lines and events a slice writes at most before the output may drain. */
const SLICE_OUTPUT = 20_000;

export async function simulate(program: Program, profile: Profile, opts: SimulateOptions): Promise<number> {
  const rt = new Runtime(profile, program, opts);
  const slice = Math.max(1, opts.sliceStatements ?? SLICE);
  for (;;) {
    const code = rt.runSlice(slice, SLICE_OUTPUT);
    if (code !== null) return code;
    if (opts.ready) await opts.ready(rt.clock - rt.spent);
  }
}
