/** From a file to trace lines: load (front ends), pick the profile, simulate. */
import { basename, posix, resolve } from 'node:path';
import { getProfile, VERSIONS, type Profile } from './profiles/index.js';
import { loadProgram } from './scenario/load.js';
import { simulate } from './runtime/simulate.js';
import { InputError } from './program/model.js';
import type { EventSink } from './runtime/events.js';
import type { Environ } from './runtime/proc.js';

export interface RunFileOptions {
  go: string;
  gomaxprocs: number;
  write: (line: string) => void;
  ready?: (statements: number) => Promise<void>;
  /** Structured events beside the trace lines (see src/runtime/events.ts). */
  event?: EventSink;
  /** Frame sizes: the frame model's (default), or the real compiler's (needs that Go release installed). */
  frames?: 'model' | 'compiler';
  /**
   * Frame sizes given per function ([frame, args], the compiler's as a fixture stores them):
   * they replace the frame model's for the functions named.
   */
  frameSizes?: Readonly<Record<string, readonly [number, number]>>;
  /** Statements simulated between two calls of ready (see SimulateOptions). */
  sliceStatements?: number;
  /**
   * The directory the real program would be built in: tracebacks name the source file there, as
   * the real runtime prints the build's absolute path. Without it, the file as given.
   */
  buildDir?: string;
  /** GOROOT the real program is built with: tracebacks name the runtime's files under it (default: the profile's). */
  goroot?: string;
  /** The environment the process starts with: the reference traces' (default) or a minimal one. */
  environ?: Environ;
  /**
   * Code addresses (sched and morebuf pcs): the model's stand-ins (default), or the real ones of
   * the binary that release's toolchain builds (needs it installed).
   */
  code?: 'model' | 'compiler';
}

/** Whether the profile knows the pages the reference traces' environment takes beyond a minimal one. */
export function environMeasured(profile: Profile): boolean {
  return profile.startup.some((s) => s.kind === 'heap' && s.environ !== undefined);
}

export async function runFile(path: string, opts: RunFileOptions): Promise<number> {
  const profile = getProfile(opts.go);
  if (!Number.isInteger(opts.gomaxprocs) || opts.gomaxprocs < 1 || opts.gomaxprocs > 256) {
    throw new InputError(`must be a whole number from 1 to 256, not ${opts.gomaxprocs}`, { file: '--gomaxprocs' });
  }
  if (opts.environ === 'minimal' && !environMeasured(profile)) {
    const measured = VERSIONS.filter((v) => environMeasured(getProfile(v))).join(', ');
    throw new InputError(`the heap pages of a minimal environment are measured for Go ${measured}, not for Go ${profile.version}`, { file: '--environ' });
  }
  const program = await loadProgram(path);
  // The real runtime prints the absolute path: a relative directory is taken from here.
  if (opts.buildDir) program.file = posix.join(resolve(opts.buildDir), basename(program.file));
  if (opts.frames === 'compiler') {
    const { useCompilerFrames } = await import('./record/source.js');
    await useCompilerFrames(program, path, { version: profile.version });
  }
  for (const [name, [frame, args]] of Object.entries(opts.frameSizes ?? {})) {
    const fn = program.funcs.get(name);
    if (fn) fn.frameOverride = { frame, args };
  }
  let codeAddresses;
  if (opts.code === 'compiler') {
    const [{ compilerCode }, { goFileNameOf, goSourceOf }] = await Promise.all([import('./record/code.js'), import('./record/source.js')]);
    codeAddresses = await compilerCode(await goSourceOf(path, program), { version: profile.version, fileName: goFileNameOf(path) });
  }
  return simulate(program, profile, { gomaxprocs: opts.gomaxprocs, write: opts.write, ready: opts.ready, event: opts.event,
    sliceStatements: opts.sliceStatements, environ: opts.environ, codeAddresses, goroot: opts.goroot });
}

/** The whole trace as text (tests, check). */
export async function traceOf(
  path: string,
  opts: Pick<RunFileOptions, 'go' | 'gomaxprocs' | 'buildDir' | 'goroot' | 'environ' | 'code' | 'frames' | 'frameSizes'>,
): Promise<{ text: string; exitCode: number }> {
  const lines: string[] = [];
  const exitCode = await runFile(path, { ...opts, write: (l) => lines.push(l) });
  return { text: lines.length ? lines.join('\n') + '\n' : '', exitCode };
}
