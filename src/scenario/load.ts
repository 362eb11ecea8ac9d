/** Reading an input file into a validated Program, whichever front end it needs. */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { InputError, type Program } from '../program/model.js';
import { cachedProgram, storeProgram } from './parsed-cache.js';
import { decodeText } from './text.js';

const KINDS = 'a .go program or a .yaml/.yml scenario';

/**
 * The path of standard input. `-` means it too, as in most command-line tools; the command line
 * passes it on as this path because yargs drops a lone `-` (yargs/yargs#1312).
 */
export const STDIN = '/dev/stdin';
export const isStdin = (path: string): boolean => path === STDIN || path === '-';
/** Standard input's name in messages, as gofmt calls it. */
export const STDIN_NAME = '<standard input>';

let stdinBytes: Buffer | undefined;

/** The bytes of an input: standard input is read once and kept, as later steps read it again. */
export function readInput(path: string): Buffer {
  // node:fs/promises (and readline with it) would load for this alone; an input is small.
  if (!isStdin(path)) return readFileSync(path);
  return (stdinBytes ??= readFileSync(0));
}

/** Whether a text is Go rather than YAML: Go source starts with its package clause (comments aside). */
export function looksLikeGo(text: string): boolean {
  return /^(?:\s|\/\/[^\n]*|\/\*[\s\S]*?\*\/)*package\b/.test(text.replace(/^\uFEFF/, ''));
}

export async function loadProgram(path: string): Promise<Program> {
  const name = isStdin(path) ? STDIN_NAME : path;
  let bytes: Buffer;
  try {
    bytes = readInput(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file'
      : code === 'EISDIR' ? 'is a directory, expected a file'
      : code === 'EACCES' || code === 'EPERM' ? 'permission denied'
      : `cannot read file (${(err as Error).message})`;
    throw new InputError(why, { file: name });
  }
  // Standard input has no extension to go by: its first words say what it is.
  const ext = isStdin(path) ? (looksLikeGo(bytes.toString('utf8')) ? '.go' : '.yaml') : extname(path).toLowerCase();
  // The front ends are imported on demand: each pulls in its own parser.
  if (ext === '.go') {
    const cached = cachedProgram(name, bytes);
    if (cached) return cached;
    const { parseGo } = await import('./go.js');
    // parseGo and parseScenario validate what they build (validateProgram).
    const program = await parseGo(decodeText(bytes, name, 'a Go program'), name);
    storeProgram(name, bytes, program);
    return program;
  }
  if (ext === '.yaml' || ext === '.yml') {
    const { parseScenario } = await import('./yaml.js');
    return parseScenario(decodeText(bytes, name, 'a YAML scenario'), name);
  }
  throw new InputError(`unsupported file type ${ext ? `"${ext}"` : '(no extension)'}: expected ${KINDS}`, { file: path });
}
