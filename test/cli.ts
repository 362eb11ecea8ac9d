/**
 * Running the built command line (bin/stackdebug.cjs) from tests. The environment's color
 * settings are removed so that output is plain unless a test asks for FORCE_COLOR or NO_COLOR.
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const root = new URL('..', import.meta.url).pathname;
export const bin = join(root, 'bin', 'stackdebug.cjs');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  /** Added to (or, with undefined values, removed from) the environment. */
  env?: Record<string, string | undefined>;
  /** Written to the command's standard input, which is then closed. */
  input?: string;
}

function environment(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.FORCE_COLOR;
  delete env.NO_COLOR;
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/** Runs the command and waits for it (for the bulk of CLI checks). */
export function cliSync(args: string[], opts: CliOptions = {}): CliResult {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: opts.cwd ?? root, encoding: 'utf8', env: environment(opts.env), maxBuffer: 1 << 28, input: opts.input,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the command without blocking the test worker (for slow or many runs). */
export function cli(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: opts.cwd ?? root, env: environment(opts.env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    if (opts.input !== undefined) child.stdin.end(opts.input);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
