/**
 * `stackdebug check`: the checking logic with a fake engine (checkInputs), then the command end
 * to end through bin/stackdebug.cjs (built by test/setup-build.ts).
 */
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../src/program/model.js';
import { cliSync } from './cli.js';
import { checkInputs, expectedPathFor, type CheckOptions, type RunFile } from '../src/trace/check.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const seed = join(root, 'test', 'fixtures', 'seed-legacy');

/** A fake engine: the "trace" of an input is its own text; a file starting with "error" is bad input. */
const fakeRun: RunFile = async (path, opts) => {
  const text = await readFile(path, 'utf8');
  if (text.startsWith('error')) throw new InputError('unknown function "d"', { file: path, line: 3, col: 7 });
  for (const l of text.split('\n').slice(0, -1)) opts.write(l.replace('GO', opts.go));
  return 0;
};

async function check(paths: string[], o: Partial<CheckOptions> = {}, run: RunFile = fakeRun) {
  const out: string[] = [];
  const summary = await checkInputs(paths, { go: '1.24', gomaxprocs: 1, match: 'exact', update: false, color: false, print: (l) => out.push(l), ...o }, run);
  return { summary, out, text: out.join('\n') };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stackdebug-check-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function scratch(name: string, files: Record<string, string>): Promise<string> {
  const d = join(dir, name);
  await mkdir(d, { recursive: true });
  for (const [f, t] of Object.entries(files)) await writeFile(join(d, f), t);
  return d;
}

describe('expectedPathFor', () => {
  it('puts <name>.expected.log beside the input', () => {
    expect(expectedPathFor('scenarios/seed-abc.yaml')).toBe('scenarios/seed-abc.expected.log');
    expect(expectedPathFor('x/main.go')).toBe('x/main.expected.log');
  });
});

describe('checkInputs (fake engine)', () => {
  it('passes a matching fixture and fails a different one with a diff', async () => {
    const d = await scratch('basic', {
      'a.yaml': 'one\ntwo\nthree\n',
      'a.expected.log': 'one\ntwo\nthree\n',
      'b.go': 'one\ntwo\nthree\n',
      'b.expected.log': 'one\nTWO\nthree\n',
    });
    const { summary, out, text } = await check([join(d, 'a.yaml'), join(d, 'b.go')]);
    expect(summary).toMatchObject({ passed: 1, failed: 1 });
    expect(out[0]).toBe(`PASS ${join(d, 'a.yaml')}`);
    expect(out[1]).toBe(`FAIL ${join(d, 'b.go')}`);
    expect(text).toContain(`first difference: ${join(d, 'b.expected.log')} line 2, output line 2: the lines differ`);
    expect(text).toContain('    expected: TWO');
    expect(text).toContain('    output:   two');
    expect(text).toContain(`--- ${join(d, 'b.expected.log')}\n+++ output of ${join(d, 'b.go')}\n@@ -1,3 +1,3 @@\n one\n-TWO\n+two\n three`);
    expect(out[out.length - 1]).toBe('1 passed, 1 failed');
    expect(text).not.toMatch(/\u001b\[/);
  });

  it("ignores an expected trace's byte order mark", async () => {
    const d = await scratch('bom', { 'a.yaml': 'one\ntwo\n', 'a.expected.log': '\uFEFFone\ntwo\n' });
    const { summary } = await check([join(d, 'a.yaml')]);
    expect(summary).toMatchObject({ passed: 1, failed: 0 });
  });

  it('colors only when asked', async () => {
    const d = await scratch('color', { 'a.yaml': 'x\n', 'a.expected.log': 'y\n' });
    const { text } = await check([join(d, 'a.yaml')], { color: true });
    expect(text).toContain('\u001b[31mFAIL\u001b[39m');
    expect(text).toContain('\u001b[31m-y\u001b[39m');
  });

  it('says how to create a missing fixture', async () => {
    const d = await scratch('missing', { 'a.yaml': 'x\n' });
    const input = join(d, 'a.yaml');
    let r = await check([input]);
    expect(r.out).toEqual([
      `FAIL ${input}`,
      `  no expected trace: ${join(d, 'a.expected.log')} (create it with: stackdebug check --update ${input})`,
      '0 passed, 1 failed',
    ]);
    r = await check([input], { go: '1.14', defaults: { go: '1.24', gomaxprocs: 1 } });
    expect(r.text).toContain(`(create it with: stackdebug check --update --go 1.14 ${input})`);
  });

  it('reports an input error for that input and goes on', async () => {
    const d = await scratch('inputerror', { 'a.yaml': 'error\n', 'b.yaml': 'ok\n', 'b.expected.log': 'ok\n' });
    const { summary, out } = await check([d]);
    expect(summary).toMatchObject({ passed: 1, failed: 1 });
    expect(out).toEqual([`FAIL ${join(d, 'a.yaml')}`, `  ${join(d, 'a.yaml')}:3:7: unknown function "d"`, `PASS ${join(d, 'b.yaml')}`, '1 passed, 1 failed']);
  });

  it('reports an engine crash for that input and goes on', async () => {
    const d = await scratch('crash', { 'a.yaml': 'x\n' });
    const { summary, out } = await check([join(d, 'a.yaml')], {}, async () => {
      throw new Error('boom');
    });
    expect(summary.failed).toBe(1);
    expect(out[1]).toBe('  internal error: boom');
  });

  it('takes the .go/.yaml files of a directory, sorted, and says when there are none', async () => {
    const d = await scratch('dir', {
      'b.yaml': 'b\n', 'b.expected.log': 'b\n',
      'a.go': 'a\n', 'a.expected.log': 'a\n',
      'notes.txt': 'x\n',
    });
    await mkdir(join(d, 'sub'), { recursive: true });
    await writeFile(join(d, 'sub', 'c.yaml'), 'c\n');
    const empty = await scratch('empty', { 'readme.md': 'nothing\n' });
    const { summary, out } = await check([d, empty, join(d, 'nope.yaml')]);
    expect(out).toEqual([
      `PASS ${join(d, 'a.go')}`,
      `PASS ${join(d, 'b.yaml')}`,
      `FAIL ${empty}`,
      '  no .go or .yaml files in this directory',
      `FAIL ${join(d, 'nope.yaml')}`,
      '  no such file or directory',
      '2 passed, 2 failed',
    ]);
    expect(summary).toMatchObject({ passed: 2, failed: 2 });
  });

  it('uses --expected for a single input only', async () => {
    const d = await scratch('expected', { 'a.yaml': 'x\n', 'other.log': 'x\n', 'b.yaml': 'y\n' });
    const r = await check([join(d, 'a.yaml')], { expected: join(d, 'other.log') });
    expect(r.summary).toMatchObject({ passed: 1, failed: 0 });
    await expect(check([join(d, 'a.yaml'), join(d, 'b.yaml')], { expected: join(d, 'other.log') })).rejects.toThrow(/exactly one input/);
  });

  it('--update writes missing and differing fixtures, never one that matches', async () => {
    const d = await scratch('update', {
      'a.yaml': 'same\n', 'a.expected.log': 'same\n',
      'b.yaml': 'new\ntrace\n', 'b.expected.log': 'old\n...\n',
      'c.yaml': 'fresh\n',
    });
    const before = await stat(join(d, 'a.expected.log'));
    await new Promise((r) => setTimeout(r, 20));
    const { summary, out } = await check([d], { update: true });
    expect(out).toEqual([
      `PASS ${join(d, 'a.yaml')}`,
      `UPDATED ${join(d, 'b.yaml')}`,
      `  wrote ${join(d, 'b.expected.log')} (it did not match; it had '...' elisions, now it is the whole trace)`,
      `UPDATED ${join(d, 'c.yaml')}`,
      `  wrote ${join(d, 'c.expected.log')} (new)`,
      '3 passed, 0 failed',
    ]);
    expect(summary.written).toEqual([join(d, 'b.expected.log'), join(d, 'c.expected.log')]);
    expect((await stat(join(d, 'a.expected.log'))).mtimeMs).toBe(before.mtimeMs);
    expect(await readFile(join(d, 'b.expected.log'), 'utf8')).toBe('new\ntrace\n');
    expect(await readFile(join(d, 'c.expected.log'), 'utf8')).toBe('fresh\n');
    expect((await readdir(d)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    // Now everything matches.
    expect((await check([d])).summary).toMatchObject({ passed: 3, failed: 0 });
  });

  it('matches normalized traces and elisions', async () => {
    const d = await scratch('normalized', {
      'a.yaml': 'stackalloc 2048\n  allocated 0xc000040000\nrun GO\n0xc000040100\n',
      'a.expected.log': '...\n  allocated 0xc000030000\n...\n0xc000030100\n',
    });
    expect((await check([join(d, 'a.yaml')], { match: 'normalized' })).summary.failed).toBe(0);
    const exact = await check([join(d, 'a.yaml')], { match: 'exact' });
    expect(exact.summary.failed).toBe(1);
    expect(exact.text).toContain("runs matched by '...' collapsed");
  });
});


const cliEnv = (args: string[], env: Record<string, string | undefined> = {}) => cliSync(args, { env });

describe('stackdebug check (end to end)', () => {
  it('reports a missing input and exits 1', () => {
    const r = cliEnv(['check', 'test/fixtures/does-not-exist.yaml']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('FAIL test/fixtures/does-not-exist.yaml\n  no such file or directory\n0 passed, 1 failed\n');
  });

  it('rejects --expected with several inputs', () => {
    const r = cliEnv(['check', 'a.yaml', 'b.yaml', '--expected', 'x.log']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--expected takes exactly one input file/);
  });

  it('matches the seed article growth trace under Go 1.14 (normalized)', () => {
    const r = cliEnv(['check', '--go', '1.14', '--match', 'normalized', 'test/fixtures/seed-legacy/growth.go', '--expected', 'test/fixtures/seed-legacy/growth.expected.log']);
    expect(r.stdout).toContain('1 passed, 0 failed');
    expect(r.code).toBe(0);
  });

  it('matches the seed article gc trace under Go 1.14 (normalized)', () => {
    const r = cliEnv(['check', '--go', '1.14', '--match', 'normalized', 'test/fixtures/seed-legacy/gc.go', '--expected', 'test/fixtures/seed-legacy/gc.expected.log']);
    expect(r.stdout).toContain('1 passed, 0 failed');
    expect(r.code).toBe(0);
  });

  it('fails with a diff when one offset of the fixture changes', async () => {
    const d = await scratch('seed-offset', {});
    const text = await readFile(join(seed, 'growth.expected.log'), 'utf8');
    // The 16 KiB stack's used part: 0x3890 -> 0x38a0.
    const changed = text.replace('0xc00006f890 0xc000070000]/16384', '0xc00006f8a0 0xc000070000]/16384');
    expect(changed).not.toBe(text);
    await writeFile(join(d, 'growth.expected.log'), changed);
    await copyFile(join(seed, 'growth.go'), join(d, 'growth.go'));
    const r = cliEnv(['check', '--go', '1.14', '--match', 'normalized', join(d, 'growth.go')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`FAIL ${join(d, 'growth.go')}`);
    expect(r.stdout).toMatch(/first difference: .*growth\.expected\.log line 14, output line \d+: .*offset 0x38a0 in its stack, the output's is at 0x3890/);
    expect(r.stdout).toContain(`--- ${join(d, 'growth.expected.log')} (normalized)`);
    expect(r.stdout).toMatch(/^@@ -\d+,\d+ \+\d+,\d+ @@$/m);
    expect(r.stdout).toMatch(/^-copystack gp=A\d+ \[S\d+\+0x0 S\d+\+0x1890 S\d+\+0x2000\] -> \[S\d+\+0x0 S\d+\+0x38a0 S\d+\+0x4000\]\/16384$/m);
    expect(r.stdout).toMatch(/^\+copystack .*S\d+\+0x3890 S\d+\+0x4000\]\/16384$/m);
    expect(r.stdout).toContain('0 passed, 1 failed');
    expect(r.stdout).not.toMatch(/\u001b\[/);
  });

  it('colors with FORCE_COLOR or --color, not with NO_COLOR or --no-color', async () => {
    const d = await scratch('seed-color', {});
    await copyFile(join(seed, 'growth.go'), join(d, 'growth.go'));
    await writeFile(join(d, 'growth.expected.log'), 'nothing like it\n');
    const args = ['check', '--go', '1.14', join(d, 'growth.go')];
    expect(cliEnv(args, { FORCE_COLOR: '1' }).stdout).toMatch(/\u001b\[31mFAIL/);
    expect(cliEnv([...args, '--color']).stdout).toMatch(/\u001b\[31mFAIL/);
    expect(cliEnv(args, { NO_COLOR: '1' }).stdout).not.toMatch(/\u001b\[/);
    expect(cliEnv([...args, '--no-color'], { FORCE_COLOR: '1' }).stdout).not.toMatch(/\u001b\[/);
  });

  it('--update writes a fixture that then passes exactly, and leaves it alone after', async () => {
    const d = await scratch('seed-update', {});
    await copyFile(join(seed, 'growth.go'), join(d, 'growth.go'));
    const input = join(d, 'growth.go');
    let r = cliEnv(['check', '--go', '1.14', input]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`no expected trace: ${join(d, 'growth.expected.log')} (create it with: stackdebug check --update --go 1.14 ${input})`);
    r = cliEnv(['check', '--go', '1.14', '--update', input]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`wrote ${join(d, 'growth.expected.log')} (new)`);
    const before = await stat(join(d, 'growth.expected.log'));
    r = cliEnv(['check', '--go', '1.14', '--update', d]);
    expect(r.stdout).toBe(`PASS ${input}\n1 passed, 0 failed\n`);
    expect((await stat(join(d, 'growth.expected.log'))).mtimeMs).toBe(before.mtimeMs);
  });
});

describe('check --match code', () => {
  // acc-recursion's code the model sizes a few bytes off (runtime/code-size.ts): its addresses
  // differ, and the rest of the trace is the real one.
  it('passes a trace recorded with stackdebug record, run with --environ minimal, where --match exact fails', () => {
    const args = ['check', 'test/fixtures/recorded/bool-edge.go', '--go', '1.19', '--environ', 'minimal',
      '--expected', 'test/fixtures/recorded/bool-edge.go1.19.p1.log'];
    const code = cliSync([...args, '--match', 'code']);
    expect(code.code).toBe(0);
    expect(code.stdout).toContain('PASS test/fixtures/recorded/bool-edge.go');
    const exact = cliSync(args);
    expect(exact.code).toBe(1);
    expect(exact.stdout).toContain('morebuf={pc:');
  });

  it('is not needed where the model lays the code out as the linker does (seed-abc, 1.19)', () => {
    const exact = cliSync(['check', 'test/fixtures/recorded/seed-abc.go', '--go', '1.19', '--environ', 'minimal',
      '--expected', 'test/fixtures/recorded/seed-abc.go1.19.p1.log']);
    expect(exact.code).toBe(0);
  });
});
