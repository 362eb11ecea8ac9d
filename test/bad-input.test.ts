/**
 * Bad input end to end, through the command line as a user runs it (node bin/stackdebug.cjs,
 * built by the global test setup): each case gets exit status 1, nothing on stdout, and exactly
 * one line on stderr, "stackdebug: FILE[:LINE:COL]: message", never a JavaScript stack trace.
 * A runaway recursion is not bad input: it is a program that dies the way Go programs die,
 * with "fatal error: stack overflow" and exit status 2.
 *
 * Files are written to a scratch directory and named relative to it, so the messages below are
 * the exact lines a user sees.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli as runCli } from './cli.js';



let dir: string;
const cli = (args: string[]) => runCli(args, { cwd: dir });


/** A file in the scratch directory (text, or bytes as they are). */
async function file(name: string, content: string | Uint8Array): Promise<string> {
  await writeFile(join(dir, name), content);
  return name;
}

/** Runs the command and checks the one-line refusal; `line` is the whole message after "stackdebug: ". */
async function refused(args: string[], line: string | RegExp): Promise<void> {
  const r = await cli(args);
  const what = `stackdebug ${args.join(' ')}\nstderr: ${r.stderr}\nstdout: ${r.stdout.slice(0, 500)}`;
  expect(r.code, what).toBe(1);
  expect(r.stdout, what).toBe('');
  expect(r.stderr, what).toMatch(/^stackdebug: [^\n]*\n$/);
  expect(r.stderr, what).not.toMatch(/^\s+at /m);
  const message = r.stderr.slice('stackdebug: '.length, -1);
  if (typeof line === 'string') expect(message, what).toBe(line);
  else expect(message, what).toMatch(line);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stackdebug-bad-input-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const SUBSET = 'the supported Go subset is: package main, import "runtime", package-level unbuffered channels, ' +
  'functions without results, locals of integer, bool, array and struct{} types, calls, go f(...), runtime.GC(), ' +
  'println, channel send and receive, if/else, for loops, return, assignments, ++ and --';

describe.concurrent('bad input files: exit 1 and one line naming file:line:col', () => {
  it('YAML syntax error', async () => {
    const f = await file('syntax.yaml', 'functions:\n  main:\n    steps: [call: f()\n');
    await refused(['run', f], 'syntax.yaml:4:1: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]');
    const g = await file('syntax2.yaml', 'functions:\n  main:\n    locals: { x: [10]int }\n');
    await refused(['run', g], /^syntax2\.yaml:3:\d+: YAML syntax error: .+$/);
  });

  it('a scenario of the wrong shape', async () => {
    await refused(['run', await file('list.yaml', '- main\n- f\n')], 'list.yaml:1:1: the scenario must be a mapping (key: value lines)');
    await refused(['run', await file('text.yaml', 'just a string\n')], 'text.yaml:1:1: the scenario must be a mapping (key: value lines)');
    await refused(['run', await file('funcs.yaml', 'functions: [main]\n')], 'funcs.yaml:1:12: functions must be a mapping (key: value lines)');
    await refused(['run', await file('func.yaml', 'functions:\n  main: 3\n')], 'func.yaml:2:9: function main must be a mapping (key: value lines)');
    await refused(['run', await file('steps.yaml', 'functions:\n  main:\n    steps: 7\n')],
      'steps.yaml:3:12: unknown step 7 (a step is gc, return, or a mapping with one of: call, go, println, if, repeat, recv, send, gc, return)');
    await refused(['run', await file('nofuncs.yaml', 'channels: [done]\n')],
      'nofuncs.yaml:1:1: missing functions: (a mapping of function name -> definition, with a main)');
  });

  it('two YAML documents, or YAML nested thousands deep', async () => {
    await refused(['run', await file('two.yaml', 'functions:\n  main: {}\n---\nfoo: 1\n')], 'two.yaml:3:1: a second YAML document (after ---): a scenario is one document');
    await refused(['run', await file('deep.yaml', `functions:\n  main:\n    steps:\n      - x: ${'['.repeat(3000)}${']'.repeat(3000)}\n`)], /^deep\.yaml:4:\d+: YAML nested too deep/);
  });

  it("a snippet's syntax error quotes the snippet, not the Go it is parsed in", async () => {
    await refused(['run', await file('type.yaml', 'functions:\n  main:\n    locals: { x: 5 }\n')], 'type.yaml:3:18: `5` is not a type');
    await refused(['run', await file('open.yaml', 'functions:\n  main:\n    steps:\n      - call: a(\n')], 'open.yaml:4:15: syntax error near `a(` in call expression');
    await refused(['run', await file('arr.yaml', 'functions:\n  main:\n    params: { n: "[3" }\n')], 'arr.yaml:3:19: syntax error near `[3` in type');
  });

  it('unknown function', async () => {
    await refused(['run', await file('unknown.go', 'package main\n\nfunc main() {\n\tg(1)\n}\n')], 'unknown.go:4:2: undefined function: g');
    await refused(['run', await file('unknown.yaml', 'functions:\n  main:\n    steps:\n      - call: g()\n')], 'unknown.yaml:4:15: undefined function: g');
  });

  it('argument type mismatch', async () => {
    const go = await file('argtype.go', 'package main\n\nfunc main() {\n\tvar x [4]int\n\tf(x)\n}\n\nfunc f(n int) {}\n');
    await refused(['run', go], 'argtype.go:5:4: cannot use [4]int value as int value in argument 1 (n) to f');
    const yaml = await file('argtype.yaml', 'functions:\n  main:\n    locals: { x: "[4]int" }\n    steps:\n      - call: f(x)\n  f:\n    params: { n: int }\n');
    await refused(['run', yaml], 'argtype.yaml:5:17: cannot use [4]int value as int value in argument 1 (n) to f');
    const arr = await file('arrlen.go', 'package main\n\nfunc main() {\n\tvar x [4]int\n\tf(x)\n}\n\nfunc f(x [8]int) {}\n');
    await refused(['run', arr], 'arrlen.go:5:4: cannot use [4]int value as [8]int value in argument 1 (x) to f');
  });

  it('negative array size', async () => {
    await refused(['run', await file('neg.go', 'package main\n\nfunc main() {\n\tvar x [-5]byte\n\tprintln(&x)\n}\n')], 'neg.go:4:9: invalid array length -5');
    await refused(['run', await file('neg.yaml', 'functions:\n  main:\n    locals: { x: "[-5]byte" }\n')], 'neg.yaml:3:20: invalid array length -5');
  });

  it('absurd array size and frames over 1 GB', async () => {
    await refused(['run', await file('frame.go', 'package main\n\nfunc main() {\n\tvar x [200000000]int\n\tprintln(&x)\n}\n')],
      'frame.go:3:6: stack frame too large (>1GB): 1525 MB locals + 0 MB args');
    await refused(['run', await file('args.go', 'package main\n\nfunc main() {}\n\nfunc f(x [150000000]int) {}\n')],
      'args.go:5:6: stack frame too large (>1GB): 0 MB locals + 1144 MB args');
    await refused(['run', await file('frame.yaml', 'functions:\n  main:\n    locals: { x: "[2000000000]byte" }\n')],
      'frame.yaml:2:3: stack frame too large (>1GB): 1907 MB locals + 0 MB args');
    await refused(['run', await file('override.yaml', 'functions:\n  main:\n    frame: 2147483648\n')],
      'override.yaml:2:3: stack frame too large (>1GB): 2048 MB locals + 0 MB args');
    await refused(['run', await file('type.go', 'package main\n\nfunc main() {\n\tvar x [999999999999999]int\n\tprintln(&x)\n}\n')],
      'type.go:4:8: type [999999999999999]int too large');
    await refused(['run', await file('const.go', 'package main\n\nfunc main() {\n\tvar x [99999999999999999]int\n\tprintln(&x)\n}\n')],
      'const.go:4:9: integer constant 99999999999999999 too large (the limit is 2^53-1)');
  });

  it('Go outside the subset', async () => {
    await refused(['run', await file('fmt.go', 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println(1)\n}\n')],
      'fmt.go:3:8: unsupported import "fmt" (only "runtime" is supported)');
    await refused(['run', await file('defer.go', 'package main\n\nfunc main() {\n\tdefer f()\n}\n\nfunc f() {}\n')],
      `defer.go:4:2: unsupported statement: defer (${SUBSET})`);
    await refused(['run', await file('map.go', 'package main\n\nfunc main() {\n\tvar m map[int]int\n\t_ = m\n}\n')],
      'map.go:4:8: unsupported type: map type map[int]int (supported types: integer types, bool, arrays [N]T and struct{})');
    await refused(['run', await file('pkg.go', 'package notmain\n\nfunc main() {}\n')], 'pkg.go:1:9: package notmain: the program must be package main');
  });

  it('nesting too deep for the front ends', async () => {
    const deep = 'package main\n\nfunc main() {\n\t' + '{'.repeat(5000) + 'println(1)' + '}'.repeat(5000) + '\n}\n';
    await refused(['run', await file('deep.go', deep)], 'deep.go:4:399: nesting too deep: more than 400 levels of blocks, statements and expressions');
    const parens = 'functions:\n  main:\n    steps:\n      - call: "f(' + '('.repeat(5000) + '1' + ')'.repeat(5000) + ')"\n  f:\n    params: { n: int }\n';
    await refused(['run', await file('deep.yaml', parens)], /^deep\.yaml:4:\d+: nesting too deep: more than 400 levels of blocks, statements and expressions in call expression$/);
  });

  it('no main', async () => {
    await refused(['run', await file('nomain.go', 'package main\n\nfunc f() {}\n')], 'nomain.go:1:1: function main is undeclared in the main package');
    await refused(['run', await file('nomain.yaml', 'functions:\n  f: {}\n')], 'nomain.yaml:1:1: function main is undeclared: functions: needs a main');
  });

  it('empty file', async () => {
    await refused(['run', await file('empty.go', '')], 'empty.go:1:1: empty file: expected a Go program (package main)');
    await refused(['run', await file('blank.go', '\n  \n\t\n')], 'blank.go:1:1: empty file: expected a Go program (package main)');
    await refused(['run', await file('empty.yaml', '')], 'empty.yaml:1:1: empty file: expected a scenario (a YAML mapping with functions:)');
    await refused(['run', await file('comment.yaml', '# only a comment\n')], 'comment.yaml:1:1: empty scenario: expected a mapping with functions: (and optional channels:)');
  });

  it('binary garbage', async () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);
    await refused(['run', await file('image.go', png)], 'image.go:1:1: binary data (invalid UTF-8 byte 0x89) in file: expected a Go program');
    await refused(['run', await file('nul.go', 'package main\n\x00\x01')], 'nul.go:2:1: binary data (NUL byte) in file: expected a Go program (package main)');
    await refused(['run', await file('latin1.yaml', Buffer.concat([Buffer.from('functions:\n  main: {}\n# caf'), Buffer.from([0xe9, 0x0a])]))],
      'latin1.yaml:3:6: binary data (invalid UTF-8 byte 0xe9) in file: expected a YAML scenario');
  });

  it('missing file, directory, unknown extension', async () => {
    await refused(['run', 'missing.go'], 'missing.go: no such file');
    await refused(['run', 'missing.yaml'], 'missing.yaml: no such file');
    await mkdir(join(dir, 'dir.go'));
    await mkdir(join(dir, 'plain-dir'));
    await refused(['run', 'dir.go'], 'dir.go: is a directory, expected a file');
    await refused(['run', 'plain-dir'], 'plain-dir: is a directory, expected a file');
    await refused(['run', await file('prog.txt', 'package main\n')], 'prog.txt: unsupported file type ".txt": expected a .go program or a .yaml/.yml scenario');
    await refused(['run', await file('prog', 'package main\n')], 'prog: unsupported file type (no extension): expected a .go program or a .yaml/.yml scenario');
  });
});

describe.concurrent('bad options: exit 1 and one line naming the option', () => {
  const VERSIONS = '1.14, 1.15, 1.19, 1.21, 1.22, 1.23, 1.24';

  it('unknown --go version', async () => {
    const f = await file('ok-go.yaml', 'functions:\n  main: {}\n');
    for (const v of ['1.99', '2.0', 'abc', 'go1', '1.19beta1']) {
      await refused(['run', f, '--go', v], `--go: unknown Go version "${v}": the simulated runtimes are ${VERSIONS}`);
    }
    await refused(['run', f, '--go='], `--go: unknown Go version "": the simulated runtimes are ${VERSIONS}`);
  });

  it('bad --gomaxprocs: 0, -1, 1.5, abc, 257, empty', async () => {
    const f = await file('ok-procs.yaml', 'functions:\n  main: {}\n');
    const says = (v: string) => `--gomaxprocs: must be a whole number from 1 to 256, not ${v}`;
    await refused(['run', f, '--gomaxprocs', '0'], says('0'));
    await refused(['run', f, '--gomaxprocs', '-1'], says('-1'));
    await refused(['run', f, '--gomaxprocs=-1'], says('-1'));
    await refused(['run', f, '--gomaxprocs', '1.5'], says('1.5'));
    await refused(['run', f, '--gomaxprocs', 'abc'], says('"abc"'));
    await refused(['run', f, '--gomaxprocs', '257'], says('257'));
    await refused(['run', f, '--gomaxprocs', '0x2'], says('"0x2"'));
    await refused(['run', f, '--gomaxprocs='], says('""'));
  });

  it('a missing value, an unknown option or command, a missing file: in the same words', async () => {
    const f = await file('ok-usage.yaml', 'functions:\n  main: {}\n');
    const usage = ' (stackdebug --help, or COMMAND --help, for usage)';
    await refused(['run', f, '--go'], `--go needs a value${usage}`);
    await refused(['run', f, '--gomaxprocs'], `--gomaxprocs needs a value${usage}`);
    await refused(['check', f, '--expected'], `--expected needs a value${usage}`);
    await refused(['run', f, '--bogus'], `unknown option --bogus${usage}`);
    await refused(['run', f, 'extra'], `unknown command or extra argument: extra${usage}`);
    await refused(['bogus'], `unknown command or extra argument: bogus${usage}`);
    await refused(['run'], `the command needs a file (or a directory) to work on${usage}`);
    await refused(['plot', f, '--goroutines', 'abc'], '--goroutines: must be a whole number from 1 to 10, not "abc"');
  });

  it('a good --gomaxprocs and --go still run', async () => {
    const f = await file('ok-run.yaml', 'functions:\n  main:\n    steps: [{println: hi}]\n');
    for (const args of [['--gomaxprocs', '3'], ['--gomaxprocs', ' 2 '], ['--go', 'go1.19'], ['--go', '1.21.5', '--gomaxprocs=256']]) {
      const r = await cli(['run', f, ...args]);
      expect(r.stderr, args.join(' ')).toBe('');
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout.split('\n')).toContain('hi');
    }
  });
});

describe.concurrent('a runaway recursion is a program, not an input error', () => {
  // The stack doubles until the next size would pass 1 GB; takes a few seconds.
  for (const [name, src] of [
    ['runaway.go', 'package main\n\nfunc main() {\n\tf()\n}\n\nfunc f() {\n\tf()\n}\n'],
    ['runaway.yaml', 'functions:\n  main:\n    steps: [call: f()]\n  f:\n    locals: { x: "[16]int" }\n    steps: [{call: f()}, {println: "&x"}]\n'],
  ] as const) {
    it(`${name}: fatal error: stack overflow, exit 2`, async () => {
      const r = await cli(['run', await file(name, src)]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(2);
      const lines = r.stdout.split('\n');
      const fatal = lines.indexOf('fatal error: stack overflow');
      expect(fatal).toBeGreaterThan(0);
      expect(lines.filter((l) => l === 'fatal error: stack overflow')).toHaveLength(1);
      expect(lines[fatal - 2]).toBe('runtime: goroutine stack exceeds 1000000000-byte limit');
      expect(lines[fatal - 1]).toMatch(/^runtime: sp=0x[0-9a-f]+ stack=\[0x[0-9a-f]+, 0x[0-9a-f]+\]$/);
      // The last growth before the end reached a 512 MB stack: the next doubling is refused.
      const copies = lines.slice(0, fatal).filter((l) => l.startsWith('copystack '));
      expect(copies.at(-1)).toMatch(/\/536870912$/);
      // Then the traceback of the goroutine that overflowed.
      expect(lines.slice(fatal)).toContain('runtime stack:');
      expect(lines.slice(fatal).some((l) => /^goroutine 1 .*\[running\]:$/.test(l))).toBe(true);
    }, 60_000);
  }
});

describe('a division by zero at run time', () => {
  it('prints the trace up to it, then one line naming file:line, exit 1', async () => {
    const f = await file('divzero.go', 'package main\n\nfunc main() {\n\ta := 5\n\tb := 0\n\tprintln("before")\n\tprintln(a / b)\n}\n');
    const r = await cli(['run', f]);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')).toContain('before');
    expect(r.stderr).toBe('stackdebug: divzero.go:7: integer divide by zero: the real program panics here (panic: runtime error: integer divide by zero), which the simulator does not model\n');
  });

  it('with --format json, the stream ends with an error record saying the same', async () => {
    const f = await file('divzero.go', 'package main\n\nfunc main() {\n\ta := 5\n\tb := 0\n\tprintln("before")\n\tprintln(a / b)\n}\n');
    const r = await cli(['run', f, '--format', 'json']);
    expect(r.code).toBe(1);
    const records = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const last = records.at(-1)!;
    expect(last.kind).toBe('error');
    expect(last.message).toBe(r.stderr.replace(/^stackdebug: /, '').trimEnd());
    expect(last.traceLines).toBeGreaterThan(0);
    expect(records.some((o) => o.kind === 'exit')).toBe(false);
  });

  it('a byte remainder by zero too', async () => {
    const f = await file('bytezero.go', 'package main\n\nfunc main() {\n\tvar a byte = 5\n\tvar b byte = 0\n\tprintln(a % b)\n}\n');
    const r = await cli(['run', f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^stackdebug: bytezero\.go:6: integer divide by zero: /);
  });
});
