/**
 * The compiled loop (src/runtime/jit.ts): Go's integer semantics in the code it writes, and
 * nothing of the program's own text in that code.
 */
import { describe, expect, it } from 'vitest';
import { traceOf } from '../src/engine.js';
import { getProfile } from '../src/profiles/index.js';
import { compileProgram, functionTable } from '../src/runtime/code.js';
import { compileLoop, warmReturns } from '../src/runtime/jit.js';
import { Runtime } from '../src/runtime/proc.js';
import { CodeIndex } from '../src/runtime/frames.js';
import { loadProgram } from '../src/scenario/load.js';

const programOutput = (trace: string) =>
  trace.split('\n').filter((l) => l && !/^(stack|  allocated|runtime:|\t|copystack|shrinking)/.test(l));

describe('the compiled loop', () => {
  it('divides, takes remainders and branches as Go does (checked with Go 1.19)', async () => {
    const { text, exitCode } = await traceOf('test/fixtures/go/int-semantics.go', { go: '1.19', gomaxprocs: 1 });
    expect(exitCode).toBe(0);
    expect(programOutput(text)).toEqual(['-3 -1 -3 1 3 14', 'lt', 'else', '4', '-8', '6000000000 -3000000000 428571428', '9000000001']);
  });

  it('wraps byte arithmetic around at 256 as Go does (checked with Go 1.19)', async () => {
    const { text, exitCode } = await traceOf('test/fixtures/go/byte-semantics.go', { go: '1.19', gomaxprocs: 1 });
    expect(exitCode).toBe(0);
    expect(programOutput(text)).toEqual(['253 3 0 0', '254 44 253 51', 'wrapped']);
  });

  it('writes numbers and slots only: names and strings stay in its tables', async () => {
    const program = await loadProgram('test/fixtures/go/int-semantics.go');
    const profile = getProfile('1.19');
    const table = functionTable(compileProgram(program, profile, profile.code.mainText));
    const source = compileLoop(new CodeIndex(table)).toString();
    expect(source).toContain('switch');
    expect(source).not.toMatch(/main\.f\b|["']lt["']|["']else["']|int-semantics/);
  });

  it('warms up on its returns without touching the runtime or the program', async () => {
    const program = await loadProgram('test/fixtures/go/loop-recursion.go');
    const lines: string[] = [];
    const rt = new Runtime(getProfile('1.19'), program, { gomaxprocs: 1, write: (l) => lines.push(l) });
    Object.assign(rt, { clock: 1234, budget: 567, outputLeft: 89 });
    const before = rt.allgs.map((g) => [g.frames.depth, g.frames.topUsed, g.stack.lo, g.stackguard0]);
    const written = lines.length;
    const scratch = rt.scratchG();
    warmReturns(compileLoop(rt.codeIndex), rt.interp, rt, rt.codeIndex, scratch);
    expect([rt.clock, rt.budget, rt.outputLeft]).toEqual([1234, 567, 89]);
    expect(rt.allgs.map((g) => [g.frames.depth, g.frames.topUsed, g.stack.lo, g.stackguard0])).toEqual(before);
    expect(rt.allgs).not.toContain(scratch);
    expect(lines.length).toBe(written);
  });
});
