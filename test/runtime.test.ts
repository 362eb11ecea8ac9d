/**
 * Behaviour of the simulated runtime that no reference trace pins down: preemption, a GC that
 * waits for runnable goroutines, deadlock, and the adaptive starting stack size.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runFile, traceOf } from '../src/engine.js';
import type { TraceEvent } from '../src/runtime/events.js';
import { hex } from '../src/runtime/print.js';
import { MCacheClasses } from '../src/runtime/mgcsweep.js';
import { SmallObjects, sizeClass } from '../src/runtime/malloc.js';
import type { G, Runtime } from '../src/runtime/proc.js';
import { maskCode } from '../src/trace/match.js';

const lines = (t: string) => t.split('\n');

/** `runtime: newstack` blocks whose next line is not an allocation: preemption requests. */
function preemptions(text: string): number {
  const l = lines(text);
  let n = 0;
  l.forEach((x, i) => {
    if (x.startsWith('runtime: newstack') && !(l[i + 3] ?? '').startsWith('stackalloc')) n++;
  });
  return n;
}

describe('preemption', () => {
  it('a goroutine spinning in a loop does not keep the others, or a GC, from finishing', async () => {
    const { text, exitCode } = await traceOf('test/fixtures/go/spin-and-gc.go', { go: '1.19', gomaxprocs: 1 });
    expect(exitCode).toBe(0);
    expect(lines(text)).toContain('main done');
    expect(text).toContain('stackcache clear');
  });

  it('a long recursion is asked to yield: newstack lines that copy nothing', async () => {
    const { text } = await traceOf('test/fixtures/go/loop-recursion.go', { go: '1.19', gomaxprocs: 1 });
    expect(preemptions(text)).toBeGreaterThan(0);
    // Every real growth still copies, and the copies are those of the real runtime (tier A).
    expect(lines(text).filter((l) => l.startsWith('copystack'))).toHaveLength(16);
  });

  it('short programs are never preempted', async () => {
    const { text } = await traceOf('scenarios/deep-recursion.yaml', { go: '1.24', gomaxprocs: 1 });
    expect(preemptions(text)).toBe(0);
  });
});

describe('deadlock', () => {
  it('ends like the real runtime: fatal error, the blocked goroutine, exit 2', async () => {
    const { text, exitCode } = await traceOf('test/fixtures/go/deadlock.go', { go: '1.21', gomaxprocs: 1 });
    expect(exitCode).toBe(2);
    expect(lines(text)).toContain('fatal error: all goroutines are asleep - deadlock!');
    expect(text).toMatch(/^goroutine 1 \[chan receive\]:$/m);
  });

  /** The frames a deadlock's traceback prints: function names, and elision lines. */
  const tracebackFrames = (text: string) => {
    const tail = text.slice(text.indexOf('fatal error: all goroutines are asleep'));
    return lines(tail).filter((l) => /^main\.\w+\(|^\.\.\./.test(l)).map((l) => l.replace(/\(.*$/, ''));
  };

  // deadlock-deep: main -> r(120) -> ... -> r(0), which waits on a channel: 122 frames.
  it('up to Go 1.20, prints the frames among the first 100 walked, the runtime\'s hidden ones counted', async () => {
    const { text } = await traceOf('test/fixtures/go/deadlock-deep.go', { go: '1.19', gomaxprocs: 1 });
    // gopark, chanrecv and chanrecv1 are walked but not printed; no elision line (Go 1.19 prints
    // it only when it printed 100 frames).
    expect(tracebackFrames(text)).toEqual(Array(97).fill('main.r'));
    // The frames whose prologues called morestack spilled their argument: it shows.
    const tail = text.slice(text.indexOf('fatal error'));
    expect(tail.match(/^main\.r\(0x[1-9a-f][0-9a-f]*\?\)$/gm)).toEqual(['main.r(0x1a?)', 'main.r(0x5a?)']);
  });

  it('from Go 1.21, prints the first 50 and the last 50 frames around the number left out', async () => {
    const { text } = await traceOf('test/fixtures/go/deadlock-deep.go', { go: '1.21', gomaxprocs: 1 });
    expect(tracebackFrames(text)).toEqual([...Array(50).fill('main.r'), '...22 frames elided...', ...Array(49).fill('main.r'), 'main.main']);
  });
});

describe("newproc's limit on a go statement's arguments (the stack ABI)", () => {
  // go-args-limit: go take250 passes 2000 bytes, which fit; go take251 2008, which do not.
  it('Go 1.15 throws where newproc1 does: 2008 bytes or more, on the system stack, exit 2', async () => {
    const { text, exitCode } = await traceOf('test/fixtures/go/go-args-limit.go', { go: '1.15', gomaxprocs: 1 });
    expect(exitCode).toBe(2);
    const tail = lines(text.slice(text.indexOf('fatal error')));
    expect(tail.slice(0, 5)).toEqual(['fatal error: newproc: function arguments too large for new goroutine', '', 'runtime stack:',
      'runtime.throw(0x479b82, 0x37)', '\t/usr/local/go/src/runtime/panic.go:1116 +0x72']);
    // newproc1(fn, argp, narg, callergp, callerpc, ...) under newproc(siz, fn): 0x7d8 bytes, in a
    // word whose upper half the slot held before (a heap pointer's in every recording).
    expect(tail[5]).toMatch(/^runtime\.newproc1\(0x[0-9a-f]+, 0xc[0-9a-f]+, 0x[0-9a-f]*7d8, 0xc000000180, 0x[0-9a-f]+, 0x[0-9a-f]+\)$/);
    expect(tail).toContain('runtime.newproc(0xc0000007d8, 0x479fb8)');
    expect(tail).toContain('goroutine 1 [running]:');
    // The first goroutine ran (its 2000 bytes fit), the second was never made.
    expect(lines(text).filter((l) => /^0xc[0-9a-f]+$/.test(l))).toHaveLength(1);
    expect(text).not.toContain('main done');
  });

  it('Go 1.19 passes the arguments in a closure: no limit', async () => {
    const { text, exitCode } = await traceOf('test/fixtures/go/go-args-limit.go', { go: '1.19', gomaxprocs: 1 });
    expect(exitCode).toBe(0);
    expect(text).toContain('main done');
  });
});

describe('slices of a run', () => {
  // The output drains between slices (ready): a slice ends once it has written 20,000 lines, so
  // a run never holds more than that much of its trace, however long it is.
  it('end after at most about 20,000 lines, whatever the statements', async () => {
    let lines = 0;
    let most = 0;
    let slices = 0;
    const code = await runFile('test/fixtures/go/loop-goroutines.go', {
      go: '1.19', gomaxprocs: 1,
      write: () => { lines++; },
      ready: async () => { slices++; most = Math.max(most, lines); lines = 0; },
    });
    expect(code).toBe(0);
    expect(slices).toBeGreaterThanOrEqual(5);
    expect(Math.max(most, lines)).toBeLessThanOrEqual(20_100);
  });

  it('runtime.GC() in the middle of a slice starts its cycle at the same time on the clock', async () => {
    // The fractional worker's turn depends on the time since the cycle started: one-statement
    // slices must see the same start as a whole run.
    const trace = async (slices: boolean) => {
      const lines: string[] = [];
      await runFile('test/fixtures/go/gc-mid-slice.go', {
        go: '1.23', gomaxprocs: 1, write: (l) => lines.push(l),
        ...(slices ? { sliceStatements: 1, ready: async () => {} } : {}),
      });
      return lines.join('\n');
    };
    expect(await trace(true)).toBe(await trace(false));
  });
});

describe('adaptive starting stack size (1.19+)', () => {
  /** The sizes of the stacks new goroutines start with (the allocation just before each go event). */
  async function startingStacks(go: string): Promise<number[]> {
    const events: TraceEvent[] = [];
    await runFile('test/fixtures/generated/gen-20.go', { go, gomaxprocs: 1, write: () => undefined, event: (e) => events.push(e) });
    const sizes: number[] = [];
    events.forEach((e, i) => {
      const prev = events[i - 1];
      if (e.kind === 'go' && prev && prev.kind === 'stackalloc') sizes.push(prev.size);
    });
    return sizes;
  }

  // gen-20: after a GC scanned stacks using more than 2 KiB on average, a dead goroutine's
  // 2 KiB stack is freed and its G reused with a 4 KiB stack.
  it('gives goroutines started after a GC the average size, rounded up to a power of two', async () => {
    expect(await startingStacks('1.19')).toContain(4096);
  });

  it('is not in Go 1.15: every goroutine starts with 2 KiB', async () => {
    const sizes = await startingStacks('1.15');
    expect(sizes.length).toBeGreaterThan(0);
    expect(new Set(sizes)).toEqual(new Set([2048]));
  });
});

describe('hex, as the runtime prints numbers', () => {
  it('equals BigInt hex for zero, small numbers, addresses and the largest safe integers', () => {
    const vals = [0, 1, 15, 16, 255, 256, 4095, 65535, 65536, 0xffffff, 0x1000000, 2 ** 31, 2 ** 32 - 1, 2 ** 32,
      0xc000000000, 0xc0000061a0, 0xc0400e0000, Number.MAX_SAFE_INTEGER];
    for (let i = 0; i < 2000; i++) vals.push(Math.floor(Math.random() * 2 ** 53));
    for (const v of vals) expect(hex(v), String(v)).toBe('0x' + BigInt(v).toString(16));
  });
});

describe('what a GC cycle leaves to sweep (mgcsweep.ts)', () => {
  it('nothing after the first cycle, then the start-up spans less the classes allocated from since', () => {
    const m = new MCacheClasses();
    m.allocated('g');
    expect(m.flush(13)).toBe(0); // every start-up class is still in the mcache
    expect(m.flush(13)).toBe(13);
    m.allocated('g');
    m.allocated('g');
    m.allocated('timers');
    expect(m.flush(13)).toBe(11); // a class counts once, however often it was allocated from
    expect(m.flush(13)).toBe(13);
  });

  it("keeps a cycle's work buffers for the next when runtime.GC's caller finds the sweep done first", async () => {
    // Four cycles from main alone: 13 spans in the second and fourth (bgsweep sweeps first, the
    // caller finds nothing left: kept, then taken again), 12 in the third (the scavenger's timer
    // slice: bgsweep finds nothing left and frees them), as a Go 1.19 runtime printing its
    // sweeping shows for generated/gen-53.
    const { text } = await traceOf('test/fixtures/generated/gen-53.go', { go: '1.19', gomaxprocs: 1, environ: 'minimal' });
    const real = readFileSync('test/fixtures/generated/gen-53.go1.19.p1.log', 'utf8');
    const noPC = (t: string) => t.split('\n').map(maskCode).join('\n');
    expect(noPC(text)).toBe(noPC(real));
  });
});

describe("a go statement's heap objects (malloc.ts)", () => {
  it('rounds sizes up to their size class', () => {
    expect([8, 9, 16, 24, 56, 129, 16000, 32768].map(sizeClass)).toEqual([1, 2, 2, 3, 6, 11, 59, 67]);
  });

  it('takes a span for a class the start-up has none of, and a new one when it is full', () => {
    const pages: number[] = [];
    const mcacheClasses = new MCacheClasses();
    mcacheClasses.flush(4); // the first cycle's
    const rt = { heap: { allocPages: (n: number) => { pages.push(n); return 0; } }, curP: null, mcacheClasses } as unknown as Runtime;
    const objects = new SmallObjects(new Set([5])); // 16-byte objects without pointers
    objects.alloc(rt, 16, true); // a class the start-up has
    expect(pages).toEqual([]);
    // Its start-up span is then in the mcache: the next cycle sweeps one span fewer.
    expect(mcacheClasses.flush(4)).toBe(3);
    for (let i = 0; i < 129; i++) objects.alloc(rt, 64, true); // 128 fit in a page
    expect(pages).toEqual([1, 1]);
    objects.alloc(rt, 16000, true); // the 16 KiB class: two pages, one object
    objects.alloc(rt, 40000, true); // a large object: a span of its own
    expect(pages).toEqual([1, 1, 2, 5]);
  });

  it("takes mallocgc's slow path where the mcache has no span with room, and after mark termination", () => {
    const rt = { heap: { allocPages: () => 0x1000 }, curP: null, mcacheClasses: new MCacheClasses() } as unknown as Runtime;
    const objects = new SmallObjects(new Set([5]));
    expect(objects.slowPath(16, true)).toBeNull(); // the start-up's span, in the mcache
    expect(objects.slowPath(64, true)).toEqual({ full: false, fresh: true }); // a class never used: a new span
    for (let i = 0; i < 128; i++) objects.alloc(rt, 64, true);
    expect(objects.slowPath(64, true)).toEqual({ full: true, fresh: true }); // its span is full
    objects.flush();
    expect(objects.slowPath(16, true)).toEqual({ full: false, fresh: false }); // refilled from mcentral
    expect(objects.slowPath(40000, true)).toBeNull(); // a large object: not this path
  });

  it("gives a span of go statements' objects back once each goroutine they were for has run", () => {
    const freed: number[] = [];
    const rt = { heap: { allocPages: () => 0x2000, freePages: (base: number) => freed.push(base) }, curP: null, mcacheClasses: new MCacheClasses() } as unknown as Runtime;
    const objects = new SmallObjects(new Set());
    const a = { g: { started: true } as G }, b = { g: { started: false } as G };
    objects.alloc(rt, 320, true, a);
    objects.alloc(rt, 320, true, b);
    objects.freeGarbageSpans(rt);
    expect(freed).toEqual([]); // b has not run: its copy is still live
    b.g.started = true;
    objects.freeGarbageSpans(rt);
    expect(freed).toEqual([0x2000]);
    expect(objects.slowPath(320, true)).toEqual({ full: false, fresh: true });
  });

  it('gives a go statement passing an int and an array a closure of its own class', async () => {
    // recorded/loop-args: go work(i, arr [6]int) takes a 64-byte span without pointers, one
    // page, before the goroutine's stack (Go 1.19 printing its allocSpan calls).
    const real = readFileSync('test/fixtures/recorded/loop-args.go1.19.p1.log', 'utf8');
    const { text } = await traceOf('test/fixtures/recorded/loop-args.go', { go: '1.19', gomaxprocs: 1, environ: 'minimal' });
    expect(text.split('\n').map(maskCode)).toEqual(real.split('\n').map(maskCode));
  });
});

describe('big programs', () => {
  it('runs a chain of 10,000 functions (no recursion of its own over the call graph)', async () => {
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'stackdebug-chain-'));
    const n = 10_000;
    const funcs = Array.from({ length: n }, (_, i) => `func f${i}() {\n\tf${i + 1}()\n}\n`).join('\n');
    const file = join(dir, 'chain.go');
    await writeFile(file, `package main\n\nfunc main() {\n\tf0()\n}\n\n${funcs}\nfunc f${n}() {\n\tprintln("end")\n}\n`);
    const { text, exitCode } = await traceOf(file, { go: '1.24', gomaxprocs: 1 });
    await rm(dir, { recursive: true, force: true });
    expect(exitCode).toBe(0);
    expect(text.trimEnd().split('\n').at(-1)).toBe('end');
    // 10,001 frames of 16 bytes and more: the main goroutine's stack has grown to hold them.
    expect(text).toMatch(/^copystack .*\/262144$/m);
  }, 60_000);
});
