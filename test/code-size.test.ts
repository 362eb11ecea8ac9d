/**
 * The model's stand-in for code addresses (runtime/code-size.ts) against `go tool objdump` of the
 * recorded programs: the return address of each call a traceback prints, as an offset in its
 * function. The figures in the tables are the objdump's.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { traceOf } from '../src/engine.js';
import { getProfile } from '../src/profiles/index.js';
import { compileProgram } from '../src/runtime/code.js';
import { functionSize, returnOffsets } from '../src/runtime/code-size.js';
import { compareBytes } from '../src/runtime/arith-size.js';
import type { Expr } from '../src/program/model.js';

type Binary = Extract<Expr, { kind: 'binary' }>;
import { loadProgram } from '../src/scenario/load.js';

/** The model's offset after the call made on `line` of function `fn`. */
async function offsetAt(file: string, version: string, fn: string, line: number): Promise<number> {
  const codes = compileProgram(await loadProgram(file), getProfile(version)).codes;
  const fc = codes.get(fn)!;
  const k = fc.code.findIndex((ins, i) => fc.lines[i] === line && ['call', 'go', 'send', 'recv', 'print', 'gc'].includes(ins.op));
  expect(k, `${fn} has a call on line ${line}`).toBeGreaterThanOrEqual(0);
  return fc.returnOffsets[k + 1];
}

/** The program's functions and the wrappers of its go statements, as the model compiles them. */
async function linkedFunctions(file: string, version: string) {
  const { codes } = compileProgram(await loadProgram(file), getProfile(version));
  return [...codes.values()].flatMap((fc) => [fc, ...fc.code.flatMap((ins) => (ins.op === 'go' && ins.fn.wrapper ? [ins.fn] : []))]);
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
  // left(a+b, m) and right(b-c) of parameters in registers: the sum made in CX and moved to AX
  // while a is printed later (1.19-1.23), ADDQ BX, AX once regalloc frees a register read again
  // only after the call (1.24); the difference MOVQ BX, AX; SUBQ CX, AX in all.
  // if n == 0 { return }; talk(n-1, y) after a println: the test reloads n into AX, where talk(n-1)
  // finds it (DECQ AX), not reloaded again.
  'test/fixtures/recorded/println-mixed.go': {
    '1.19': [['talk', 18, 0xf4]],
    '1.21': [['talk', 18, 0xfa]],
    '1.22': [['talk', 18, 0xfa]],
    '1.24': [['talk', 18, 0xfa]],
  },
  // next := total + n*n, then acc(next, n-1) with n tested after: n copied before IMULQ (MOVQ
  // BX, CX) as it is read again before the call; next, made in total's AX, passed as it is; n-1
  // made by LEAQ and moved to BX (1.21-1.23), by DECQ BX in place from 1.24 (regsFreedBeforeCall).
  'test/fixtures/recorded/sum-chain.go': {
    '1.21': [['acc', 16, 0x5c]],
    '1.22': [['acc', 16, 0x5c]],
    '1.24': [['acc', 16, 0x58]],
  },
  // p := n*d, then if depth > 0 { split(n-9, d, depth-1) }: n copied before IMULQ, its next read
  // inside the branch.
  'test/fixtures/recorded/div-mod-print.go': {
    '1.21': [['split', 13, 0x74]],
    '1.22': [['split', 13, 0x76]],
    '1.24': [['split', 13, 0x73]],
  },
  // q := p / c, then if q > 20 { deeper(q-20, t) }: q tested and passed on from AX, where IDIVQ
  // left it (CMPQ AX, $0x14; LEAQ -0x14(AX), CX; MOVQ CX, AX).
  'test/fixtures/recorded/loop-step-products.go': {
    '1.19': [['mul', 16, 0xdf]],
    '1.21': [['mul', 16, 0xbf]],
    '1.22': [['mul', 16, 0xbf]],
    '1.24': [['mul', 16, 0xbc]],
  },
  // if n%8 == 0 { go leaf(n * 3) }: the closure is allocated (newobject) before n, read from its
  // slot after that call, is captured (MOVQ n, CX; LEAQ (CX)(CX*2), DX; MOVQ DX, 8(AX)).
  'test/fixtures/recorded/go-in-recursion.go': {
    '1.19': [['descend', 21, 0x85]],
    '1.21': [['descend', 21, 0x7b]],
    '1.22': [['descend', 21, 0x7b]],
    '1.24': [['descend', 21, 0x7b]],
  },
  'test/fixtures/recorded/cond-calls.go': {
    '1.19': [['gate', 14, 0x9f], ['gate', 16, 0xad]],
    '1.22': [['gate', 14, 0x9f], ['gate', 16, 0xad]],
    '1.24': [['gate', 14, 0x9b], ['gate', 16, 0xa8]],
  },
  // step(n - 4); return in a then-block, n printed only past it: made in place (ADDQ $-4, AX).
  'test/fixtures/recorded/seven-params.go': {
    '1.19': [['step', 24, 0x4f]],
  },
  // Parameters passed on in other registers (test/fixtures/frames/param-moves.go, objdump of
  // go1.19.8, 1.22.12 and 1.24.4): two swapped through a third (MOVQ AX, DX; MOVQ BX, AX;
  // MOVQ DX, BX), bools by MOVL; one left in its register though an earlier argument took it too;
  // a [3]bool copied through DX and SI, its byte stored from SIL with a REX prefix.
  'test/fixtures/frames/param-moves.go': {
    '1.19': [['swapBools', 17, 0x7a], ['swapInts', 26, 0x6a], ['passBool', 35, 0x65]],
    '1.22': [['swapBools', 17, 0x71], ['swapInts', 26, 0x65], ['passBool', 35, 0x5a]],
    '1.24': [['swapBools', 17, 0x71], ['swapInts', 26, 0x65], ['passBool', 35, 0x5a]],
  },
  // if n == 0 { println(...); return } laid out last, too far for an 8-bit displacement: JE rel32
  // (go1.22.12 objdump of r2: 0f 84 at +0x23).
  'test/fixtures/arith/arith-19.go': {
    '1.22': [['r2', 40, 0x65], ['r2', 43, 0xb9]],
  },
  // Go 1.15's stack ABI: n ± 1 of an n that a later argument or statement reads is LEAQ into CX
  // (fib(n - 1) then fib(n - 2); consumer(n - 1) then println(n)); if n == 1 { println(&f) }
  // before a return inside another then-block laid out after that return, with a JMP back.
  'test/fixtures/recorded/tree-recursion.go': {
    '1.15': [['fib', 17, 0x7e], ['fib', 18, 0x90]],
  },
  'test/fixtures/recorded/recv-in-recursion.go': {
    '1.15': [['consumer', 23, 0xbd]],
  },
  // Zero-size and [1]T arguments in registers or none, a go statement's closure storing them.
  'test/fixtures/recorded/tiny-arrays.go': {
    '1.21': [['main', 9, 0x1c], ['main', 10, 0x3f]],
  },
  // A [7]byte zeroed by two MOVLs; acc stored before the println that reads it after printlock
  // (1.21). Go 1.15: even(n-1, acc+n) makes n-1 by LEAQ into CX (above).
  'test/fixtures/recorded/acc-recursion.go': {
    '1.15': [['odd', 15, 0xca]],
    '1.21': [['even', 22, 0x52]],
  },
  'test/fixtures/recorded/gc-deadlock.go': {
    // go1.21.13: constants sent from their static copies.
    '1.21': [['final', 29, 0x39]],
  },
  // Arrays over 128 bytes a go statement captures by reference: a heap copy (REP MOVSQ) whose
  // pointer the closure takes behind the write barrier (gcWriteBarrierCX; from 1.21
  // gcWriteBarrier1).
  'test/fixtures/recorded/go-big-twice.go': {
    '1.19': [['main', 9, 0xe5], ['main', 11, 0x15d]],
    '1.22': [['main', 9, 0xdb]],
  },
  // A [64]byte zero literal captured by value: zeroed in a temporary, then copied into the
  // closure (1.19: memmove, the closure's address kept across it; 1.21: MOVUPS pairs).
  'test/fixtures/recorded/zero-lit-spawns.go': {
    '1.19': [['main', 7, 0x74]],
    '1.21': [['main', 7, 0x72]],
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

  it('lays a then-block that returns out last, with the spill only its println needs at its top (recorded/bool-flags-chain)', async () => {
    // go1.22.12's objdump of chain: the last chain(...) returns at +0xa9, then ADDQ $0x48, SP;
    // POPQ BP; RET; the then-block's MOVQ CX, 0x68(SP) (n, which its println reads) and CALL
    // printlock returning at +0xb9: 0x10 on, the spill not on the path past the block.
    const profile = getProfile('1.22');
    const fc = compileProgram(await loadProgram('test/fixtures/recorded/bool-flags-chain.go'), profile).codes.get('chain')!;
    const calls = returnOffsets(fc, profile).calls.flat();
    const lastChain = Math.max(...calls.filter((c) => c.callee === 'main.chain').map((c) => c.ret));
    expect(calls.find((c) => c.callee === 'runtime.printlock')!.ret - lastChain).toBe(0x10);
  });

  it("loads a wrapper's captured int before it copies a captured array (recorded/zero-and-vars)", async () => {
    // go1.19.8's objdump of main.main.func3 (go three(k, [16]int{}, 9)): LEAQ 0x10(DX), SI;
    // MOVQ 0x8(DX), AX; MOVQ SP, DI; NOPs to 0x20; DUFFCOPY; MOVL $9, BX; CALL main.three, returning at +0x5d.
    const wrapper = (await linkedFunctions('test/fixtures/recorded/zero-and-vars.go', '1.19')).find((fc) => fc.symbol === 'main.main.func3')!;
    expect(returnOffsets(wrapper, getProfile('1.19')).calls.flat().find((c) => c.callee === 'main.three')?.ret.toString(16)).toBe('5d');
  });

  it('makes println(n, n+1) with n needed after in another register, then moves it (recorded/println-many)', async () => {
    // go1.19.8 and go1.22.12: printint(n) returns at +0x6f and +0x65, printint(n+1) 0x16 later:
    // printsp, MOVQ n(SP), AX; LEAQ 1(AX), CX; MOVQ CX, AX; CALL.
    for (const version of ['1.19', '1.22']) {
      const fc = compileProgram(await loadProgram('test/fixtures/recorded/println-many.go'), getProfile(version)).codes.get('spread')!;
      const printints = fc.callSites.flat().filter((c) => c.callee === 'runtime.printint').map((c) => c.ret);
      expect(printints[1] - printints[0], version).toBe(0x16);
    }
  });

  it('copies a variable read again before NEGQ from Go 1.21, in place before (recorded/println-mixed, min-int)', async () => {
    // println("at", n, &y, -n, "x", n*2) with n tested after: from printsp's return to
    // printint(-n)'s, MOVQ n(SP), AX; NEGQ AX; CALL with go1.19.8 (0xd), MOVQ n(SP), AX; MOVQ AX,
    // CX; NEGQ CX; MOVQ CX, AX; CALL with go1.21.13, go1.22.12 and go1.24.4 (0x13).
    for (const [version, real] of [['1.19', 0xd], ['1.21', 0x13], ['1.22', 0x13], ['1.24', 0x13]] as const) {
      const fc = compileProgram(await loadProgram('test/fixtures/recorded/println-mixed.go'), getProfile(version)).codes.get('talk')!;
      const sites = fc.callSites.flat();
      const negated = sites.filter((c) => c.callee === 'runtime.printint')[1];
      const before = sites.filter((c) => c.callee === 'runtime.printsp' && c.ret < negated.ret).at(-1)!;
      expect((negated.ret - before.ret).toString(16), version).toBe(real.toString(16));
    }
    // edges' println(m, m-1, -m, m/neg, m%neg, m*neg) with m tested after, neg not, go1.22.12:
    // printint(-m) returns 0x13 after the printsp before it, as above; printint(m*neg) 0x1b after:
    // MOVQ m, AX; MOVQ neg, CX; IMULQ AX, CX; MOVQ CX, AX; a 5-byte NOP; CALL.
    const sites = compileProgram(await loadProgram('test/fixtures/recorded/min-int.go'), getProfile('1.22')).codes.get('edges')!.callSites.flat();
    const rets = sites.filter((c) => c.callee !== 'runtime.printlock').map((c) => c.ret);
    expect([rets[4] - rets[3], rets[10] - rets[9]].map((d) => d.toString(16))).toEqual(['13', '1b']);
  });

  it('reads a remainder the division before it made back from its slot (recorded/loop-step-products)', async () => {
    // mul: q := p / c, then println(a, b, p, q, p%c): one IDIVQ, its remainder stored (MOVQ DX,
    // 0x338(SP)) and loaded for the last printint (MOVQ 0x338(SP), AX), whose return is at +0x11b
    // with go1.21.13, go1.22.12 and go1.24.4.
    for (const version of ['1.21', '1.22', '1.24']) {
      const fc = compileProgram(await loadProgram('test/fixtures/recorded/loop-step-products.go'), getProfile(version)).codes.get('mul')!;
      const printints = fc.callSites.flat().filter((c) => c.callee === 'runtime.printint').map((c) => c.ret.toString(16));
      expect(printints, version).toEqual(['d2', 'e5', 'f7', '109', '11b']);
    }
  });

  it('reloads at the end of a calling then-block what the join tests before its next call (recorded/div-mod-print)', async () => {
    // split: if depth > 0 { split(n-9, d, depth-1) }, then println(n, d, p, p/d, p%d, &pad), whose
    // divisor check (TESTQ BX, BX; JE) comes before printlock: the join starts with n, p and d
    // in AX, DX and BX as the path that did not call has them, so the then-block reloads all
    // three (24 bytes) and println loads each again after printlock. go1.22.12: 360 bytes.
    const fc = compileProgram(await loadProgram('test/fixtures/recorded/div-mod-print.go'), getProfile('1.22')).codes.get('split')!;
    const [again] = fc.callSites.flat().filter((c) => c.callee === 'runtime.printlock').map((c) => c.ret);
    const [call] = fc.callSites.flat().filter((c) => c.callee === 'main.split').map((c) => c.ret);
    // From split's return to printlock's: 24 bytes of reloads, TESTQ BX, BX (3), JE (6), CALL (5).
    expect(again - call).toBe(24 + 3 + 6 + 5);
  });

  it('places the morestack call after the body (reference/stack-overflow: the top frame\'s offset)', async () => {
    for (const [version, real] of [['1.19', 0x8d], ['1.21', 0x66], ['1.24', 0x66]] as const) {
      const codes = compileProgram(await loadProgram('test/fixtures/reference/stack-overflow/main.go'), getProfile(version)).codes;
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

/**
 * The generated computing programs' arithmetic, sized as the rewrite rules make it: each function's
 * last call and its whole size (to the JMP after the morestack call), from objdump of the
 * programs built by go1.22.12 (and go1.19.13 where its code differs).
 * [file, version, function, line of the last call, its return offset, function size]
 */
const ARITHMETIC: [string, string, string, number, number, number][] = [
  // Constant locals folded into their reads: m1 / 100 and m1 * m2 are immediates.
  ['arith-20', '1.22', 'main', 16, 0xd9, 234],
  ['arith-20', '1.19', 'main', 16, 0xde, 242],
  // x * 29 (two LEAQs), x * 51454 (IMUL3Q with a 32-bit immediate).
  ['arith-21', '1.22', 'main', 18, 0xfe, 270],
  // Division by a constant: the high multiply by smagic's m, x added where m is odd (/3, /5).
  ['arith-11', '1.22', 'l5', 45, 0xa5, 191],
  ['arith-16', '1.22', 'l16', 82, 0x99, 179],
  // x % 100: the quotient times 100 (IMUL3Q), subtracted.
  ['arith-64', '1.22', 'l21', 93, 0x9e, 187],
  // The parameter's spill at the start of the entry block, before the array is zeroed
  // (DUFFZERO then padded to its 32-byte boundary).
  ['arith-13', '1.22', 'l18', 91, 0xbe, 219],
  ['arith-19', '1.22', 'l11', 80, 0xb9, 214],
  // Division by a variable: the zero check's CALL panicdivide after the body, -1 apart.
  ['arith-29', '1.22', 'l8', 56, 0x7e, 152],
  ['arith-49', '1.22', 'l11', 64, 0x9e, 187],
];

describe('the model sizes arithmetic as the compiler\'s rewrite rules make it', () => {
  for (const [name, version, fn, line, ret, size] of ARITHMETIC) {
    it(`${name} go${version}: ${fn} line ${line} +0x${ret.toString(16)}, ${size} bytes`, async () => {
      const file = `test/fixtures/arith/${name}.go`;
      expect((await offsetAt(file, version, fn, line)).toString(16)).toBe(ret.toString(16));
      const fc = compileProgram(await loadProgram(file), getProfile(version)).codes.get(fn)!;
      expect(functionSize(fc, getProfile(version))).toBe(size);
    });
  }

  it('tests x%2 == 0 with BTL $0, four bytes, in a branch as in a value', () => {
    const pos = { file: 'x.go', line: 1, col: 1 };
    const even: Binary = { kind: 'binary', op: '==', pos, right: { kind: 'int', value: 0, pos },
      left: { kind: 'binary', op: '%', pos, left: { kind: 'var', name: 'x', pos }, right: { kind: 'int', value: 2, pos } } };
    // go1.19.8's objdump of arith/arith-11 (if (s21 * b) % 2 == 0: BTL $0x0, BX; JB) and
    // arith-13 (println(..., (v9 % 5) % 2 == 0): BTL $0x0, CX; SETAE AL).
    expect(compareBytes(even)).toBe(4);
    // x%8 == 0 tests the low bits with a 32-bit immediate: TESTQ $0x7, AX, six bytes
    // (recorded/go-in-recursion descend, arith/arith-8 c3, from go1.15.15 to go1.24.4).
    const eighth: Binary = { ...even, left: { ...even.left as Binary, right: { kind: 'int', value: 8, pos } } };
    expect(compareBytes(eighth)).toBe(6);
  });

  it('takes a byte more to test the low bits of another register than AX (recorded/gc-exact-chain)', async () => {
    // go1.22.12: link(v, n, keep)'s n%4 == 0 of n in BX is TESTQ $0x3, BX (48 f7 c3 03 00 00 00);
    // JNE, ending at +0x33; descend(n)'s n%8 == 0 is TESTQ $0x7, AX (48 a9 07 00 00 00), after
    // 8 bytes of NOPs that keep it and its JNE off a 32-byte boundary, ending at +0x48.
    for (const [file, fn, end] of [['gc-exact-chain', 'link', 0x33], ['go-in-recursion', 'descend', 0x48]] as const) {
      const fc = compileProgram(await loadProgram(`test/fixtures/recorded/${file}.go`), getProfile('1.22')).codes.get(fn)!;
      const k = fc.code.findIndex((ins) => ins.op === 'jumpIfNot' && ins.cond.kind === 'binary' && ins.cond.left.kind === 'binary' && ins.cond.left.op === '%');
      expect(fc.returnOffsets[k + 1].toString(16), fn).toBe(end.toString(16));
    }
  });

  it('saves every register parameter around morestack once the function reads one (arith-65 c12)', async () => {
    // c12(a, b, d int, x [1882]byte) reads d alone; all three are stored and loaded back.
    const fc = compileProgram(await loadProgram('test/fixtures/arith/arith-65.go'), getProfile('1.22')).codes.get('c12')!;
    expect(functionSize(fc, getProfile('1.22'))).toBe(0x8f);
  });
});

/**
 * Whole function sizes, from go tool nm of programs in test/fixtures built with the patched
 * toolchains, as `stackdebug record` builds them: [file, symbol, size, what the size depends on].
 */
const SIZES: Record<string, [string, string, number, string][]> = {
  // go1.19.8 (the register ABI).
  '1.19': [
    ['recorded/tiny-arrays', 'main.main.func1', 83, 'a captured [1]int loaded from the closure (MOVQ 8(DX), CX)'],
    ['recorded/tiny-arrays', 'main.hold', 229, '[1]int passed on in its register and saved around morestack; a bool parameter tested a byte wide'],
    ['recorded/go-array-arg', 'main.main.func1', 113, "the wrapper's argp check of a frame over 120 bytes (LEAQ with a 32-bit displacement)"],
    ['recorded/go-array-arg', 'main.takeSmall', 179, 'k, read bare only, spilled to and read from its copy\'s slot'],
    ['recorded/senders-block', 'main.push', 144, 'k moved out of AX around REP STOSQ, and back for the call'],
    ['recorded/zero-and-vars', 'main.three', 171, 'k moved out of AX around REP STOSQ, step2(k*m, s) made in DX and moved to AX'],
    ['recorded/acc-recursion', 'main.odd', 198, 'even(n-1, acc+n): n-1 made in CX while acc+n reads n'],
    ['recorded/recv-in-recursion', 'main.consumer', 245, 'consumer(n - 1) with n printed after: n-1 made in CX'],
    ['recorded/byte-math', 'main.main', 118, 'a [5]byte zeroed (MOVL, MOVB) and copied to the arguments through registers'],
    ['recorded/many-int-params', 'main.main', 153, 'three ints past the ninth register stored to the outgoing area; constants into R8-R11 with a REX prefix'],
    ['recorded/many-int-params', 'main.wide', 337, 'register parameters passed on one register over (MOVQ CX, BX ...), stack ones loaded and stored'],
    ['generated/gen-82', 'main.g6', 112, 'a 256-byte frame checked with LEAQ -0x80(SP), R12: a byte displacement'],
    ['recorded/and-or-calls', 'main.main', 98, "check(i, i*3) at the top of a loop's body: i passed in AX as it is, i*3 made by LEAQ into BX"],
    ['recorded/gc-in-loop-deep', 'main.main', 103, 'climb(r*50, r): IMULQ $50, AX, CX, the counter moved to BX, then CX to AX'],
    ['recorded/relay', 'main.main', 165, "in <- i with i in AX: the channel loaded into CX and moved to AX"],
    ['arith/arith-24', 'main.main', 266, 'a zero [1880]byte argument by REP STOSQ: the counter moved aside to DX and back'],
    ['recorded/two-channels', 'main.main', 217, 'a loop with an if inside: JMP over the latch, the latch and the test at the top, a JMP back after each branch'],
    ['recorded/main-big-then-spawn', 'main.climb', 150, 'n moved to DX around REP STOSQ, still there on the else path: climb(n - 1) is LEAQ -1(DX), AX'],
    ['recorded/not-conditions', 'main.gate', 220, 'n spilled first, read after an if whose branch calls; !stop && n > 0 as two tests; !(n%4 != 0) as TESTQ $3'],
  ],
  // go1.22.12.
  '1.22': [
    ['recorded/not-conditions', 'main.gate', 213, 'the same; DUFFZERO padded to the boundary the spill first puts it across'],
    ['recorded/ladder', 'main.rung', 144, 'n reloaded only after the call in the then-block: spilled at the start of that block'],
    ['recorded/shrink-after-deep-gc', 'main.small', 137, 'n read by the println after an if whose branch calls: spilled at the entry, not at the join'],
    ['recorded/spawn-computed-gc', 'main.job', 214, 'a branch that calls and returns: n and m spilled on the path past it'],
    ['recorded/nested-if-goroutines', 'main.even', 175, 'k, sent from its slot by done <- k, compared from memory: CMPQ off(SP), $8, not fused with its Jcc'],
    ['recorded/blocked-sender-shrinks', 'main.sender', 181, 'the same for n == 400 (CMPQ 0xc0(SP), $0x190); the bare return laid out after the rest'],
    ['recorded/gc-while-parked-deep', 'main.sleeper', 179, 'if n == 0 { <-done; println(&s); return } laid out after the rest, which branches again (likelyadjust: blRET above blCALL)'],
  ],
  // go1.15.15 (the stack ABI).
  '1.15': [
    ['generated/gen-2', 'main.g3', 98, 'a [20]byte zeroed by MOVQ $0 for its first 4 bytes, then one MOVUPS of X0'],
    ['generated/gen-6', 'main.g2', 124, 'a [137]int: MOVQ $0 for its first 8 bytes, then REP STOSQ, no XORPS'],
    ['generated/gen-19', 'main.r1', 274, 'a [296]byte: MOVQ $0, then DUFFZERO, padded as one branch; n-1 from the AX the if loaded'],
    ['generated/gen-11', 'main.r1', 223, 'the else path after a then-block that returns still has n in AX'],
    ['recorded/factorial-wrap', 'main.fact', 434, 'the then-block that returns laid out last: its JL takes 32 bits, its var big [40]int zeroed in it'],
    ['generated/gen-1', 'main.f3', 133, 'the JMP back to the entry padded past the boundary, where only a long one reaches'],
    ['generated/gen-8', 'main.g2', 110, 'a [67]byte: MOVQ $0, then four MOVUPS (no DUFFZERO for 64 bytes past the head)'],
    ['generated/gen-18', 'main.f10', 217, 'a [51]byte and a [2]int zeroed from one XORPS X0, X0'],
    ['generated/gen-21', 'main.g6', 139, 'a 0x88-byte frame: BP saved at 0x80(SP), a 32-bit displacement'],
    ['generated/gen-87', 'main.r1', 154, 'a [13]byte copied to the arguments through AX and CX'],
    ['recorded/relay', 'main.main', 222, 'in <- i: the counter stored to the send\'s temporary, whose address is passed'],
    ['recorded/conc-workers', 'main.main', 249, 'go worker(i) stores the counter for newproc from AX, where the loop left it'],
    ['recorded/shrinking-steps', 'main.fall', 204, 'n - n/3 - 1 below `if n <= 1 { ...; return }`: n is non-negative, no SARQ $63 nor its SUBQ'],
    ['recorded/chain-go-at-depth', 'main.b', 202, 'go leafG(k, y), y a [50]byte: copied to newproc\'s arguments by MOVQ and three MOVUPS pairs'],
    ['recorded/conc-chain-pass', 'main.stage1', 276, "a loop's body over 127 bytes: its JMP to the test and JL back take 32-bit displacements"],
    ['recorded/cond-calls', 'main.left', 133, 'if n > 0 { left(n-3, m) } at the end: the return laid out first, the call after it, JMP back'],
  ],
};

describe('the model sizes functions as the toolchains assemble them', () => {
  for (const [version, sizes] of Object.entries(SIZES)) {
    for (const [file, symbol, size, why] of sizes) {
      it(`go${version} ${file} ${symbol}: ${size} bytes (${why})`, async () => {
        const fc = (await linkedFunctions(`test/fixtures/${file}.go`, version)).find((f) => f.symbol === symbol);
        expect(fc, symbol).toBeDefined();
        expect(functionSize(fc!, getProfile(version))).toBe(size);
      });
    }
  }
});

/** go tool nm of the programs built with the patched toolchains, as `stackdebug record` builds them. */
const ENTRIES: [string, string, Record<string, number>][] = [
  // Wrappers that capture values right after their function, the last first; main.init (two
  // channels) after the functions up to 1.21, first from 1.22.
  ['test/fixtures/recorded/deadlock-many.go', '1.21', {
    'main.main': 0x457c00, 'main.main.func2': 0x457d00, 'main.main.func1': 0x457d60, 'main.sender': 0x457dc0,
    'main.receiver': 0x457e00, 'main.wait': 0x457e60, 'main.hold': 0x457ea0,
  }],
  ['test/fixtures/recorded/deadlock-many.go', '1.22', {
    'main.main': 0x45d5e0, 'main.main.gowrap2': 0x45d6e0, 'main.main.gowrap1': 0x45d740, 'main.sender': 0x45d7a0,
    'main.receiver': 0x45d7e0, 'main.wait': 0x45d840, 'main.hold': 0x45d880,
  }],
  // Wrappers that capture nothing (constant arguments) last, after main.init.
  ['test/fixtures/recorded/deadlock-goroutines.go', '1.19', {
    'main.main': 0x458000, 'main.b': 0x4580c0, 'main.a1': 0x458140, 'main.a2': 0x458180, 'main.a3': 0x458200,
    'main.a4': 0x458280, 'main.main.func1': 0x458380, 'main.main.func4': 0x4584a0,
  }],
  ['test/fixtures/recorded/deadlock-goroutines.go', '1.24', {
    'main.main': 0x4693e0, 'main.b': 0x469480, 'main.a4': 0x469600, 'main.main.gowrap1': 0x469640, 'main.main.gowrap4': 0x469760,
  }],
  // Go 1.15's stack ABI (the patched go1.15.15, whose code the reference traces show): the
  // arguments stored to the outgoing area, X0 zeroed for the arrays, a huge frame's check
  // against StackPreempt first (w, a), a nosplit leaf of one RET.
  ['test/fixtures/reference/goroutine-chain/main.go', '1.15', { 'main.main': 0x45e0e0, 'main.w': 0x45e180, 'main.a': 0x45e220, 'main.b': 0x45e2e0 }],
  ['test/fixtures/reference/byte-arrays/main.go', '1.15', { 'main.main': 0x45e0e0, 'main.a': 0x45e1a0, 'main.b': 0x45e240 }],
  ['test/fixtures/reference/seed-abc/main.go', '1.15', { 'main.main': 0x45e0e0, 'main.a': 0x45e1c0, 'main.b': 0x45e280, 'main.c': 0x45e340 }],
  // runtime.GC linked moves the program's code (and on 1.23 more than the runtime's).
  ['test/fixtures/reference/seed-abc-gc/main.go', '1.15', { 'main.main': 0x45e3a0 }],
  ['test/fixtures/reference/big-frame/main.go', '1.22', { 'main.main': 0x45d820, 'main.big': 0x45d880, 'main.sink': 0x45d8e0 }],
  // Functions nothing calls (nothing, sender, receiver) are not linked.
  ['test/fixtures/recorded/rt-println-int.go', '1.19', { 'main.main': 0x458000, 'main.w0': 0x458260, 'main.f0': 0x4582c0, 'main.w1': 0x4583c0 }],
  // From 1.22 a wrapper rebuilds a zero literal itself: capturing nothing, it is laid out last.
  ['test/fixtures/recorded/zero-lit-big-gc.go', '1.22', {
    'main.main': 0x45d880, 'main.big': 0x45d920, 'main.mixed': 0x45d9a0, 'main.deep': 0x45da20,
    'main.main.gowrap1': 0x45daa0, 'main.main.gowrap2': 0x45db20, 'main.main.gowrap3': 0x45dba0,
  }],
];

describe('the model lays the program\'s code out as the linker does', () => {
  for (const [file, version, entries] of ENTRIES) {
    it(`${file.split('/').slice(-2).join('/')} go${version}`, async () => {
      const all = await linkedFunctions(file, version);
      const got = Object.fromEntries(Object.keys(entries).map((sym) => [sym, all.find((fc) => fc.symbol === sym)?.entryPC.toString(16)]));
      expect(got).toEqual(Object.fromEntries(Object.entries(entries).map(([sym, pc]) => [sym, pc.toString(16)])));
    });
  }

  it('moves runtime.main\'s and goexit\'s addresses with runtime.GC', async () => {
    const plain = compileProgram(await loadProgram('test/fixtures/recorded/deadlock-many.go'), getProfile('1.21')).text;
    const gc = compileProgram(await loadProgram('test/fixtures/reference/big-frame/main.go'), getProfile('1.21')).text;
    // go tool nm: runtime.goexit.abi0 at 0x454e00 and 0x4550c0.
    expect([plain.goexitPC, gc.goexitPC].map((pc) => pc.toString(16))).toEqual(['454e01', '4550c1']);
  });
});

describe('the runtime\'s code addresses come from the profile\'s runtime text (listed-code.ts)', () => {
  // Traces whose runtime frames grow the stack: printint's and the channel operations' addresses
  // (chain-wait, 42 of them), and Go 1.23's mark worker growing in pidleget.
  const cases: [string, string, string][] = [
    // Go 1.15: the program's code in the stack ABI (the runtime's frames grow nowhere here).
    ['test/fixtures/reference/recursion-200/main.go', '1.15', 'test/fixtures/reference/recursion-200/go1.15.p1.log'],
    ['test/fixtures/reference/goroutine-chain/main.go', '1.15', 'test/fixtures/reference/goroutine-chain/go1.15.p1.log'],
    ['test/fixtures/recorded/chain-wait.go', '1.19', 'test/fixtures/recorded/chain-wait.go1.19.p1.log'],
    // Go 1.15's runtime text (runtime-text-1.15.json, measured with go1.15.15).
    ['test/fixtures/recorded/chain-wait.go', '1.15', 'test/fixtures/recorded/chain-wait.go1.15.p1.log'],
    ['test/fixtures/recorded/big-then-small.go', '1.19', 'test/fixtures/recorded/big-then-small.go1.19.p1.log'],
    ['test/fixtures/reference/recursion-array-arg/main.go', '1.23', 'test/fixtures/reference/recursion-array-arg/go1.23.p1.log'],
    // Whole traces whose code addresses the rules above made exact: sums and differences of
    // register parameters (cond-calls), a moved-aside parameter and a wrapper's loads
    // (zero-and-vars), a then-block's return (seven-params); on 1.15 n ± 1 by LEAQ and the
    // return laid out first (tree-recursion, recv-in-recursion), a then-block's arrays zeroed in
    // it (factorial-wrap).
    ['test/fixtures/recorded/cond-calls.go', '1.19', 'test/fixtures/recorded/cond-calls.go1.19.p1.log'],
    ['test/fixtures/recorded/cond-calls.go', '1.22', 'test/fixtures/recorded/cond-calls.go1.22.p1.log'],
    ['test/fixtures/recorded/zero-and-vars.go', '1.19', 'test/fixtures/recorded/zero-and-vars.go1.19.p1.log'],
    ['test/fixtures/recorded/seven-params.go', '1.19', 'test/fixtures/recorded/seven-params.go1.19.p1.log'],
    ['test/fixtures/recorded/tree-recursion.go', '1.15', 'test/fixtures/recorded/tree-recursion.go1.15.p1.log'],
    ['test/fixtures/recorded/recv-in-recursion.go', '1.15', 'test/fixtures/recorded/recv-in-recursion.go1.15.p1.log'],
    ['test/fixtures/recorded/factorial-wrap.go', '1.15', 'test/fixtures/recorded/factorial-wrap.go1.15.p1.log'],
  ];
  it('mallocgc\'s slow path asks nextFreeIndex before refill (arith-25 go1.22: main grows there)', async () => {
    const { text } = await traceOf('test/fixtures/arith/arith-25.go', { go: '1.22', gomaxprocs: 1, environ: 'minimal' });
    // The real trace's first growth: called from nextFree+0x4f, in nextFreeIndex's prologue.
    const real = readFileSync('test/fixtures/arith/arith-25.go1.22.p1.log', 'utf8').split('\n').slice(23, 26);
    expect(real[1]).toContain('pc:0x40b3af');
    expect(text.split('\n').slice(23, 26)).toEqual(real);
  });
  for (const [file, version, expected] of cases) {
    it(`${file.split('/').slice(-2).join('/')} go${version} matches byte for byte`, async () => {
      const { text } = await traceOf(file, { go: version, gomaxprocs: 1, environ: expected.includes('/reference/') ? 'reference' : 'minimal' });
      expect(text).toBe(readFileSync(expected, 'utf8'));
    });
  }
});
