/** Turns any failure into one clear line on stderr and an exit status: never a JavaScript stack trace. */
import { InputError } from '../program/model.js';

export const EXIT_INPUT_ERROR = 1;

/** An error as its one line says it, without the `stackdebug: ` prefix. */
export function errorMessage(err: unknown): string {
  if (err instanceof InputError) return err.format();
  const e = err as Error | undefined;
  return `internal error: ${e && e.message ? e.message : String(err)}`;
}

export function reportError(err: unknown): number {
  if (err instanceof InputError) {
    process.stderr.write(`stackdebug: ${errorMessage(err)}\n`);
    return EXIT_INPUT_ERROR;
  }
  const e = err as NodeJS.ErrnoException;
  if (e && e.code === 'EPIPE') return 0; // reader went away (stackdebug run x | head)
  process.stderr.write(`stackdebug: ${errorMessage(err)}\n` +
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

/**
 * A usage error of yargs' (unknown option, missing value or file) in the tool's words, as one
 * line like its other errors: options with their dashes as the user typed them.
 */
export function usageError(msg: string, argv: readonly string[]): string {
  const flag = (name: string) => argv.find((a) => a === `--${name}` || a.startsWith(`--${name}=`) || a === `-${name}`)?.split('=')[0];
  const unknown = /^Unknown arguments?: (.*)$/.exec(msg);
  if (unknown) {
    const names = unknown[1]!.split(', ');
    const options = names.flatMap((n) => flag(n) ?? []);
    if (options.length === names.length) return `unknown option${names.length > 1 ? 's' : ''} ${options.join(', ')}`;
    return `unknown command or extra argument: ${names.filter((n) => !flag(n)).join(', ')}`;
  }
  const missing = /^Not enough arguments following: (.*)$/.exec(msg);
  if (missing) return `${flag(missing[1]!) ?? `--${missing[1]}`} needs a value`;
  if (/^Not enough non-option arguments/.test(msg)) return 'the command needs a file (or a directory) to work on';
  return msg.charAt(0).toLowerCase() + msg.slice(1);
}
