/**
 * Properties of the simulated runtime over generated programs (fast-check): each generated
 * program is written both as a Go file and as a YAML scenario, and run on every simulated Go
 * version with GOMAXPROCS 1 to 3.
 *
 * - determinism: the same input gives the same bytes, run after run;
 * - stacks never overlap: the live stacks rebuilt from the stackalloc / allocated / stackfree
 *   lines are disjoint, and no stack is handed out from memory the trace shows as still owned
 *   (a P's stack cache, stackLarge);
 * - every stack freed was allocated, is live when freed, and is freed with its size;
 * - copystack and newstack lines are consistent: lo <= used <= hi, power-of-two sizes,
 *   the used part keeps its size across the copy, lo <= sp < hi;
 * - the trace does not depend on how fast the output drains: tiny slices and delays between
 *   them give the same bytes;
 * - the Go and YAML front ends give the same trace for the same program.
 *
 * A failure prints fast-check's seed and the shrunk program (both renderings).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFile } from '../src/engine.js';
import type { Program } from '../src/program/model.js';
import { getProfile, VERSIONS } from '../src/profiles/index.js';
import type { TraceEvent } from '../src/runtime/events.js';
import { simulate } from '../src/runtime/simulate.js';
import { loadProgram } from '../src/scenario/load.js';
import { ARENA_BASE, MHeap, PAGE_SIZE } from '../src/runtime/mheap.js';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 80);
const PROCS = [1, 2, 3];
const COMBOS = VERSIONS.flatMap((go) => PROCS.map((gomaxprocs) => ({ go, gomaxprocs })));

// ---------------------------------------------------------------------------------------------
// Generated programs

type Elem = 'int' | 'byte';
interface ArrT { elem: Elem; len: number }
type Leaf = { kind: 'say'; text: string } | { kind: 'addr' } | { kind: 'gc' };

/** c1 -> c2 -> ... : each may take an array and have an array local, which it passes on. */
interface ChainFn { param: ArrT | null; local: ArrT | null; before: Leaf[]; after: Leaf[] }
/** r(n, x): recursion n deep with an array argument and local. */
interface Rec { arr: ArrT; addr: boolean; gcAtBottom: boolean }
/** w(n): a goroutine that runs the chain or the recursion and then sends on done. */
interface Worker { body: 'chain' | 'rec' | 'none'; gc: boolean; say: string | null }
type MainStep =
  | { kind: 'chain' }
  | { kind: 'rec'; depth: number }
  | { kind: 'spawn'; worker: number; count: number; depth: number }
  | Leaf;

interface Spec { mainLocal: ArrT | null; main: MainStep[]; chain: ChainFn[]; rec: Rec | null; workers: Worker[] }

const arrT: fc.Arbitrary<ArrT> = fc.record({
  elem: fc.constantFrom<Elem>('int', 'byte'),
  len: fc.oneof(fc.integer({ min: 0, max: 64 }), fc.integer({ min: 0, max: 5000 })),
});
// println text: a fixed prefix keeps it from ever looking like a runtime line.
const text = fc.string({ unit: fc.constantFrom(...'abcxyz 019_-:é日'), maxLength: 10 }).map((s) => `say:${s}`);
const leaf: fc.Arbitrary<Leaf> = fc.oneof(
  text.map((t) => ({ kind: 'say' as const, text: t })),
  fc.constant({ kind: 'addr' as const }),
  fc.constant({ kind: 'gc' as const }),
);

const specArb: fc.Arbitrary<Spec> = fc
  .record({
    mainLocal: fc.option(arrT, { nil: null }),
    chain: fc.array(fc.record({
      param: fc.constant(null), // set from the caller's local below
      local: fc.option(arrT, { nil: null }),
      before: fc.array(leaf, { maxLength: 2 }),
      after: fc.array(leaf, { maxLength: 1 }),
    }), { maxLength: 4 }),
    rec: fc.option(fc.record({ arr: arrT, addr: fc.boolean(), gcAtBottom: fc.boolean() }), { nil: null }),
    workers: fc.array(fc.record({
      body: fc.constantFrom<Worker['body']>('chain', 'rec', 'none'),
      gc: fc.boolean(),
      say: fc.option(text, { nil: null }),
    }), { maxLength: 2 }),
    main: fc.array(fc.oneof(
      fc.constant({ kind: 'chain' as const }),
      fc.integer({ min: 0, max: 300 }).map((depth) => ({ kind: 'rec' as const, depth })),
      fc.record({
        kind: fc.constant('spawn' as const), worker: fc.nat(),
        // Now and then enough goroutines to overflow a P's free list of dead Gs (64).
        count: fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 1, max: 3 }) }, { weight: 1, arbitrary: fc.integer({ min: 60, max: 70 }) }),
        depth: fc.integer({ min: 0, max: 300 }),
      }),
      leaf,
    ), { maxLength: 6 }),
  })
  .map((s): Spec => {
    // Each chain function takes what its caller passes: the caller's local, or nothing.
    const chain = s.chain.map((c) => ({ ...c, param: null as ArrT | null }));
    for (let i = 1; i < chain.length; i++) chain[i].param = chain[i - 1].local;
    const workers = s.workers.map((w) => ({ ...w, body: w.body === 'chain' && !chain.length ? 'none' as const : w.body === 'rec' && !s.rec ? 'none' as const : w.body }));
    const main = s.main.flatMap((m): MainStep[] => {
      if (m.kind === 'chain') return chain.length ? [m] : [];
      if (m.kind === 'rec') return s.rec ? [m] : [];
      if (m.kind === 'spawn') return workers.length ? [{ ...m, worker: m.worker % workers.length }] : [];
      if (m.kind === 'addr' && !s.mainLocal) return [];
      return [m];
    });
    return { mainLocal: s.mainLocal, chain, rec: s.rec, workers, main };
  });

const typeText = (t: ArrT) => `[${t.len}]${t.elem}`;
const usesGC = (s: Spec) =>
  [...s.main, ...s.chain.flatMap((c) => [...c.before, ...c.after])].some((l) => l.kind === 'gc') ||
  !!s.rec?.gcAtBottom || s.workers.some((w) => w.gc);

/** Arguments a caller passes to the first chain function, to r and to a worker. */
const chainArgs = (s: Spec, local: string) => (s.chain[0]?.param ? local : '');

/** The locals a body reads: Go refuses one declared and not used, so neither rendering has it. */
const readLocals = <T>(locals: [string, T][], body: string[]) =>
  locals.filter(([n]) => body.some((l) => new RegExp(`&${n}\\b|[(,] *${n} *[,)]`).test(l)));

/** The Go rendering (the subset the Go front end reads). */
function toGo(s: Spec): string {
  const out: string[] = ['package main', ''];
  if (usesGC(s)) out.push('import "runtime"', '');
  if (s.workers.length) out.push('var done = make(chan struct{})', '');
  const leafGo = (l: Leaf, local: string | null): string[] =>
    l.kind === 'gc' ? ['runtime.GC()'] : l.kind === 'say' ? [`println(${JSON.stringify(l.text)})`] : local ? [`println(&${local})`] : [];
  const fn = (head: string, locals: [string, ArrT | 'int'][], body: string[]) => {
    out.push(`func ${head} {`);
    for (const [n, t] of readLocals(locals, body)) out.push(`\tvar ${n} ${t === 'int' ? 'int' : typeText(t)}`);
    for (const l of body) out.push(`\t${l}`);
    out.push('}', '');
  };
  // main
  const mainLocals: [string, ArrT][] = [];
  if (s.mainLocal) mainLocals.push(['m', s.mainLocal]);
  if (s.chain[0]?.param) mainLocals.push(['a', s.chain[0].param]);
  if (s.rec) mainLocals.push(['ra', s.rec.arr]);
  const mainBody = s.main.flatMap((m): string[] => {
    switch (m.kind) {
      case 'chain': return [`c1(${chainArgs(s, 'a')})`];
      case 'rec': return [`r(${m.depth}, ra)`];
      case 'spawn': return [...Array(m.count).fill(`go w${m.worker}(${m.depth})`), ...Array(m.count).fill('<-done')];
      default: return leafGo(m, 'm');
    }
  });
  fn('main()', mainLocals, mainBody);
  s.chain.forEach((c, i) => {
    const locals: [string, ArrT][] = c.local ? [['y', c.local]] : [];
    const next = i + 1 < s.chain.length ? [`c${i + 2}(${s.chain[i + 1].param ? 'y' : ''})`] : [];
    const body = [...c.before.flatMap((l) => leafGo(l, c.local ? 'y' : null)), ...next, ...c.after.flatMap((l) => leafGo(l, c.local ? 'y' : null))];
    fn(`c${i + 1}(${c.param ? `x ${typeText(c.param)}` : ''})`, locals, body);
  });
  if (s.rec) {
    const r = s.rec;
    fn(`r(n int, x ${typeText(r.arr)})`, [['y', r.arr]], [
      'if n == 0 {', ...(r.gcAtBottom ? ['\truntime.GC()'] : []), '\treturn', '}',
      ...(r.addr ? ['println(&y)'] : []),
      'r(n-1, y)',
    ]);
  }
  s.workers.forEach((w, i) => {
    const locals: [string, ArrT][] = [];
    const body: string[] = [];
    if (w.say) body.push(`println(${JSON.stringify(w.say)})`);
    if (w.body === 'chain') {
      if (s.chain[0].param) locals.push(['z', s.chain[0].param]);
      body.push(`c1(${chainArgs(s, 'z')})`);
    } else if (w.body === 'rec') {
      locals.push(['z', s.rec!.arr]);
      body.push('r(n, z)');
    }
    if (w.gc) body.push('runtime.GC()');
    body.push('done <- struct{}{}');
    fn(`w${i}(n int)`, locals, body);
  });
  return out.join('\n');
}

/** The YAML scenario rendering of the same program. */
function toYaml(s: Spec): string {
  const out: string[] = [];
  if (s.workers.length) out.push('channels: [done]');
  out.push('functions:');
  const q = (x: string) => JSON.stringify(x);
  const leafY = (l: Leaf, local: string | null): string[] =>
    l.kind === 'gc' ? ['gc'] : l.kind === 'say' ? [`println: ${q(l.text)}`] : local ? [`println: ${q(`&${local}`)}`] : [];
  const fn = (name: string, params: [string, ArrT | 'int'][], locals: [string, ArrT][], steps: string[]) => {
    out.push(`  ${name}:`);
    const map = (vs: [string, ArrT | 'int'][]) => `{ ${vs.map(([n, t]) => `${n}: ${q(t === 'int' ? 'int' : typeText(t))}`).join(', ')} }`;
    if (params.length) out.push(`    params: ${map(params)}`);
    const read = readLocals(locals, steps);
    if (read.length) out.push(`    locals: ${map(read)}`);
    if (steps.length) {
      out.push('    steps:');
      for (const st of steps) out.push(...st.split('\n').map((l, k) => (k === 0 ? `      - ${l}` : `        ${l}`)));
    }
  };
  const mainLocals: [string, ArrT][] = [];
  if (s.mainLocal) mainLocals.push(['m', s.mainLocal]);
  if (s.chain[0]?.param) mainLocals.push(['a', s.chain[0].param]);
  if (s.rec) mainLocals.push(['ra', s.rec.arr]);
  fn('main', [], mainLocals, s.main.flatMap((m): string[] => {
    switch (m.kind) {
      case 'chain': return [`call: ${q(`c1(${chainArgs(s, 'a')})`)}`];
      case 'rec': return [`call: ${q(`r(${m.depth}, ra)`)}`];
      case 'spawn': return [...Array(m.count).fill(`go: ${q(`w${m.worker}(${m.depth})`)}`), ...Array(m.count).fill('recv: done')];
      default: return leafY(m, 'm');
    }
  }));
  s.chain.forEach((c, i) => {
    const next = i + 1 < s.chain.length ? [`call: ${q(`c${i + 2}(${s.chain[i + 1].param ? 'y' : ''})`)}`] : [];
    const local = c.local ? 'y' : null;
    fn(`c${i + 1}`, c.param ? [['x', c.param]] : [], c.local ? [['y', c.local]] : [],
      [...c.before.flatMap((l) => leafY(l, local)), ...next, ...c.after.flatMap((l) => leafY(l, local))]);
  });
  if (s.rec) {
    const r = s.rec;
    fn('r', [['n', 'int'], ['x', r.arr]], [['y', r.arr]], [
      `if: n == 0\nthen: [${r.gcAtBottom ? 'gc, ' : ''}return]`,
      ...(r.addr ? [`println: ${q('&y')}`] : []),
      `call: ${q('r(n-1, y)')}`,
    ]);
  }
  s.workers.forEach((w, i) => {
    const locals: [string, ArrT][] = [];
    const steps: string[] = [];
    if (w.say) steps.push(`println: ${q(w.say)}`);
    if (w.body === 'chain') {
      if (s.chain[0].param) locals.push(['z', s.chain[0].param]);
      steps.push(`call: ${q(`c1(${chainArgs(s, 'z')})`)}`);
    } else if (w.body === 'rec') {
      locals.push(['z', s.rec!.arr]);
      steps.push(`call: ${q('r(n, z)')}`);
    }
    if (w.gc) steps.push('gc');
    steps.push('send: done');
    fn(`w${i}`, [['n', 'int']], locals, steps);
  });
  return out.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// Running

let dir: string;
let fileNo = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stackdebug-props-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Writes the program in one of its renderings and returns the path. */
async function fileOf(s: Spec, kind: 'go' | 'yaml'): Promise<string> {
  const path = join(dir, `p${++fileNo}.${kind}`);
  await writeFile(path, kind === 'go' ? toGo(s) : toYaml(s));
  return path;
}

interface Run { lines: string[]; events: TraceEvent[]; code: number }

async function sim(program: Program, go: string, gomaxprocs: number, extra: { sliceStatements?: number; ready?: () => Promise<void> } = {}): Promise<Run> {
  const lines: string[] = [];
  const events: TraceEvent[] = [];
  const code = await simulate(program, getProfile(go), { gomaxprocs, write: (l) => lines.push(l), event: (e) => events.push(e), ...extra });
  return { lines, events, code };
}

async function traceBytes(path: string, go: string, gomaxprocs: number, extra: { sliceStatements?: number; ready?: () => Promise<void> } = {}): Promise<string> {
  const lines: string[] = [];
  const code = await runFile(path, { go, gomaxprocs, write: (l) => lines.push(l), ...extra });
  return `${lines.join('\n')}\nexit ${code}\n`;
}

/** Both renderings of a program, for messages. */
const show = (s: Spec) => `--- Go ---\n${toGo(s)}\n--- YAML ---\n${toYaml(s)}`;

// ---------------------------------------------------------------------------------------------
// Trace invariants

const hexRe = '0x[0-9a-f]+';
const RE = {
  alloc: /^stackalloc (\d+)$/,
  allocated: new RegExp(`^  allocated (${hexRe})$`),
  free: new RegExp(`^stackfree (${hexRe}) (\\d+)$`),
  copy: new RegExp(`^copystack gp=(${hexRe}) \\[(${hexRe}) (${hexRe}) (${hexRe})\\] -> \\[(${hexRe}) (${hexRe}) (${hexRe})\\]/(\\d+)$`),
  newstack: new RegExp(`^runtime: newstack sp=(${hexRe}) stack=\\[(${hexRe}), (${hexRe})\\]$`),
  shrink: /^shrinking stack (\d+)->(\d+)$/,
};
const num = (s: string) => (s.startsWith('0x') ? parseInt(s, 16) : Number(s));
const isPow2 = (n: number) => Number.isInteger(n) && n > 0 && Number.isInteger(Math.log2(n));
const overlaps = (a: number, an: number, b: number, bn: number) => a < b + bn && b < a + an;
const PAGE = 8192;
const ARENA = 0xc000000000;

/**
 * Checks the stack lines of a trace; returns the first violation, or null. Lines are what a
 * user reads, so this is exactly what the trace promises.
 */
function traceViolation(lines: string[]): string | null {
  const live = new Map<number, number>(); // lo -> size
  let pending: number | null = null;
  let expectFree: { lo: number; size: number } | null = null;
  let shrinkTo: { from: number; to: number } | null = null;
  let lastAlloc: { lo: number; size: number } | null = null;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    const at = `line ${i + 1} ${JSON.stringify(l)}`;
    let m: RegExpExecArray | null;
    if ((m = RE.alloc.exec(l))) {
      if (pending !== null) return `${at}: stackalloc while stackalloc ${pending} has no "allocated" line`;
      const n = num(m[1]);
      if (!isPow2(n) || n < 2048) return `${at}: size is not a power of two >= 2048`;
      pending = n;
    } else if ((m = RE.allocated.exec(l))) {
      if (pending === null) return `${at}: "allocated" without stackalloc`;
      const lo = num(m[1]);
      const n = pending;
      pending = null;
      if (lo < ARENA) return `${at}: stack below the heap arena`;
      if (lo % Math.min(n, PAGE) !== 0) return `${at}: stack of ${n} bytes not aligned to ${Math.min(n, PAGE)}`;
      for (const [lo2, n2] of live) {
        if (overlaps(lo, n, lo2, n2)) return `${at}: [${lo.toString(16)}, +${n}) overlaps the live stack [${lo2.toString(16)}, +${n2})`;
      }
      live.set(lo, n);
      lastAlloc = { lo, size: n };
    } else if ((m = RE.free.exec(l))) {
      const lo = num(m[1]);
      const n = num(m[2]);
      if (!live.has(lo)) return `${at}: freeing a stack that is not live`;
      if (live.get(lo) !== n) return `${at}: freed with size ${n}, allocated with ${live.get(lo)}`;
      if (expectFree && (expectFree.lo !== lo || expectFree.size !== n)) {
        return `${at}: copystack's old stack ${expectFree.lo.toString(16)}/${expectFree.size} should be freed first`;
      }
      expectFree = null;
      live.delete(lo);
    } else if ((m = RE.copy.exec(l))) {
      const [lo, used, hi, lo2, used2, hi2, n] = m.slice(2).map(num);
      if (!(lo <= used && used <= hi)) return `${at}: old used ${used.toString(16)} outside [lo, hi]`;
      if (!(lo2 <= used2 && used2 <= hi2)) return `${at}: new used outside [lo, hi] (the used part does not fit)`;
      if (!isPow2(hi - lo) || hi - lo < 2048) return `${at}: old size ${hi - lo} is not a power of two >= 2048`;
      if (hi2 - lo2 !== n) return `${at}: new stack spans ${hi2 - lo2} bytes, not /${n}`;
      if (hi - used !== hi2 - used2) return `${at}: used bytes change in the copy (${hi - used} -> ${hi2 - used2})`;
      if (live.get(lo) !== hi - lo) return `${at}: old stack is not a live stack`;
      if (!lastAlloc || lastAlloc.lo !== lo2 || lastAlloc.size !== n) return `${at}: new stack is not the one just allocated`;
      if (shrinkTo && (shrinkTo.from !== hi - lo || shrinkTo.to !== n)) return `${at}: does not do the shrink announced (${shrinkTo.from}->${shrinkTo.to})`;
      shrinkTo = null;
      if (expectFree) return `${at}: copystack before the previous copy freed its old stack`;
      expectFree = { lo, size: hi - lo };
    } else if ((m = RE.newstack.exec(l))) {
      const [sp, lo, hi] = m.slice(1).map(num);
      if (!(lo <= sp && sp < hi)) return `${at}: sp outside [lo, hi)`;
      if (live.get(lo) !== hi - lo) return `${at}: the stack is not a live stack`;
    } else if ((m = RE.shrink.exec(l))) {
      const [from, to] = m.slice(1).map(num);
      if (to * 2 !== from) return `${at}: a shrink halves the stack`;
      shrinkTo = { from, to };
    }
  }
  if (pending !== null) return `trace ends after stackalloc ${pending} without "allocated"`;
  if (expectFree) return 'trace ends before the last copy freed its old stack';
  if (shrinkTo) return 'trace ends before the announced shrink copied';
  return null;
}

/**
 * Checks the structured events: the same allocations as the lines, and no stack handed out from
 * memory that is still owned: a stack in some P's cache, a span kept on stackLarge.
 */
function eventViolation(events: TraceEvent[], lines: string[]): string | null {
  const fromLines: string[] = [];
  let size = '';
  for (const l of lines) {
    const m = RE.alloc.exec(l);
    if (m) size = m[1];
    const a = RE.allocated.exec(l);
    if (a) fromLines.push(`${num(a[1])}/${size}`);
  }
  const fromEvents = events.flatMap((e) => (e.kind === 'stackalloc' ? [`${e.addr}/${e.size}`] : []));
  if (fromLines.join() !== fromEvents.join()) return 'stackalloc events differ from the stackalloc lines';
  const cached = new Map<number, number>(); // small stacks in P caches: lo -> size
  const large = new Map<number, number>(); // large spans kept on stackLarge while GC runs
  const live = new Map<number, number>();
  for (const [k, e] of events.entries()) {
    const at = `event ${k} ${JSON.stringify(e)}`;
    if (e.kind === 'stackalloc') {
      const small = e.size < 32768;
      if (small !== (e.source === 'cache' || e.source === 'refill' || e.source === 'pool')) return `${at}: source does not fit the size`;
      if (small ? e.order !== Math.log2(e.size / 2048) : e.order !== null) return `${at}: wrong order`;
      if (e.source === 'stackLarge') {
        if (large.get(e.addr) !== e.size) return `${at}: stackLarge hands out a span that was not freed to it`;
        large.delete(e.addr);
      }
      if (e.source === 'cache' && cached.has(e.addr) && cached.get(e.addr) !== e.size) return `${at}: cached with another size`;
      for (const [lo, n] of cached) {
        if (overlaps(e.addr, e.size, lo, n) && !(e.source === 'cache' && lo === e.addr)) {
          return `${at}: overlaps the stack ${lo.toString(16)}/${n} in a P's stack cache`;
        }
      }
      cached.delete(e.addr);
      for (const [lo, n] of large) {
        if (overlaps(e.addr, e.size, lo, n)) return `${at}: overlaps the span ${lo.toString(16)}/${n} kept on stackLarge`;
      }
      live.set(e.addr, e.size);
    } else if (e.kind === 'stackfree') {
      if (live.get(e.addr) !== e.size) return `${at}: not a live stack of this size`;
      live.delete(e.addr);
      if (e.dest === 'release') {
        // Some stacks of this size went back to the pool (which ones, the events do not say).
        for (const [lo, n] of cached) if (n === e.size) cached.delete(lo);
      }
      if (e.dest === 'cache' || e.dest === 'release') cached.set(e.addr, e.size);
      if (e.dest === 'stackLarge') large.set(e.addr, e.size);
    } else if (e.kind === 'stackcache-clear') {
      cached.clear(); // conservative: every P's cache is cleared in turn at mark termination
    } else if (e.kind === 'gc' && e.phase === 'end') {
      large.clear(); // freeStackSpans gave stackLarge back to the heap
    } else if (e.kind === 'copystack') {
      if (live.get(e.oldLo) !== e.oldSize) return `${at}: old stack not live`;
      if (live.get(e.newLo) !== e.newSize) return `${at}: new stack not live`;
      if (e.used > e.newSize || e.used > e.oldSize) return `${at}: used does not fit`;
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------

const params = (numRuns: number) => ({ numRuns, verbose: 1 as const });

describe('generated programs', () => {
  it('render to programs both front ends accept', async () => {
    await fc.assert(fc.asyncProperty(specArb, async (s) => {
      for (const kind of ['go', 'yaml'] as const) {
        const path = await fileOf(s, kind);
        await expect(loadProgram(path), show(s)).resolves.toBeDefined();
      }
    }), params(RUNS));
  });
});

describe('properties over generated programs, every version, GOMAXPROCS 1..3', () => {
  it('stacks never overlap, frees match allocations, copies and newstacks are consistent', async () => {
    await fc.assert(fc.asyncProperty(specArb, fc.constantFrom<'go' | 'yaml'>('go', 'yaml'), async (s, kind) => {
      const program = await loadProgram(await fileOf(s, kind));
      for (const { go, gomaxprocs } of COMBOS) {
        const r = await sim(program, go, gomaxprocs);
        const where = `go${go} GOMAXPROCS=${gomaxprocs}\n${show(s)}`;
        expect(r.code, `exit status, ${where}\n${r.lines.slice(-20).join('\n')}`).toBe(0);
        expect(traceViolation(r.lines), where).toBeNull();
        expect(eventViolation(r.events, r.lines), where).toBeNull();
      }
    }), params(RUNS));
  }, 120_000);

  it('is deterministic: the same input gives the same bytes', async () => {
    await fc.assert(fc.asyncProperty(specArb, fc.constantFrom(...COMBOS), async (s, one) => {
      const path = await fileOf(s, 'go');
      // The whole pipeline twice (load, then simulate) on one version ...
      expect(await traceBytes(path, one.go, one.gomaxprocs)).toBe(await traceBytes(path, one.go, one.gomaxprocs));
      // ... and one loaded program simulated twice on every version: nothing leaks between runs.
      const program = await loadProgram(path);
      for (const { go, gomaxprocs } of COMBOS) {
        const a = await sim(program, go, gomaxprocs);
        const b = await sim(program, go, gomaxprocs);
        expect(b.lines.join('\n'), `go${go} GOMAXPROCS=${gomaxprocs}\n${show(s)}`).toBe(a.lines.join('\n'));
        expect(b.code).toBe(a.code);
      }
    }), params(RUNS));
  }, 120_000);

  it('does not depend on the machine: tiny slices and delays between them give the same bytes', async () => {
    const delays = fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 8 });
    await fc.assert(fc.asyncProperty(specArb, fc.constantFrom(...COMBOS), fc.integer({ min: 1, max: 64 }), delays, async (s, { go, gomaxprocs }, slice, ms) => {
      const path = await fileOf(s, 'yaml');
      const reference = await traceBytes(path, go, gomaxprocs);
      // Real waits (setTimeout 0..5 ms) for the first slices, then a turn of the event loop.
      let k = 0;
      const ready = () => new Promise<void>((resolve) => {
        const d = k < 16 ? ms[k % ms.length] : -1;
        k++;
        if (d < 0) setImmediate(resolve);
        else setTimeout(resolve, d);
      });
      const sliced = await traceBytes(path, go, gomaxprocs, { sliceStatements: slice, ready });
      expect(sliced, `slice ${slice}, go${go} GOMAXPROCS=${gomaxprocs}\n${show(s)}`).toBe(reference);
      // Every version and GOMAXPROCS with one-statement slices and no waiting.
      const program = await loadProgram(path);
      for (const c of COMBOS) {
        const whole = await sim(program, c.go, c.gomaxprocs);
        const one = await sim(program, c.go, c.gomaxprocs, { sliceStatements: 1, ready: async () => {} });
        expect(one.lines.join('\n'), `slice 1, go${c.go} GOMAXPROCS=${c.gomaxprocs}\n${show(s)}`).toBe(whole.lines.join('\n'));
      }
    }), params(Math.ceil(RUNS / 2)));
  }, 120_000);

  it('Go source and YAML scenario of a program give the same trace', async () => {
    await fc.assert(fc.asyncProperty(specArb, async (s) => {
      const goP = await loadProgram(await fileOf(s, 'go'));
      const yamlP = await loadProgram(await fileOf(s, 'yaml'));
      for (const { go, gomaxprocs } of COMBOS) {
        const a = await sim(goP, go, gomaxprocs);
        const b = await sim(yamlP, go, gomaxprocs);
        expect(b.lines.join('\n'), `go${go} GOMAXPROCS=${gomaxprocs}\n${show(s)}`).toBe(a.lines.join('\n'));
      }
    }), params(RUNS));
  }, 120_000);
});

describe('a runaway recursion keeps the invariants up to the fatal stack overflow', () => {
  it('every version, GOMAXPROCS 1 and 2', async () => {
    const path = join(dir, 'runaway.yaml');
    await writeFile(path, [
      'functions:',
      '  main:',
      '    locals: { x: "[1024]int" }',
      '    steps: [{call: r(x)}]',
      '  r:',
      '    params: { x: "[1024]int" }',
      '    locals: { y: "[1024]int" }',
      '    steps: [{call: r(y)}]',
      '',
    ].join('\n'));
    const program = await loadProgram(path);
    for (const go of VERSIONS) {
      for (const gomaxprocs of [1, 2]) {
        const r = await sim(program, go, gomaxprocs);
        const where = `go${go} GOMAXPROCS=${gomaxprocs}`;
        expect(r.code, where).toBe(2);
        expect(r.lines, where).toContain('fatal error: stack overflow');
        expect(traceViolation(r.lines), where).toBeNull();
        expect(eventViolation(r.events, r.lines), where).toBeNull();
      }
    }
  }, 60_000);
});

describe('the invariant checkers see violations', () => {
  const base = ['stackalloc 2048', '  allocated 0xc000010000'];
  it('overlap, double free, size mismatch, inconsistent copy', () => {
    expect(traceViolation([...base, 'stackalloc 4096', '  allocated 0xc000010000'])).toMatch(/overlaps the live stack/);
    expect(traceViolation([...base, 'stackfree 0xc000010000 2048', 'stackfree 0xc000010000 2048'])).toMatch(/not live/);
    expect(traceViolation([...base, 'stackfree 0xc000010000 4096'])).toMatch(/freed with size 4096/);
    expect(traceViolation([...base, 'stackalloc 4096', '  allocated 0xc000012000',
      'copystack gp=0xc000002380 [0xc000010000 0xc000010700 0xc000010800] -> [0xc000012000 0xc000012e00 0xc000013000]/4096'])).toMatch(/used bytes change/);
    expect(traceViolation([...base, 'runtime: newstack sp=0xc000010800 stack=[0xc000010000, 0xc000010800]'])).toMatch(/sp outside/);
    expect(traceViolation([...base, 'stackalloc 4096', '  allocated 0xc000012000',
      'copystack gp=0xc000002380 [0xc000010000 0xc000010700 0xc000010800] -> [0xc000012000 0xc000012f00 0xc000013000]/4096',
      'stackfree 0xc000012000 4096'])).toMatch(/should be freed first/);
    expect(traceViolation([...base, 'stackalloc 4096', '  allocated 0xc000012000',
      'copystack gp=0xc000002380 [0xc000010000 0xc000010700 0xc000010800] -> [0xc000012000 0xc000012f00 0xc000013000]/4096',
      'stackfree 0xc000010000 2048'])).toBeNull();
  });
  it('a stack handed out from a P cache or stackLarge while still owned', () => {
    const ev = (e: TraceEvent) => e;
    const lines = ['stackalloc 2048', '  allocated 0xc000010000', 'stackalloc 2048', '  allocated 0xc000010000'];
    const events: TraceEvent[] = [
      ev({ kind: 'stackalloc', size: 2048, addr: 0xc000010000, source: 'refill', order: 0 }),
      ev({ kind: 'stackfree', size: 2048, addr: 0xc000010000, dest: 'cache', order: 0 }),
      ev({ kind: 'stackalloc', size: 2048, addr: 0xc000010000, source: 'pool', order: 0 }),
    ];
    expect(eventViolation(events, lines)).toMatch(/in a P's stack cache/);
    events[2] = ev({ kind: 'stackalloc', size: 2048, addr: 0xc000010000, source: 'cache', order: 0 });
    expect(eventViolation(events, lines)).toBeNull();
  });
});

describe("the heap's page allocator", () => {
  it('hands out the lowest free run of pages, whatever was allocated and freed before', () => {
    // Against a plain first-fit scan of a page map: the allocator's own search keeps hints.
    const op = fc.oneof(
      fc.record({ kind: fc.constant('alloc' as const), pages: fc.constantFrom(1, 2, 3, 4, 8, 64) }),
      fc.record({ kind: fc.constant('free' as const), which: fc.nat() }),
    );
    fc.assert(fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
      const heap = new MHeap();
      const used: boolean[] = [];
      const live: { base: number; pages: number }[] = [];
      for (const o of ops) {
        if (o.kind === 'alloc') {
          let at = 0;
          for (let run = 0, i = 0; ; i++) {
            run = used[i] ? 0 : run + 1;
            if (run === o.pages) { at = i - o.pages + 1; break; }
          }
          for (let i = at; i < at + o.pages; i++) used[i] = true;
          const base = heap.allocPages(o.pages);
          expect((base - ARENA_BASE) / PAGE_SIZE).toBe(at);
          live.push({ base, pages: o.pages });
        } else if (live.length > 0) {
          const [s] = live.splice(o.which % live.length, 1);
          heap.freePages(s.base, s.pages);
          const first = (s.base - ARENA_BASE) / PAGE_SIZE;
          for (let i = first; i < first + s.pages; i++) used[i] = false;
        }
      }
    }), { numRuns: 300 });
  });

  it('finds a run that a free makes with free pages below it', () => {
    const heap = new MHeap();
    const page = (n: number) => ARENA_BASE + n * PAGE_SIZE;
    for (let i = 0; i < 3; i++) heap.allocPages(1);
    heap.freePages(page(0), 1);
    expect(heap.allocPages(2)).toBe(page(3)); // page 0 alone is too short
    heap.freePages(page(1), 1);
    expect(heap.allocPages(2)).toBe(page(0)); // pages 0 and 1
  });
});
