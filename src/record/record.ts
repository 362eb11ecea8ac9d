/**
 * Recording what the real Go runtime prints for a program: the oracle the simulator is scored
 * against. The program is built with a copy of an installed toolchain whose runtime has
 * `stackDebug = 1`, run several times, and the most frequent trace is kept, since thread timing
 * (sysmon preemption, GC workers) makes whole traces vary from run to run.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../program/model.js';
import { buildProgram } from './build.js';
import { patchedGoroot } from './patched-goroot.js';
import { findToolchain } from './toolchain.js';

export interface ToolchainOptions {
  /** Go release, '1.19'. */
  version: string;
  /** An explicit GOROOT of that release (--goroot). */
  goroot?: string;
  onProgress?: (msg: string) => void;
}

export interface RecordOptions extends ToolchainOptions {
  /** The source file's name in the module built (default main.go; see goFileNameOf). */
  fileName?: string;
  /** GOMAXPROCS for every run. */
  gomaxprocs: number;
  /** How many runs to take the most frequent trace of. */
  runs: number;
  /** Kill a run that takes longer than this (default 120 s). */
  timeoutMs?: number;
}

export interface RecordResult {
  /** The most frequent trace: stdout and stderr as one stream, in the order written. */
  trace: string;
  /** How many runs printed exactly that trace. */
  agreed: number;
  /** How many runs printed each different trace, most frequent first. */
  shares: number[];
  runs: number;
  /** Exit status of the runs that printed it (128 + signal number if killed by a signal). */
  exitCode: number;
}

export interface FrameSize {
  /** $frame: locals, outgoing arguments and saved BP (the return address not included). */
  frame: number;
  /** $args: the function's parameter area. */
  args: number;
  /** The TEXT line's NOSPLIT flag (no stack check in the prologue); absent when not listed. */
  nosplit?: boolean;
}

/** The patched GOROOT for the requested release, found and made (once) as needed. */
export async function prepare(opts: ToolchainOptions): Promise<{ goroot: string; version: string }> {
  const tc = await findToolchain(opts.version, { goroot: opts.goroot });
  opts.onProgress?.(`using ${tc.fullVersion} from ${tc.goroot}`);
  return { goroot: await patchedGoroot(tc, { onProgress: opts.onProgress }), version: tc.version };
}

/**
 * The most frequent of `traces`; a tie goes to the trace seen first.
 * Returns the trace, its index of first appearance, how many runs printed it, and how many runs
 * printed each different trace, most frequent first (`shares`: one entry when all agreed).
 */
export function modalTrace(traces: string[]): { trace: string; index: number; count: number; shares: number[] } {
  if (traces.length === 0) throw new Error('no runs to choose a trace from');
  const counts = new Map<string, { index: number; count: number }>();
  traces.forEach((t, index) => {
    const c = counts.get(t);
    if (c) c.count++;
    else counts.set(t, { index, count: 1 });
  });
  let best: { trace: string; index: number; count: number } | null = null;
  for (const [trace, c] of counts) {
    if (!best || c.count > best.count) best = { trace, ...c };
  }
  const shares = [...counts.values()].map((c) => c.count).sort((a, b) => b - a);
  return { ...best!, shares };
}

/**
 * Runs the program once. Both stdout and stderr are the SAME open file, so the runtime's trace
 * and the program's output keep the order in which they were written, exactly as a terminal
 * would show them. (A file rather than a pipe: Node cannot hand a child one pipe for both, and a
 * shell doing `2>&1` would add PWD to the environment, which moves heap addresses.)
 *
 * The environment is only GOMAXPROCS: the runtime copies every environment string into the heap
 * at startup, so the caller's environment would shift every stack address.
 */
async function runOnce(binary: string, gomaxprocs: number, timeoutMs: number): Promise<{ out: string; code: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'stackdebug-run-'));
  const outPath = join(dir, 'out');
  const fh = await open(outPath, 'w');
  let closed = false;
  try {
    const code = await new Promise<number>((resolve, reject) => {
      const child = spawn(binary, [], {
        cwd: dir,
        env: { GOMAXPROCS: String(gomaxprocs) },
        argv0: './prog',
        stdio: ['ignore', fh.fd, fh.fd],
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      child.on('exit', (status, signal) => {
        clearTimeout(timer);
        if (signal === 'SIGKILL' && status === null) {
          return reject(new InputError(`the program did not finish within ${timeoutMs / 1000} s`));
        }
        resolve(status ?? 128 + signalNumber(signal));
      });
    });
    await fh.close();
    closed = true;
    return { out: await readFile(outPath, 'utf8'), code };
  } finally {
    if (!closed) await fh.close().catch(() => {});
    await rm(dir, { recursive: true, force: true });
  }
}

function signalNumber(signal: NodeJS.Signals | null): number {
  const nums: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGBUS: 7, SIGFPE: 8, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGTERM: 15 };
  return (signal && nums[signal]) || 0;
}

/**
 * Builds `goSource` (a package main) with the requested Go release patched to stackDebug = 1,
 * runs it `runs` times with GOMAXPROCS = `gomaxprocs`, and returns the most frequent trace.
 */
export async function recordTrace(goSource: string, opts: RecordOptions): Promise<RecordResult> {
  if (!Number.isInteger(opts.runs) || opts.runs < 1) throw new InputError(`runs must be a positive integer, not ${opts.runs}`);
  if (!Number.isInteger(opts.gomaxprocs) || opts.gomaxprocs < 1) {
    throw new InputError(`GOMAXPROCS must be a positive integer, not ${opts.gomaxprocs}`);
  }
  const { goroot, version } = await prepare(opts);
  opts.onProgress?.('building');
  const built = await buildProgram(goSource, { goroot, version, fileName: opts.fileName });
  try {
    const outs: string[] = [];
    const codes: number[] = [];
    for (let i = 0; i < opts.runs; i++) {
      opts.onProgress?.(`run ${i + 1}/${opts.runs} (GOMAXPROCS=${opts.gomaxprocs})`);
      const { out, code } = await runOnce(built.binary, opts.gomaxprocs, opts.timeoutMs ?? 120_000);
      outs.push(out);
      codes.push(code);
    }
    const best = modalTrace(outs);
    return { trace: best.trace, agreed: best.count, shares: best.shares, runs: opts.runs, exitCode: codes[best.index]! };
  } finally {
    await built.cleanup();
  }
}

/**
 * Reads the compiler's frame sizes from an assembly listing (go build -gcflags=-S):
 *   0x0000 00000 (main.go:12)	TEXT	main.a(SB), ABIInternal, $1608-80
 * Keys are the names without the package ('a', 'init', 'go2.func1').
 */
export function parseTextFrames(listing: string): Map<string, FrameSize> {
  const frames = new Map<string, FrameSize>();
  // Go 1.15 names the package's own symbols "".name.
  const re = /\bTEXT\s+(?:main|"")\.([^\s(]+)\(SB\),\s*((?:[A-Za-z0-9|]+,\s*)*)\$(-?\d+)-(\d+)/g;
  for (const m of listing.matchAll(re)) {
    const name = m[1]!;
    const flags = m[2]!.split(/[|,\s]+/);
    if (!frames.has(name)) frames.set(name, { frame: Number(m[3]), args: Number(m[4]), nosplit: flags.includes('NOSPLIT') });
  }
  return frames;
}

/**
 * The compiler's own frame and argument sizes for every function of `goSource`, for linux/amd64
 * (the platform the simulator models, whatever this machine is).
 */
export async function compilerFrames(goSource: string, opts: ToolchainOptions): Promise<Map<string, FrameSize>> {
  const { goroot, version } = await prepare(opts);
  opts.onProgress?.('compiling with -gcflags=-S');
  const built = await buildProgram(goSource, {
    goroot,
    version,
    flags: ['-gcflags=-S'],
    env: { GOOS: 'linux', GOARCH: 'amd64' },
  });
  try {
    return parseTextFrames(built.output);
  } finally {
    await built.cleanup();
  }
}
