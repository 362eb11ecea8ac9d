/**
 * The README's examples are the tool's real output: each `$ stackdebug ...` command of a
 * `console` block (and the first `run` example) is run, and what the README shows under it must
 * match, with `...` standing for lines left out (the fixtures' matcher, exact mode). Commands that
 * need a Go toolchain (record), pipe or redirect their output, or name files the repository does
 * not have are not run; the test lists those it checks. `plot` runs with `--format text`, the
 * chart it prints on a terminal.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { matchTrace } from '../src/trace/match.js';
import { cliSync, root } from './cli.js';

interface Example { command: string; args: string[]; shown: string[]; line: number }

/** Splits a command line the way the README writes them (no quoting is used where run). */
const words = (command: string) => command.trim().split(/\s+/);

/** The examples of the README whose output can be checked here. */
function examples(readme: string): Example[] {
  const lines = readme.split('\n');
  const out: Example[] = [];
  // The first example: `stackdebug run ...` in a sh block, its output in the next plain block.
  const run = lines.findIndex((l) => l.startsWith('stackdebug run '));
  if (run >= 0) {
    const open = lines.findIndex((l, i) => i > run + 1 && l === '```');
    const close = lines.findIndex((l, i) => i > open && l === '```');
    out.push({ command: lines[run]!, args: words(lines[run]!).slice(1), shown: lines.slice(open + 1, close), line: run + 1 });
  }
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== '```console') continue;
    let j = i + 1;
    while (j < lines.length && lines[j] !== '```') {
      if (!lines[j]!.startsWith('$ ')) { j++; continue; }
      const line = j + 1;
      let command = lines[j]!.slice(2);
      while (command.endsWith('\\')) command = command.slice(0, -1) + ' ' + lines[++j]!.trim();
      const shown: string[] = [];
      for (j++; j < lines.length && lines[j] !== '```' && !lines[j]!.startsWith('$ '); j++) shown.push(lines[j]!);
      out.push({ command, args: words(command.replace(/\s+#.*$/, '')).slice(1), shown, line });
    }
    i = j;
  }
  return out.filter((e) => e.command.startsWith('stackdebug ') && runnable(e));
}

/** Whether an example can run here: no toolchain, pipe, redirect or output file; its inputs exist. */
function runnable(e: Example): boolean {
  if (e.args[0] === 'record' || /[|>]/.test(e.command) || e.args.includes('--out') || e.shown.length === 0) return false;
  const inputs = e.args.filter((a) => /\.(ya?ml|go|log)$|\/$/.test(a));
  return inputs.every((a) => existsSync(join(root, a)));
}

const readme = readFileSync(join(root, 'README.md'), 'utf8');
const checked = examples(readme);

describe('README examples', () => {
  it('has examples to check', () => {
    expect(checked.length).toBeGreaterThanOrEqual(5);
  });
  it.each(checked.map((e) => [`README.md:${e.line}: ${e.command}`, e] as const))('%s', (_, e) => {
    // plot shows its text chart on a terminal, which the README shows; here stdout is a pipe.
    const r = cliSync(e.args[0] === 'plot' && !e.args.includes('--format') ? [...e.args, '--format', 'text'] : e.args);
    const output = (r.stdout + r.stderr).replace(/\n$/, '').split('\n');
    const result = matchTrace(e.shown, output, 'exact');
    expect(result.ok, result.mismatch ? `${result.mismatch.reason}\n  README: ${e.shown[result.mismatch.expectedLine] ?? '(end)'}\n  output: ${output[result.mismatch.actualLine] ?? '(end)'}` : '').toBe(true);
  });
});
