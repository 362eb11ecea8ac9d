/**
 * The Go source behind an input file, and the real compiler's frames applied to its Program.
 * A .go file is its own source (after the front end has checked it is in the subset); a scenario
 * stands for the Go program programToGo writes.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { programToGo } from '../program/emit-go.js';
import type { Program } from '../program/model.js';
import { compilerFrames, type FrameSize, type ToolchainOptions } from './record.js';

/** The Go source a loaded input stands for: the file itself for .go, programToGo otherwise. */
export async function goSourceOf(path: string, program: Program): Promise<string> {
  if (extname(path).toLowerCase() === '.go') return readFile(path, 'utf8');
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
