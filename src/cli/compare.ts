/** `stackdebug compare FILE --go 1.14,1.19,1.24`: one program under several Go versions, side by side. */
import type { CommandModule } from 'yargs';
import { handled } from './errors.js';
import { examples, GO_VERSIONS, runOptions } from './options.js';

interface Args {
  file: string;
  go: string[];
  gomaxprocs: number;
  format: 'text' | 'json';
}

export const compareCommand: CommandModule<object, Args> = {
  command: 'compare <file>',
  describe: 'Run FILE under several Go versions and compare growths, copies, stack sizes and traces',
  builder: (y) =>
    y
      .positional('file', { type: 'string', demandOption: true, describe: 'a .go file or a .yaml scenario' })
      .options({
        go: {
          type: 'string', requiresArg: true,
          array: true,
          default: ['1.14', '1.19', '1.24'],
          describe: `Go versions, comma-separated or repeated (${GO_VERSIONS.join(', ')}, or "all"); the first is the base`,
          coerce: (v: string[]) => v.flatMap((x) => String(x).split(',')).map((x) => x.trim()).filter(Boolean),
        },
        gomaxprocs: runOptions.gomaxprocs,
        format: { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'a table, or one JSON object per version' },
      })
      .epilogue(examples([
        ['$0 compare scenarios/seed-abc.yaml --go 1.14,1.19,1.24', 'three runtimes side by side'],
        ['$0 compare scenarios/shrink-twice.yaml --go all', 'every simulated version'],
      ])) as never,
  handler: handled(async (args: Args) => {
    const { getProfile, VERSIONS } = await import('../profiles/index.js');
    const { runFile } = await import('../engine.js');
    const { compareVersions, formatComparison } = await import('../compare/compare.js');
    const asked = args.go.includes('all') ? [...VERSIONS] : args.go;
    // Validate (and spell the same way) every version before running any.
    const versions = [...new Set(asked.map((v) => getProfile(v).version))];
    const results = await compareVersions(versions, (go, write, event) =>
      runFile(args.file, { go, gomaxprocs: args.gomaxprocs, write, event }));
    if (args.format === 'json') {
      process.stdout.write(results.map((r) => JSON.stringify(r)).join('\n') + '\n');
    } else {
      process.stdout.write(formatComparison(args.file, results, args.gomaxprocs));
    }
    return 0;
  }),
};
