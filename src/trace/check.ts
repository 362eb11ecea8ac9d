/**
 * `stackdebug check`: run inputs and compare their traces with expected traces (fixtures).
 *
 * The fixture of `dir/name.yaml` (or `.go`) is `dir/name.expected.log`, or the file given with
 * `expected` (one input only). The program's exit status is not compared, only its trace.
 */
import { readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { Chalk } from 'chalk';
import { InputError } from '../program/model.js';
import { unifiedDiff } from './diff.js';
import type { RunFileOptions } from '../engine.js';
import { matchTrace, type MatchMode } from './match.js';
import { ELISION, splitLines } from './normalize.js';

/** What a check passes on to the engine for each input (RunFileOptions). */
type Passed = 'go' | 'gomaxprocs' | 'buildDir' | 'goroot' | 'environ' | 'code';

/** The engine's entry point (src/engine.ts), injected so that tests can pass a fake. */
export type RunFile = (path: string, opts: Pick<RunFileOptions, Passed | 'write'>) => Promise<number>;

export interface CheckOptions extends Pick<RunFileOptions, Passed> {
  match: MatchMode;
  /** Write fixtures that are missing or differ. */
  update: boolean;
  color: boolean;
  /** The fixture to use instead of `<name>.expected.log` (only with a single input). */
  expected?: string;
  /** Where the report goes, one line at a time (without newline). */
  print: (line: string) => void;
  /** Defaults used to spell the `--update` command suggested for a missing fixture. */
  defaults?: { go: string; gomaxprocs: number };
  /** Diff lines shown per input at most (default 400). */
  maxDiffLines?: number;
}

export interface CheckSummary {
  passed: number;
  failed: number;
  /** Fixtures written by `update`. */
  written: string[];
}

/** Extensions of inputs picked from a directory. */
export const INPUT_EXTENSIONS = ['.go', '.yaml'];

/** The fixture beside an input: scenarios/seed-abc.yaml -> scenarios/seed-abc.expected.log. */
export function expectedPathFor(input: string): string {
  const ext = extname(input);
  const stem = ext ? input.slice(0, -ext.length) : input;
  return `${stem}.expected.log`;
}

type Resolved = { input: string } | { error: string; path: string };

/** Expand directories into their .go/.yaml files (sorted, not recursive). */
export async function resolveInputs(paths: string[]): Promise<Resolved[]> {
  const out: Resolved[] = [];
  for (const p of paths) {
    let st;
    try {
      st = await stat(p);
    } catch (e) {
      out.push({ path: p, error: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : errText(e) });
      continue;
    }
    if (!st.isDirectory()) {
      out.push({ input: p });
      continue;
    }
    const names = (await readdir(p, { withFileTypes: true }))
      .filter((d) => d.isFile() && INPUT_EXTENSIONS.includes(extname(d.name)))
      .map((d) => d.name)
      .sort();
    if (names.length === 0) out.push({ path: p, error: `no ${INPUT_EXTENSIONS.join(' or ')} files in this directory` });
    for (const n of names) out.push({ input: join(p, n) });
  }
  return out;
}

/** Check every input; prints `PASS`/`FAIL` lines, diffs and a final `N passed, M failed`. */
export async function checkInputs(paths: string[], opts: CheckOptions, runFile: RunFile): Promise<CheckSummary> {
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const print = opts.print;
  const resolved = await resolveInputs(paths);
  if (opts.expected !== undefined && resolved.length !== 1) {
    throw new InputError(`--expected takes exactly one input file, not ${resolved.length}`);
  }
  const summary: CheckSummary = { passed: 0, failed: 0, written: [] };
  const pass = (label: string, path: string, ...notes: string[]) => {
    summary.passed++;
    print(`${c.green(label)} ${path}`);
    for (const n of notes) print(`  ${n}`);
  };
  const fail = (path: string, ...notes: string[]) => {
    summary.failed++;
    print(`${c.red('FAIL')} ${path}`);
    for (const n of notes) print(`  ${n}`);
  };

  for (const r of resolved) {
    if ('error' in r) {
      fail(r.path, r.error);
      continue;
    }
    const input = r.input;
    const fixture = opts.expected ?? expectedPathFor(input);

    // Run the program.
    const lines: string[] = [];
    try {
      await runFile(input, { go: opts.go, gomaxprocs: opts.gomaxprocs, buildDir: opts.buildDir, goroot: opts.goroot, environ: opts.environ, code: opts.code, write: (l) => lines.push(l) });
    } catch (e) {
      fail(input, e instanceof InputError ? e.format() : `internal error: ${errText(e)}`);
      continue;
    }

    // Read the fixture.
    let text: string | undefined;
    try {
      // An editor's byte order mark is not part of the trace (inputs with one are read alike).
      text = (await readFile(fixture, 'utf8')).replace(/^\uFEFF/, '');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
        fail(input, `cannot read ${fixture}: ${errText(e)}`);
        continue;
      }
    }

    if (text === undefined) {
      if (opts.update) {
        if (await write(fixture, lines, (msg) => fail(input, msg))) {
          summary.written.push(fixture);
          pass('UPDATED', input, `wrote ${fixture} (new)`);
        }
      } else {
        fail(input, `no expected trace: ${fixture} (create it with: ${updateCommand(input, opts)})`);
      }
      continue;
    }

    const expected = splitLines(text);
    const res = matchTrace(expected, lines, opts.match);
    if (res.ok) {
      pass('PASS', input);
      continue;
    }
    if (opts.update) {
      if (await write(fixture, lines, (msg) => fail(input, msg))) {
        summary.written.push(fixture);
        const elided = expected.includes(ELISION) ? `; it had '${ELISION}' elisions, now it is the whole trace` : '';
        pass('UPDATED', input, `wrote ${fixture} (it did not match${elided})`);
      }
      continue;
    }

    // Report the mismatch: the first differing line, then the diff.
    const m = res.mismatch!;
    const notes: string[] = [];
    const eLine = m.expectedLine < expected.length ? `line ${m.expectedLine + 1}` : 'end';
    const aLine = m.actualLine < lines.length ? `line ${m.actualLine + 1}` : 'end';
    notes.push(`first difference: ${fixture} ${eLine}, output ${aLine}: ${m.reason}`);
    notes.push(`  expected: ${m.expectedLine < expected.length ? show(expected[m.expectedLine]!) : '(end of the expected trace)'}`);
    notes.push(`  output:   ${m.actualLine < lines.length ? show(lines[m.actualLine]!) : '(end of the output)'}`);
    fail(input, ...notes.map((n) => c.bold(n)));
    const view = res.view!;
    const normalized = opts.match === 'normalized' ? ' (normalized)' : '';
    const elisions = expected.includes(ELISION) ? `, runs matched by '${ELISION}' collapsed` : '';
    const diff = unifiedDiff(view.expected, view.actual, {
      expectedName: `${fixture}${normalized}`,
      actualName: `output of ${input}${normalized}${elisions}`,
      color: opts.color,
      maxLines: opts.maxDiffLines ?? 400,
    });
    for (const l of diff.replace(/\n$/, '').split('\n')) if (l) print(l);
  }

  const total = `${summary.passed} passed, ${summary.failed} failed`;
  print(summary.failed ? c.red(total) : c.green(total));
  return summary;
}

/** A line as it is, control characters made visible (a tab starts morebuf= lines). */
function show(line: string): string {
  return line.replace(/\t/g, '\\t');
}

/** Write a fixture atomically: a temporary file in the same directory, then a rename. */
async function write(file: string, lines: string[], onError: (msg: string) => void): Promise<boolean> {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.tmp`);
  try {
    await writeFile(tmp, lines.length ? lines.join('\n') + '\n' : '');
    await rename(tmp, file);
    return true;
  } catch (e) {
    await unlink(tmp).catch(() => {});
    onError(`cannot write ${file}: ${errText(e)}`);
    return false;
  }
}

function updateCommand(input: string, opts: CheckOptions): string {
  const d = opts.defaults ?? { go: '1.24', gomaxprocs: 1 };
  const parts = ['stackdebug check --update'];
  if (opts.go !== d.go) parts.push(`--go ${opts.go}`);
  if (opts.gomaxprocs !== d.gomaxprocs) parts.push(`--gomaxprocs ${opts.gomaxprocs}`);
  if (opts.expected !== undefined) parts.push(`--expected ${quote(opts.expected)}`);
  parts.push(quote(input));
  return parts.join(' ');
}

function quote(s: string): string {
  return /^[\w./@%+=:,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function errText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err && err.message ? err.message : String(e);
}
