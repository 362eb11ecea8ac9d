/**
 * A private copy of an installed GOROOT whose runtime prints the stack trace we compare against:
 * `stackDebug = 1` in src/runtime/stack.go. The installed toolchain is never written to; the
 * copy lives in the user's cache and is made once per toolchain, then reused.
 *
 * Files are hard-linked into the copy where the file system allows it (13,000 files, ~470 MB for
 * Go 1.19: linking takes a second and no space) and copied otherwise. stack.go itself is written
 * as a new file, so the link to the installed one is broken before it is changed. The copy is
 * built in a temporary directory and renamed into place, so a half-made copy is never used, and
 * two processes making it at once both end up with a complete one.
 */
import { createHash } from 'node:crypto';
import {
  copyFile, link, lstat, mkdir, readdir, readFile, readlink, realpath, rename, rm, stat, symlink, unlink, writeFile,
} from 'node:fs/promises';
import { join } from 'node:path';
import { cacheDir } from '../cache-dir.js';
import type { GoToolchain } from './toolchain.js';

/** Marks a finished copy; written last, before the rename. */
const MARKER = '.stackdebug-patched';
const STACK_GO = join('src', 'runtime', 'stack.go');

/**
 * Sets the runtime's `stackDebug` constant to 1 in the text of runtime/stack.go.
 * Throws if the declaration is not there (a runtime we do not know how to patch).
 */
export function patchStackDebug(source: string): string {
  const decl = /^(\s*stackDebug\s*=\s*)\d+/m;
  if (!decl.test(source)) {
    throw new Error(`cannot patch ${STACK_GO}: no 'stackDebug = 0' line (not a Go runtime this tool knows)`);
  }
  return source.replace(decl, '$11');
}

/** Where the copy of `tc` goes: keyed by release, source path and VERSION, so an upgrade gets a new copy. */
export async function patchedGorootPath(tc: GoToolchain, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const real = await realpath(tc.goroot);
  const hash = createHash('sha256').update(`${real}\n${tc.fullVersion}`).digest('hex').slice(0, 12);
  return join(cacheDir(env), `goroot-${tc.version}-${hash}`);
}

/** Hard-links (or copies) a tree, following symlinks: Debian's GOROOT is mostly symlinks into /usr/share. */
async function linkTree(src: string, dst: string): Promise<void> {
  await mkdir(dst, { recursive: true });
  for (const name of await readdir(src)) {
    const from = join(src, name);
    const to = join(dst, name);
    let st;
    try {
      st = await stat(from);
    } catch {
      // A dangling symlink (some testdata has them): keep it as it is.
      if ((await lstat(from)).isSymbolicLink()) await symlink(await readlink(from), to);
      continue;
    }
    if (st.isDirectory()) {
      await linkTree(from, to);
    } else if (st.isFile()) {
      try {
        await link(await realpath(from), to);
      } catch {
        // Another file system, or protected_hardlinks for files we do not own.
        await copyFile(from, to);
      }
    }
  }
}

async function isFinished(dir: string): Promise<boolean> {
  try {
    await stat(join(dir, MARKER));
    return true;
  } catch {
    return false;
  }
}

/**
 * Returns the GOROOT of a patched copy of `tc`, making it first if needed.
 * `onProgress` hears about the one slow step (making the copy).
 */
export async function patchedGoroot(
  tc: GoToolchain,
  opts: { env?: NodeJS.ProcessEnv; onProgress?: (msg: string) => void } = {},
): Promise<string> {
  const target = await patchedGorootPath(tc, opts.env);
  if (await isFinished(target)) return target;

  opts.onProgress?.(`making a copy of ${tc.goroot} (${tc.fullVersion}) with stackDebug = 1 in ${target}`);
  const original = await readFile(join(tc.goroot, STACK_GO), 'utf8').catch(() => {
    throw new Error(`${join(tc.goroot, STACK_GO)} is missing: install the toolchain's sources ` +
      `(Debian: apt-get install golang-${tc.version}-src)`);
  });
  const patched = patchStackDebug(original);

  const parent = join(target, '..');
  await mkdir(parent, { recursive: true });
  const tmp = `${target}.tmp-${process.pid}-${Date.now()}`;
  try {
    await linkTree(await realpath(tc.goroot), tmp);
    const stackGo = join(tmp, STACK_GO);
    await unlink(stackGo); // break the hard link before writing
    await writeFile(stackGo, patched);
    await writeFile(join(tmp, MARKER), `${tc.goroot}\n${tc.fullVersion}\n`);
    if (!(await isFinished(target))) {
      // A leftover without the marker cannot come from us (we rename only finished copies),
      // but clear it rather than fail.
      await rm(target, { recursive: true, force: true });
      try {
        await rename(tmp, target);
      } catch (err) {
        // Lost a race with another process making the same copy: theirs is as good as ours.
        if (!(await isFinished(target))) throw err;
      }
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return target;
}
