/** The simulated process: a program model, a profile, Ps; out come trace lines and an exit status. */
import type { Program } from '../program/model.js';
import type { Profile } from '../profiles/profile.js';
import type { EventSink } from './events.js';
import { Runtime, type Environ } from './proc.js';
import { DivideByZero, IntOverflow, type Arithmetic } from './code.js';
import { InputError } from '../program/model.js';
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
  /** GOROOT tracebacks name (SimOptions.goroot). */
  goroot?: string;
  /** Exact from the start (code.ts Arithmetic); by default in doubles until they do not do. */
  arithmetic?: Arithmetic;
}

/**
 * Statements simulated between two checks of the output at most: some tens of milliseconds. A
 * slice is long because every return to the scheduler leaves the compiled loop (jit.ts) and
 * re-entering it starts in unoptimized code.
 */
const SLICE = 5_000_000;
/** Lines and events a slice writes at most before the output may drain. */
const SLICE_OUTPUT = 20_000;

/**
 * Runs the program with its ints in doubles, the fast way (code.ts Arithmetic). A value they do
 * not hold exactly stops that run: it starts again with exact 64-bit ints and goes on from where
 * the first stopped, leaving out the lines and events already written (both runs agree on
 * everything up to that point: the run is deterministic, and so far every value was exact).
 */
export async function simulate(program: Program, profile: Profile, opts: SimulateOptions): Promise<number> {
  if (opts.arithmetic === 'int64') return run(program, profile, opts, 'int64');
  let lines = 0;
  let events = 0;
  const counted = passing(opts, () => { lines++; return true; }, () => { events++; return true; });
  try {
    return await run(program, profile, counted, 'double');
  } catch (err) {
    if (!(err instanceof IntOverflow)) throw err;
  }
  const skipping = passing(opts, () => (lines > 0 ? (lines--, false) : true), () => (events > 0 ? (events--, false) : true));
  return run(program, profile, skipping, 'int64');
}

/** The options with each line and event written only where `line` and `event` say so. */
function passing(opts: SimulateOptions, line: () => boolean, event: () => boolean): SimulateOptions {
  const sink = opts.event;
  return {
    ...opts,
    write: (l) => { if (line()) opts.write(l); },
    event: sink && Object.assign((e: Parameters<EventSink>[0]) => { if (event()) sink(e); }, { calls: sink.calls }),
  };
}

async function run(program: Program, profile: Profile, opts: SimulateOptions, arithmetic: Arithmetic): Promise<number> {
  const rt = new Runtime(profile, program, { ...opts, arithmetic });
  const slice = Math.max(1, opts.sliceStatements ?? SLICE);
  for (;;) {
    let code: number | null;
    try {
      code = rt.runSlice(slice, SLICE_OUTPUT);
    } catch (err) {
      throw err instanceof DivideByZero ? divideByZero(rt) : err;
    }
    if (code !== null) return code;
    if (opts.ready) await opts.ready(rt.clock - rt.spent);
  }
}

/** Where the running goroutine divided by zero: a panic in the real program, not simulated. */
function divideByZero(rt: Runtime): InputError {
  const g = rt.curG;
  const line = g && g.frames.depth > 0 ? g.frames.line(g.frames.depth - 1) : undefined;
  return new InputError('integer divide by zero: the real program panics here (panic: runtime error: integer divide by zero), which the simulator does not model', { file: rt.program.file, line });
}
