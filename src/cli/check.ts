/** `stackdebug check PATH...`: compare simulated traces with expected traces (fixtures). */
import type { CommandModule } from 'yargs';
import { handled } from './errors.js';
import { buildOptions, colorOption, examples, DEFAULT_GO, runOptions, type BuildArgs, type ColorArgs, type RunArgs } from './options.js';
import { colorLevel } from './color.js';

interface Args extends RunArgs, BuildArgs, ColorArgs {
  paths: string[];
  match: 'exact' | 'code' | 'normalized';
  update: boolean;
  expected?: string;
}

export const checkOptions = {
  match: {
    choices: ['exact', 'code', 'normalized'] as const,
    default: 'exact' as const,
    describe:
      'exact: byte for byte; code: byte for byte but code addresses (pc:, the +0x.. of tracebacks), ' +
      'for a trace from `stackdebug record` checked with --environ minimal; normalized: addresses ' +
      'compare as offsets within their stack (stacks matched one to one), code addresses ignored',
  },
  update: {
    type: 'boolean' as const,
    default: false,
    describe: 'write the expected trace of each input whose fixture is missing or does not match (never one that matches)',
  },
  expected: {
    type: 'string' as const, requiresArg: true,
    describe: 'the expected trace to compare with, instead of <name>.expected.log (one input only)',
  },
  ...colorOption,
};

export const checkCommand: CommandModule<object, Args> = {
  command: 'check <paths..>',
  describe: 'Run each .go/.yaml file (or every one in a directory) and compare its trace with <name>.expected.log',
  builder: (y) =>
    y
      .positional('paths', { type: 'string', array: true, demandOption: true, describe: '.go/.yaml files or directories of them' })
      .options(runOptions)
      .options(checkOptions)
      .options(buildOptions)
      .epilogue(examples([
        ['$0 check scenarios', 'every scenario against its .expected.log'],
        ['$0 check --go 1.14 --match normalized growth.go', 'addresses compared as stack offsets'],
        ['$0 check --update scenarios/new.yaml', 'write scenarios/new.expected.log'],
      ]))
      .epilogue(
        "In an expected trace a line '...' stands for any run of lines. Exit status: 0 when every\n" +
          'input passed, 1 otherwise.',
      ) as never,
  handler: handled(async (args: Args) => {
    const { checkInputs } = await import('../trace/check.js');
    const color = await colorLevel(args.color);
    const out: string[] = [];
    const summary = await checkInputs(
      args.paths,
      {
        go: args.go,
        gomaxprocs: args.gomaxprocs,
        buildDir: args.buildDir,
        goroot: args.tracebackGoroot,
        environ: args.environ,
        code: args.code,
        match: args.match,
        update: args.update,
        expected: args.expected,
        color: color > 0,
        defaults: { go: DEFAULT_GO, gomaxprocs: runOptions.gomaxprocs.default },
        print: (l) => {
          out.push(l);
          if (out.length >= 256) flush(out);
        },
      },
      // The reports so far are written before the next input runs: each as soon as it is made.
      async (path, opts) => {
        flush(out);
        return (await import('../engine.js')).runFile(path, opts);
      },
    );
    flush(out);
    return summary.failed ? 1 : 0;
  }),
};

function flush(out: string[]): void {
  if (out.length) process.stdout.write(out.join('\n') + '\n');
  out.length = 0;
}
