/**
 * A status line on stderr for long runs: "simulating: 2,400,000 statements, 1,234 lines", redrawn
 * in place at most every 250 ms and erased at the end. Only when stderr is a terminal and stdout
 * is not the same terminal (there the trace itself scrolls by, and a status line would tear it).
 */

const INTERVAL_MS = 250;

export interface Progress {
  /** Counts one printed line (wrap the writer with it). */
  line(): void;
  /** Called from the engine's ready(), between slices, with the statements simulated so far. */
  tick(statements: number): void;
  /** Erases the status line. */
  done(): void;
}

const NONE: Progress = { line() {}, tick() {}, done() {} };

export function startProgress(
  err: NodeJS.WriteStream = process.stderr,
  out: NodeJS.WriteStream = process.stdout,
  now: () => number = Date.now,
): Progress {
  if (!err.isTTY || out.isTTY) return NONE;
  const t0 = now();
  let next = t0 + INTERVAL_MS;
  let lines = 0;
  let shown = false;
  const fmt = (n: number) => n.toLocaleString('en-US');
  return {
    line() {
      lines++;
    },
    tick(statements) {
      const t = now();
      if (t < next) return;
      next = t + INTERVAL_MS;
      const secs = ((t - t0) / 1000).toFixed(1);
      err.write(`\r\x1b[Ksimulating: ${fmt(Math.round(statements))} statements, ${fmt(lines)} lines printed, ${secs}s`);
      shown = true;
    },
    done() {
      if (shown) err.write('\r\x1b[K');
      shown = false;
    },
  };
}

/** Progress messages of a long step (building, running a toolchain): on stderr when it is a terminal. */
export function stepNotes(err: NodeJS.WriteStream = process.stderr): ((msg: string) => void) | undefined {
  return err.isTTY ? (msg: string) => err.write(`stackdebug: ${msg}\n`) : undefined;
}
