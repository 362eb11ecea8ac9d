/**
 * The command line. Commands are declared as data in ./commands.ts; each handler imports its
 * heavy modules (parser, simulator) lazily, so `--help` starts instantly.
 */
import { readFileSync } from 'node:fs';
import yargs from 'yargs';
import { commands } from './commands.js';

/** The package's version, read next to the build (dist/cli or dist/bundle), wherever the cwd is. */
function packageVersion(): string {
  try {
    return JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

export async function main(argv: string[]): Promise<void> {
  let cli = yargs(argv)
    .scriptName('stackdebug')
    .usage(
      'stackdebug: run a Go program (or a YAML scenario) on a simulated Go runtime and print the\n' +
        'trace the real runtime prints when runtime/stack.go is built with stackDebug = 1.\n\n' +
        'Usage: $0 <command> [options]',
    )
    .strict()
    .demandCommand(1, 'Name a command: run, check, ... (see the list above).')
    .recommendCommands()
    .epilogue(
      'Examples:\n' +
        '  stackdebug run scenarios/seed-abc.yaml              the seed program on Go 1.24\n' +
        '  stackdebug run main.go --go 1.19 --gomaxprocs 2     a Go file on Go 1.19, two Ps\n' +
        '\nInput errors name file:line:col and exit 1; a simulated program exits with its own\n' +
        'status (2 after "fatal error: stack overflow").',
    )
    .wrap(Math.min(100, process.stdout.columns || 100))
    .help()
    .alias('h', 'help')
    .version(packageVersion())
    .alias('V', 'version');
  for (const c of commands) cli = cli.command(c);
  await cli.parseAsync();
}
