/** `stackdebug compare`: the numbers of every scenario under several versions, and the first difference. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliSync } from './cli.js';
import { compareVersions, firstDifference, formatComparison } from '../src/compare/compare.js';
import { runFile } from '../src/engine.js';

const root = new URL('..', import.meta.url).pathname;
const SCENARIOS = readdirSync(join(root, 'scenarios')).filter((f) => f.endsWith('.yaml')).sort();
const VERSIONS = ['1.14', '1.19', '1.24'];


const lines = (t: string[], re: RegExp) => t.filter((l) => re.test(l));

describe.each(SCENARIOS)('compare scenarios/%s', (name) => {
  const file = join(root, 'scenarios', name);

  it('has a row per version whose numbers agree with its trace', async () => {
    const traces = new Map<string, string[]>();
    const rs = await compareVersions(VERSIONS, async (go, write, event) => {
      const t: string[] = [];
      traces.set(go, t);
      return runFile(file, { go, gomaxprocs: 1, write: (l) => (t.push(l), write(l)), event });
    });
    expect(rs.map((r) => r.go)).toEqual(VERSIONS);
    expect(rs[0].diff).toBeNull();
    for (const r of rs) {
      const t = traces.get(r.go)!;
      expect(r.traceLines).toBe(t.length);
      expect(r.morestacks).toBe(lines(t, /^runtime: newstack /).length);
      expect(r.grows).toBe(lines(t, /^stack grow done$/).length);
      expect(r.shrinks).toBe(lines(t, /^shrinking stack /).length);
      const copies = lines(t, /^copystack /);
      expect(r.grows + r.shrinks).toBe(copies.length);
      // bytes copied: hi - the middle address of the old stack, summed.
      const copied = copies.reduce((n, l) => {
        const m = /\[0x[0-9a-f]+ (0x[0-9a-f]+) (0x[0-9a-f]+)\]/.exec(l)!;
        return n + parseInt(m[2], 16) - parseInt(m[1], 16);
      }, 0);
      expect(r.bytesCopied).toBe(copied);
      const sizes = copies.map((l) => Number(l.split('/').at(-1)));
      expect(r.peakAll).toBe(Math.max(2048, ...sizes));
      expect(r.peakMain).toBeLessThanOrEqual(r.peakAll);
      expect(r.peakMain).toBeGreaterThanOrEqual(r.finalMain);
      expect(r.overflow).toBe(name === 'stack-overflow.yaml');
      expect(r.exitCode).toBe(r.overflow ? 2 : 0);
      expect(r.finalMainWhen).toBe(r.gcCycles > 0 ? 'gc' : 'exit');
      const d = firstDifference(traces.get(VERSIONS[0])!, t);
      expect(r.diff).toEqual(r === rs[0] ? null : d);
      if (d) expect(d.line).toBeGreaterThan(0);
    }
    const table = formatComparison(name, rs, 1);
    for (const v of VERSIONS) expect(table).toMatch(new RegExp(`^${v.replace('.', '\\.')} +\\d`, 'm'));
  });
});

describe('firstDifference', () => {
  const a = ['stackalloc 2048', '  allocated 0xc000010000', 'runtime: newstack sp=0xc0000107f0 stack=[0xc000010000, 0xc000010800]', 'x'];
  it('ignores where the stacks are, not what is in them', () => {
    const moved = ['stackalloc 2048', '  allocated 0xc000020000', 'runtime: newstack sp=0xc0000207f0 stack=[0xc000020000, 0xc000020800]', 'x'];
    expect(firstDifference(a, moved)).toBeNull();
    const other = ['stackalloc 2048', '  allocated 0xc000020000', 'runtime: newstack sp=0xc0000207e0 stack=[0xc000020000, 0xc000020800]', 'x'];
    expect(firstDifference(a, other)).toEqual({ line: 3, base: a[2], other: other[2] });
    expect(firstDifference(a, a.slice(0, 2))).toEqual({ line: 3, base: a[2], other: null });
  });
});

describe('compare command', () => {
  it('prints a table with a row per version and the first differences', () => {
    const r = cliSync(['compare', 'scenarios/seed-abc.yaml', '--go', '1.14,1.19', '--go', 'go1.24']);
    expect(r.code).toBe(0);
    const out = r.stdout.split('\n');
    expect(out[0]).toBe('scenarios/seed-abc.yaml, GOMAXPROCS 1: 3 Go versions');
    expect(out[2]).toMatch(/^Go +morestacks +grows +shrinks +bytes copied +peak main +peak any +main final +lines +exit +differs from 1\.14 at$/);
    expect(out[4]).toMatch(/^1\.14 +4 +4 +0 +6,000 +32,768 +32,768 +32,768 \(exit\) +\d+ +0 +\(base\)$/);
    expect(out[5]).toMatch(/^1\.19 +2 +2 +0 .* line \d+$/);
    expect(out[6]).toMatch(/^1\.24 +2 +2 +0 .* line \d+$/);
    expect(r.stdout).toContain('First difference from Go 1.14:');
  });

  it('takes every version with "all", and prints JSON', () => {
    const r = cliSync(['compare', 'scenarios/shrink-twice.yaml', '--go', 'all', '--format', 'json']);
    expect(r.code).toBe(0);
    const rows = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(rows.map((x) => x.go)).toEqual(['1.14', '1.15', '1.19', '1.21', '1.22', '1.23', '1.24']);
    for (const x of rows) expect(x).toMatchObject({ shrinks: expect.any(Number), finalMainWhen: 'gc', gcCycles: 3 });
  });

  it('says when the traces agree, and rejects an unknown version before running', () => {
    const same = cliSync(['compare', 'scenarios/seed-abc.yaml', '--go', '1.22,1.23']);
    expect(same.stdout).toMatch(/^1\.23 .* same$/m);
    const bad = cliSync(['compare', 'scenarios/seed-abc.yaml', '--go', '1.19,1.99']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/unknown Go version "1\.99"/);
  });
});
