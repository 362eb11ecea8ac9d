/**
 * The command line. Commands are declared as data in ./commands.ts; each handler imports its
 * heavy modules (parser, simulator) lazily, so `--help` starts instantly.
 */
import { readFileSync } from 'node:fs';
import yargs from 'yargs';
import { STDIN } from '../scenario/load.js';
import { isCached } from '../scenario/parsed-cache.js';
import { commands } from './commands.js';
import { EXIT_INPUT_ERROR, usageError } from './errors.js';

/** The package's version, read next to the build (dist/cli or dist/bundle), wherever the cwd is. */
function packageVersion(): string {
  try {
    return JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

const wantsHelp = (argv: string[]) => argv.some((a) => a === '--help' || a === '-h' || a === 'help');

export async function main(argv: string[]): Promise<void> {
  // `stackdebug help run` as `stackdebug run --help`, as go help run.
  if (argv[0] === 'help') argv = [...argv.slice(1), '--help'];
  // `-` for standard input: yargs would drop a lone `-` (yargs/yargs#1312), its path it keeps.
  argv = argv.map((a) => (a === '-' ? STDIN : a));
  // A .go argument needs the Go parser, unless its program is cached: its WebAssembly compiles
  // on V8's background threads, so starting it before the command line is parsed lets the two
  // overlap.
  const goFile = argv.find((a) => a.endsWith('.go'));
  if (goFile && !isCached(goFile)) {
    const { goParser } = await import('../scenario/treesitter.js');
    goParser().catch(() => {});
  }
  let cli = yargs(argv)
    .scriptName('stackdebug')
    .usage(
      'stackdebug: run a Go program (or a YAML scenario) on a simulated Go runtime and print the\n' +
        'trace the real runtime prints when runtime/stack.go is built with stackDebug = 1.\n\n' +
        'Usage: $0 <command> [options]',
    )
    .strict()
    .demandCommand(1, 'Name a command: run, check, record, ... (stackdebug --help lists them).')
    // A mistyped command or option gets one line of explanation, not the whole help.
    .fail((msg, err) => {
      process.stderr.write(`stackdebug: ${usageError(msg ?? err?.message ?? String(err), argv)} (stackdebug --help, or COMMAND --help, for usage)\n`);
      process.exit(EXIT_INPUT_ERROR);
    })
    .recommendCommands()
    .epilogue(
      'Examples:\n' +
        '  stackdebug run scenarios/seed-abc.yaml              the seed program on Go 1.24\n' +
        '  stackdebug run main.go --go 1.19 --gomaxprocs 2     a Go file on Go 1.19, two Ps\n' +
        '\nThe trace (stderr and stdout of the real program, in order):\n' +
        '  stackalloc N / stackcacherefill order=K / allocated X   a stack of N bytes, from the P\'s\n' +
        '        cache (refilled from the global pool when empty) or, from 32 KiB on, its own span\n' +
        '  runtime: newstack ... morebuf= sched=   a function\'s prologue found too little stack\n' +
        '  copystack gp=G [lo used hi] -> [lo used hi]/N   the used part moves to a new stack\n' +
        '  stackfree X N / stack grow done   the old stack goes back; the function runs on\n' +
        '  shrinking stack A->B   a GC halved a stack that used less than a quarter of itself\n' +
        '  stackcache clear   the end of a GC cycle empties each P\'s stack cache\n' +
        '\nInput errors name file:line:col and exit 1; a simulated program exits with its own\n' +
        'status (2 after "fatal error: stack overflow").',
    )
    // yargs renders the whole help text on every command run (to cache it); laid out without
    // wrapping that costs a few milliseconds instead of ten, so wrap only when help is asked for.
    .wrap(wantsHelp(argv) ? Math.min(100, process.stdout.columns || 100) : null)
    .help()
    .alias('h', 'help')
    .version(packageVersion())
    .alias('V', 'version');
  for (const c of commands) cli = cli.command(c);
  await cli.parseAsync();
}
