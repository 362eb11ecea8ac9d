/**
 * Finding an installed Go toolchain of a given release (1.NN), to record real traces with.
 * Several places may hold one; we look in the order a user expects to be obeyed: an explicit
 * --goroot, then $GOROOT, then the `go` on PATH, then Debian's versioned install
 * (/usr/lib/go-1.NN, from the golang-1.NN-go package, which several releases can share).
 */
import { execFile } from 'node:child_process';
import { access, readFile, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { InputError } from '../program/model.js';

const execFileP = promisify(execFile);

export interface GoToolchain {
  /** The GOROOT as found (symlinks not resolved: Debian's /usr/lib/go-1.NN links into /usr/share). */
  goroot: string;
  /** The requested release, '1.19'. */
  version: string;
  /** The first line of $GOROOT/VERSION, 'go1.19.8'. */
  fullVersion: string;
}

export interface FindToolchainOptions {
  /** An explicit GOROOT (--goroot): used alone, and an error if it is not the requested release. */
  goroot?: string;
  /** The environment to read GOROOT and PATH from (defaults to process.env). */
  env?: NodeJS.ProcessEnv;
}

/** Accepts '1.19' (and 'go1.19'); anything else is a user error. */
export function normalizeVersion(version: string): string {
  const m = /^(?:go)?(1\.\d+)$/.exec(version.trim());
  if (!m) throw new InputError(`Go version must look like 1.19, not '${version}'`);
  return m[1]!;
}

/** True if a VERSION file's first line ('go1.19.8', 'go1.19', 'go1.19rc1') is release 1.NN. */
export function versionMatches(fullVersion: string, version: string): boolean {
  return new RegExp(`^go${version.replace('.', '\\.')}(?![0-9])`).test(fullVersion);
}

/** The first line of $GOROOT/VERSION, or null if it is not a usable GOROOT. */
async function readGorootVersion(goroot: string): Promise<string | null> {
  try {
    await access(join(goroot, 'bin', 'go'));
    const text = await readFile(join(goroot, 'VERSION'), 'utf8');
    return text.split('\n')[0]!.trim();
  } catch {
    return null;
  }
}

/** GOROOT of the `go` command on PATH, if there is one. */
async function gorootOfPathGo(env: NodeJS.ProcessEnv): Promise<string | null> {
  try {
    // GOTOOLCHAIN=local: a newer `go` must not try to download another toolchain to answer.
    const { stdout } = await execFileP('go', ['env', 'GOROOT'], {
      env: { ...env, GOTOOLCHAIN: 'local' },
      timeout: 30_000,
    });
    const root = stdout.trim();
    return root || null;
  } catch {
    return null;
  }
}

/**
 * Finds an installed Go toolchain of release `version` ('1.19').
 * Throws InputError, saying how to install one, when none is found.
 */
export async function findToolchain(version: string, opts: FindToolchainOptions = {}): Promise<GoToolchain> {
  const want = normalizeVersion(version);
  const env = opts.env ?? process.env;

  if (opts.goroot) {
    const full = await readGorootVersion(opts.goroot);
    if (full === null) {
      throw new InputError(`--goroot ${opts.goroot} is not a Go installation (no bin/go and VERSION)`);
    }
    if (!versionMatches(full, want)) {
      throw new InputError(`--goroot ${opts.goroot} is ${full}, not Go ${want}`);
    }
    return { goroot: opts.goroot, version: want, fullVersion: full };
  }

  const tried: string[] = [];
  const candidates: Array<() => Promise<string | null>> = [
    async () => env.GOROOT || null,
    () => gorootOfPathGo(env),
    async () => `/usr/lib/go-${want}`,
  ];
  const seen = new Set<string>();
  for (const next of candidates) {
    const root = await next();
    if (!root) continue;
    const key = await realpath(root).catch(() => root);
    if (seen.has(key)) continue;
    seen.add(key);
    const full = await readGorootVersion(root);
    tried.push(full === null ? `${root} (not a Go installation)` : `${root} (${full})`);
    if (full !== null && versionMatches(full, want)) return { goroot: root, version: want, fullVersion: full };
  }
  throw new InputError(
    `no Go ${want} toolchain found (looked at: ${tried.join(', ') || 'nothing'}). ` +
      `On Debian/Ubuntu: apt-get install golang-${want}-go golang-${want}-src, ` +
      `or point GOROOT (record: --goroot DIR) at one`,
  );
}
