/** Turns any failure into one clear line on stderr and an exit status: never a JavaScript stack trace. */
import { InputError } from '../program/model.js';

export const EXIT_INPUT_ERROR = 1;

export function reportError(err: unknown): number {
  if (err instanceof InputError) {
    process.stderr.write(`stackdebug: ${err.format()}\n`);
    return EXIT_INPUT_ERROR;
  }
  const e = err as NodeJS.ErrnoException;
  if (e && e.code === 'EPIPE') return 0; // reader went away (stackdebug run x | head)
  const msg = e && e.message ? e.message : String(err);
  process.stderr.write(`stackdebug: internal error: ${msg}\n` +
    (process.env.STACKDEBUG_DEBUG ? `${(e && e.stack) || ''}\n` : '(set STACKDEBUG_DEBUG=1 for details)\n'));
  return 70;
}

/** Wraps a command handler so that errors and exit statuses are handled in one place. */
export function handled<A>(fn: (args: A) => Promise<number>): (args: A) => Promise<void> {
  return async (args: A) => {
    let code: number;
    try {
      code = await fn(args);
    } catch (err) {
      code = reportError(err);
    }
    process.exitCode = code;
  };
}
