/**
 * The `record` machinery: finding a toolchain, patching a private GOROOT, and (when Go 1.19 is
 * installed) recording a real trace and the compiler's frame sizes for the seed program.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../src/program/model.js';
import { patchedGoroot, patchStackDebug } from '../src/record/patched-goroot.js';
import { agreement } from '../src/cli/record.js';
import { compilerFrames, modalTrace, parseTextFrames, recordTrace } from '../src/record/record.js';
import { findToolchain, normalizeVersion, versionMatches } from '../src/record/toolchain.js';
import { goFileNameOf } from '../src/record/source.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'record');
const seedSource = readFileSync(join(fixtures, 'seed-abc', 'main.go'), 'utf8');

describe('the name a program is built under', () => {
  it("keeps a .go file's own name, unless go build would leave such a file out", () => {
    expect(goFileNameOf('dir/prog.go')).toBe('prog.go');
    expect(goFileNameOf('deadlock-goroutines.go')).toBe('deadlock-goroutines.go');
    expect(goFileNameOf('x_test.go')).toBe('main.go');
    expect(goFileNameOf('sys_windows.go')).toBe('main.go');
    expect(goFileNameOf('asm_arm64.go')).toBe('main.go');
    expect(goFileNameOf('_skip.go')).toBe('main.go');
    expect(goFileNameOf('scenarios/seed-abc.yaml')).toBe('main.go');
  });
});

describe('toolchain versions', () => {
  it('accepts 1.NN and go1.NN only', () => {
    expect(normalizeVersion('1.19')).toBe('1.19');
    expect(normalizeVersion('go1.21')).toBe('1.21');
    expect(() => normalizeVersion('1.19.8')).toThrow(InputError);
    expect(() => normalizeVersion('latest')).toThrow(InputError);
  });

  it('matches VERSION lines of that release only', () => {
    expect(versionMatches('go1.19.8', '1.19')).toBe(true);
    expect(versionMatches('go1.19', '1.19')).toBe(true);
    expect(versionMatches('go1.19rc1', '1.19')).toBe(true);
    expect(versionMatches('go1.1', '1.19')).toBe(false);
    expect(versionMatches('go1.190', '1.19')).toBe(false);
    expect(versionMatches('go1.1.2', '1.1')).toBe(true);
    expect(versionMatches('go1.15.2', '1.1')).toBe(false);
  });

  it('says how to install a missing toolchain', async () => {
    const err = await findToolchain('1.7', { env: { PATH: '', GOROOT: '' } }).catch((e) => e);
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toContain('apt-get install golang-1.7-go');
  });

  it('rejects an explicit GOROOT of another release', async () => {
    const root = await mkdtemp(join(tmpdir(), 'stackdebug-test-'));
    try {
      await mkdir(join(root, 'bin'));
      await writeFile(join(root, 'bin', 'go'), '');
      await writeFile(join(root, 'VERSION'), 'go1.21.3\ntime 2023\n');
      await expect(findToolchain('1.19', { goroot: root })).rejects.toThrow(/is go1\.21\.3, not Go 1\.19/);
      expect((await findToolchain('1.21', { goroot: root })).fullVersion).toBe('go1.21.3');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('patched GOROOT', () => {
  const stackGo = 'package runtime\n\nconst (\n\t// stackDebug == 0: no logging\n\tstackDebug       = 0\n\tstackFromSystem  = 0\n)\n';

  it('sets stackDebug = 1 and nothing else', () => {
    const out = patchStackDebug(stackGo);
    expect(out).toContain('\tstackDebug       = 1\n');
    expect(out).toContain('// stackDebug == 0: no logging');
    expect(out).toContain('stackFromSystem  = 0');
    expect(() => patchStackDebug('package runtime\n')).toThrow(/stackDebug/);
  });

  it('copies once into the cache, leaves the original alone, and reuses the copy', async () => {
    const root = await mkdtemp(join(tmpdir(), 'stackdebug-test-'));
    try {
      const goroot = join(root, 'go');
      await mkdir(join(goroot, 'bin'), { recursive: true });
      await mkdir(join(goroot, 'src', 'runtime'), { recursive: true });
      await writeFile(join(goroot, 'bin', 'go'), '#!/bin/sh\n');
      await writeFile(join(goroot, 'VERSION'), 'go1.19.8\n');
      await writeFile(join(goroot, 'src', 'runtime', 'stack.go'), stackGo);
      await writeFile(join(goroot, 'src', 'runtime', 'proc.go'), 'package runtime\n');
      const env = { XDG_CACHE_HOME: join(root, 'cache') };
      const tc = { goroot, version: '1.19', fullVersion: 'go1.19.8' };

      const copy = await patchedGoroot(tc, { env });
      expect(copy.startsWith(join(root, 'cache', 'stackdebug', 'goroot-1.19-'))).toBe(true);
      expect(await readFile(join(copy, 'src', 'runtime', 'stack.go'), 'utf8')).toContain('stackDebug       = 1');
      expect(await readFile(join(copy, 'src', 'runtime', 'proc.go'), 'utf8')).toBe('package runtime\n');
      expect(await readFile(join(goroot, 'src', 'runtime', 'stack.go'), 'utf8')).toBe(stackGo);

      const made = (await stat(join(copy, 'src', 'runtime', 'stack.go'))).mtimeMs;
      let progress = 0;
      expect(await patchedGoroot(tc, { env, onProgress: () => progress++ })).toBe(copy);
      expect(progress).toBe(0);
      expect((await stat(join(copy, 'src', 'runtime', 'stack.go'))).mtimeMs).toBe(made);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('fails clearly when stack.go has no stackDebug line', async () => {
    const root = await mkdtemp(join(tmpdir(), 'stackdebug-test-'));
    try {
      const goroot = join(root, 'go');
      await mkdir(join(goroot, 'src', 'runtime'), { recursive: true });
      await writeFile(join(goroot, 'src', 'runtime', 'stack.go'), 'package runtime\n');
      const tc = { goroot, version: '1.19', fullVersion: 'go1.19.8' };
      await expect(patchedGoroot(tc, { env: { XDG_CACHE_HOME: join(root, 'cache') } })).rejects.toThrow(/stackDebug/);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('trace selection and frame listing', () => {
  it('keeps the most frequent trace, the first seen on a tie', () => {
    expect(modalTrace(['a', 'b', 'b', 'c'])).toEqual({ trace: 'b', index: 1, count: 2, shares: [2, 1, 1] });
    expect(modalTrace(['x', 'y'])).toEqual({ trace: 'x', index: 0, count: 1, shares: [1, 1] });
    expect(modalTrace(['z', 'z'])).toEqual({ trace: 'z', index: 0, count: 2, shares: [2] });
  });

  it('says how many runs agreed and how the others split', () => {
    expect(agreement({ agreed: 7, runs: 7, shares: [7] })).toBe('7 of 7 runs agreed');
    expect(agreement({ agreed: 4, runs: 7, shares: [4, 2, 1] })).toBe('4 of 7 runs agreed (3 different traces, of 4 + 2 + 1 runs)');
    expect(agreement({ agreed: 3, runs: 7, shares: [3, 3, 1] }))
      .toBe('3 of 7 runs agreed (3 different traces, of 3 + 3 + 1 runs; of the tied traces, the first seen is kept)');
  });

  it('reads $frame-args and NOSPLIT from TEXT lines', () => {
    const listing = [
      'main.a STEXT size=151 args=0x50 locals=0x648 funcid=0x0 align=0x0',
      '\t0x0000 00000 (/tmp/x/main.go:12)\tTEXT\tmain.a(SB), ABIInternal, $1608-80',
      '\t0x0000 00000 (/tmp/x/main.go:20)\tTEXT\tmain.c(SB), NOSPLIT|ABIInternal, $0-8000',
      '\t0x0000 00000 (/tmp/x/main.go:30)\tTEXT\tmain.go2.func1(SB), WRAPPER|NEEDCTXT|ABIInternal, $176-0',
      '\t0x0000 00000 (<autogenerated>:1)\tTEXT\ttype..eq.[2]interface {}(SB), DUPOK|ABIInternal, $48-16',
    ].join('\n');
    expect(parseTextFrames(listing)).toEqual(new Map([
      ['a', { frame: 1608, args: 80, nosplit: false }],
      ['c', { frame: 0, args: 8000, nosplit: true }],
      ['go2.func1', { frame: 176, args: 0, nosplit: false }],
    ]));
  });
});

const go119 = await findToolchain('1.19').catch(() => null);
if (!go119) console.warn('skipping record tests: no Go 1.19 toolchain (apt-get install golang-1.19-go)');
const python = (() => {
  try {
    execFileSync('python3', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

(go119 ? describe : describe.skip)('recording with the real Go 1.19', () => {
  const work = mkdtemp(join(tmpdir(), 'stackdebug-test-'));
  afterAll(async () => rm(await work, { recursive: true, force: true }));

  it('records seed-abc like the reference trace (tier A)', async () => {
    const r = await recordTrace(seedSource, { version: '1.19', gomaxprocs: 1, runs: 3 });
    expect(r.runs).toBe(3);
    expect(r.agreed).toBeGreaterThanOrEqual(1);
    expect(r.exitCode).toBe(0);
    expect(r.trace).toContain('func c\n');
    expect(r.trace).toMatch(/^copystack gp=0x[0-9a-f]+ .*\/32768$/m);
    if (!python) {
      console.warn('skipping the tracecmp comparison: no python3');
      return;
    }
    const sim = join(await work, 'seed-abc.log');
    await writeFile(sim, r.trace);
    const out = execFileSync('python3', [
      join(fixtures, 'tracecmp.py'), join(fixtures, 'seed-abc', 'go1.19.p1.log'), sim,
    ], { encoding: 'utf8' });
    expect(out).toMatch(/^A ok\b/);
  }, 600_000);

  it("reads the compiler's frames for seed-abc", async () => {
    const meta = JSON.parse(await readFile(join(fixtures, 'seed-abc', 'meta.json'), 'utf8'));
    const frames = await compilerFrames(seedSource, { version: '1.19' });
    const asObject = Object.fromEntries([...frames].map(([name, f]) => [name, [f.frame, f.args]]));
    expect(asObject).toEqual(meta['go1.19.frames']);
  }, 600_000);

  it('reports a compile error as an input error', async () => {
    const bad = 'package main\n\nfunc main() {\n\tundefinedThing()\n}\n';
    const err = await recordTrace(bad, { version: '1.19', gomaxprocs: 1, runs: 1 }).catch((e) => e);
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toMatch(/main\.go:4:2: undefined: undefinedThing/);
  }, 600_000);
});
