/**
 * `run --explain`, `run --format json` and the progress line: on every scenario, the notes strip
 * back to the plain trace byte for byte, and every JSON line parses into the expected events.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { explainEvent, newExplainState, NOTE_PREFIX, stripNotes } from '../src/explain/explain.js';
import { startProgress } from '../src/cli/progress.js';
import { LineWriter } from '../src/cli/output.js';
import { Writable } from 'node:stream';
import type { TraceEvent } from '../src/runtime/events.js';
import { bin, cliSync } from './cli.js';

/** Run the built command line (stdout is a pipe: no color unless FORCE_COLOR is given). */
const cliEnv = (args: string[], env: Record<string, string | undefined> = {}) => cliSync(args, { env });

const root = new URL('..', import.meta.url).pathname;
const SCENARIOS = readdirSync(join(root, 'scenarios')).filter((f) => f.endsWith('.yaml')).sort();


const count = (text: string, re: RegExp) => text.split('\n').filter((l) => re.test(l)).length;

describe.each(SCENARIOS)('scenarios/%s', (name) => {
  const file = `scenarios/${name}`;
  const plain = cliEnv(['run', file]);

  it('--explain: stripping the notes gives back the plain trace byte for byte', () => {
    const ex = cliEnv(['run', file, '--explain']);
    expect(ex.code).toBe(plain.code);
    expect(ex.stderr).toBe(plain.stderr);
    expect(stripNotes(ex.stdout)).toBe(plain.stdout);
    expect(ex.stdout).not.toMatch(/\x1b\[/); // no color when stdout is not a terminal
    // A note after every allocation, free, morestack, copy and shrink.
    const lines = ex.stdout.split('\n');
    const noted = (re: RegExp) =>
      lines.every((l, i) => !re.test(l) || lines[i + 1]?.startsWith(NOTE_PREFIX) ||
        // stackfree is followed by stackcacherelease, then the note
        (lines[i + 1]?.startsWith('stackcacherelease') && lines[i + 2]?.startsWith(NOTE_PREFIX)));
    expect(noted(/^ {2}allocated 0x/)).toBe(true);
    expect(noted(/^copystack /)).toBe(true);
    expect(noted(/^shrinking stack /)).toBe(true);
    expect(noted(/^stackfree /)).toBe(true);
    expect(noted(/^\tsched=/)).toBe(true);
    expect(noted(/^stack grow done$/)).toBe(true);
  });

  it('--format json: one parsable object per event, counted like the trace', () => {
    const js = cliEnv(['run', file, '--format', 'json']);
    expect(js.code).toBe(plain.code);
    const recs = js.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(recs[0]).toMatchObject({ seq: 0, kind: 'start', file, go: '1.24', gomaxprocs: 1 });
    const traceLines = plain.stdout.split('\n').length - 1;
    expect(recs.at(-1)).toMatchObject({ kind: 'exit', code: plain.code, traceLines });
    recs.forEach((r, i) => expect(r.seq).toBe(i));
    const kinds = (k: string) => recs.filter((r) => r.kind === k);
    expect(kinds('stackalloc').length).toBe(count(plain.stdout, /^stackalloc /));
    expect(kinds('stackfree').length).toBe(count(plain.stdout, /^stackfree /));
    expect(kinds('copystack').length).toBe(count(plain.stdout, /^copystack /));
    expect(kinds('shrink').length).toBe(count(plain.stdout, /^shrinking stack /));
    // Every newstack line is a morestack (a full stack) or a preempt (sysmon's request).
    expect(kinds('morestack').length + kinds('preempt').length).toBe(count(plain.stdout, /^runtime: newstack /));
    expect(kinds('call').length).toBe(0); // only with calls: true
    // Program output lines are events too, in order, at their trace lines.
    const outLines = plain.stdout.split('\n');
    for (const o of kinds('output')) {
      expect(outLines[(o.traceLine as number) - 1]).toBe(o.text);
      expect(typeof o.line).toBe('number');
      expect(typeof o.goroutine).toBe('number');
    }
    // Addresses as numbers and as hex strings, equal.
    for (const r of recs) {
      for (const [k, v] of Object.entries(r)) {
        if (k.endsWith('Hex')) expect(v).toBe('0x' + (r[k.slice(0, -3)] as number).toString(16));
      }
    }
    for (const a of kinds('stackalloc')) expect(outLines[(a.traceLine as number) - 1]).toBe(`  allocated ${a.addrHex}`);
    for (const m of kinds('morestack')) expect(typeof m.function).toBe('string');
    for (const c of kinds('copystack')) expect(outLines[(c.traceLine as number) - 1]).toMatch(new RegExp(`/${c.newSize}$`));
  });
});

describe('explain notes', () => {
  it('dims notes when color is forced, and only the notes', () => {
    const r = cliEnv(['run', 'scenarios/seed-abc.yaml', '--explain'], { FORCE_COLOR: '1' });
    const lines = r.stdout.split('\n');
    const colored = lines.filter((l) => l.includes('\x1b['));
    expect(colored.length).toBeGreaterThan(0);
    expect(colored.every((l) => l.startsWith('\x1b[2m' + NOTE_PREFIX))).toBe(true);
  });

  it('colors with --color, not with --no-color even when FORCE_COLOR is set', () => {
    expect(cliEnv(['run', 'scenarios/seed-abc.yaml', '--explain', '--color']).stdout).toContain('\x1b[2m' + NOTE_PREFIX);
    const plain = cliEnv(['run', 'scenarios/seed-abc.yaml', '--explain', '--no-color'], { FORCE_COLOR: '1' });
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain(NOTE_PREFIX);
    expect(plain.stdout).not.toContain('\x1b[');
  });

  it('explains a growth with the guard, the frame and the fit', () => {
    const r = cliEnv(['run', 'scenarios/seed-abc.yaml', '--explain']);
    expect(r.stdout).toContain('main.b (frame 16008 bytes), called at line 15, starts with 1976 of its 4096 stack bytes in use');
    expect(r.stdout).toContain('stackguard0 = lo + 928 = 0xc00006c3a0');
    expect(r.stdout).toContain('doubled 3 times, until 32768 - 1976 (bytes in use) = 30792 >= frame + guard = 16008 + 928 = 16936');
    expect(r.stdout).toContain('new stack for goroutine 1: 32768 bytes (32 KiB) at 0xc000070000');
    expect(r.stdout).toContain('old stack of goroutine 1, now copied: 4096 bytes (4 KiB) at 0xc00006c000: back into the P\'s stack cache');
  });

  it('explains Go 1.14 doubling and shrinking', () => {
    const legacy = cliEnv(['run', 'scenarios/seed-legacy-growth.yaml', '--explain', '--go', '1.14']).stdout;
    expect(legacy).toContain('Go <= 1.14 doubles once per morestack');
    expect(legacy).toContain('it grows again if its frame still does not fit');
    const shrink = cliEnv(['run', 'scenarios/shrink-twice.yaml', '--explain']).stdout;
    expect(shrink).toMatch(/GC stack scan of goroutine 1: \d+ bytes in use \+ 800 kept free = \d+ < a quarter of the stack \(65536\/4 = 16384\), so it is halved to 32768/);
    expect(shrink).toContain('runtime.GC(): cycle 1 starts');
    expect(shrink).toContain("GC mark termination: every stack in P0's cache goes back to the global pool");
  });

  it('explains the overflow', () => {
    const r = cliEnv(['run', 'scenarios/stack-overflow.yaml', '--explain']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('the next size, 1073741824, would pass maxstacksize (1000000000 bytes)');
  });

  it('notes every kind of allocation and free', () => {
    const st = newExplainState();
    const alloc = (source: 'cache' | 'refill' | 'pool' | 'heap' | 'stackLarge', size = 2048): TraceEvent =>
      ({ kind: 'stackalloc', size, addr: 0xc000010000, source, order: size < 32768 ? Math.log2(size / 2048) : null });
    expect(explainEvent(alloc('cache'), st)).toContain("taken from the P's stack cache, order 0 (2 KiB stacks)");
    expect(explainEvent(alloc('refill', 4096), st)).toContain('stackcacherefill moved 16 KiB (4 stacks) from the global pool');
    expect(explainEvent(alloc('pool', 16384), st)).toContain('taken straight from the global pool, order 3 (16 KiB stacks)');
    expect(explainEvent(alloc('heap', 65536), st)).toContain('a span of its own, 8 pages from the heap');
    expect(explainEvent(alloc('stackLarge', 65536), st)).toContain('freed earlier in this GC cycle (stackLarge)');
    const free = (dest: 'cache' | 'release' | 'pool' | 'heap' | 'stackLarge', size = 2048): TraceEvent =>
      ({ kind: 'stackfree', size, addr: 0xc000010000, dest, order: size < 32768 ? Math.log2(size / 2048) : null });
    expect(explainEvent(free('cache'), st)).toContain("back into the P's stack cache");
    expect(explainEvent(free('release'), st)).toContain('stackcacherelease gave stacks back to the global pool until it held 16 KiB');
    expect(explainEvent(free('pool'), st)).toContain('no P: straight back to the global pool');
    expect(explainEvent(free('heap', 65536), st)).toContain('goes back to the heap at once');
    expect(explainEvent(free('stackLarge', 65536), st)).toContain('kept in stackLarge');
    expect(explainEvent({ kind: 'output', g: 1, text: 'x', line: 3 }, st)).toBeNull();
  });
});

describe('progress on stderr', () => {
  const stream = (isTTY: boolean) => {
    const chunks: string[] = [];
    return { isTTY, chunks, write: (s: string) => (chunks.push(s), true) } as unknown as NodeJS.WriteStream & { chunks: string[] };
  };

  it('redraws a status line every 250 ms when stderr is a terminal and stdout is not, then erases it', () => {
    const err = stream(true);
    let t = 0;
    const p = startProgress(err, stream(false), () => t);
    for (let i = 0; i < 10; i++) p.line();
    p.tick(100_000); // 0 ms: too soon
    t = 300;
    p.tick(400_000);
    t = 400;
    p.tick(600_000); // 100 ms after the last: too soon
    t = 600;
    p.tick(800_000);
    p.done();
    expect(err.chunks).toEqual([
      '\r\x1b[Ksimulating: 400,000 statements, 10 lines printed, 0.3s',
      '\r\x1b[Ksimulating: 800,000 statements, 10 lines printed, 0.6s',
      '\r\x1b[K',
    ]);
  });

  it('prints nothing when stderr is not a terminal, or stdout is the terminal', () => {
    for (const [e, o] of [[false, false], [true, true], [false, true]]) {
      const err = stream(e);
      let t = 0;
      const p = startProgress(err, stream(o), () => t);
      t = 10_000;
      p.tick(1);
      p.done();
      expect(err.chunks).toEqual([]);
    }
  });

  it('leaves stderr empty when it is a pipe, and stdout the same', () => {
    const r = cliEnv(['run', 'scenarios/deep-recursion.yaml']);
    expect(r.stderr).toBe('');
  });
});

describe('run - (standard input)', () => {
  const go = 'package main\n\nfunc f(a [3000]int) {\n\tprintln("f")\n}\n\nfunc main() {\n\tvar a [3000]int\n\tf(a)\n}\n';
  it('reads a Go program from standard input: the same trace as from its file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stackdebug-stdin-'));
    try {
      await writeFile(join(dir, 'main.go'), go);
      const fromFile = cliSync(['run', join(dir, 'main.go')]);
      const fromStdin = cliSync(['run', '-'], { input: go });
      expect(fromStdin.stderr).toBe('');
      expect(fromStdin.code).toBe(0);
      expect(fromStdin.stdout).toBe(fromFile.stdout);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('takes anything that does not start with a package clause as a YAML scenario', () => {
    const fromFile = cliSync(['run', 'scenarios/seed-abc.yaml']);
    expect(fromFile.stdout).toContain('copystack');
    expect(cliSync(['run', '-'], { input: readFileSync(join(root, 'scenarios/seed-abc.yaml'), 'utf8') }).stdout).toBe(fromFile.stdout);
  });

  it('names standard input as gofmt does in errors', () => {
    const r = cliSync(['run', '-'], { input: 'package main\n\nfunc main() {\n\tprintln(x)\n}\n' });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('stackdebug: <standard input>:4:10: undefined: x\n');
  });
});

describe('run --build-dir', () => {
  it('names the source file where the real program is built, in tracebacks only', () => {
    const plain = cliEnv(['run', 'scenarios/stack-overflow.yaml']);
    const built = cliEnv(['run', 'scenarios/stack-overflow.yaml', '--build-dir', '/home/me/prog']);
    expect(built.code).toBe(2);
    expect(built.stdout).toContain('\t/home/me/prog/stack-overflow.yaml:14 +');
    expect(built.stdout.replaceAll('/home/me/prog/stack-overflow.yaml', 'scenarios/stack-overflow.yaml')).toBe(plain.stdout);
  });

  it('--traceback-goroot names the runtime sources under the GOROOT the real program is built with', () => {
    const plain = cliEnv(['run', 'scenarios/stack-overflow.yaml']);
    const built = cliEnv(['run', 'scenarios/stack-overflow.yaml', '--traceback-goroot', '/usr/lib/go-1.24']);
    expect(built.code).toBe(2);
    expect(plain.stdout).toContain('\t/usr/local/go/src/runtime/panic.go:');
    expect(built.stdout).toContain('\t/usr/lib/go-1.24/src/runtime/panic.go:');
    expect(built.stdout.replaceAll('/usr/lib/go-1.24/src/runtime/', '/usr/local/go/src/runtime/')).toBe(plain.stdout);
  });

  it('--environ minimal: the heap of a process started with GOMAXPROCS only (Go 1.19), else a clear error', () => {
    const reference = cliEnv(['run', 'scenarios/seed-abc.yaml', '--go', '1.19']);
    const minimal = cliEnv(['run', 'scenarios/seed-abc.yaml', '--go', '1.19', '--environ', 'minimal']);
    expect(minimal.code).toBe(0);
    // The first stack (m0's signal stack) is where it was; the main goroutine's is 8 pages lower.
    expect(minimal.stdout.split('\n')[1]).toBe(reference.stdout.split('\n')[1]);
    expect(minimal.stdout).toContain('  allocated 0xc00002a000');
    expect(reference.stdout).toContain('  allocated 0xc00003a000');
    const other = cliEnv(['run', 'scenarios/seed-abc.yaml', '--go', '1.14', '--environ', 'minimal']);
    expect(other.code).toBe(1);
    expect(other.stderr).toBe('stackdebug: --environ: the heap pages of a minimal environment are measured for Go 1.15, 1.19, 1.21, 1.22, 1.23, 1.24, not for Go 1.14\n');
  });

  it("--environ's help names the releases whose minimal environment is measured", async () => {
    const { buildOptions } = await import('../src/cli/options.js');
    const { environMeasured } = await import('../src/engine.js');
    const { getProfile } = await import('../src/profiles/index.js');
    const { VERSIONS } = await import('../src/profiles/versions.js');
    const measured = VERSIONS.filter((v) => environMeasured(getProfile(v)));
    expect(measured).toEqual(['1.15', '1.19', '1.21', '1.22', '1.23', '1.24']);
    expect(buildOptions.environ.describe).toContain('measured for Go 1.15, 1.19 and 1.21 to 1.24');
  });

  it('notes a preemption request as one', () => {
    const ex = cliEnv(['run', 'scenarios/stack-overflow.yaml', '--explain']);
    expect(ex.stdout).toMatch(/sysmon asked it to yield by setting stackguard0 to stackPreempt/);
  });
});

describe('line output', () => {
  it('streams lines in chunks, whole, in order, any characters and any length', async () => {
    const chunks: Buffer[] = [];
    const out = new Writable({ write(c: Buffer, _e, cb) { chunks.push(Buffer.from(c)); cb(); } });
    const w = new LineWriter(out, 64);
    const lines = ['stackalloc 2048', 'println: héllo ✓ 日本', '', 'x'.repeat(200), '  allocated 0xc000006000'];
    for (let i = 0; i < 20; i++) for (const l of lines) w.line(l);
    await w.end();
    expect(chunks.length).toBeGreaterThan(10);
    expect(chunks.every((c) => c.length <= 64 || c.length === 201)).toBe(true);
    expect(Buffer.concat(chunks).toString('utf8')).toBe(Array(20).fill(lines.map((l) => l + '\n').join('')).join(''));
  });

  it('writes what waited 100 ms at the next slice boundary, so a slow run streams', async () => {
    const chunks: string[] = [];
    const out = new Writable({ write(c: Buffer, _e, cb) { chunks.push(c.toString()); cb(); } });
    let clock = 0;
    const w = new LineWriter(out, 1 << 16, () => clock);
    w.line('first');
    clock = 99;
    await w.ready();
    expect(chunks).toEqual([]);
    clock = 100;
    await w.ready();
    expect(chunks).toEqual(['first\n']);
    w.line('second');
    await w.ready();
    expect(chunks).toEqual(['first\n']);
    await w.end();
    expect(chunks).toEqual(['first\n', 'second\n']);
  });

  it('writes what it printed when interrupted, and exits 130 as a shell reports Ctrl-C', async () => {
    // A program that never ends: its trace so far is there once SIGINT stops it.
    const dir = await mkdtemp(join(tmpdir(), 'stackdebug-interrupt-'));
    const file = join(dir, 'forever.go');
    await writeFile(file, 'package main\n\nfunc main() {\n\tprintln("started")\n\tfor {\n\t}\n}\n');
    const child = spawn(process.execPath, [bin, 'run', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve) => child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (stdout.includes('started\n')) resolve();
    }));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stdout.split('\n')).toContain('started');
    await rm(dir, { recursive: true, force: true });
  }, 60_000);
});

describe('help', () => {
  it("each command's examples keep a command to a line, under 100 columns, with what it does under it", () => {
    for (const command of ['run', 'check', 'record', 'compare', 'plot', 'frames', 'go']) {
      const help = cliSync([command, '--help']).stdout;
      const section = help.slice(help.indexOf('\nExamples:\n') + 1).split('\n\n')[0]!.trimEnd().split('\n').slice(1);
      expect(section.length, command).toBeGreaterThan(1);
      section.forEach((line, i) => {
        expect(line.length, line).toBeLessThanOrEqual(100);
        expect(line, `${command}: ${line}`).toMatch(i % 2 === 0 ? /^ {2}(cat \S+ \| )?stackdebug \S/ : /^ {6}\S/);
      });
    }
    expect(cliSync(['run', '--help']).stdout).toContain('\n  stackdebug run prog.go --go 1.19 --environ minimal --code compiler\n');
  });
});
