/**
 * Parsed Go programs kept between runs, as Go keeps its builds. Parsing a .go file loads the Go
 * grammar (two WebAssembly modules) and takes about 20 ms of a run that lasts a tenth of a
 * second; running an unchanged file again skips it.
 *
 * An entry is the validated program model, serialized by V8 with what it was made from: the
 * build of stackdebug (dist/bundle/build-id, which scripts/bundle.mjs writes), the path as given
 * (tracebacks print it) and the file's bytes. Nothing else goes into a program model, and an
 * entry is used only if all three are equal; its name is a hash of them (not a cryptographic one:
 * loading node:crypto would cost more start-up than the cache saves). Only the bundled build
 * caches: without a build id nothing is read or written. STACKDEBUG_CACHE=off turns it off.
 * A cache that cannot be read or written is never an error: the file is parsed.
 */
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

/** What an entry holds: the program, and what it was made from. */
interface Entry {
  build: string;
  path: string;
  source: Uint8Array;
  program: Program;
}

/** Two 32-bit FNV-1a hashes (of the text, and of it read backwards) as 16 hex digits. */
function fnv(parts: (string | Uint8Array)[]): string {
  let a = 0x811c9dc5;
  let b = 0x811c9dc5;
  for (const part of parts) {
    const bytes = typeof part === 'string' ? Buffer.from(part) : part;
    for (let i = 0; i < bytes.length; i++) {
      a = Math.imul(a ^ bytes[i], 0x01000193);
      b = Math.imul(b ^ bytes[bytes.length - 1 - i], 0x01000193);
    }
    a = Math.imul(a ^ 0xff, 0x01000193);
    b = Math.imul(b ^ 0xff, 0x01000193);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

/** Where the entry for this file would be, or null when nothing is cached. */
function entryOf(path: string, bytes: Buffer): string | null {
  const id = build();
  if (!id) return null;
  return join(cacheDir(), 'programs', `${fnv([id, path, bytes])}.bin`);
}

/** The program parsed from these bytes before, if the cache has it. */
export function cachedProgram(path: string, bytes: Buffer): Program | undefined {
  const file = entryOf(path, bytes);
  if (!file) return undefined;
  try {
    const e = deserialize(readFileSync(file)) as Entry;
    if (e.build !== build() || e.path !== path || !Buffer.from(e.source).equals(bytes)) return undefined;
    return e.program;
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
    const e: Entry = { build: build()!, path, source: bytes, program };
    writeFileSync(tmp, serialize(e));
    renameSync(tmp, entry);
  } catch {
    // A read-only or full cache: the next run parses again.
  }
}
