/**
 * The model's stand-in for code addresses (runtime/code-size.ts) against `go tool objdump` of the
 * recorded programs: the return address of each call a traceback prints, as an offset in its
 * function. The figures in the tables are the objdump's.
 */
import { describe, expect, it } from 'vitest';
import { getProfile } from '../src/profiles/index.js';
import { compileProgram } from '../src/runtime/code.js';
import { loadProgram } from '../src/scenario/load.js';

/** The model's offset after the call made on `line` of function `fn`. */
async function offsetAt(file: string, version: string, fn: string, line: number): Promise<number> {
  const codes = compileProgram(await loadProgram(file), getProfile(version), 0x401000);
  const fc = codes.get(fn)!;
  const k = fc.code.findIndex((ins, i) => fc.lines[i] === line && ['call', 'go', 'send', 'recv'].includes(ins.op));
  expect(k, `${fn} has a call on line ${line}`).toBeGreaterThanOrEqual(0);
  return fc.returnOffsets[k + 1];
}

/** [function, line, objdump's offset] */
type Site = [string, number, number];

const EXACT: Record<string, Record<string, Site[]>> = {
  'test/fixtures/recorded/deadlock-many.go': {
    // go1.21.13 to go1.24.4 give the same code here.
    '1.21': [['sender', 17, 0x25], ['receiver', 23, 0x45], ['wait', 28, 0x1c], ['hold', 34, 0x38]],
    '1.24': [['sender', 17, 0x25], ['receiver', 23, 0x45], ['wait', 28, 0x1c], ['hold', 34, 0x38]],
    // go1.19.13: the frame pointer saved by MOVQ/LEAQ after SUBQ; the loop's go statements too.
    '1.19': [['sender', 17, 0x2a], ['receiver', 23, 0x4f], ['wait', 28, 0x25], ['hold', 34, 0x3d], ['main', 8, 0x65], ['main', 9, 0x8c]],
  },
  'test/fixtures/recorded/deadlock-goroutines.go': {
    // go1.19.13: REP STOSQ, prints, go statements of static closures, sends of a parameter.
    '1.19': [['main', 9, 0x5d], ['main', 10, 0x69], ['main', 11, 0x75], ['main', 12, 0x85], ['main', 13, 0x8a],
      ['b', 20, 0x5d], ['a1', 25, 0x25], ['a2', 31, 0x45], ['a4', 42, 0x2a]],
  },
  // DUFFZERO and DUFFCOPY of 512 bytes, padded as one branch each.
  'test/fixtures/reference/stack-overflow/main.go': {
    '1.19': [['r', 12, 0x78]],
    '1.21': [['r', 12, 0x58], ['main', 5, 0x58]],
  },
  'test/fixtures/recorded/gc-deadlock.go': {
    // go1.21.13: constants sent from their static copies.
    '1.21': [['final', 29, 0x39]],
  },
};

describe('the model\'s code sizes give the compiler\'s return addresses', () => {
  for (const [file, byVersion] of Object.entries(EXACT)) {
    for (const [version, sites] of Object.entries(byVersion)) {
      for (const [fn, line, real] of sites) {
        it(`${file.split('/').pop()} go${version}: ${fn} line ${line} +0x${real.toString(16)}`, async () => {
          expect((await offsetAt(file, version, fn, line)).toString(16)).toBe(real.toString(16));
        });
      }
    }
  }

  it('places the morestack call after the body (reference/stack-overflow: the top frame\'s offset)', async () => {
    for (const [version, real] of [['1.19', 0x8d], ['1.21', 0x66], ['1.24', 0x66]] as const) {
      const codes = compileProgram(await loadProgram('test/fixtures/reference/stack-overflow/main.go'), getProfile(version), 0x401000);
      expect(codes.get('r')!.morestackOffset.toString(16), version).toBe(real.toString(16));
    }
  });

  it('comes near where it is not exact: a loop\'s go statements and the call after it (go1.21.13)', async () => {
    const file = 'test/fixtures/recorded/deadlock-many.go';
    // The real code stores i at the top of the loop's body, after the jump to its test, and
    // reloads it for i++; the model stores it where it is set.
    for (const [line, real] of [[8, 0x51], [9, 0x78], [12, 0xd8]]) {
      const model = await offsetAt(file, '1.21', 'main', line);
      expect(Math.abs(model - real), `line ${line}: model +0x${model.toString(16)}`).toBeLessThanOrEqual(8);
    }
  });
});
