import { mkdtemp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError, typeString, type Program } from '../src/program/model.js';
import { parseGo } from '../src/scenario/go.js';
import { loadProgram } from '../src/scenario/load.js';
import { parseScenario } from '../src/scenario/yaml.js';

const root = new URL('..', import.meta.url).pathname;
const fixture = (name: string) => join(root, 'test/fixtures/go', `${name}.go`);
const scenario = (name: string) => join(root, 'scenarios', `${name}.yaml`);

/** A Program without positions or file name, Maps as objects: what two front ends must agree on. */
function shape(p: Program): unknown {
  return JSON.parse(JSON.stringify({ funcs: p.funcs, channels: p.channels }, (k, v) =>
    k === 'pos' || k === 'opCol' ? undefined : v instanceof Map ? Object.fromEntries(v) : v));
}

const REFERENCE = ['big-frame', 'byte-arrays', 'deep-recursion', 'goroutine-chain', 'leaf-small', 'recursion-200',
  'recursion-array-arg', 'seed-abc', 'seed-abc-gc', 'shrink-twice', 'stack-overflow', 'seed-legacy-growth', 'seed-legacy-gc'];

describe('reference programs: Go source and YAML scenario agree', () => {
  for (const name of REFERENCE) {
    it(name, async () => {
      const go = await loadProgram(fixture(name));
      const yaml = await loadProgram(scenario(name));
      expect([...yaml.funcs.keys()]).toEqual([...go.funcs.keys()]);
      for (const [fname, f] of go.funcs) {
        const y = yaml.funcs.get(fname)!;
        const vars = (vs: typeof f.params) => vs.map((v) => `${v.name} ${typeString(v.type)}`);
        expect(vars(y.params)).toEqual(vars(f.params));
        expect(vars(y.locals)).toEqual(vars(f.locals));
        expect(y.body.map((s) => s.kind)).toEqual(f.body.map((s) => s.kind));
      }
      expect(shape(yaml)).toEqual(shape(go));
    });
  }
});

describe('Go front end', () => {
  it('hoists sibling loop counters as distinct locals', async () => {
    const p = await loadProgram(fixture('loop-goroutines'));
    const main = p.funcs.get('main')!;
    expect(main.locals.map((v) => `${v.name} ${typeString(v.type)}`)).toEqual(['i int', 'i·2 int']);
    expect(main.body.map((s) => s.kind)).toEqual(['for', 'for', 'println']);
    const [first, second] = main.body;
    expect(first.kind === 'for' && first.body[0].kind).toBe('go');
    expect(second.kind === 'for' && second.body[0].kind).toBe('recv');
    expect(second.kind === 'for' && second.init).toMatchObject({ kind: 'assign', name: 'i·2' });
    expect(p.channels.get('done')?.elem).toEqual({ kind: 'struct', fields: [] });
    expect(p.funcs.get('w')!.body.map((s) => s.kind)).toEqual(['call', 'send']);
  });

  it('parses the deep recursion loop program', async () => {
    const p = await loadProgram(fixture('loop-recursion'));
    const r = p.funcs.get('r')!;
    expect(r.params.map((v) => v.name)).toEqual(['n', 'x']);
    expect(r.locals.map((v) => v.name)).toEqual(['y']);
    expect(r.body.map((s) => s.kind)).toEqual(['if', 'call']);
    expect(p.funcs.get('main')!.body[0]).toMatchObject({ kind: 'call', callee: 'r', args: [{ kind: 'int', value: 1000000 }, { kind: 'var', name: 'x' }] });
  });

  it('accepts the rest of the subset: loops, assignments, shadowing, literals, println forms', async () => {
    const src = `package main

import "runtime"

var c = make(chan int)

func main() {
	var n int = 0x1_0
	i := 0o17 + 0b1 + 017
	for i < 3 {
		i += 2
		n--
	}
	for {
		if n > 100 || !(i != 0) {
			return
		} else if n == 0 {
			n = n * 2 / 1 % 7
		} else {
			var n int
			n++
			println("in", n, &i)
		}
	}
	runtime.GC()
	go f(-i, struct{}{}, [2]int{})
	c <- 1
	<-c
}

func f(a int, s struct{}, z [2]int) {}
`;
    const p = await parseGo(src, 'ok.go');
    const main = p.funcs.get('main')!;
    expect(main.locals.map((v) => v.name)).toEqual(['n', 'i', 'n·2']);
    expect(main.body.map((s) => s.kind)).toEqual(['assign', 'assign', 'for', 'for', 'gc', 'go', 'send', 'recv']);
    expect(main.body[0]).toMatchObject({ kind: 'assign', name: 'n', value: { kind: 'int', value: 16 } });
    expect(main.body[1]).toMatchObject({ value: { left: { left: { value: 15 }, right: { value: 1 } }, right: { value: 15 } } });
    const loop = main.body[3];
    if (loop.kind !== 'for' || loop.body[0].kind !== 'if') throw new Error('expected for { if }');
    const inner = loop.body[0].else[0];
    if (inner.kind !== 'if') throw new Error('expected else if');
    expect(inner.else.map((s) => s.kind)).toEqual(['assign', 'assign', 'println']);
    expect(inner.else[1]).toMatchObject({ kind: 'assign', name: 'n·2' });
    expect(inner.else[2]).toMatchObject({ args: [{ kind: 'string', value: 'in' }, { kind: 'int' }, { kind: 'addr', name: 'i' }] });
  });

  it('reads a long group of parameter names as names, however the grammar splits it', async () => {
    // tree-sitter-go reads (a, b, ..., j int) as an unnamed parameter of type a, then b to j.
    const src = 'package main\n\nfunc main() {\n\tx(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)\n}\n\n' +
      'func x(a, b, c, d, e, f, g, h, i, j int) {\n\tprintln(a, j)\n}\n';
    const p = await parseGo(src, 'long.go');
    expect(p.funcs.get('x')!.params.map((v) => `${v.name} ${typeString(v.type)}`)).toEqual('abcdefghij'.split('').map((n) => `${n} int`));
    await expect(parseGo('package main\n\nfunc main() {}\n\nfunc y(a, int) {}\n', 'mixed.go')).rejects.toThrow(/unnamed parameters/);
  });
});

describe('YAML front end', () => {
  it('reads the whole scenario format', async () => {
    const src = `# all step kinds
channels: { done: "struct{}", c: int }
functions:
  main:
    locals: { x: "[10]int" }
    steps:
      - println: ["&x", func main, 42]
      - repeat: 10_000
        steps: [ { go: w() } ]
      - repeat: 3
        steps:
          - recv: done
      - if: "true && 1 < 2"
        then: return
        else: [gc, { call: "r(5, x)" }]
  r:
    params: { n: int, x: "[10]int" }
    steps:
      - if: n == 0
        then: [return]
      - call: r(n-1, x)
  w:
    frame: 4096
    steps:
      - send: done
`;
    const p = await parseScenario(src, 's.yaml');
    const main = p.funcs.get('main')!;
    expect(main.locals.map((v) => `${v.name} ${typeString(v.type)}`)).toEqual(['x [10]int', 'i·1 int', 'i·2 int']);
    expect(main.body.map((s) => s.kind)).toEqual(['println', 'for', 'for', 'if']);
    expect(main.body[0]).toMatchObject({ args: [{ kind: 'addr', name: 'x' }, { kind: 'string', value: 'func main' }, { kind: 'string', value: '42' }] });
    expect(main.body[1]).toMatchObject({
      kind: 'for', init: { kind: 'assign', name: 'i·1' },
      cond: { op: '<', left: { name: 'i·1' }, right: { kind: 'int', value: 10000 } }, body: [{ kind: 'go', callee: 'w' }],
    });
    expect(main.body[3]).toMatchObject({ kind: 'if', then: [{ kind: 'return' }], else: [{ kind: 'gc' }, { kind: 'call', callee: 'r' }] });
    expect(p.funcs.get('w')!.frameOverride).toEqual({ frame: 4096, args: 0 });
    expect(p.channels.get('c')!.elem).toMatchObject({ kind: 'basic', name: 'int' });
  });

  it('maps expression positions into the YAML file, through quotes', async () => {
    const src = 'functions:\n  main:\n    steps:\n      - call: "f(1,  y)"\n  f:\n    params: { n: int, m: int }\n';
    await expect(parseScenario(src, 'q.yaml')).rejects.toThrow(InputError);
    const err = await parseScenario(src, 'q.yaml').catch((e: InputError) => e.format());
    expect(err).toBe('q.yaml:4:22: undefined: y');
  });
});

interface Bad {
  name: string;
  file: string;
  src: string;
  /** Expected start of the formatted message: file:line:col. */
  at: string;
  /** What the message must name. */
  says: RegExp;
}

const goMain = (body: string, rest = '') => `package main\n\nfunc main() {\n${body}\n}\n${rest}`;

const BAD: Bad[] = [
  { name: 'defer', file: 'a.go', src: goMain('\tdefer f()', 'func f() {}\n'), at: 'a.go:4:2', says: /unsupported statement: defer \(the supported Go subset is/ },
  { name: 'closure', file: 'a.go', src: goMain('\tgo func() {}()'), at: 'a.go:4:5', says: /closure \(func literal\)/ },
  { name: 'slice type', file: 'a.go', src: goMain('\tvar s []int'), at: 'a.go:4:8', says: /unsupported type: slice type \[\]int/ },
  { name: 'string variable', file: 'a.go', src: goMain('\tvar s string'), at: 'a.go:4:8', says: /unsupported type: string/ },
  { name: 'map type', file: 'a.go', src: goMain('\tvar m map[int]int'), at: 'a.go:4:8', says: /map type/ },
  { name: 'select', file: 'a.go', src: goMain('\tselect {}'), at: 'a.go:4:2', says: /unsupported statement: select/ },
  { name: 'goto and labels', file: 'a.go', src: goMain('L:\n\tgoto L'), at: 'a.go:4:1', says: /unsupported statement: label/ },
  { name: 'unknown function', file: 'a.go', src: goMain('\tfoo(1)'), at: 'a.go:4:2', says: /undefined function: foo/ },
  { name: 'wrong argument type', file: 'a.go', src: goMain('\tvar x [4]int\n\tf(x)', 'func f(x [8]int) {}\n'), at: 'a.go:5:4', says: /cannot use \[4\]int value as \[8\]int value in argument 1 \(x\) to f/ },
  { name: 'int for array argument', file: 'a.go', src: goMain('\tf(3)', 'func f(x [8]int) {}\n'), at: 'a.go:4:4', says: /cannot use untyped int value as \[8\]int/ },
  { name: 'argument count', file: 'a.go', src: goMain('\tf()', 'func f(n int) {}\n'), at: 'a.go:4:2', says: /not enough arguments in call to f: have 0, want 1/ },
  { name: 'undefined variable', file: 'a.go', src: goMain('\tf(k)', 'func f(n int) {}\n'), at: 'a.go:4:4', says: /undefined: k/ },
  { name: 'redeclaration', file: 'a.go', src: goMain('\tvar x int\n\tx := 1'), at: 'a.go:5:2', says: /x redeclared in this block/ },
  { name: 'unused local', file: 'a.go', src: goMain('\tvar x [4]int\n\tprintln("hi")'), at: 'a.go:4:6', says: /declared and not used: x/ },
  { name: 'local only assigned', file: 'a.go', src: goMain('\tk := 1\n\tk++\n\tk = 3'), at: 'a.go:4:2', says: /declared and not used: k/ },
  { name: 'unused import', file: 'a.go', src: 'package main\n\nimport "runtime"\n\nfunc main() {}\n', at: 'a.go:3:8', says: /"runtime" imported and not used/ },
  { name: 'byte constant overflow', file: 'a.go', src: goMain('\tvar b byte = 300\n\tprintln(b)'), at: 'a.go:4:15', says: /cannot use 300 \(untyped int constant\) as byte value in variable declaration \(overflows\)/ },
  { name: 'byte overflow in assignment', file: 'a.go', src: goMain('\tvar b byte\n\tb = 256\n\tprintln(b)'), at: 'a.go:5:6', says: /cannot use 256 \(untyped int constant\) as byte value in assignment \(overflows\)/ },
  { name: 'byte overflow in an operation', file: 'a.go', src: goMain('\tvar b byte = 3\n\tprintln(b + 300)'), at: 'a.go:5:14', says: /300 \(untyped int constant\) overflows byte/ },
  { name: 'int constant overflow', file: 'a.go', src: goMain('\tx := 9223372036854775808\n\tprintln(x)'), at: 'a.go:4:7', says: /cannot use 9223372036854775808 \(untyped int constant\) as int value in assignment \(overflows\)/ },
  { name: 'int overflow in an operation', file: 'a.go', src: goMain('\tx := 1\n\tx = x + 99999999999999999999\n\tprintln(x)'), at: 'a.go:5:10', says: /99999999999999999999 \(untyped int constant\) overflows int/ },
  { name: 'byte overflow in an argument', file: 'a.go', src: goMain('\tf(-1)', 'func f(b byte) {\n\tprintln(b)\n}\n'), at: 'a.go:4:4', says: /cannot use -1 \(untyped int constant\) as byte value in argument to f \(overflows\)/ },
  { name: 'param redeclared in body', file: 'a.go', src: goMain('', 'func f(n int) {\n\tvar n int\n}\n'), at: 'a.go:7:6', says: /n redeclared/ },
  { name: 'other import', file: 'a.go', src: 'package main\n\nimport "fmt"\n\nfunc main() {}\n', at: 'a.go:3:8', says: /unsupported import "fmt"/ },
  { name: 'method', file: 'a.go', src: goMain('', 'type T struct{}\n'), at: 'a.go:6:1', says: /unsupported declaration: type declaration/ },
  { name: 'function result', file: 'a.go', src: goMain('', 'func f() int {\n\treturn 1\n}\n'), at: 'a.go:6:10', says: /function results/ },
  { name: 'println of float', file: 'a.go', src: goMain('\tprintln(1.5)'), at: 'a.go:4:10', says: /floating-point literal/ },
  { name: 'negative array length', file: 'a.go', src: goMain('\tvar x [-1]int'), at: 'a.go:4:9', says: /invalid array length -1/ },
  { name: 'huge array', file: 'a.go', src: goMain('\tvar x [999999999999999]int'), at: 'a.go:4:8', says: /type \[999999999999999\]int too large/ },
  { name: 'frame > 1GB', file: 'a.go', src: goMain('\tvar x [200000000]int\n\tprintln(&x)'), at: 'a.go:3:6', says: /stack frame too large \(>1GB\): 1525 MB locals/ },
  { name: 'args > 1GB', file: 'a.go', src: goMain('', 'func f(x [150000000]int) {}\n'), at: 'a.go:6:6', says: /stack frame too large \(>1GB\): 0 MB locals \+ 1144 MB args/ },
  { name: 'nosplit directive', file: 'a.go', src: goMain('', '//go:nosplit\nfunc f() {}\n'), at: 'a.go:6:1', says: /unsupported directive \/\/go:nosplit/ },
  { name: 'buffered channel', file: 'a.go', src: 'package main\n\nvar c = make(chan int, 4)\n\nfunc main() {}\n', at: 'a.go:3:24', says: /buffered channels are not supported/ },
  { name: 'Go syntax error', file: 'a.go', src: goMain('\tx := )'), at: 'a.go:4:', says: /syntax error/ },
  { name: 'missing main', file: 'a.go', src: 'package main\n\nfunc f() {}\n', at: 'a.go:1:1', says: /function main is undeclared/ },
  { name: 'main with params', file: 'a.go', src: 'package main\n\nfunc main(n int) {}\n', at: 'a.go:3:6', says: /func main must have no arguments/ },
  { name: 'empty Go file', file: 'a.go', src: '  \n', at: 'a.go:1:1', says: /empty file/ },
  { name: 'NUL bytes', file: 'a.go', src: 'package main\n\x00\x01\x02', at: 'a.go:2:1', says: /binary data \(NUL byte\)/ },
  { name: 'YAML syntax error', file: 's.yaml', src: 'functions:\n  main:\n    locals: { x: [10]int }\n', at: 's.yaml:3:', says: /YAML syntax error/ },
  { name: 'unknown top-level key', file: 's.yaml', src: 'function:\n  main: {}\n', at: 's.yaml:1:1', says: /unknown key "function" in the scenario \(allowed: channels, functions\)/ },
  { name: 'unknown function key', file: 's.yaml', src: 'functions:\n  main:\n    local: { x: int }\n', at: 's.yaml:3:5', says: /unknown key "local" in function main \(allowed: params, locals, frame, steps\)/ },
  { name: 'unknown step', file: 's.yaml', src: 'functions:\n  main:\n    steps: [ { cal: f() } ]\n', at: 's.yaml:3:14', says: /unknown step "cal"/ },
  { name: 'unknown step key', file: 's.yaml', src: 'functions:\n  main:\n    steps:\n      - if: true\n        then: []\n        otherwise: []\n', at: 's.yaml:6:9', says: /unknown key "otherwise" in if step \(allowed: if, then, else\)/ },
  { name: 'YAML unquoted comma in a flow mapping', file: 's.yaml', src: 'functions:\n  main:\n    steps: [ { call: f(1, 2) } ]\n', at: 's.yaml:3:27', says: /unknown key "2\)" in call step \(allowed: call; inside \[ \] or \{ \}, quote values with commas/ },
  { name: 'YAML unknown function', file: 's.yaml', src: 'functions:\n  main:\n    steps:\n      - call: g()\n', at: 's.yaml:4:15', says: /undefined function: g/ },
  { name: 'YAML unknown variable', file: 's.yaml', src: 'functions:\n  main:\n    steps:\n      - call: f(1, zz)\n  f:\n    params: { a: int, b: int }\n', at: 's.yaml:4:20', says: /undefined: zz/ },
  { name: 'YAML wrong argument type', file: 's.yaml', src: 'functions:\n  main:\n    locals: { x: "[4]int" }\n    steps:\n      - call: f(x)\n  f:\n    params: { a: int }\n', at: 's.yaml:5:17', says: /cannot use \[4\]int value as int value/ },
  { name: 'YAML bad type string', file: 's.yaml', src: 'functions:\n  main:\n    locals: { s: "[]int" }\n', at: 's.yaml:3:19', says: /unsupported type: slice type/ },
  { name: 'YAML not a type', file: 's.yaml', src: 'functions:\n  main:\n    locals: { s: int x }\n', at: 's.yaml:3:', says: /syntax error|expected a Go type/ },
  { name: 'YAML negative array length', file: 's.yaml', src: 'functions:\n  main:\n    locals: { s: "[-1]int" }\n', at: 's.yaml:3:20', says: /invalid array length -1/ },
  { name: 'YAML huge array length', file: 's.yaml', src: 'functions:\n  main:\n    locals: { s: "[9999999999999999]int" }\n', at: 's.yaml:3:20', says: /integer constant 9999999999999999 too large/ },
  { name: 'YAML frame > 1GB', file: 's.yaml', src: 'functions:\n  main:\n    locals: { s: "[1000000000]byte", t: "[100000000]byte" }\n', at: 's.yaml:2:3', says: /stack frame too large \(>1GB\)/ },
  { name: 'YAML missing main', file: 's.yaml', src: 'functions:\n  f: {}\n', at: 's.yaml:1:1', says: /function main is undeclared/ },
  { name: 'YAML empty file', file: 's.yaml', src: '# nothing here\n', at: 's.yaml:1:1', says: /empty scenario/ },
  { name: 'YAML unquoted &x', file: 's.yaml', src: 'functions:\n  main:\n    locals: { x: int }\n    steps:\n      - println: &x\n', at: 's.yaml:5:', says: /quote addresses/ },
  { name: 'YAML if without then', file: 's.yaml', src: 'functions:\n  main:\n    steps:\n      - if: 1 == 1\n', at: 's.yaml:4:9', says: /if: needs then:/ },
  { name: 'YAML undefined channel', file: 's.yaml', src: 'functions:\n  main:\n    steps:\n      - recv: done\n', at: 's.yaml:4:15', says: /undefined channel: done/ },
  { name: 'YAML expression syntax error', file: 's.yaml', src: 'functions:\n  main:\n    steps:\n      - call: main(\n', at: 's.yaml:4:', says: /syntax error/ },
  { name: 'YAML closure in call', file: 's.yaml', src: 'functions:\n  main:\n    steps:\n      - go: func() {}()\n', at: 's.yaml:4:13', says: /closure/ },
  { name: 'YAML frame and locals', file: 's.yaml', src: 'functions:\n  main:\n    locals: { x: int }\n    frame: 64\n', at: 's.yaml:4:5', says: /frame: replaces locals/ },
  { name: 'YAML NUL byte', file: 's.yaml', src: 'functions:\n  main: {}\x00\n', at: 's.yaml:2:11', says: /binary data/ },
];

describe('bad inputs are refused with a position and the construct named', () => {
  for (const b of BAD) {
    it(b.name, async () => {
      const parse = b.file.endsWith('.go') ? parseGo : parseScenario;
      let err: unknown;
      try {
        await parse(b.src, b.file);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(InputError);
      const msg = (err as InputError).format();
      expect(msg.startsWith(b.at), `${msg} should start with ${b.at}`).toBe(true);
      expect(msg).toMatch(b.says);
    });
  }
});

describe('loadProgram', () => {
  const failure = async (path: string) => {
    try {
      await loadProgram(path);
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      return (e as InputError).format();
    }
    throw new Error(`${path} was accepted`);
  };

  it('names the file when it cannot be read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stackdebug-'));
    expect(await failure(join(dir, 'nope.go'))).toBe(`${join(dir, 'nope.go')}: no such file`);
    await mkdir(join(dir, 'd.yaml'));
    expect(await failure(join(dir, 'd.yaml'))).toMatch(/d\.yaml: is a directory/);
  });

  it('refuses unknown extensions and invalid UTF-8', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stackdebug-'));
    await writeFile(join(dir, 'p.txt'), 'package main\n');
    expect(await failure(join(dir, 'p.txt'))).toMatch(/p\.txt: unsupported file type "\.txt": expected a \.go program or a \.yaml\/\.yml scenario/);
    await writeFile(join(dir, 'bin.go'), Buffer.from([0x70, 0x61, 0x0a, 0x41, 0xff, 0xfe, 0x00]));
    expect(await failure(join(dir, 'bin.go'))).toMatch(/bin\.go:2:2: binary data \(invalid UTF-8 byte 0xff\)/);
  });

  it('loads .yml the same as .yaml', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stackdebug-'));
    await writeFile(join(dir, 's.yml'), await readFile(scenario('seed-abc')));
    expect(shape(await loadProgram(join(dir, 's.yml')))).toEqual(shape(await loadProgram(scenario('seed-abc'))));
  });
});
