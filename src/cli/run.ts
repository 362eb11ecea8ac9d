/** `stackdebug run FILE`: print the simulated trace of one program. */
import type { CommandModule } from 'yargs';
import { handled } from './errors.js';
import { runOptions, type RunArgs } from './options.js';

interface Args extends RunArgs {
  file: string;
  frames: 'model' | 'compiler';
}

export const runCommand: CommandModule<object, Args> = {
  command: 'run <file>',
  describe: 'Simulate FILE (a .go program or a .yaml scenario) and print its stackDebug trace',
  builder: (y) =>
    y
      .positional('file', { type: 'string', demandOption: true, describe: 'a .go file or a .yaml scenario' })
      .options(runOptions)
      .option('frames', {
        choices: ['model', 'compiler'] as const,
        default: 'model' as const,
        describe: "frame sizes: the frame model's, or the real Go compiler's (needs that Go release installed)",
      })
      .example('$0 run scenarios/seed-abc.yaml', 'main -> a -> b -> c: two stack growths')
      .example('$0 run prog.go --go 1.14', 'the same program under the Go 1.14 growth policy') as never,
  handler: handled(async (args: Args) => {
    const { runFile } = await import('../engine.js');
    const { LineWriter } = await import('./output.js');
    const out = new LineWriter();
    const code = await runFile(args.file, { go: args.go, gomaxprocs: args.gomaxprocs, write: out.line, ready: () => out.ready(), frames: args.frames });
    await out.end();
    return code;
  }),
};
