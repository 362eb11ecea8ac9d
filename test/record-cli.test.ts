/**
 * The record, go and frames commands and `run --frames compiler`, run as a user runs them:
 * node bin/stackdebug.cjs (dist/ is built by the global test setup, or here if it is missing).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './cli.js';
import { programToGo } from '../src/program/emit-go.js';
import { findToolchain } from '../src/record/toolchain.js';
import { loadProgram } from '../src/scenario/load.js';

const root = new URL('..', import.meta.url).pathname;


let work: string;
beforeAll(async () => {
  if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) {
    spawnSync('npx', ['tsc', '-p', '.'], { cwd: root, stdio: 'ignore' });
  }
  work = await mkdtemp(join(tmpdir(), 'stackdebug-record-cli-'));
}, 300_000);
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

/** A scenario whose function f has an explicit 4096-byte frame: the compiler gives f far less. */
const OVERRIDE = [
  'functions:',
  '  main:',
  '    steps:',
  '      - call: f()',
  '      - println: done',
  '  f:',
  '    frame: 4096',
  '    steps:',
  '      - println: f',
  '',
].join('\n');

describe('stackdebug go', () => {
  it('prints the Go program a scenario stands for', async () => {
    const file = join(root, 'scenarios', 'seed-abc.yaml');
    const r = await cli(['go', file]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(programToGo(await loadProgram(file)));
    expect(r.stdout).toMatch(/^package main\n\n\/\/go:noinline\nfunc main\(\) \{\n\tvar x \[10\]int\n/);
  });

  it('reports an input error with its position', async () => {
    const bad = join(work, 'bad.yaml');
    await writeFile(bad, 'functions:\n  main:\n    steps:\n      - call: nothere()\n');
    const r = await cli(['go', bad]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^stackdebug: ${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4:\\d+: undefined function: nothere\\n$`));
  });
});

describe('stackdebug frames (model only)', () => {
  it('prints the frame model as a table', async () => {
    const r = await cli(['frames', join(root, 'scenarios', 'seed-abc.yaml'), '--go', '1.19', '--no-compiler']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe([
      'function  frame  args  nosplit',
      'main        168     0  no',
      'a          1608    80  no',
      'b         16008   800  no',
      'c            24  8000  no',
      '',
    ].join('\n'));
  });

  it('says in one line when no toolchain of that release is installed', async (ctx) => {
    // 1.14 is a simulated release that is rarely installed; look only where findToolchain would.
    const env = { ...process.env, GOROOT: '', PATH: '/nonexistent' };
    if (await findToolchain('1.14', { env }).then(() => true, () => false)) ctx.skip();
    const r = await cli(['frames', join(root, 'scenarios', 'leaf-small.yaml'), '--go', '1.14'], { env });
    expect(r.code).toBe(0);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/no Go 1\.14 toolchain found.*frame model only/);
    expect(r.stdout.split('\n')[0]).toBe('function  frame  args  nosplit');
    expect(r.stdout).toMatch(/^leaf\s+0\s+1440\s+yes$/m);
  });
});

const go119 = await findToolchain('1.19').catch(() => null);
if (!go119) console.warn('skipping record/frames tests with a toolchain: no Go 1.19 toolchain (apt-get install golang-1.19-go)');

(go119 ? describe : describe.skip)('with the real Go 1.19', () => {
  it('record prints the most frequent trace and how many runs agreed', async () => {
    const r = await cli(['record', join(root, 'scenarios', 'seed-abc.yaml'), '--runs', '2']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^copystack gp=0x[0-9a-f]+ .*\/32768$/m);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('func '))).toEqual(['func a', 'func b', 'func c']);
    // stderr is not a terminal here: no progress messages, only the agreement.
    expect(r.stderr).toMatch(/^(2 of 2 runs agreed|1 of 2 runs agreed \(2 different traces, of 1 \+ 1 runs; of the tied traces, the first seen is kept\))\n$/);
  }, 600_000);

  it('record --out writes the trace to a file and says so', async () => {
    const out = join(work, 'seed-abc.go1.19.p1.log');
    const r = await cli(['record', join(root, 'test', 'fixtures', 'go', 'seed-abc.go'), '--runs', '1', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`stackdebug: wrote ${out} (1 of 1 runs agreed)\n`);
    expect(await readFile(out, 'utf8')).toContain('func c\n');
    expect((await readdir(work)).filter((f) => f.includes('.tmp-'))).toEqual([]);
  }, 600_000);

  it('record exits with the status of the program', async () => {
    const r = await cli(['record', join(root, 'scenarios', 'stack-overflow.yaml'), '--runs', '1']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('fatal error: stack overflow');
  }, 600_000);

  it('record refuses programs outside the subset and bad options before building', async () => {
    const bad = join(work, 'bad.go');
    await writeFile(bad, 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("x")\n}\n');
    const r = await cli(['record', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.go:3:8: unsupported import "fmt"/);
    const runs = await cli(['record', join(root, 'scenarios', 'seed-abc.yaml'), '--runs', '0']);
    expect(runs.code).toBe(1);
    expect(runs.stderr).toContain('--runs: must be a positive whole number');
  });

  it('record says how to install a missing release', async () => {
    const r = await cli(['record', join(root, 'scenarios', 'seed-abc.yaml'), '--go', '1.7'], { env: { GOROOT: '' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('apt-get install golang-1.7-go');
  });

  it("frames shows the compiler's sizes beside the model's", async () => {
    const r = await cli(['frames', join(root, 'scenarios', 'seed-abc.yaml'), '--go', '1.19']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^function\s+frame\s+args\s+nosplit\s+go1\.19\S* frame\s+args\s+nosplit$/);
    expect(lines[1]).toMatch(/^main\s+168\s+0\s+no\s+168\s+0\s+no$/);
    expect(lines[3]).toMatch(/^b\s+16008\s+800\s+no\s+16008\s+800\s+no$/);
    expect(r.stdout).not.toContain('DIFF');
    expect(r.stderr).toBe('all 4 functions agree with the compiler\n');
  }, 600_000);

  it('frames marks a difference and exits 1', async () => {
    const file = join(work, 'override.yaml');
    await writeFile(file, OVERRIDE);
    const r = await cli(['frames', file, '--go', '1.19']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^f\s+4096\s+0\s+no\s+24\s+0\s+no\s+DIFF \(frame\)$/m);
    expect(r.stdout).toMatch(/^main\s+24\s+0\s+no\s+24\s+0\s+no$/m);
    expect(r.stderr).toBe('1 of 2 functions differ from the compiler\n');
  }, 600_000);

  it("run --frames compiler simulates with the compiler's frame sizes", async () => {
    const file = join(work, 'override-run.yaml');
    await writeFile(file, OVERRIDE);
    const model = await cli(['run', file, '--go', '1.19']);
    const compiler = await cli(['run', file, '--go', '1.19', '--frames', 'compiler']);
    expect(model.code).toBe(0);
    expect(compiler.code).toBe(0);
    // f's 4096-byte frame does not fit the first 2 KiB stack; the compiler's 24 bytes do.
    expect(model.stdout).toMatch(/^copystack .*\/8192$/m);
    expect(compiler.stdout).not.toContain('copystack');
    expect(compiler.stdout).toContain('f\ndone\n');
  }, 600_000);
});
