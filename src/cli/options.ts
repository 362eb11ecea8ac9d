/** Command-line options shared by several commands, declared as data (yargs option objects). */
import type { Options } from 'yargs';
import type { Environ } from '../runtime/proc.js';

export const GO_VERSIONS = ['1.14', '1.15', '1.19', '1.21', '1.22', '1.23', '1.24'] as const;
export const DEFAULT_GO = '1.24';

export const runOptions = {
  go: {
    type: 'string', requiresArg: true,
    default: DEFAULT_GO,
    describe: `Go version whose runtime to simulate: ${GO_VERSIONS.join(', ')} ("go1.19" also accepted)`,
  },
  gomaxprocs: {
    // A string: yargs would read 0x2 as 2 and abc as NaN; wholeNumberArg keeps what was written.
    type: 'string', requiresArg: true,
    default: 1,
    coerce: wholeNumberArg,
    describe: 'GOMAXPROCS of the simulated process (number of Ps, 1 to 256)',
  },
} satisfies Record<string, Options>;

/**
 * A number option as written. yargs' number type turns "abc" into NaN, which the range check
 * would then report as "not NaN": here decimal text becomes a number, and other text is kept,
 * quoted, for the check (in runFile) to refuse in the user's own words: not "abc". (So the
 * value is a number only once checked: every command hands it to runFile before using it.)
 */
export function wholeNumberArg(value: unknown): number {
  if (typeof value !== 'string') return value as number;
  const text = value.trim();
  return (/^[+-]?\d+(\.\d+)?$/.test(text) ? Number(text) : JSON.stringify(value)) as number;
}

export interface RunArgs {
  go: string;
  gomaxprocs: number;
}

/** Where and how the real program would be built and started (run and check). */
export const buildOptions = {
  'build-dir': {
    type: 'string', requiresArg: true,
    describe: 'directory the real program is built in: tracebacks (fatal errors) name the file there, ' +
      'as the real runtime prints the absolute path it was built at (default: the file as given)',
  },
  'traceback-goroot': {
    type: 'string', requiresArg: true,
    describe: "GOROOT the real program is built with: a fatal error's traceback names the runtime's " +
      'sources under it, as the real runtime prints the path it was built at (default /usr/local/go, ' +
      "the official releases'; `stackdebug record` builds with a patched copy in ~/.cache/stackdebug)",
  },
  environ: {
    choices: ['reference', 'minimal'] as const,
    default: 'reference' as const,
    describe: "the process's environment, which the runtime copies into the heap: the one the reference " +
      'traces were recorded in, or only GOMAXPROCS, as `stackdebug record` runs programs (measured for Go ' +
      '1.15, 1.19 and 1.21 to 1.24)',
  },
  code: {
    choices: ['model', 'compiler'] as const,
    default: 'model' as const,
    describe: "code addresses (the pc: of newstack's morebuf and sched, a traceback's pcs and offsets): the " +
      "model's stand-ins, or the real " +
      "ones of the binary the real Go toolchain builds (needs that release installed): with --environ minimal " +
      'a trace then matches `stackdebug record` byte for byte',
  },
} satisfies Record<string, Options>;

export interface BuildArgs {
  buildDir?: string;
  tracebackGoroot?: string;
  environ: Environ;
  code: 'model' | 'compiler';
}

/** --color / --no-color, for each command that colors its output. */
export const colorOption = {
  color: {
    type: 'boolean',
    describe: 'color the output (default: when stdout is a terminal and NO_COLOR is unset; FORCE_COLOR forces it)',
  },
} satisfies Record<string, Options>;

export interface ColorArgs {
  color?: boolean;
}

/** What `run` prints beside (or instead of) the plain trace. */
export const viewOptions = {
  ...colorOption,
  explain: {
    type: 'boolean',
    default: false,
    describe: 'follow each runtime line of the trace with an indented note of why (dimmed on a terminal); not with --format json',
  },
  format: {
    choices: ['text', 'json'] as const,
    default: 'text' as const,
    describe: 'text: the trace; json: one JSON object per event, one per line (see docs/json-format.md)',
  },
} satisfies Record<string, Options>;

export interface ViewArgs extends ColorArgs {
  explain: boolean;
  format: 'text' | 'json';
}

/**
 * A command's examples for its help, each command on a line of its own and what it does
 * indented under it: yargs' .example() sets them in two columns and breaks a long command in two.
 */
export function examples(list: readonly (readonly [string, string])[]): string {
  return 'Examples:\n' + list.map(([command, what]) => `  ${command}\n      ${what}\n`).join('');
}
