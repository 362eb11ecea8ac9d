/**
 * The Go source behind an input file, and the real compiler's frames applied to its Program.
 * A .go file is its own source (after the front end has checked it is in the subset); a scenario
 * stands for the Go program programToGo writes.
 */
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { programToGo } from '../program/emit-go.js';
import type { Program } from '../program/model.js';
import { isStdin, looksLikeGo, readInput } from '../scenario/load.js';
import { compilerFrames, type FrameSize, type ToolchainOptions } from './record.js';

/** GOOS and GOARCH values a file name suffix restricts a file to (go/build: goodOSArchFile). */
const PLATFORM_SUFFIX = /_(aix|android|darwin|dragonfly|freebsd|hurd|illumos|ios|js|nacl|netbsd|openbsd|plan9|solaris|wasip1|windows|zos|386|arm|arm64|arm64be|armbe|loong64|mips|mips64|mips64le|mips64p32|mips64p32le|mipsle|ppc|ppc64|ppc64le|riscv|riscv64|s390|s390x|sparc|sparc64|wasm)\.go$/;

/**
 * The name the program's source gets in the module it is built in: a .go file keeps its own,
 * as a go build of it would print it in tracebacks, unless go build would leave a file of that
 * name out (a test file, another platform's); a scenario's program is main.go.
 */
export function goFileNameOf(path: string): string {
  const name = basename(path);
  if (extname(name).toLowerCase() !== '.go' || name !== basename(name, '.go') + '.go') return 'main.go';
  if (name.startsWith('_') || name.startsWith('.') || name.endsWith('_test.go') || PLATFORM_SUFFIX.test(name)) return 'main.go';
  return name;
}

/** The Go source a loaded input stands for: the file itself for .go, programToGo otherwise. */
export async function goSourceOf(path: string, program: Program): Promise<string> {
  if (extname(path).toLowerCase() === '.go') return readFile(path, 'utf8');
  if (isStdin(path)) {
    const text = readInput(path).toString('utf8');
    if (looksLikeGo(text)) return text;
  }
  return programToGo(program);
}

/**
 * Replaces the frame model by the compiler's own sizes: every function the compiler emitted gets
 * frameOverride = {frame, args}. Returns the functions the listing has no TEXT line for (in a
 * .go file, functions the compiler inlined everywhere), which keep the model's frames.
 */
export async function useCompilerFrames(
  program: Program,
  path: string,
  opts: ToolchainOptions,
): Promise<{ frames: Map<string, FrameSize>; missing: string[] }> {
  const frames = await compilerFrames(await goSourceOf(path, program), opts);
  const missing: string[] = [];
  for (const fn of program.funcs.values()) {
    const f = frames.get(fn.name);
    if (f) fn.frameOverride = { frame: f.frame, args: f.args };
    else missing.push(fn.name);
  }
  return { frames, missing };
}
