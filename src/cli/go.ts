/** `stackdebug go FILE`: the Go program a scenario (or a .go file, normalized) stands for. */
import type { CommandModule } from 'yargs';
import { handled } from './errors.js';
import { examples } from './options.js';

interface Args {
  file: string;
}

export const goCommand: CommandModule<object, Args> = {
  command: 'go <file>',
  describe: 'Print the Go program FILE stands for (a scenario translated to Go; a .go file normalized)',
  builder: (y) =>
    y
      .positional('file', { type: 'string', demandOption: true, describe: 'a .yaml scenario or a .go file' })
      .epilogue(examples([
        ['$0 go scenarios/seed-abc.yaml > main.go', 'the seed scenario as a Go program'],
      ]))
      .epilogue('Every function is //go:noinline, as the frame model assumes.') as never,
  handler: handled(async (args: Args) => {
    const { loadProgram } = await import('../scenario/load.js');
    const { programToGo } = await import('../program/emit-go.js');
    process.stdout.write(programToGo(await loadProgram(args.file)));
    return 0;
  }),
};
