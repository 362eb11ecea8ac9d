/**
 * The shipped scenarios and their fixtures: `stackdebug check scenarios/` passes byte for byte,
 * and the real traces of the reference programs are normalized fixtures of their scenarios.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFile } from '../src/engine.js';
import { checkInputs } from '../src/trace/check.js';

describe('stackdebug check scenarios/', () => {
  it('every shipped scenario matches its .expected.log byte for byte', () => {
    const r = spawnSync(process.execPath, ['bin/stackdebug.cjs', 'check', 'scenarios/'], { encoding: 'utf8' });
    expect(r.stdout).toContain(' passed, 0 failed');
    expect(r.status).toBe(0);
  });
});

/**
 * Real whole traces (GOMAXPROCS=1) that the model reproduces as normalized fixtures. Left out:
 * traces shaped by real threads' timing (sysmon preemption requests, an extra M) and the
 * stack-overflow tracebacks.
 */
const TIMING = new Set(['big-frame go1.21', 'deep-recursion go1.15', 'deep-recursion go1.22', 'deep-recursion go1.23']);

describe('real traces as normalized fixtures of the scenarios', () => {
  const ref = 'test/fixtures/reference';
  for (const name of readdirSync(ref).sort()) {
    const scenario = join('scenarios', `${name}.yaml`);
    if (!existsSync(scenario) || name === 'stack-overflow') continue;
    for (const f of readdirSync(join(ref, name)).sort()) {
      const m = /^go(1\.\d+)\.p1\.log$/.exec(f);
      if (!m || TIMING.has(`${name} go${m[1]}`)) continue;
      it(`${scenario} --go ${m[1]} --match normalized --expected ${f}`, async () => {
        const out: string[] = [];
        const summary = await checkInputs(
          [scenario],
          { go: m[1], gomaxprocs: 1, match: 'normalized', update: false, color: false, expected: join(ref, name, f), print: (l) => out.push(l) },
          runFile,
        );
        expect(out.join('\n')).toContain(`PASS ${scenario}`);
        expect(summary.failed).toBe(0);
      });
    }
  }
});
