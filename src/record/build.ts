/**
 * Building one Go program with the patched toolchain, in a throw-away module directory.
 * The environment is built from scratch for the go command: a user's GOFLAGS, GOPATH or
 * go.work must not change what gets compiled, and nothing may be downloaded.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../program/model.js';
import { cacheDir } from '../cache-dir.js';

export interface BuildOptions {
  /** The patched GOROOT. */
  goroot: string;
  /** The release, '1.19': written to go.mod so the language version matches the toolchain. */
  version: string;
  /** Extra go build flags, e.g. ['-gcflags=-S']. */
  flags?: string[];
  /** Extra environment for the go command (GOOS, GOARCH). */
  env?: Record<string, string>;
  /** The source file's name in the module (default main.go): tracebacks print it. */
  fileName?: string;
}

export interface Built {
  dir: string;
  /** The executable. */
  binary: string;
  /** Everything the compiler printed (with -gcflags=-S: the assembly listing). */
  output: string;
  /** Removes the module directory. */
  cleanup(): Promise<void>;
}

/** The go command's environment: the caller's, minus every GO* / CGO_* setting, plus ours. */
export function goEnv(goroot: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(GO|CGO_)/.test(k)) env[k] = v;
  }
  const cache = cacheDir();
  return {
    ...env,
    GOROOT: goroot,
    GOCACHE: join(cache, 'gocache'),
    GOPATH: join(cache, 'gopath'),
    GOENV: 'off',
    GOWORK: 'off',
    GOFLAGS: '-mod=mod',
    GO111MODULE: 'on',
    GOPROXY: 'off',
    GOTOOLCHAIN: 'local',
    // The programs are pure Go; without cgo no C compiler is needed.
    CGO_ENABLED: '0',
    ...extra,
  };
}

/** Writes `source` as main.go of a fresh module and builds it. A compile error is the user's: InputError. */
export async function buildProgram(source: string, opts: BuildOptions): Promise<Built> {
  await mkdir(tmpdir(), { recursive: true });
  const dir = await mkdtemp(join(tmpdir(), 'stackdebug-go-'));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  try {
    await writeFile(join(dir, 'go.mod'), `module stackdebugprog\n\ngo ${opts.version}\n`);
    const fileName = opts.fileName ?? 'main.go';
    await writeFile(join(dir, fileName), source);
    const binary = join(dir, 'prog');
    const args = ['build', ...(opts.flags ?? []), '-o', binary, '.'];
    const output = await new Promise<string>((resolve, reject) => {
      execFile(
        join(opts.goroot, 'bin', 'go'),
        args,
        { cwd: dir, env: goEnv(opts.goroot, opts.env), maxBuffer: 256 * 1024 * 1024, timeout: 20 * 60_000 },
        (err, stdout, stderr) => {
          const text = `${stdout}${stderr}`;
          if (!err) return resolve(text);
          // Errors located in the program's file (`./main.go:4:2: undefined: x`) are the user's.
          if (text.split('\n').some((l) => l.startsWith(`./${fileName}:`))) {
            return reject(new InputError(`go build failed:\n${text.replace(/^#.*\n/m, '').trimEnd()}`));
          }
          reject(new Error(`go build failed (${err.message.split('\n')[0]}):\n${text.trimEnd()}`));
        },
      );
    });
    return { dir, binary, output, cleanup };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
