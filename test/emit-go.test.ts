/**
 * programToGo: every Go fixture and scenario parses back into an equivalent Program, and (when
 * Go 1.19 is installed) the emitted source compiles and is already gofmt-formatted.
 */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goString, programToGo } from '../src/program/emit-go.js';
import { typeString, type Expr, type Func, type PrintArg, type Program, type Stmt } from '../src/program/model.js';
import { buildProgram } from '../src/record/build.js';
import { findToolchain } from '../src/record/toolchain.js';
import { loadProgram } from '../src/scenario/load.js';

const root = new URL('..', import.meta.url).pathname;
const goFixtures = readdirSync(join(root, 'test/fixtures/go')).filter((f) => f.endsWith('.go')).sort()
  .map((f) => join(root, 'test/fixtures/go', f));
const scenarios = readdirSync(join(root, 'scenarios')).filter((f) => f.endsWith('.yaml')).sort()
  .map((f) => join(root, 'scenarios', f));
const inputs = [...goFixtures, ...scenarios];
const short = (p: string) => p.slice(root.length);

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'stackdebug-emit-'));
});
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

/** Writes Go source to a fresh file and loads it with the Go front end. */
let n = 0;
async function reparse(source: string): Promise<Program> {
  const file = join(work, `emitted-${++n}.go`);
  await writeFile(file, source);
  return loadProgram(file);
}

/**
 * A Program as plain data, positions dropped and variables renamed canonically (parameters by
 * position, locals by first mention), so that `i·1` and `i1` compare equal. Locals compare as a
 * sorted list: where a declaration sits does not change the frame.
 */
function canon(p: Program): unknown {
  const func = (f: Func) => {
    const names = new Map<string, string>();
    f.params.forEach((v, i) => names.set(v.name, `p${i}`));
    const mention = (v: string) => {
      if (!names.has(v)) names.set(v, `l${names.size}`);
      return names.get(v)!;
    };
    const expr = (e: Expr): unknown => {
      switch (e.kind) {
        case 'int': case 'bool': return [e.kind, e.value];
        case 'var': return ['var', mention(e.name)];
        case 'zero': return ['zero', typeString(e.type)];
        case 'unary': return [e.op, expr(e.operand)];
        case 'binary': return [e.op, expr(e.left), expr(e.right)];
      }
    };
    const arg = (a: PrintArg): unknown =>
      a.kind === 'string' ? ['s', a.value] : a.kind === 'addr' ? ['&', mention(a.name)] : ['i', expr(a.expr)];
    const stmt = (s: Stmt | null): unknown => {
      if (!s) return null;
      switch (s.kind) {
        case 'call': case 'go': return [s.kind, s.callee, s.args.map(expr)];
        case 'println': return ['println', s.args.map(arg)];
        case 'gc': case 'return': return [s.kind];
        case 'send': case 'recv': return [s.kind, s.chan];
        case 'assign': { const v = expr(s.value); return ['assign', mention(s.name), v]; }
        case 'if': return ['if', expr(s.cond), s.then.map(stmt), s.else.map(stmt)];
        case 'for': return ['for', stmt(s.init), s.cond && expr(s.cond), stmt(s.post), s.body.map(stmt)];
      }
    };
    // `var n int` reads back as `n = 0`: a scenario's int local is that zero without saying so.
    const seen = new Set<string>();
    const body = f.body.filter((s) => {
      const zero = s.kind === 'assign' && !seen.has(s.name) && f.locals.some((v) => v.name === s.name) &&
        ((s.value.kind === 'int' && s.value.value === 0) || (s.value.kind === 'bool' && !s.value.value));
      for (const v of mentioned(s)) seen.add(v);
      return !zero;
    }).map(stmt);
    const locals = f.locals.map((v) => `${names.get(v.name) ?? 'unused'} ${typeString(v.type)}`).sort();
    return { name: f.name, params: f.params.map((v) => typeString(v.type)), locals, body };
  };
  return {
    funcs: [...p.funcs.values()].map(func),
    channels: [...p.channels.values()].map((c) => `${c.name} ${typeString(c.elem)}`),
  };
}

/** Variables a statement mentions, nested statements included. */
function mentioned(s: Stmt, out = new Set<string>()): Set<string> {
  const expr = (e: Expr | null): void => {
    if (!e) return;
    if (e.kind === 'var') out.add(e.name);
    else if (e.kind === 'unary') expr(e.operand);
    else if (e.kind === 'binary') { expr(e.left); expr(e.right); }
  };
  switch (s.kind) {
    case 'call': case 'go': s.args.forEach(expr); break;
    case 'println': s.args.forEach((a) => (a.kind === 'addr' ? out.add(a.name) : a.kind === 'int' ? expr(a.expr) : undefined)); break;
    case 'assign': out.add(s.name); expr(s.value); break;
    case 'if': expr(s.cond); [...s.then, ...s.else].forEach((t) => mentioned(t, out)); break;
    case 'for':
      expr(s.cond);
      if (s.init) mentioned(s.init, out);
      if (s.post) mentioned(s.post, out);
      s.body.forEach((t) => mentioned(t, out));
      break;
    default: break;
  }
  return out;
}

describe('programToGo round trip: parse -> emit -> parse', () => {
  it('has inputs to check', () => {
    expect(goFixtures.length).toBeGreaterThan(0);
    expect(scenarios.length).toBeGreaterThan(0);
  });
  for (const file of inputs) {
    it(short(file), async () => {
      const p = await loadProgram(file);
      const source = programToGo(p);
      const again = await reparse(source);
      expect(canon(again)).toEqual(canon(p));
      // Emitting is stable: the emitted program emits itself.
      expect(programToGo(again)).toBe(source);
    });
  }
});

describe('programToGo output', () => {
  async function scenario(yaml: string): Promise<Program> {
    const file = join(work, `scenario-${++n}.yaml`);
    await writeFile(file, yaml);
    return loadProgram(file);
  }

  it('writes a scenario as gofmt-style Go with //go:noinline everywhere', async () => {
    const p = await loadProgram(join(root, 'scenarios/goroutine-chain.yaml'));
    expect(programToGo(p)).toBe([
      'package main',
      '',
      'var done = make(chan struct{})',
      '',
      '//go:noinline',
      'func main() {',
      '\tgo w()',
      '\t<-done',
      '\tprintln("main done")',
      '}',
      '',
      '//go:noinline',
      'func w() {',
      '\tvar y [200]int',
      '\ta(y)',
      '\tdone <- struct{}{}',
      '}',
      '',
      '//go:noinline',
      'func a(x [200]int) {',
      '\tvar y [600]int',
      '\tprintln("a")',
      '\tb(y)',
      '}',
      '',
      '//go:noinline',
      'func b(x [600]int) {',
      '\tprintln("b")',
      '}',
      '',
    ].join('\n'));
  });

  it('imports runtime only when the program calls runtime.GC', async () => {
    expect(programToGo(await loadProgram(join(root, 'scenarios/seed-abc.yaml')))).not.toContain('import');
    expect(programToGo(await loadProgram(join(root, 'scenarios/seed-abc-gc.yaml')))).toContain('\nimport "runtime"\n\n');
  });

  it('turns repeat counters into identifiers that clash with nothing', async () => {
    const p = await scenario([
      'functions:',
      '  main:',
      '    locals: { i1: "[2]int", i2: int }',
      '    steps:',
      '      - repeat: 3',
      '        steps:',
      '          - repeat: 2',
      '            steps: [ {call: f(i2)} ]',
      '      - println: "&i1"',
      '  f:',
      '    params: { n: int }',
      '    steps:',
      '      - repeat: n',
      '        steps: [ {println: "&n"} ]',
      '',
    ].join('\n'));
    const go = programToGo(p);
    expect(go).toContain('\tfor i1_2 := 0; i1_2 < 3; i1_2++ {\n\t\tfor i2_2 := 0; i2_2 < 2; i2_2++ {\n\t\t\tf(i2)\n');
    expect(go).toContain('\tfor i1 := 0; i1 < n; i1++ {\n\t\tprintln(&n)\n');
    expect(go).toContain('\tvar i1 [2]int\n');
    expect(go).not.toContain('·');
    expect(canon(await reparse(go))).toEqual(canon(p));
  });

  it('renames an inner-block redeclaration and keeps each declaration in its block', async () => {
    const src = [
      'package main',
      '',
      'func main() {',
      '\tx := 3',
      '\tfor i := 0; i < 2; i++ {',
      '\t\tvar a [3]byte',
      '\t\tx := i * 2',
      '\t\tf(x, a)',
      '\t}',
      '\tfor i := 0; i < 2; i++ {',
      '\t\tf(x, [3]byte{})',
      '\t}',
      '}',
      '',
      '//go:noinline',
      'func f(n int, a [3]byte) {',
      '\tprintln(n+1, &a)',
      '}',
      '',
    ].join('\n');
    const p = await reparse(src);
    const go = programToGo(p);
    expect(go).toContain([
      'func main() {',
      '\tx := 3',
      '\tfor i := 0; i < 2; i++ {',
      '\t\tvar a [3]byte',
      '\t\tx2 := i * 2',
      '\t\tf(x2, a)',
      '\t}',
      '\tfor i2 := 0; i2 < 2; i2++ {',
      '\t\tf(x, [3]byte{})',
      '\t}',
      '}',
    ].join('\n'));
    expect(canon(await reparse(go))).toEqual(canon(p));
  });

  it("spaces expressions as gofmt does", async () => {
    const src = [
      'package main',
      '',
      'func main() {',
      '\tx := 1',
      '\tx = (x+1)*(x-1)/2 - -x',
      '\tx = - -x',
      '\tif x*2+1 > 3 && !(x == 4) || x%2 == 0 {',
      '\t\tf(x-1, x*2+1)',
      '\t} else if x < 0 {',
      '\t\tf(x, 0)',
      '\t} else {',
      '\t\tx -= 2',
      '\t}',
      '\tf(x - 1, 0)',
      '\tprintln(x - 1)',
      '}',
      '',
      '//go:noinline',
      'func f(a int, b int) {',
      '\tprintln(a, b)',
      '}',
      '',
    ].join('\n');
    const go = programToGo(await reparse(src));
    expect(go).toContain('\tx = (x+1)*(x-1)/2 - -x\n');
    expect(go).toContain('\tx = - -x\n');
    expect(go).toContain('\tif x*2+1 > 3 && !(x == 4) || x%2 == 0 {\n\t\tf(x-1, x*2+1)\n\t} else if x < 0 {\n');
    expect(go).toContain('\t} else {\n\t\tx -= 2\n\t}\n');
    expect(go).toContain('\tf(x-1, 0)\n\tprintln(x - 1)\n');
  });

  it('quotes strings as Go does', () => {
    expect(goString('func a')).toBe('"func a"');
    expect(goString('tab\there "q" \\ \n')).toBe('"tab\\there \\"q\\" \\\\ \\n"');
    expect(goString('é ☃ \x01\x7f')).toBe('"é ☃ \\x01\\x7f"');
  });

  it('leaves out locals nothing reads, which Go would refuse', async () => {
    const p = await scenario([
      'functions:',
      '  main:',
      '    locals: { y: "[100]int", n: int }',
      '    steps: [ {println: hi} ]',
      '',
    ].join('\n'));
    const go = programToGo(p);
    expect(go).not.toMatch(/var (y|n) /);
    expect(go).toContain('// y [100]int is never read');
    expect(go).toContain('//\n//go:noinline\nfunc main() {\n\tprintln("hi")\n}\n');
  });

  it('sends the zero value of the channel element type', async () => {
    const p = await scenario([
      'channels: { c: int, d: "[2]byte" }',
      'functions:',
      '  main:',
      '    steps: [ {go: w()}, {recv: c}, {recv: d} ]',
      '  w:',
      '    steps: [ {send: c}, {send: d} ]',
      '',
    ].join('\n'));
    const go = programToGo(p);
    expect(go).toContain('var c = make(chan int)\nvar d = make(chan [2]byte)\n');
    expect(go).toContain('\tc <- 0\n\td <- [2]byte{}\n');
  });

  it('notes a scenario frame: size it cannot express', async () => {
    const p = await scenario('functions:\n  main:\n    steps: [ {call: f()} ]\n  f:\n    frame: 4096\n    steps: [ {println: f} ]\n');
    expect(programToGo(p)).toContain('// The scenario gives f a 4096-byte frame; the compiler sizes it from its locals.\n//\n//go:noinline\nfunc f() {');
  });
});

const go119 = await findToolchain('1.19').catch(() => null);
if (!go119) console.warn('skipping the build of emitted Go: no Go 1.19 toolchain (apt-get install golang-1.19-go)');

(go119 ? describe : describe.skip)('emitted Go builds with Go 1.19', () => {
  const sources = new Map<string, Promise<string>>();
  const source = (file: string) => {
    if (!sources.has(file)) sources.set(file, loadProgram(file).then(programToGo));
    return sources.get(file)!;
  };

  it('is gofmt-clean', async () => {
    const dir = join(work, 'gofmt');
    await import('node:fs/promises').then((fs) => fs.mkdir(dir, { recursive: true }));
    const names: string[] = [];
    for (const [i, file] of inputs.entries()) {
      const name = join(dir, `p${i}.go`);
      await writeFile(name, await source(file));
      names.push(name);
    }
    const { stdout } = await promisify(execFile)(join(go119!.goroot, 'bin', 'gofmt'), ['-l', ...names]);
    expect(stdout).toBe('');
  }, 120_000);

  // Two builds at a time (the machines that run this have two cores).
  let slots = 2;
  const waiting: (() => void)[] = [];
  async function limited<T>(fn: () => Promise<T>): Promise<T> {
    while (slots === 0) await new Promise<void>((r) => waiting.push(r));
    slots--;
    try {
      return await fn();
    } finally {
      slots++;
      waiting.shift()?.();
    }
  }

  describe.concurrent('go build', () => {
    for (const file of inputs) {
      it(short(file), async () => {
        const built = await limited(async () => buildProgram(await source(file), { goroot: go119!.goroot, version: '1.19' }));
        await built.cleanup();
      }, 600_000);
    }
  });
});
