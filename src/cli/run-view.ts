/**
 * `run` with something beside the plain trace: --explain (a note of why after each runtime line),
 * --format json (NDJSON events) and the progress line on stderr. The plain trace itself is
 * printed by run.ts; this module is imported only when one of these is asked for.
 */
import type { EventSink } from '../runtime/events.js';
import { colorLevel } from './color.js';
import type { RunArgs, ViewArgs } from './options.js';

/** The run itself, as run.ts calls the engine; this module supplies the writer, events and ready(). */
export type RunWith = (o: { write: (line: string) => void; event?: EventSink; ready: (statements: number) => Promise<void> }) => Promise<number>;

export async function runViewed(args: RunArgs & ViewArgs & { file: string }, run: RunWith): Promise<number> {
  const { LineWriter } = await import('./output.js');
  const { startProgress } = await import('./progress.js');
  const out = new LineWriter();
  const interrupts = out.flushOnInterrupt();
  const progress = startProgress();
  let write: (line: string) => void = out.line;
  let event: EventSink | undefined;
  let finish: (code: number) => void = () => {};
  let failed: (err: unknown) => void = () => {};

  if (args.format === 'json') {
    const { JsonStream } = await import('../explain/json.js');
    const { getProfile } = await import('../profiles/index.js');
    const json = new JsonStream(out.line);
    json.start({ file: args.file, go: getProfile(args.go).version, gomaxprocs: args.gomaxprocs });
    write = json.line;
    event = json.event;
    finish = (code) => json.exit(code);
    const { errorMessage } = await import('./errors.js');
    failed = (err) => json.error(errorMessage(err));
  } else if (args.explain) {
    const { Explainer, NOTE_PREFIX } = await import('../explain/explain.js');
    const { default: chalk } = await import('chalk');
    await colorLevel(args.color);
    const ex = new Explainer();
    const note = (n: string | null) => {
      if (n !== null) for (const l of n.split('\n')) out.line(chalk.dim(NOTE_PREFIX + l));
    };
    write = (l) => {
      out.line(l);
      note(ex.line(l));
    };
    event = (e) => note(ex.event(e));
  }

  const counted = (l: string) => {
    progress.line();
    write(l);
  };
  let code: number | undefined;
  try {
    code = await run({
      write: counted,
      event,
      ready: (statements) => {
        progress.tick(statements);
        return out.ready();
      },
    });
  } catch (err) {
    // The stream ends with what stopped it; stderr says it too (errors.ts).
    failed(err);
    throw err;
  } finally {
    interrupts();
    progress.done();
    // What the run wrote before an error (a division by zero at run time) is written all the same.
    if (code === undefined) await out.end();
  }
  finish(code);
  await out.end();
  return code;
}
