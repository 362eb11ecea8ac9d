/**
 * The compiled loop (src/runtime/jit.ts): Go's integer semantics in the code it writes, and
 * nothing of the program's own text in that code.
 */
import { describe, expect, it } from 'vitest';
import { traceOf } from '../src/engine.js';
import { getProfile } from '../src/profiles/index.js';
import { compileProgram, functionTable } from '../src/runtime/code.js';
import { compileLoop } from '../src/runtime/jit.js';
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

  it('writes numbers and slots only: names and strings stay in its tables', async () => {
    const program = await loadProgram('test/fixtures/go/int-semantics.go');
    const profile = getProfile('1.19');
    const table = functionTable(compileProgram(program, profile, profile.code.mainText));
    const source = compileLoop(new CodeIndex(table)).toString();
    expect(source).toContain('switch');
    expect(source).not.toMatch(/main\.f\b|["']lt["']|["']else["']|int-semantics/);
  });
});
