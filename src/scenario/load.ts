/** Reading an input file into a validated Program, whichever front end it needs. */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { InputError, type Program } from '../program/model.js';
import { cachedProgram, storeProgram } from './parsed-cache.js';
import { decodeText } from './text.js';

const KINDS = 'a .go program or a .yaml/.yml scenario';

export async function loadProgram(path: string): Promise<Program> {
  let bytes: Buffer;
  try {
    // node:fs/promises (and readline with it) would load for this alone; an input is small.
    bytes = readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file'
      : code === 'EISDIR' ? 'is a directory, expected a file'
      : code === 'EACCES' || code === 'EPERM' ? 'permission denied'
      : `cannot read file (${(err as Error).message})`;
    throw new InputError(why, { file: path });
  }
  const ext = extname(path).toLowerCase();
  // The front ends are imported on demand: each pulls in its own parser.
  if (ext === '.go') {
    const cached = cachedProgram(path, bytes);
    if (cached) return cached;
    const { parseGo } = await import('./go.js');
    // parseGo and parseScenario validate what they build (validateProgram).
    const program = await parseGo(decodeText(bytes, path, 'a Go program'), path);
    storeProgram(path, bytes, program);
    return program;
  }
  if (ext === '.yaml' || ext === '.yml') {
    const { parseScenario } = await import('./yaml.js');
    return parseScenario(decodeText(bytes, path, 'a YAML scenario'), path);
  }
  throw new InputError(`unsupported file type ${ext ? `"${ext}"` : '(no extension)'}: expected ${KINDS}`, { file: path });
}
