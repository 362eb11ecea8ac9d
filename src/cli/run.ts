/** `stackdebug run FILE`: print the simulated trace of one program. */
import type { CommandModule } from 'yargs';
import { handled } from './errors.js';
import { buildOptions, examples, runOptions, viewOptions, type BuildArgs, type RunArgs, type ViewArgs } from './options.js';

interface Args extends RunArgs, ViewArgs, BuildArgs {
  file: string;
  frames: 'model' | 'compiler';
}

export const runCommand: CommandModule<object, Args> = {
  command: 'run <file>',
  describe: 'Simulate FILE (a .go program or a .yaml scenario) and print its stackDebug trace',
  builder: (y) =>
    y
      .positional('file', { type: 'string', demandOption: true, describe: 'a .go file or a .yaml scenario; - reads it from standard input' })
      .options(runOptions)
      .option('frames', {
        choices: ['model', 'compiler'] as const,
        default: 'model' as const,
        describe: "frame sizes: the frame model's, or the real Go compiler's (needs that Go release installed)",
      })
      .options(viewOptions)
      .options(buildOptions)
      .epilogue(examples([
        ['$0 run scenarios/seed-abc.yaml', 'main -> a -> b -> c: two stack growths'],
        ['$0 run prog.go --go 1.14', 'the same program under the Go 1.14 growth policy'],
        ['cat prog.go | $0 run -', 'a program from standard input (Go if it starts with `package`, else YAML)'],
        ['$0 run scenarios/seed-abc.yaml --explain', 'each runtime line followed by a note of why'],
        ['$0 run scenarios/seed-abc.yaml --format json', 'one JSON object per event (NDJSON)'],
        ['$0 run prog.go --go 1.19 --environ minimal', 'heap addresses as in `stackdebug record prog.go`'],
        ['$0 run prog.go --go 1.19 --environ minimal --code compiler', 'and code addresses too (needs Go 1.19)'],
      ]))
      .epilogue('A .go file, once parsed, is kept in ~/.cache/stackdebug/programs ($XDG_CACHE_HOME/stackdebug when set) ' +
        'for the next run of the same bytes; STACKDEBUG_CACHE=off keeps nothing.') as never,
  handler: handled(async (args: Args) => {
    const { runFile } = await import('../engine.js');
    const { LineWriter } = await import('./output.js');
    const opts = { go: args.go, gomaxprocs: args.gomaxprocs, frames: args.frames, buildDir: args.buildDir, goroot: args.tracebackGoroot, environ: args.environ, code: args.code };
    // --explain, --format json, or a progress line on a terminal's stderr: see run-view.ts.
    if (args.explain || args.format === 'json' || process.stderr.isTTY) {
      const { runViewed } = await import('./run-view.js');
      return runViewed(args, (o) => runFile(args.file, { ...opts, ...o }));
    }
    const out = new LineWriter();
    const interrupts = out.flushOnInterrupt();
    // What the run wrote before an error (a division by zero at run time) is written all the same.
    let code: number;
    try {
      code = await runFile(args.file, { ...opts, write: out.line, ready: () => out.ready() });
    } finally {
      interrupts();
      await out.end();
    }
    return code;
  }),
};
