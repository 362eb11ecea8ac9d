/**
 * `stackdebug frames FILE`: the frame model's sizes for every function, beside the real
 * compiler's when a toolchain of that Go release is installed.
 */
import type { CommandModule } from 'yargs';
import { handled } from './errors.js';
import { examples, DEFAULT_GO, GO_VERSIONS } from './options.js';
import { stepNotes } from './progress.js';

interface Args {
  file: string;
  go: string;
  compiler: boolean;
  goroot?: string;
}

export const framesCommand: CommandModule<object, Args> = {
  command: 'frames <file>',
  describe: "Show each function's frame size, argument size and NOSPLIT from the frame model, and the compiler's",
  builder: (y) =>
    y
      .positional('file', { type: 'string', demandOption: true, describe: 'a .go file or a .yaml scenario' })
      .options({
        go: { type: 'string', requiresArg: true, default: DEFAULT_GO, describe: `Go version of the frame model: ${GO_VERSIONS.join(', ')}` },
        compiler: {
          type: 'boolean',
          default: true,
          describe: "compare with the real compiler's $frame-args when that Go release is installed (--no-compiler: the model only)",
        },
        goroot: { type: 'string', requiresArg: true, describe: 'the GOROOT of the toolchain to compare with' },
      })
      .epilogue(examples([
        ['$0 frames scenarios/seed-abc.yaml --go 1.19', 'model and compiler side by side'],
      ]))
      .epilogue(
        'frame is $frame of the TEXT line (locals, outgoing arguments and the saved BP, not the return\n' +
          'address); args is $args. Rows where the compiler disagrees are marked DIFF; the exit status is\n' +
          '1 if any row is.',
      ) as never,
  handler: handled(async (args: Args) => {
    const { getProfile } = await import('../profiles/index.js');
    const { loadProgram } = await import('../scenario/load.js');
    const { frameLayout } = await import('../program/frame.js');
    const profile = getProfile(args.go);
    const program = await loadProgram(args.file);
    const model = [...program.funcs.values()].map((f) => ({ name: f.name, ...frameLayout(f, program, profile) }));

    let compiler: Map<string, { frame: number; args: number; nosplit?: boolean }> | null = null;
    let compilerName = '';
    if (args.compiler) {
      const { findToolchain } = await import('../record/toolchain.js');
      const tc = await findToolchain(profile.version, { goroot: args.goroot }).catch((err: Error) => {
        // Without a toolchain there is nothing to compare with: one line, then the model alone.
        if (args.goroot) throw err;
        process.stderr.write(`stackdebug: no Go ${profile.version} toolchain found: showing the frame model only ` +
          `(apt-get install golang-${profile.version}-go golang-${profile.version}-src, or pass --goroot DIR)\n`);
        return null;
      });
      if (tc) {
        const { goSourceOf } = await import('../record/source.js');
        const { compilerFrames } = await import('../record/record.js');
        const progress = stepNotes();
        compiler = await compilerFrames(await goSourceOf(args.file, program), {
          version: profile.version, goroot: tc.goroot, onProgress: progress,
        });
        compilerName = tc.fullVersion;
      }
    }

    const header = ['function', 'frame', 'args', 'nosplit'];
    if (compiler) header.push(`${compilerName} frame`, 'args', 'nosplit', '');
    const rows: string[][] = [header];
    let diffs = 0;
    for (const m of model) {
      const row = [m.name, String(m.frame), String(m.args), m.nosplit ? 'yes' : 'no'];
      if (compiler) {
        const c = compiler.get(m.name);
        if (!c) {
          row.push('-', '-', '-', 'DIFF (no TEXT line: inlined?)');
          diffs++;
        } else {
          const what = [
            c.frame !== m.frame ? 'frame' : '',
            c.args !== m.args ? 'args' : '',
            c.nosplit !== undefined && c.nosplit !== m.nosplit ? 'nosplit' : '',
          ].filter(Boolean);
          row.push(String(c.frame), String(c.args), c.nosplit === undefined ? '-' : c.nosplit ? 'yes' : 'no',
            what.length ? `DIFF (${what.join(', ')})` : '');
          if (what.length) diffs++;
        }
      }
      rows.push(row);
    }
    process.stdout.write(formatTable(rows, new Set([1, 2, 4, 5])));
    if (compiler) {
      process.stderr.write(diffs ? `${diffs} of ${model.length} functions differ from the compiler\n`
        : `all ${model.length} functions agree with the compiler\n`);
    }
    return diffs ? 1 : 0;
  }),
};

/** Columns padded to their widest cell; numeric columns right-aligned; no trailing blanks. */
export function formatTable(rows: string[][], numeric: Set<number>): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows
    .map((r) => r.map((c, i) => (numeric.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd())
    .join('\n') + '\n';
}
