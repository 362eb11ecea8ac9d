/**
 * Fuzzing both front ends (fast-check): random bytes, token soup, byte mutations of every
 * scenarios/*.yaml and test/fixtures/go/*.go, and mutations that know the grammar (statement
 * kinds swapped, huge and negative numbers, deep nesting, very long identifiers, unicode).
 *
 * For every input, loadProgram either returns a Program or throws an InputError naming the file,
 * with a one-line message and, when it has a line and column, a position inside the file; never
 * any other exception and never a hang. A program that loads is simulated with a budget of
 * statements and output lines (a program may loop forever: that is not an error, the run is
 * cut short); the simulation may end with any exit status, or with an InputError, nothing else.
 *
 * Each input runs in a worker thread (with about the stack of Node's main thread) under a time
 * limit (FUZZ_TIMEOUT_MS, 2 s to load, plus 1 s per MB of input), so that a hang is reported as
 * one instead of stopping the suite. FUZZ_RUNS sets the number of inputs per front end (300 by
 * default); FUZZ_STATS=1 prints how many loaded, were refused, ran, or ran out of budget.
 *
 * A few refused inputs also go through the command line: exit status 1, one line on stderr
 * starting with "stackdebug: ", no JavaScript stack trace, nothing on stdout.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../src/program/model.js';
import { cli } from './cli.js';
import { loadProgram } from '../src/scenario/load.js';

const root = new URL('..', import.meta.url).pathname;
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const LOAD_LIMIT_MS = Number(process.env.FUZZ_TIMEOUT_MS ?? 2000);
/**
 * Loading time allowed per byte on top: a hang detector, not a speed test. A 2.2 MB input of
 * 100,000 nested YAML levels loads in about 3 s, and a machine busy with other work may take
 * half as long again.
 */
const LOAD_MS_PER_BYTE = 1 / 250;
/** The simulation is bounded by statements and lines; the time limit only catches a hang. */
const SIM_LIMIT_MS = 4 * LOAD_LIMIT_MS;
const BUDGET = { slice: 20_000, maxSlices: 25, maxLines: 50_000 };

type Kind = 'go' | 'yaml';
const SEEDS: Record<Kind, { name: string; text: string }[]> = {
  go: readdirSync(join(root, 'test/fixtures/go')).filter((f) => f.endsWith('.go')).sort()
    .map((f) => ({ name: f, text: readFileSync(join(root, 'test/fixtures/go', f), 'utf8') })),
  yaml: readdirSync(join(root, 'scenarios')).filter((f) => f.endsWith('.yaml')).sort()
    .map((f) => ({ name: f, text: readFileSync(join(root, 'scenarios', f), 'utf8') })),
};

// ---------------------------------------------------------------------------------------------
// The sandbox: loadProgram and simulate in a worker thread that is ended when an input hangs.

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const BUDGET = Symbol('budget');
function describe(e, InputError) {
  if (e instanceof InputError) return { input: true, message: e.message, pos: e.pos ?? null, formatted: e.format() };
  return { input: false, name: e && e.name, message: String((e && e.message) || e), stack: String((e && e.stack) || '') };
}
(async () => {
  // The sources as they are (TypeScript through tsx), and the Go grammar loaded before any job.
  const { register } = await import(workerData.tsx);
  register();
  const [load, sim, prof, model, ts] = await Promise.all([
    import(workerData.src + 'scenario/load.ts'), import(workerData.src + 'runtime/simulate.ts'),
    import(workerData.src + 'profiles/index.ts'), import(workerData.src + 'program/model.ts'),
    import(workerData.src + 'scenario/treesitter.ts'),
  ]);
  await ts.goParser();
  const { InputError } = model;
  parentPort.on('message', async (job) => {
    let program;
    try {
      program = await load.loadProgram(job.path);
    } catch (e) {
      parentPort.postMessage({ id: job.id, stage: 'load', error: describe(e, InputError) });
      return;
    }
    parentPort.postMessage({ id: job.id, stage: 'loaded' });
    let slices = 0;
    let lines = 0;
    try {
      const code = await sim.simulate(program, prof.getProfile(job.go), {
        gomaxprocs: job.gomaxprocs, sliceStatements: job.slice,
        write: () => { if (++lines > job.maxLines) throw BUDGET; },
        ready: async () => { if (++slices >= job.maxSlices) throw BUDGET; },
      });
      parentPort.postMessage({ id: job.id, stage: 'done', code });
    } catch (e) {
      if (e === BUDGET) parentPort.postMessage({ id: job.id, stage: 'budget' });
      else parentPort.postMessage({ id: job.id, stage: 'simulate', error: describe(e, InputError) });
    }
  });
  parentPort.postMessage({ id: 0, stage: 'ready' });
})();
`;

interface ErrorInfo { input: boolean; message: string; pos?: { file: string; line?: number; col?: number } | null; formatted?: string; name?: string; stack?: string }
type Outcome =
  | { stage: 'load' | 'simulate'; error: ErrorInfo }
  | { stage: 'done'; code: number }
  | { stage: 'budget' }
  | { stage: 'timeout'; during: 'load' | 'simulate' }
  | { stage: 'crash'; error: ErrorInfo };
type Message = { id: number; stage: string; error?: ErrorInfo };

const TSX_API = join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs');

class Sandbox {
  private worker: Worker | null = null;
  private started: Promise<void> | null = null;
  private id = 0;
  private listener: ((msg: Message) => void) | null = null;

  /** A fresh worker, resolved once it has loaded the sources and the grammar. */
  private start(): Promise<void> {
    const w = new Worker(WORKER, {
      eval: true,
      workerData: { tsx: pathToFileURL(TSX_API).href, src: pathToFileURL(join(root, 'src/')).href },
      // About the stack of Node's main thread, where the command line runs (a worker has 4 MB).
      resourceLimits: { stackSizeMb: 1 },
    });
    this.worker = w;
    return new Promise<void>((resolve, reject) => {
      w.on('message', (msg: Message) => (msg.stage === 'ready' ? resolve() : this.listener?.(msg)));
      w.on('error', (err: Error) => {
        reject(err);
        this.listener?.({ id: -1, stage: 'crash', error: { input: false, message: String(err), stack: String(err.stack) } });
      });
      w.on('exit', () => {
        if (this.worker === w) this.drop();
        this.listener?.({ id: -1, stage: 'crash', error: { input: false, message: 'the worker exited' } });
      });
    });
  }

  private drop(): void {
    const w = this.worker;
    this.worker = null;
    this.started = null;
    void w?.terminate();
  }

  /** `bytes`: the input's size; reading it may take 1 ms per kB beyond the limit. */
  async run(path: string, opts: { go: string; gomaxprocs: number }, bytes = 0): Promise<Outcome> {
    this.started ??= this.start();
    await this.started;
    const id = ++this.id;
    return new Promise<Outcome>((resolve) => {
      let during: 'load' | 'simulate' = 'load';
      const finish = (o: Outcome) => {
        clearTimeout(timer);
        this.listener = null;
        resolve(o);
      };
      const timeout = () => {
        this.listener = null;
        this.drop();
        resolve({ stage: 'timeout', during });
      };
      let timer = setTimeout(timeout, LOAD_LIMIT_MS + bytes * LOAD_MS_PER_BYTE);
      this.listener = (msg) => {
        if (msg.id === -1) {
          this.drop();
          finish(msg as Outcome);
        } else if (msg.id === id && msg.stage === 'loaded') {
          clearTimeout(timer);
          during = 'simulate';
          timer = setTimeout(timeout, SIM_LIMIT_MS);
        } else if (msg.id === id) {
          finish(msg as unknown as Outcome);
        }
      };
      this.worker!.postMessage({ id, path, ...opts, ...BUDGET });
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    await w?.terminate();
  }
}

// ---------------------------------------------------------------------------------------------
// Checking one input

let dir: string;
let sandbox: Sandbox;
let n = 0;
const stats = { inputs: 0, loaded: 0, refused: 0, ran: 0, budget: 0 };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stackdebug-fuzz-'));
  sandbox = new Sandbox();
  // Loading the sources and the grammar into the worker takes a while: not part of any input's limit.
  await sandbox.run(join(root, 'scenarios', 'seed-abc.yaml'), { go: '1.24', gomaxprocs: 1 });
}, 120_000);
afterAll(async () => {
  await sandbox?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  if (process.env.FUZZ_STATS) process.stderr.write(`fuzz: ${JSON.stringify(stats)}\n`);
});

/** How an input is shown in a failure: its start, escaped. */
const preview = (bytes: Uint8Array) => JSON.stringify(Buffer.from(bytes).toString('utf8').slice(0, 600));

/** Feeds one input to the sandbox and checks what came out; throws (with the input) on a violation. */
async function check(kind: Kind, bytes: Uint8Array, go = '1.24', gomaxprocs = 1): Promise<void> {
  const path = join(dir, `in${++n}.${kind}`);
  await writeFile(path, bytes);
  stats.inputs++;
  const out = await sandbox.run(path, { go, gomaxprocs }, bytes.length);
  const fail = (why: string): never => {
    throw new Error(`${why}\n  input (${bytes.length} bytes, ${kind}, go${go} GOMAXPROCS=${gomaxprocs}): ${preview(bytes)}`);
  };
  if (out.stage === 'crash') fail(`the worker crashed: ${out.error.message}\n${out.error.stack ?? ''}`);
  if (out.stage === 'timeout') {
    fail(`no answer within ${out.during === 'load' ? LOAD_LIMIT_MS + bytes.length * LOAD_MS_PER_BYTE : SIM_LIMIT_MS} ms while ${out.during === 'load' ? 'loading' : 'simulating'}`);
  }
  if (out.stage === 'load' || out.stage === 'simulate') {
    const e = out.error;
    if (!e.input) fail(`${out.stage}: ${e.name}: ${e.message} (not an InputError)\n${e.stack?.split('\n').slice(0, 8).join('\n')}`);
    if (out.stage === 'load') stats.refused++;
    checkInputError(e, path, bytes, fail);
    return;
  }
  stats.loaded++;
  if (out.stage === 'budget') stats.budget++;
  else stats.ran++;
}

/** An InputError names the file, says one line, and points inside the file. */
function checkInputError(e: ErrorInfo, path: string, bytes: Uint8Array, fail: (why: string) => never): void {
  const msg = e.formatted ?? '';
  if (!e.message.trim()) fail('InputError with an empty message');
  if (/[\n\r]/.test(msg)) fail(`InputError message of more than one line: ${JSON.stringify(msg)}`);
  if (!e.pos || e.pos.file !== path) fail(`InputError does not name the file: ${JSON.stringify(msg)}`);
  if (!msg.startsWith(`${path}:`)) fail(`message does not start with the file: ${JSON.stringify(msg)}`);
  const { line, col } = e.pos!;
  if (line !== undefined) {
    const text = new TextDecoder().decode(bytes);
    const lines = text.split('\n');
    if (!Number.isInteger(line) || line < 1 || line > lines.length) fail(`line ${line} is outside the file (${lines.length} lines): ${msg}`);
    if (col !== undefined && (!Number.isInteger(col) || col < 1 || col > lines[line - 1].length + 1)) {
      fail(`column ${col} is outside line ${line} (${lines[line - 1].length} characters): ${msg}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Inputs

const enc = new TextEncoder();
const versions = fc.constantFrom('1.14', '1.15', '1.19', '1.21', '1.22', '1.23', '1.24');
const procs = fc.integer({ min: 1, max: 3 });

const TOKENS: Record<Kind, string[]> = {
  go: ['package', ' main', '\n', '\t', ' ', 'func', ' f', 'main', '(', ')', '{', '}', 'var', ' x', ' y', ':=', '=', '[',
    ']', 'int', 'byte', '10', '-1', '0x10', 'go ', 'if ', 'for ', 'return', 'println', '"s"', '&', '<-', 'chan ',
    'struct{}', 'runtime.GC()', 'import ', '"runtime"', ';', ',', '+', '==', 'done', 'make', '//', '/*', '*/', '`',
    "'a'", '...', 'defer ', 'select', 'switch', 'type ', 'n', '!', 'true', 'x++'],
  yaml: ['functions:', 'channels:', ' main:', '\n', '  ', '    ', '- ', 'call: ', 'go: ', 'f()', 'r(n-1, y)', 'steps:',
    'params:', 'locals:', '{', '}', '[', ']', ',', ':', '"', "'", '&a ', '*a', '!!str ', '!!binary ', '---', '...', '#',
    'x: "[10]int"', 'gc', 'return', 'repeat: 3', 'if: n == 0', 'then:', 'else:', 'frame: 4096', 'recv: done',
    'send: done', 'println: "&x"', '<<: ', '? ', '|', '>', '%YAML 1.2', '\t', '~', 'null', 'n: int', 'done'],
};

const randomBytes = fc.uint8Array({ maxLength: 3000 });
const tokenSoup = (kind: Kind) => fc
  .tuple(fc.boolean(), fc.array(fc.constantFrom(...TOKENS[kind]), { maxLength: 300 }))
  .map(([head, ts]) => enc.encode((head ? (kind === 'go' ? 'package main\n' : 'functions:\n  main:\n') : '') + ts.join('')));

/** Byte-level mutations; positions are taken modulo the current length. */
type ByteOp =
  | { op: 'flip'; pos: number; bit: number }
  | { op: 'set'; pos: number; byte: number }
  | { op: 'del'; pos: number; len: number }
  | { op: 'dup'; pos: number; len: number; at: number }
  | { op: 'splice'; seed: number; pos: number; len: number; at: number }
  | { op: 'trunc'; pos: number };
const pos = fc.nat();
const len = fc.integer({ min: 1, max: 64 });
const byteOp: fc.Arbitrary<ByteOp> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), pos, bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ op: fc.constant('set' as const), pos, byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant('del' as const), pos, len }),
  fc.record({ op: fc.constant('dup' as const), pos, len, at: pos }),
  fc.record({ op: fc.constant('splice' as const), seed: fc.nat(), pos, len, at: pos }),
  fc.record({ op: fc.constant('trunc' as const), pos }),
);

function applyBytes(kind: Kind, seed: string, ops: ByteOp[]): Uint8Array {
  let b = Buffer.from(seed, 'utf8');
  const at = (p: number, extra = 0) => p % (b.length + extra || 1);
  for (const o of ops) {
    switch (o.op) {
      case 'flip': if (b.length) { const i = at(o.pos); b[i] ^= 1 << o.bit; } break;
      case 'set': if (b.length) b[at(o.pos)] = o.byte; break;
      case 'del': { const i = at(o.pos); b = Buffer.concat([b.subarray(0, i), b.subarray(i + o.len)]); break; }
      case 'dup': { const i = at(o.pos); const piece = b.subarray(i, i + o.len); const j = at(o.at, 1); b = Buffer.concat([b.subarray(0, j), piece, b.subarray(j)]); break; }
      case 'splice': {
        const other = Buffer.from(SEEDS[kind][o.seed % SEEDS[kind].length].text, 'utf8');
        const i = o.pos % (other.length || 1);
        const j = at(o.at, 1);
        b = Buffer.concat([b.subarray(0, j), other.subarray(i, i + o.len * 4), b.subarray(j)]);
        break;
      }
      case 'trunc': b = b.subarray(0, at(o.pos, 1)); break;
    }
  }
  return new Uint8Array(b);
}

// Grammar-aware mutations work on lines and tokens of the source text.

const NUMBERS = ['-1', '0', '-0', '1', '9007199254740991', '9007199254740993', '99999999999999999999999', '1e9', '1.5',
  '0x7fffffffffffffff', '0xffffffffffffffff', '1_000_000_000', '0777', '09', '0b102', '0o8', '-2147483648', '4294967296',
  '134217728', '1073741824', '1073741816', '268435456', '1_', '0x', '-9223372036854775808', '1<<62', '(-5)'];
const NAMES = ['x'.repeat(10_000), 'y'.repeat(100_000), 'π', '日本語', 'ǅ', '𝑥', 'e\u0301', '_', '__', 'main', 'runtime',
  'println', 'int', 'true', 'nil', 'go', 'func', 'a\u200db', '\u202eabc', 'A', 'i·1', 'done', 'init', '0x', 'αβγ'.repeat(3000)];
const UNICODE = ['\u00a0', '\u2028', '\u2029', '\ufeff', '\u202e', '\u200b', '🙂', '\ud83d', 'é', '\r', '\t', '\v', '\f',
  '\x1b', '\x7f', '\u0000', 'ﾟ', '\r\n', '\u3000', '\ufffd'];
const GO_STMTS = ['defer f()', 'go func() {}()', 'runtime.GC()', '<-done', 'done <- struct{}{}', 'return', 'for {}',
  'if x {}', 'select {}', 'switch {}', 'x := 1', 'var z [1000000000]int', 'var z [-1]int', 'println(&x)', 'goto L', 'L:',
  'break', 'panic(1)', 'x++', 'y = x', 'main()', 'f(1, 2, 3)', 'go main()', 'var s string', 'runtime.Gosched()',
  'println(1 / 0)', 'println(x)', 'var c chan int', 'x.y()', 'func() {}', '}', '{', 'if true { return } else { runtime.GC() }',
  'for i := 0; i < 1000000000; i++ { println(i) }', 'var q [100000]int; println(&q)', 'f(x...)', 'print(1)',
  'var z [`1\n2`]int', 'println(`a\nb`, "c\\nd")'];
const YAML_STEPS = ['call: f()', 'go: main()', 'gc', 'return', 'recv: done', 'send: done', 'println: "&y"', 'println: [a, "&x", 3]',
  'repeat: 1000000000\n  steps: [gc]', 'repeat: -1\n  steps: []', 'if: true\n  then: [return]', 'if: 1\n  then: []',
  'call: "r(n-1, y)"', 'go: "w()"', '{call: f(1, 2)}', '[gc, gc]', '~', 'call:', 'println:', '!!binary aGVsbG8=',
  '*a', '&a gc', 'call: main()', 'go: runtime.GC()', 'frame: 8', 'call: "f(" ', 'unknown: 1', 'println: &x',
  '"ca\\nll": f()', 'call: "f(\\n1)"', 'println: "a\\nb"'];

type GramOp =
  | { op: 'stmt'; line: number; pick: number }
  | { op: 'number'; nth: number; pick: number }
  | { op: 'rename'; nth: number; pick: number; all: boolean }
  | { op: 'unicode'; pos: number; pick: number }
  | { op: 'dupLine'; line: number; at: number }
  | { op: 'delLine'; line: number }
  | { op: 'swapLines'; a: number; b: number }
  | { op: 'nest'; line: number; depth: number; style: number }
  | { op: 'crlf' }
  | { op: 'tabs' };
const gramOp: fc.Arbitrary<GramOp> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('stmt' as const), line: pos, pick: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('number' as const), nth: pos, pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('rename' as const), nth: pos, pick: fc.nat(), all: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('unicode' as const), pos, pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('dupLine' as const), line: pos, at: pos }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('delLine' as const), line: pos }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('swapLines' as const), a: pos, b: pos }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('nest' as const), line: pos, depth: fc.constantFrom(2, 10, 50), style: fc.nat() }) },
  { weight: 1, arbitrary: fc.constant({ op: 'crlf' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'tabs' as const }) },
);

const IDENT_RE = /[A-Za-z_][A-Za-z0-9_]*/g;
const NUMBER_RE = /-?\b\d[\d_]*\b/g;
const indentOf = (l: string) => /^\s*/.exec(l)![0];

/** Wraps `inner` (a statement or step) in `depth` levels of nesting of the given style. */
function nest(kind: Kind, inner: string, depth: number, style: number): string {
  if (kind === 'go') {
    switch (style % 5) {
      case 0: return '{'.repeat(depth) + inner + '}'.repeat(depth);
      case 1: return 'if true { '.repeat(depth) + inner + ' }'.repeat(depth);
      case 2: return `println(${'('.repeat(depth)}1${')'.repeat(depth)})`;
      case 3: return `println(${'- '.repeat(depth)}1)`;
      default: return `println(1${' + 1'.repeat(depth)})`;
    }
  }
  switch (style % 4) {
    case 0: return `${'{if: "true", then: ['.repeat(depth)}${inner}${']}'.repeat(depth)}`;
    case 1: return `${'['.repeat(depth)}${inner}${']'.repeat(depth)}`;
    case 2: return `call: "f(${'('.repeat(depth)}1${')'.repeat(depth)})"`;
    default: return `if: "${'!'.repeat(depth)}true"\n  then: [gc]`;
  }
}

function applyGrammar(kind: Kind, seed: string, ops: GramOp[]): Uint8Array {
  let text = seed;
  for (const o of ops) {
    const lines = text.split('\n');
    const li = (k: number) => k % lines.length;
    switch (o.op) {
      case 'stmt': case 'nest': {
        // A statement line of a function body (Go), or a step line (YAML).
        const cands = lines.map((l, i) => i).filter((i) => (kind === 'go' ? /^\t+\S/.test(lines[i]) : /^\s*- /.test(lines[i])));
        if (!cands.length) break;
        const i = cands[o.line % cands.length];
        const ind = kind === 'go' ? indentOf(lines[i]) : `${indentOf(lines[i])}- `;
        const old = kind === 'go' ? lines[i].trim() : lines[i].replace(/^\s*- /, '');
        const pool = kind === 'go' ? GO_STMTS : YAML_STEPS;
        const repl = o.op === 'stmt' ? pool[o.pick % pool.length] : nest(kind, old, o.depth, o.style);
        lines[i] = ind + repl.split('\n').join(`\n${' '.repeat(ind.length)}`);
        text = lines.join('\n');
        break;
      }
      case 'number': {
        const hits = [...text.matchAll(NUMBER_RE)];
        if (!hits.length) break;
        const h = hits[o.nth % hits.length];
        text = text.slice(0, h.index) + NUMBERS[o.pick % NUMBERS.length] + text.slice(h.index! + h[0].length);
        break;
      }
      case 'rename': {
        const hits = [...text.matchAll(IDENT_RE)];
        if (!hits.length) break;
        const h = hits[o.nth % hits.length];
        const name = NAMES[o.pick % NAMES.length];
        text = o.all
          ? text.replace(IDENT_RE, (m) => (m === h[0] ? name : m))
          : text.slice(0, h.index) + name + text.slice(h.index! + h[0].length);
        break;
      }
      case 'unicode': {
        const i = o.pos % (text.length + 1);
        text = text.slice(0, i) + UNICODE[o.pick % UNICODE.length] + text.slice(i);
        break;
      }
      case 'dupLine': lines.splice(li(o.at), 0, lines[li(o.line)]); text = lines.join('\n'); break;
      case 'delLine': lines.splice(li(o.line), 1); text = lines.join('\n'); break;
      case 'swapLines': { const a = li(o.a); const b = li(o.b); [lines[a], lines[b]] = [lines[b], lines[a]]; text = lines.join('\n'); break; }
      case 'crlf': text = text.replace(/\r?\n/g, '\r\n'); break;
      case 'tabs': text = kind === 'go' ? text.replace(/\t/g, '    ') : text.replace(/^( {2})+/gm, (s) => '\t'.repeat(s.length / 2)); break;
    }
  }
  return enc.encode(text);
}

const seedIndex = (kind: Kind) => fc.integer({ min: 0, max: SEEDS[kind].length - 1 });

// ---------------------------------------------------------------------------------------------

const share = (fraction: number) => Math.max(5, Math.round(RUNS * fraction));

for (const kind of ['go', 'yaml'] as const) {
  describe(`${kind} front end: every input loads or is refused with an InputError, and simulates within bounds`, () => {
    it('random bytes', async () => {
      await fc.assert(fc.asyncProperty(randomBytes, (b) => check(kind, b)), { numRuns: share(0.1) });
    });

    it('token soup', async () => {
      await fc.assert(fc.asyncProperty(tokenSoup(kind), versions, procs, (b, go, p) => check(kind, b, go, p)), { numRuns: share(0.15) });
    });

    it(`byte mutations of every seed (${SEEDS[kind].length} files)`, async () => {
      const arb = fc.record({ seed: seedIndex(kind), ops: fc.array(byteOp, { minLength: 1, maxLength: 8 }) });
      await fc.assert(fc.asyncProperty(arb, versions, procs, ({ seed, ops }, go, p) =>
        check(kind, applyBytes(kind, SEEDS[kind][seed].text, ops), go, p)), { numRuns: share(0.3) });
    });

    it('grammar-aware mutations: statement kinds, numbers, identifiers, unicode, lines', async () => {
      const arb = fc.record({ seed: seedIndex(kind), ops: fc.array(gramOp, { minLength: 1, maxLength: 6 }) });
      await fc.assert(fc.asyncProperty(arb, versions, procs, ({ seed, ops }, go, p) =>
        check(kind, applyGrammar(kind, SEEDS[kind][seed].text, ops), go, p)), { numRuns: share(0.3) });
    });

    it('mutations that mostly keep a program loadable: numbers, consistent renames', async () => {
      const op: fc.Arbitrary<GramOp> = fc.oneof(
        fc.record({ op: fc.constant('number' as const), nth: pos, pick: fc.nat() }),
        fc.record({ op: fc.constant('rename' as const), nth: pos, pick: fc.nat(), all: fc.constant(true) }),
      );
      const arb = fc.record({ seed: seedIndex(kind), ops: fc.array(op, { minLength: 1, maxLength: 3 }) });
      await fc.assert(fc.asyncProperty(arb, versions, procs, ({ seed, ops }, go, p) =>
        check(kind, applyGrammar(kind, SEEDS[kind][seed].text, ops), go, p)), { numRuns: share(0.15) });
    });

    it('every seed as it is, and each with every kind of statement swapped in', async () => {
      const pool = kind === 'go' ? GO_STMTS : YAML_STEPS;
      for (const [s, seed] of SEEDS[kind].entries()) {
        await check(kind, enc.encode(seed.text));
        await check(kind, applyGrammar(kind, seed.text, [{ op: 'stmt', line: s, pick: s }]));
      }
      for (let k = 0; k < pool.length; k++) await check(kind, applyGrammar(kind, SEEDS[kind][k % SEEDS[kind].length].text, [{ op: 'stmt', line: k, pick: k }]));
    });
  });
}

describe('deep nesting is refused or run, never a crash', () => {
  for (const kind of ['go', 'yaml'] as const) {
    const styles = kind === 'go' ? 5 : 4;
    for (let style = 0; style < styles; style++) {
      for (const depth of [100, 1000, 10_000, 100_000]) {
        it(`${kind} style ${style}, ${depth} levels`, async () => {
          const seed = SEEDS[kind].find((s) => s.name.startsWith('seed-abc.'))!.text;
          await check(kind, applyGrammar(kind, seed, [{ op: 'nest', line: 0, depth, style }]));
        });
      }
    }
  }
});

// ---------------------------------------------------------------------------------------------
// The command line on refused inputs



describe('the command line on refused fuzz inputs', () => {
  const inputs: { kind: Kind; bytes: Uint8Array }[] = [];
  const seedOf = (kind: Kind, name: string) => SEEDS[kind].find((s) => s.name === name)!.text;
  // Deterministic samples of each family, kept only when loadProgram refuses them.
  const candidates: { kind: Kind; bytes: Uint8Array }[] = [
    ...fc.sample(randomBytes, { numRuns: 2, seed: 7 }).map((bytes) => ({ kind: 'go' as const, bytes })),
    ...fc.sample(tokenSoup('yaml'), { numRuns: 3, seed: 7 }).map((bytes) => ({ kind: 'yaml' as const, bytes })),
    { kind: 'yaml', bytes: applyBytes('yaml', seedOf('yaml', 'seed-abc.yaml'), [{ op: 'set', pos: 200, byte: 0x5b }]) },
    { kind: 'go', bytes: applyBytes('go', seedOf('go', 'seed-abc.go'), [{ op: 'trunc', pos: 120 }]) },
    { kind: 'go', bytes: applyGrammar('go', seedOf('go', 'goroutine-chain.go'), [{ op: 'stmt', line: 0, pick: 0 }]) },
    { kind: 'yaml', bytes: applyGrammar('yaml', seedOf('yaml', 'deep-recursion.yaml'), [{ op: 'tabs' }]) },
    { kind: 'go', bytes: applyGrammar('go', seedOf('go', 'seed-abc.go'), [{ op: 'unicode', pos: 20, pick: 3 }, { op: 'rename', nth: 4, pick: 6, all: false }]) },
    { kind: 'yaml', bytes: applyGrammar('yaml', seedOf('yaml', 'seed-abc.yaml'), [{ op: 'number', nth: 1, pick: 1 }, { op: 'stmt', line: 2, pick: 8 }]) },
  ];

  beforeAll(async () => {
    for (const c of candidates) {
      const path = join(dir, `cli${inputs.length}-${++n}.${c.kind}`);
      await writeFile(path, c.bytes);
      const refused = await loadProgram(path).then(() => false, (e: unknown) => e instanceof InputError);
      if (refused) inputs.push(c);
    }
  });

  it('exit 1, one stackdebug: line on stderr, no stack trace, nothing on stdout', async () => {
    expect(inputs.length).toBeGreaterThanOrEqual(6);
    await Promise.all(inputs.map(async (c, k) => {
      const path = join(dir, `cli-run${k}.${c.kind}`);
      await writeFile(path, c.bytes);
      const r = await cli(['run', path]);
      const what = `${path}: ${preview(c.bytes)}\nstderr: ${r.stderr}`;
      expect(r.code, what).toBe(1);
      expect(r.stdout, what).toBe('');
      expect(r.stderr, what).toMatch(/^stackdebug: [^\n]+\n$/);
      expect(r.stderr, what).not.toMatch(/^ {4}at /m);
      expect(r.stderr.startsWith(`stackdebug: ${path}`), what).toBe(true);
    }));
  });
});
