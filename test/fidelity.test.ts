/**
 * Fidelity against the real runtime: for every reference program with compiler frame sizes
 * (meta.json), every Go version and GOMAXPROCS 1 and 2, the main goroutine's copies and the
 * program's output (tier A) equal the real trace's; the frame model equals the compiler's numbers.
 * The traces are real ones, copied into test/fixtures/reference and test/fixtures/recorded.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { traceOf } from '../src/engine.js';
import { procresizePages } from '../src/runtime/proc.js';
import { frameLayout } from '../src/program/frame.js';
import { getProfile } from '../src/profiles/index.js';
import { loadProgram } from '../src/scenario/load.js';
import { compareTiers } from '../src/trace/tiers.js';
import { maskCode } from '../src/trace/match.js';
import { buildDirOf, generatedCases, gorootOf, recordedCases, referenceCases, type Case } from '../scripts/fidelity.js';

/**
 * Real traces whose most frequent view of the main goroutine the model does not reproduce, each
 * with the reason. The test fails if one of them starts to agree, so the list stays honest.
 */
const KNOWN_TIER_A_DIFFS: Record<string, string> = {
  // With two Ps the GC's worker can reach main's stack while main is still running inside
  // runtime.GC; the shrink then waits for main's next synchronous safe point (4 of 7 runs).
  'big-frame go1.19 p2': 'shrink deferred to a safe point while main runs on the other P',
};

/** A trace with its code addresses masked (check --match code). */
const noPC = (x: string) => x.split('\n').map(maskCode).join('\n');

/**
 * Go 1.15's recordings (go1.15.15, found after the others) were scored as recorded and not yet
 * modelled case by case: their misses are not listed one by one below but held by floors
 * ('Go 1.15's recordings').
 */
const listed = (c: Case) => c.version !== '1.15';

const withMeta = referenceCases().filter((c) => existsSync(join(dirname(c.program), 'meta.json')));

/** The simulated trace of a case, as the real run was started and built (buildDirOf, gorootOf). */
async function simulated(c: Case): Promise<string> {
  const real = readFileSync(c.real, 'utf8');
  return (await traceOf(c.program, { go: c.version, gomaxprocs: c.procs, environ: c.environ, buildDir: buildDirOf(real), goroot: gorootOf(real) })).text;
}

async function tierA(c: Case): Promise<boolean> {
  return compareTiers(readFileSync(c.tierAReal, 'utf8'), await simulated(c)).A;
}

describe('tier A against real traces (reference programs)', () => {
  for (const c of withMeta) {
    const key = `${c.name} go${c.version} p${c.procs}`;
    it(key, async () => {
      expect(await tierA(c), KNOWN_TIER_A_DIFFS[key] ?? 'main goroutine view differs').toBe(!(key in KNOWN_TIER_A_DIFFS));
    });
  }
});

/**
 * A deadlock's traceback (level 1) prints each frame's pc offset, a code address the model only
 * stands in for (--code compiler reads the real ones: test/code-addresses.test.ts). The scorer
 * labels those offsets as opaque values by first appearance, so two calls at the same offset
 * must be so in the model too. The model's code sizes (runtime/code-size.ts) give every offset
 * of recorded/deadlock-many and gc-deadlock apart from each other as the real ones are; in
 * deadlock-goroutines on Go 1.19 two calls share +0x2a, and the model's a3 is 3 bytes short (a
 * register move regalloc adds there: MOVQ CX, AX).
 */
const TRACEBACK_OFFSETS = 'traceback pc offsets: two calls share one in the real binary, and the model\'s code sizes miss a register move';
const PRINT_HOIST = 'Go 1.21 makes a+1 and b*2 of println("vals", a+1, b*2, -c, a*b-c, (a+b)*c, &z) early and keeps them; the model\'s entry-block schedule makes all five early (see the frames test)';
/** The releases the programs in recorded/ and generated/ were recorded with. */

describe('tier A against traces recorded with Go 1.19 to 1.24 (programs not in the reference set)', () => {
  const known: Record<string, string> = {
    'deadlock-goroutines go1.19 p1': TRACEBACK_OFFSETS,
    'many-print-args go1.21 p1': PRINT_HOIST,
  };
  for (const c of recordedCases().filter(listed)) {
    const key = `${c.name} go${c.version} p${c.procs}`;
    it(key, async () => {
      expect(await tierA(c), known[key]).toBe(!(key in known));
    });
  }
});

describe('tier A against traces of generated programs (Go 1.19 to 1.24)', () => {
  for (const c of generatedCases().filter(listed)) {
    const key = `${c.name} go${c.version}`;
    it(key, async () => {
      expect(await tierA(c)).toBe(true);
    });
  }
});

describe('tier B at GOMAXPROCS=1 where the real runtime is repeatable', () => {
  // Whole traces with stack-relative addresses; the ones left out show timing effects of real
  // threads (sysmon preemption requests, an extra M) that a deterministic model does not have.
  const timing = new Set(['big-frame go1.21', 'deep-recursion go1.15', 'deep-recursion go1.22', 'deep-recursion go1.23']);
  for (const c of withMeta.filter((x) => x.procs === 1 && !timing.has(`${x.name} go${x.version}`))) {
    it(`${c.name} go${c.version}`, async () => {
      const { text } = await traceOf(c.program, { go: c.version, gomaxprocs: 1, environ: c.environ });
      expect(compareTiers(readFileSync(c.real, 'utf8'), text).B).toBe(true);
    });
  }
});

/** The frames a meta.json entry records (go1.NN.frames: function -> [frame, args]) against the model's. */
/** Frames the model does not yet give, with what the compiler does there; each fails the test once it agrees. */
const KNOWN_FRAMES: Record<string, string> = {
  'recorded/many-print-args go1.21 show': "Go 1.21 makes b*2 of println(\"vals\", a+1, b*2, ...) before the printstring of \"vals\" and -c at its printint; the model's block makes -c early too, its heap laid out otherwise (688; the model's 696)",
  ...Object.fromEntries(['1.21', '1.22', '1.23', '1.24'].map((v) => [`frames/tighten.go go${v} comparedLocalPassed`,
    "makes ok := v >= a after println(ok)'s printlock and keeps v, which g(v) read first, as Go 1.19 does; the model does that for 1.19 only (24; the model's 16)"])),
  ...Object.fromEntries(['1.21', '1.22', '1.23', '1.24'].map((v) => [`frames/divisor-checks.go go${v} checkedEarlier`,
    `makes v := (b/d) + 9 after runtime.GC(), at the call that reads it, and keeps nothing (32; the model's 40)`])),
  ...Object.fromEntries(['1.21', '1.22', '1.23', '1.24'].map((v) => [`frames/tighten.go go${v} comparedAtPrint`,
    "makes ok := (a - s)%3 == 0 after println(ok)'s printlock and keeps a's copy and s, as Go 1.19 does; the model does that for 1.19 only (32; the model's 24)"])),
  ...Object.fromEntries(['1.21', '1.22', '1.23', '1.24'].map((v) => [`frames/tighten.go go${v} comparedPastIf`,
    "makes ok := (a + 86812) < b past the if, after println(ok)'s printlock, and gives it no slot, as Go 1.19 does; the model does that for 1.19 only (16; the model's 32)"])),
  'recorded/min-int go1.21 edges2': "Go 1.21 makes m/3 of println(m/3, m%3) and the product m/3*3 at entry and keeps both (168; the model's 160)",
  // Go 1.21's entry block as entry-schedule.ts builds it for ssa-schedule.ts: where the block the
  // real schedule receives differs (its order, IDs, where a statement mark moved).
  ...Object.fromEntries(([
    ['entry-values.go', 'sumDivisible', 56, 48], ['entry-values.go', 'bareFirst', 32, 40],
    ['entry-values.go', 'laterBare', 32, 40], ['entry-values.go', 'e', 32, 24], ['entry-values.go', 'f', 88, 80],
    ['flags-wait.go', 'comparedPastLoop', 32, 48], ['string-lengths.go', 'pB', 40, 32],
    ['string-lengths.go', 'sumAfterLock', 280, 264],
  ] as const).map(([file, fn, real, model]) => [`frames/${file} go1.21 ${fn}`,
    `Go 1.21's entry-block schedule keeps ${real > model ? 'more' : 'fewer'} values across its calls than entry-schedule.ts gives (${real}; the model's ${model})`])),
};

function expectCompilerFrames(program: string, entry: Record<string, unknown>, title: string): void {
  for (const [key, frames] of Object.entries(entry)) {
    const m = /^go(1\.\d+)\.frames$/.exec(key);
    if (!m) continue;
    it(`${title} go${m[1]}`, async () => {
      const prog = await loadProgram(program);
      const profile = getProfile(m[1]);
      for (const [fn, [frame, args]] of Object.entries(frames as Record<string, [number, number]>)) {
        if (fn === 'init') continue; // the package initializer is the runtime's, not the program's
        const lay = frameLayout(prog.funcs.get(fn)!, prog, profile);
        const known = `${title} go${m[1]} ${fn}`;
        if (known in KNOWN_FRAMES) expect(lay.frame, KNOWN_FRAMES[known]).not.toBe(frame);
        else expect([fn, lay.frame, lay.args]).toEqual([fn, frame, args]);
      }
    });
  }
}

describe("frame model equals the compiler's frame sizes", () => {
  for (const dir of new Set(withMeta.map((c) => dirname(c.program)))) {
    const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as Record<string, unknown>;
    expectCompilerFrames(join(dir, 'main.go'), meta, dir.split('/').pop()!);
  }
  // The recorded programs, each with the compilers of 1.19 and 1.21 to 1.24.
  const recorded = JSON.parse(readFileSync('test/fixtures/recorded/meta.json', 'utf8')) as Record<string, Record<string, unknown>>;
  for (const [name, entry] of Object.entries(recorded)) expectCompilerFrames(`test/fixtures/recorded/${name}.go`, entry, `recorded/${name}`);
});

describe("frame model equals the compiler's frame sizes, 1.19 to 1.24 (scripts/compiler-frames.ts)", () => {
  for (const dir of ['test/fixtures/generated', 'test/fixtures/frames']) {
    const table = JSON.parse(readFileSync(join(dir, 'compiler-frames.json'), 'utf8')) as
      Record<string, Record<string, Record<string, [number, number]>>>;
    for (const [file, byVersion] of Object.entries(table)) {
      it(`${dir.split('/').pop()}/${file}`, async () => {
        const prog = await loadProgram(join(dir, file));
        for (const [version, frames] of Object.entries(byVersion)) {
          const profile = getProfile(version);
          for (const [fn, [frame, args]] of Object.entries(frames)) {
            if (fn === 'init') continue; // the package initializer is the runtime's, not the program's
            const lay = frameLayout(prog.funcs.get(fn)!, prog, profile);
            const known = `${dir.split('/').pop()}/${file} go${version} ${fn}`;
            if (known in KNOWN_FRAMES) expect(lay.frame, KNOWN_FRAMES[known]).not.toBe(frame);
            else expect([version, fn, lay.frame, lay.args]).toEqual([version, fn, frame, args]);
          }
        }
      });
    }
  }
});

describe('stack overflow ends as Go 1.22 and 1.23 print it (test/fixtures/overflow)', () => {
  for (const v of ['1.22', '1.23']) {
    it(`go${v}: the overflow, its traceback and the parked runtime goroutines`, async () => {
      const real = readFileSync(`test/fixtures/overflow/go${v}.log`, 'utf8');
      const { text } = await traceOf('test/fixtures/reference/stack-overflow/main.go',
        { go: v, gomaxprocs: 1, environ: 'minimal', buildDir: '/home/gopher/overflow' });
      // Code addresses (pc offsets, pc=) and the system stack's fp/sp are the model's stand-ins.
      const tail = (t: string) => t.slice(t.indexOf('runtime: goroutine stack exceeds'))
        .replace(/ \+0x[0-9a-f]+/g, ' +X').replace(/pc=0x[0-9a-f]+/g, 'pc=X').replace(/(fp|sp)=0x7ff[0-9a-f]+/g, '$1=X');
      expect(tail(text)).toBe(tail(real));
    });
  }
});

describe('stack overflow ends like the real runtime', () => {
  for (const v of ['1.19', '1.21', '1.24']) {
    it(`go${v}`, async () => {
      const prog = 'test/fixtures/reference/stack-overflow/main.go';
      const { text, exitCode } = await traceOf(prog, { go: v, gomaxprocs: 1 });
      expect(exitCode).toBe(2);
      const lines = text.split('\n');
      const at = lines.indexOf('fatal error: stack overflow');
      expect(lines[at - 2]).toBe('runtime: goroutine stack exceeds 1000000000-byte limit');
      expect(lines[at - 1]).toMatch(/^runtime: sp=0x[0-9a-f]+ stack=\[0x[0-9a-f]+, 0x[0-9a-f]+\]$/);
      // The copies up to the 512 MiB stack are the real ones, offsets included.
      const real = readFileSync(`test/fixtures/reference/stack-overflow/go${v}.p1.log`, 'utf8');
      const copies = (t: string) => t.split('\n').filter((l) => l.startsWith('copystack')).length;
      expect(copies(text)).toBe(copies(real));
      const realSp = /runtime: sp=(0x[0-9a-f]+) stack=\[(0x[0-9a-f]+), (0x[0-9a-f]+)\]/.exec(real)!;
      const simSp = /runtime: sp=(0x[0-9a-f]+) stack=\[(0x[0-9a-f]+), (0x[0-9a-f]+)\]/.exec(text)!;
      const off = (m: RegExpExecArray) => [parseInt(m[1], 16) - parseInt(m[2], 16), parseInt(m[3], 16) - parseInt(m[2], 16)];
      expect(off(simSp)).toEqual(off(realSp));
    });
  }
});

describe("a fatal error's traceback of the runtime's goroutines", () => {
  // Everything from "goroutine 2" on: headers, parked frames, "created by" lines. Absolute
  // addresses aside (this reference run's heap sits 0x2000 apart), the text is the real one.
  for (const v of ['1.19', '1.21', '1.24']) {
    it(`go${v}: the runtime goroutines parked where the real ones are`, async () => {
      const real = readFileSync(`test/fixtures/reference/stack-overflow/go${v}.p1.log`, 'utf8');
      const buildDir = buildDirOf(real);
      expect(buildDir).toBe('/home/gopher/overflow');
      const { text } = await traceOf('test/fixtures/reference/stack-overflow/main.go', { go: v, gomaxprocs: 1, buildDir });
      const others = (t: string) => t.slice(t.indexOf('\ngoroutine 2 ')).replace(/0x[0-9a-f]+/g, 'X');
      expect(others(text)).toBe(others(real));
      // fp and sp relative to each goroutine's stack, as in the real trace.
      const offsets = (t: string) => [...t.slice(t.indexOf('\ngoroutine 2 ')).matchAll(/fp=0x([0-9a-f]+) sp=0x([0-9a-f]+)/g)]
        .map((m) => [parseInt(m[1], 16) % 0x800, parseInt(m[2], 16) % 0x800]);
      expect(offsets(text)).toEqual(offsets(real));
    });
  }

  it('names the source file in the build directory, or as given', async () => {
    const prog = 'test/fixtures/reference/stack-overflow/main.go';
    const given = (await traceOf(prog, { go: '1.24', gomaxprocs: 1 })).text;
    expect(given).toContain(`\t${prog}:12 +`);
    const built = (await traceOf(prog, { go: '1.24', gomaxprocs: 1, buildDir: '/src/app' })).text;
    expect(built).toContain('\t/src/app/main.go:12 +');
    expect(built).not.toContain(prog);
    const relative = (await traceOf(prog, { go: '1.24', gomaxprocs: 1, buildDir: 'app' })).text;
    expect(relative).toContain(`\t${process.cwd()}/app/main.go:12 +`);
  });
});

/**
 * Goroutines that run while a cycle marks on one P, between the fractional worker's turns
 * (FRACTIONAL_RESUME_NS, proc.ts): how many run before it finishes is a matter of time.
 */
const FRACTIONAL_TURNS = "a cycle ended after another number of short goroutines than the model's (the fractional worker's time share)";
const FRACTIONAL_SCAN = 'the fractional worker scanned the stacks after fewer goroutines than the model, and finished the cycle sooner';
const FRACTIONAL_WBUF = "the fractional worker took the cycle's work buffers after the first goroutine ran, the model at its scan";
/** A known difference that the threads' timing decides, and how many of the 20 real runs printed the trace kept. */
const timing = (why: string, share: string) => `${why} (${share} of 20 runs)`;

describe('tier B at GOMAXPROCS=1 on traces recorded with Go 1.19 to 1.24', () => {
  // Each known difference with its reason; the test fails if one starts to agree.
  const known: Record<string, string> = {
    'conc-gc-loop-many go1.23': timing(FRACTIONAL_TURNS, '6'),
    'conc-gc-loop-many go1.24': timing(FRACTIONAL_TURNS, '14'),
    ...Object.fromEntries([['1.19', '13'], ['1.21', '17']].map(([v, share]) => [`conc-gc-second go${v}`,
      timing("the second cycle ended after two of the goroutines had grown, the model's after four (the fractional worker's turns)", share)])),
    'conc-gc-second go1.23': timing(FRACTIONAL_SCAN, '8'),
    'conc-gc-second go1.24': timing(FRACTIONAL_SCAN, '14'),
    'gc-many-alive go1.23': timing(FRACTIONAL_TURNS, '14'),
    'go-exprs-gc go1.24': timing("a new sudog's mallocgc during the first cycle assisted the GC (gcAssistAlloc) and grew the stack there: GC assists are not modelled", '10'),
    ...Object.fromEntries([['1.23', '19'], ['1.24', '13']].map(([v, share]) => [`large-during-gc go${v}`,
      timing("the fractional worker ended the cycle right after a scan that shrank three stacks; the model's share of the time then is 0.302, just over the 0.3 it yields above", share)])),
    'gc-loop-parked-many go1.24': timing("the first cycle ended after four stack copies, the model's after six (the fractional worker's turns)", '13'),
    // On 1.23 and 1.24 the worker's shrink of its own stack (gcMarkDone's growth) puts it over its
    // share before the previous grower's stack job; earlier it does not. 11 to 15 different traces
    // in 20 runs on each release: hardly any trace of this program repeats.
    ...Object.fromEntries([['1.19', '4'], ['1.21', '5'], ['1.22', '3'], ['1.23', '4'], ['1.24', '8']].map(([v, share]) => [`gc-loop-growers go${v}`,
      timing("the fractional worker yielded after another grower's shrink than the model's, whose share of the time there is 0.26, under the 0.3 it yields above", share)])),
    'deadlock-goroutines go1.19': TRACEBACK_OFFSETS,
    'go-computed-loop go1.23': timing(FRACTIONAL_TURNS, '10'),
    'many-print-args go1.21': PRINT_HOIST,
    'go-computed-loop go1.24': timing("the cycle ended before the fifth goroutine grew, the model's after (the fractional worker's turns)", '8'),
    ...Object.fromEntries([['1.19', '13'], ['1.21', '18'], ['1.23', '9'], ['1.24', '5']].map(([v, share]) => [`countdown-gc-waves go${v}`,
      timing("a wave's cycle ended after another number of its goroutines had grown (the fractional worker's turns)", share)])),
    'go-mixed-captures-gc go1.24': timing(FRACTIONAL_TURNS, '11'),
    ...Object.fromEntries([['1.19', '9'], ['1.23', '2'], ['1.24', '4']].map(([v, share]) => [`pool-gc go${v}`, timing(FRACTIONAL_TURNS, share)])),
    'recursion-million go1.19': timing("sysmon's preemption requests (newstack lines that copy nothing) at other depths", '6'),
  };
  for (const c of [...recordedCases(), ...generatedCases()].filter((x) => x.procs === 1 && listed(x))) {
    const key = `${c.name} go${c.version}`;
    it(key, async () => {
      expect(compareTiers(readFileSync(c.real, 'utf8'), await simulated(c)).B, known[key] ?? 'whole trace differs').toBe(!(key in known));
    });
  }
});

describe('the TypeScript tiers agree with the reference scorer (tracecmp.py)', () => {
  const script = 'test/fixtures/record/tracecmp.py';
  const python = spawnSync('python3', ['--version']).status === 0;
  if (!python || !existsSync(script)) {
    console.warn('skipping the tracecmp.py cross-check: python3 or the script is missing');
    return;
  }
  const sample = [...withMeta.filter((_, i) => i % 9 === 0), ...generatedCases().slice(0, 6)];
  for (const c of sample) {
    it(`${c.name} go${c.version} p${c.procs}`, async () => {
      const { text } = await traceOf(c.program, { go: c.version, gomaxprocs: c.procs, environ: c.environ });
      const dir = mkdtempSync(join(tmpdir(), 'stackdebug-tiers-'));
      const sim = join(dir, 'sim.log');
      writeFileSync(sim, text);
      const py = spawnSync('python3', [script, c.real, sim], { encoding: 'utf8' }).stdout.trim();
      rmSync(dir, { recursive: true, force: true });
      const t = compareTiers(readFileSync(c.real, 'utf8'), text);
      expect(py).toBe(`A ${t.A ? 'ok' : 'diff'} B ${t.B ? 'ok' : 'diff'} C ${t.C ? 'ok' : 'diff'}`);
    });
  }
});

describe('a trace too long to keep: 10,000 goroutines (Go 1.19), line kinds counted', () => {
  // main writes two or three lines per goroutine it starts, so it is preempted while it starts
  // them: its goroutines grow, block on their send, and most never exit (stackfree about 10,000,
  // not 20,000), as in the real run.
  it("has the real run's lines, kind by kind, within 5 %", async () => {
    const real = JSON.parse(readFileSync('test/fixtures/go/loop-goroutines.go1.19.p1.counts.json', 'utf8')) as
      { lines: number; kinds: Record<string, number> };
    const { text } = await traceOf('test/fixtures/go/loop-goroutines.go', { go: '1.19', gomaxprocs: 1 });
    const kinds: Record<string, number> = {};
    const kind = /^(stackalloc|  allocated|stackcacherefill|stackcacherelease|stackfree|runtime: newstack|\tmorebuf|\tsched|copystack|stack grow done|stackcache clear|shrinking stack)/;
    const lines = text.split('\n').slice(0, -1);
    for (const l of lines) {
      const k = kind.exec(l)?.[1].trim() ?? 'output';
      kinds[k] = (kinds[k] ?? 0) + 1;
    }
    expect(Object.keys(kinds).sort()).toEqual(Object.keys(real.kinds).sort());
    for (const [k, n] of Object.entries(real.kinds)) expect(Math.abs(kinds[k] - n), k).toBeLessThanOrEqual(n * 0.05);
    expect(Math.abs(lines.length - real.lines)).toBeLessThanOrEqual(real.lines * 0.01);
  });
});

describe('every address of a whole trace, code addresses aside (reference traces, GOMAXPROCS=1)', () => {
  // Where tier B holds, the heap's page allocator puts every stack where the real one did (on
  // 1.24, big-frame's shrunk stack above its local moved to the heap included).
  for (const c of withMeta.filter((x) => x.procs === 1)) {
    const key = `${c.name} go${c.version}`;
    it(key, async () => {
      const real = readFileSync(c.real, 'utf8');
      const { text } = await traceOf(c.program, { go: c.version, gomaxprocs: 1, environ: c.environ });
      if (!compareTiers(real, text).B) return; // timing (see tier B above)
      expect(noPC(text), 'addresses differ').toBe(noPC(real));
    });
  }
});

describe("the main goroutine's first stack with two Ps (procresize's pages, reference traces)", () => {
  // Start-up runs before any thread can race: where the main goroutine's stack lands is
  // repeatable at GOMAXPROCS=2 too, two pages lower than at 1 from Go 1.21 (allp's span).
  const mainStack = (trace: string) => /^stackalloc 2048\n(?:stackcacherefill .*\n)?  allocated (0x[0-9a-f]+)$/m.exec(trace)?.[1];
  for (const c of withMeta.filter((x) => x.procs === 2)) {
    it(`${c.name} go${c.version}`, async () => {
      const real = mainStack(readFileSync(c.real, 'utf8'));
      expect(real).toBeDefined();
      expect(mainStack(await simulated(c))).toBe(real);
    });
  }

  it('procresize takes the pages the runtimes printing their allocSpan calls took', () => {
    // go1.22.12 printing allocSpan, one println, GOMAXPROCS 1, 2, 3, 4 and 8 alone: allp's span
    // (none at 2 and 3) and a 7-page span of p structs per six Ps.
    expect([1, 2, 3, 4, 8].map((n) => procresizePages(n, true))).toEqual([8, 7, 7, 8, 15]);
    // go1.19.8: schedinit already has the 8-byte span allp takes with one P.
    expect([1, 2].map((n) => procresizePages(n, false))).toEqual([7, 7]);
  });
});

/**
 * Back-to-back cycles from one goroutine: the real fractional worker runs as a cycle starts and
 * it ends before bgsweep, queued, runs again, so the next cycle reuses the work buffers; the
 * model runs other runnable goroutines first, and bgsweep frees them (a Go 1.19 runtime printing
 * its scheduling and work buffers).
 */
const CYCLE_START_WORKER = "the worker ran at the cycle's start and bgsweep only after it (the fractional worker's timing)";

describe('traces recorded with a minimal environment (stackdebug record), code addresses aside', () => {
  // record runs programs with GOMAXPROCS as their only environment variable: with --environ
  // minimal the model's heap starts where theirs does.
  const seedAbc = 'test/fixtures/reference/seed-abc/main.go';
  it('seed-abc, recorded with only GOMAXPROCS set, equals the model byte for byte but for pcs', async () => {
    const real = readFileSync('test/fixtures/recorded/seed-abc.go1.19.p1.log', 'utf8');
    const { text } = await traceOf(seedAbc, { go: '1.19', gomaxprocs: 1, environ: 'minimal' });
    expect(noPC(text)).toBe(noPC(real));
    const reference = (await traceOf(seedAbc, { go: '1.19', gomaxprocs: 1 })).text;
    expect(noPC(reference)).not.toBe(noPC(real));
  });

  // Every trace recorded here whose tier B holds, all addresses but code addresses. Where these
  // differ, a cycle's work buffers were taken or given back at another time (mgcsweep.ts), as a
  // Go 1.19 runtime printing its sweeping shows.
  const known: Record<string, string> = {
    'gen-9 go1.19': 'bgsweep swept twice in a row in the last cycle',
    'gen-65 go1.19': 'the scavenger found no work in the third cycle: its timer slice was not in the mcache',
    'gen-47 go1.19': CYCLE_START_WORKER,
    'gen-48 go1.19': CYCLE_START_WORKER,
    'gen-116 go1.19': timing("after the cycle that shrank main's stack, a goroutine's 32 KiB stack lands 8 pages lower than the model's (not read further)", '14'),
    'conc-gc-second go1.22': timing(FRACTIONAL_WBUF, '16'),
    'go-mixed-captures-gc go1.23': timing(FRACTIONAL_WBUF, '17'),
    'conc-gc-parked-second go1.19': "the second cycle did not sweep the start-up's span of the sudog's size class, though a Go 1.19 runtime printing its sweeping and its allocations shows no object of that class allocated since the first cycle (not explained)",
    'gc-loop-parked-many go1.23': timing('a stack span after the first cycle lands 5 pages higher (not read further)', '7'),
    'zero-lit-big-gc go1.23': timing("a goroutine's 16 KiB stack in the first cycle lands a 32 KiB span higher: a Go 1.23 runtime printing its spans takes a work-buffer span before it in some runs, the model at its scan", '13'),
    'zero-lit-big-gc go1.24': timing("a goroutine's 16 KiB stack in the first cycle lands a 32 KiB span higher, as on 1.23", '12'),
    'gc-hash-workers go1.21': timing("the cycle's work-buffer span (8 pages) was taken before the first worker grew, the model's after (the fractional worker's timing)", '17'),
    ...Object.fromEntries([['1.23', '11'], ['1.24', '10']].map(([v, share]) => [`spawn-computed-gc go${v}`,
      timing("a goroutine's 8 KiB stack in the cycle lands a 32 KiB span higher, as zero-lit-big-gc's", share)])),
  };
  for (const c of [...recordedCases(), ...generatedCases()].filter((x) => x.procs === 1 && listed(x))) {
    const key = `${c.name} go${c.version}`;
    it(`${key}: every heap address`, async () => {
      const real = readFileSync(c.real, 'utf8');
      const { text } = await traceOf(c.program, { go: c.version, gomaxprocs: 1, environ: c.environ });
      if (!compareTiers(real, text).B) return; // timing (see tier B above)
      expect(noPC(text) === noPC(real), known[key] ?? 'addresses differ').toBe(!(key in known));
    });
  }

  it('is not measured for Go 1.14 (no toolchain to record with)', async () => {
    await expect(traceOf(seedAbc, { go: '1.14', gomaxprocs: 1, environ: 'minimal' })).rejects.toThrow(/measured for Go 1.15, 1.19, 1.21, .*not for Go 1.14/);
  });
});

describe("Go 1.15's recordings (go1.15.15, first scored): tiers A, B and C but code addresses may not fall", () => {
  // As first scored, with its runtime's own frames and its code measured (README, fidelity);
  // heap addresses (C but code addresses) rose with the mark worker's parkInfo and 1.15's 12
  // swept spans (profiles/versions.ts). Recorded again with 20 runs (the first recording took
  // 7), 29 of the 380 traces changed, all by thread timing, and 23 of those then agreed: the
  // misses left are the fractional worker's turns (three recorded programs) and frames (the
  // nine computing programs that miss all hold with the compiler's frames).
  const floors: [string, Case[], number, number, number][] = [
    ['recorded', recordedCases(), 160, 157, 157],
    ['generated', generatedCases(), 130, 130, 125],
    ['arith', recordedCases('test/fixtures/arith'), 81, 81, 81],
  ];
  for (const [set, all, a, b, cpc] of floors) {
    const cases = all.filter((c) => c.version === '1.15' && c.procs === 1);
    it(`${set}: tier A on at least ${a} of ${cases.length}, tier B on ${b}, C but code addresses on ${cpc}`, async () => {
      let A = 0;
      let B = 0;
      let Cpc = 0;
      for (const c of cases) {
        const real = readFileSync(c.real, 'utf8');
        const sim = await simulated(c);
        const tiers = compareTiers(real, sim);
        A += Number(tiers.A);
        B += Number(tiers.B);
        Cpc += Number(noPC(real) === noPC(sim));
      }
      expect(A).toBeGreaterThanOrEqual(a);
      expect(B).toBeGreaterThanOrEqual(b);
      expect(Cpc).toBeGreaterThanOrEqual(cpc);
    });
  }
});
