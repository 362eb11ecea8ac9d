/**
 * Parsed Go programs kept between runs, as Go keeps its builds. Parsing a .go file loads the Go
 * grammar (two WebAssembly modules) and takes about 20 ms of a run that lasts a tenth of a
 * second; running an unchanged file again skips it.
 *
 * An entry is the validated program model, serialized by V8, keyed by the build of stackdebug
 * (dist/bundle/build-id, which scripts/bundle.mjs writes), the path as given (tracebacks print
 * it) and the file's bytes: nothing else goes into a program model. Only the bundled build
 * caches: without a build id nothing is read or written. STACKDEBUG_CACHE=off turns it off.
 * A cache that cannot be read or written is never an error: the file is parsed.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { cacheDir } from '../cache-dir.js';
import type { Program } from '../program/model.js';

let buildId: string | null | undefined;

/** The bundle's build id, or null when this is not the bundled build (or caching is off). */
function build(): string | null {
  if (buildId === undefined) {
    try {
      buildId = process.env.STACKDEBUG_CACHE === 'off' ? null
        : readFileSync(new URL('./build-id', import.meta.url), 'utf8').trim() || null;
    } catch {
      buildId = null;
    }
  }
  return buildId;
}

/** Where the entry for this file would be, or null when nothing is cached. */
function entryOf(path: string, bytes: Buffer): string | null {
  const id = build();
  if (!id) return null;
  const key = createHash('sha256').update(id).update('\0').update(path).update('\0').update(bytes).digest('hex');
  return join(cacheDir(), 'programs', `${key}.bin`);
}

/** The program parsed from these bytes before, if the cache has it. */
export function cachedProgram(path: string, bytes: Buffer): Program | undefined {
  const entry = entryOf(path, bytes);
  if (!entry) return undefined;
  try {
    return deserialize(readFileSync(entry)) as Program;
  } catch {
    return undefined;
  }
}

/** Whether the cache has this file's program (the parser need not be loaded ahead). */
export function isCached(path: string): boolean {
  try {
    const entry = entryOf(path, readFileSync(path));
    return entry !== null && existsSync(entry);
  } catch {
    return false;
  }
}

/** Keeps a validated program for the next run of the same file (written whole, then renamed). */
export function storeProgram(path: string, bytes: Buffer, program: Program): void {
  const entry = entryOf(path, bytes);
  if (!entry) return;
  try {
    mkdirSync(join(cacheDir(), 'programs'), { recursive: true });
    const tmp = `${entry}.${process.pid}.tmp`;
    writeFileSync(tmp, serialize(program));
    renameSync(tmp, entry);
  } catch {
    // A read-only or full cache: the next run parses again.
  }
}
