/**
 * `stackdebug record FILE`: run FILE on the real Go runtime (an installed toolchain, copied with
 * stackDebug = 1) and print the trace it prints: the reference the simulator is compared with.
 */
// node:fs's synchronous calls: node:fs/promises would load with every command (and readline with it).
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { CommandModule } from 'yargs';
import { handled } from './errors.js';
import { stepNotes } from './progress.js';
import { examples, wholeNumberArg } from './options.js';

interface Args {
  file: string;
  go: string;
  gomaxprocs: number;
  runs: number;
  out?: string;
  goroot?: string;
}

export const DEFAULT_RECORD_GO = '1.19';

export const recordCommand: CommandModule<object, Args> = {
  command: 'record <file>',
  describe: 'Build FILE with a real Go toolchain patched to stackDebug = 1, run it, and print its trace',
  builder: (y) =>
    y
      .positional('file', { type: 'string', demandOption: true, describe: 'a .go file or a .yaml scenario' })
      .options({
        go: { type: 'string', requiresArg: true, default: DEFAULT_RECORD_GO, describe: 'Go release to record with (1.NN); it must be installed' },
        gomaxprocs: { type: 'string', requiresArg: true, coerce: wholeNumberArg, default: 1, describe: 'GOMAXPROCS of every run' },
        runs: { type: 'string', requiresArg: true, coerce: wholeNumberArg, default: 20, describe: 'how many runs to take the most frequent trace of (with fewer, a rare thread timing, such as an extra M, is kept more often)' },
        out: { type: 'string', requiresArg: true, describe: 'write the trace to this file (atomically) instead of stdout' },
        goroot: { type: 'string', requiresArg: true, describe: 'the GOROOT of the toolchain to use (default: $GOROOT, the go on PATH, /usr/lib/go-1.NN)' },
      })
      .epilogue(examples([
        ['$0 record scenarios/seed-abc.yaml', 'the real Go 1.19 trace of the seed scenario'],
        ['$0 record prog.go --gomaxprocs 2 --out prog.go1.19.p2.log', 'a fixture for two Ps'],
      ]))
      .epilogue(
        'A scenario is translated to Go first (see `stackdebug go`); a .go file is built as it is. The\n' +
          'installed toolchain is never changed: a patched copy is made once in ~/.cache/stackdebug.\n' +
          'Thread timing makes traces vary, so the most frequent of --runs traces is kept; stderr says\n' +
          'how many runs agreed and, when some did not, how the runs split among the different traces\n' +
          '(e.g. "4 of 7 runs agreed (3 different traces, of 4 + 2 + 1 runs)"). The exit status is the\n' +
          'program\'s.',
      ) as never,
  handler: handled(async (args: Args) => {
    const { InputError } = await import('../program/model.js');
    const { loadProgram } = await import('../scenario/load.js');
    const { goFileNameOf, goSourceOf } = await import('../record/source.js');
    const { recordTrace } = await import('../record/record.js');
    if (!Number.isInteger(args.runs) || args.runs < 1) {
      throw new InputError(`must be a positive whole number, not ${args.runs}`, { file: '--runs' });
    }
    if (!Number.isInteger(args.gomaxprocs) || args.gomaxprocs < 1 || args.gomaxprocs > 256) {
      throw new InputError(`must be a whole number from 1 to 256, not ${args.gomaxprocs}`, { file: '--gomaxprocs' });
    }
    const program = await loadProgram(args.file);
    const source = await goSourceOf(args.file, program);
    const progress = stepNotes();
    const result = await recordTrace(source, {
      version: args.go,
      goroot: args.goroot,
      gomaxprocs: args.gomaxprocs,
      runs: args.runs,
      fileName: goFileNameOf(args.file),
      onProgress: progress,
    });
    const agreed = agreement(result);
    if (args.out) {
      await writeAtomically(args.out, result.trace);
      process.stderr.write(`stackdebug: wrote ${args.out} (${agreed})\n`);
    } else {
      await new Promise<void>((resolve, reject) => process.stdout.write(result.trace, (err) => (err ? reject(err) : resolve())));
      process.stderr.write(`${agreed}\n`);
    }
    return result.exitCode;
  }),
};

/**
 * "4 of 7 runs agreed", and when they did not all agree, how the runs split among the different
 * traces (thread timing: sysmon, an extra M, GC workers), so a fixture's reader knows how
 * repeatable the real trace is.
 */
export function agreement(r: { agreed: number; runs: number; shares: number[] }): string {
  const head = `${r.agreed} of ${r.runs} runs agreed`;
  if (r.shares.length < 2) return head;
  const tie = r.shares[1] === r.agreed ? '; of the tied traces, the first seen is kept' : '';
  return `${head} (${r.shares.length} different traces, of ${r.shares.join(' + ')} runs${tie})`;
}

/** Writes a temporary file beside `path` and renames it over `path`: readers never see half a trace. */
async function writeAtomically(path: string, text: string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}`);
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    const { InputError } = await import('../program/model.js');
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOENT' ? 'no such directory' : e.code === 'EACCES' || e.code === 'EPERM' ? 'permission denied'
      : e.code === 'EISDIR' ? 'is a directory' : e.message;
    throw new InputError(`cannot write the trace: ${why}`, { file: path });
  }
}
