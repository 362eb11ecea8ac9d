/** `stackdebug plot FILE`: each goroutine's stack size and bytes in use over the run. */
// node:fs's synchronous calls: node:fs/promises would load with every command (and readline with it).
import { writeFileSync } from 'node:fs';
import type { CommandModule } from 'yargs';
import { handled } from './errors.js';
import { colorOption, examples, runOptions, wholeNumberArg, type ColorArgs, type RunArgs } from './options.js';
import { colorLevel } from './color.js';

interface Args extends RunArgs, ColorArgs {
  file: string;
  out?: string;
  goroutines: number;
  format?: 'svg' | 'text';
}

export const plotCommand: CommandModule<object, Args> = {
  command: 'plot <file>',
  describe: 'Plot the stack size and bytes in use of each goroutine over the run (SVG, or text on a terminal)',
  builder: (y) =>
    y
      .positional('file', { type: 'string', demandOption: true, describe: 'a .go file or a .yaml scenario' })
      .options(runOptions)
      .options(colorOption)
      .options({
        out: { type: 'string', requiresArg: true, alias: 'o', describe: 'write the chart to this file (SVG unless --format text)' },
        goroutines: {
          type: 'string', requiresArg: true,
          coerce: wholeNumberArg,
          default: 8,
          describe: 'draw at most this many goroutines (main and the largest stacks; 1 to 10)',
        },
        format: {
          choices: ['svg', 'text'] as const,
          describe: 'svg or text; default: text on a terminal without --out, else svg',
        },
      })
      .epilogue(examples([
        ['$0 plot scenarios/deep-recursion.yaml --out stack.svg', 'an SVG chart'],
        ['$0 plot scenarios/shrink-twice.yaml', 'a text chart in the terminal'],
        ['$0 plot prog.go > stack.svg', 'SVG on stdout when it is not a terminal'],
      ])) as never,
  handler: handled(async (args: Args) => {
    const { InputError } = await import('../program/model.js');
    if (!Number.isInteger(args.goroutines) || args.goroutines < 1 || args.goroutines > 10) {
      throw new InputError(`must be a whole number from 1 to 10, not ${args.goroutines}`, { file: '--goroutines' });
    }
    const { getProfile } = await import('../profiles/index.js');
    const { recordFile } = await import('../plot/series.js');
    const go = getProfile(args.go).version;
    const history = await recordFile(args.file, { go: args.go, gomaxprocs: args.gomaxprocs });
    const info = { file: args.file, go, gomaxprocs: args.gomaxprocs, maxGoroutines: args.goroutines };
    const format = args.format ?? (args.out === undefined && process.stdout.isTTY ? 'text' : 'svg');
    let text: string;
    if (format === 'text') {
      const { renderText } = await import('../plot/text.js');
      const { PALETTE } = await import('../plot/svg.js');
      const { default: chalk } = await import('chalk');
      const color = args.out === undefined && (await colorLevel(args.color)) > 0;
      text = renderText(history, {
        ...info,
        columns: args.out === undefined ? process.stdout.columns || 80 : 100,
        paint: color ? (i, s) => chalk.hex(PALETTE[i % PALETTE.length])(s) : undefined,
      });
    } else {
      const { renderSvg } = await import('../plot/svg.js');
      text = renderSvg(history, info);
    }
    if (args.out !== undefined) {
      try {
        writeFileSync(args.out, text);
      } catch (err) {
        throw new InputError(`cannot write: ${(err as Error).message}`, { file: args.out });
      }
      process.stderr.write(`stackdebug: wrote ${args.out} (${history.goroutines.length.toLocaleString('en-US')} goroutine${history.goroutines.length === 1 ? '' : 's'}, ` +
        `${history.events.toLocaleString('en-US')} events)\n`);
    } else {
      process.stdout.write(text);
    }
    return 0;
  }),
};
