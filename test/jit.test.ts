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
import { simulate } from '../src/runtime/simulate.js';
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

  it("computes ints as Go's 64-bit int: products wrap around, constants are exact (checked with Go 1.19)", async () => {
    const { text, exitCode } = await traceOf('test/fixtures/go/int64-semantics.go', { go: '1.19', gomaxprocs: 1 });
    expect(exitCode).toBe(0);
    expect(programOutput(text)).toEqual([
      'start 9007199254740991',
      '-9223372036709301616 -1317624576672757373 -616 9223372036709301616',
      'wrapped',
      '-9223372036854775808 -9223372036854775808 -9223372036854775808 0 9223372036854775807',
      '4611686018427387904 -9223372036854775808 9007199254740992',
      '2^64 wraps to 0',
    ]);
  });

  it('goes on exact where doubles stop: the trace and events of a run exact from the start, each once', async () => {
    const program = await loadProgram('test/fixtures/go/int64-semantics.go');
    const profile = getProfile('1.19');
    const runWith = async (arithmetic?: 'int64') => {
      const lines: string[] = [];
      const events: string[] = [];
      const event = Object.assign((e: object) => events.push(JSON.stringify(e)), { calls: true });
      await simulate(program, profile, { gomaxprocs: 1, write: (l) => lines.push(l), event, arithmetic });
      return { lines, events };
    };
    const restarted = await runWith();
    const exact = await runWith('int64');
    expect(restarted.lines.filter((l) => l.startsWith('start'))).toHaveLength(1);
    expect(restarted.lines).toEqual(exact.lines);
    expect(restarted.events).toEqual(exact.events);
  });

  it('prints booleans as Go does: printbool writes true or false (checked with Go 1.19)', async () => {
    const { text, exitCode } = await traceOf('test/fixtures/recorded/print-bools.go', { go: '1.19', gomaxprocs: 1 });
    expect(exitCode).toBe(0);
    const out = programOutput(text).filter((l) => /^\d/.test(l) || /^(true|false|done)/.test(l));
    expect(out.slice(0, 3)).toEqual(['5 true true false', '4 false true true', '3 true false false']);
    expect(out.slice(-2)).toEqual(['true false', 'done true']);
  });

  it('writes numbers and slots only: names and strings stay in its tables', async () => {
    const program = await loadProgram('test/fixtures/go/int-semantics.go');
    const profile = getProfile('1.19');
    const table = functionTable(compileProgram(program, profile).codes);
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
