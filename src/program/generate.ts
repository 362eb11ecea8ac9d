/**
 * Random programs in the Go subset, for conformance testing against the real runtime: chains of
 * calls passing arrays of int and byte of random sizes, recursion with a depth parameter,
 * goroutines that report on a channel, counted loops around calls, runtime.GC() at random
 * points, and println of strings and of &local (whose value shows where the stack is).
 *
 * Deterministic: the same seed always gives the same program (mulberry32). Programs stay small
 * enough to run in well under a second on the real runtime, and never depend on goroutine timing:
 * every goroutine is waited for before main goes on.
 */

/** mulberry32: a small, fast, well-distributed 32-bit PRNG; returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface ArrayType {
  elem: 'int' | 'byte';
  len: number;
}

const typeText = (t: ArrayType) => `[${t.len}]${t.elem}`;
const byteSize = (t: ArrayType) => t.len * (t.elem === 'int' ? 8 : 1);

interface GenFunc {
  name: string;
  params: string[];
  /** Lines of the body, without indentation (nested blocks indented with \t already). */
  body: string[];
}

class Gen {
  readonly rnd: () => number;
  readonly funcs: GenFunc[] = [];
  private counter = 0;
  usesGC = false;
  usesChan = false;
  /** Bytes of stack the program may use at most along one call path (keeps runs fast). */
  private budget = 3 << 20;

  constructor(seed: number) {
    this.rnd = mulberry32(seed);
  }

  int(lo: number, hi: number): number {
    return lo + Math.floor(this.rnd() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.rnd() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.rnd() * items.length)]!;
  }

  fresh(prefix: string): string {
    return `${prefix}${++this.counter}`;
  }

  /** An array type: mostly small and medium, sometimes a few KiB, rarely tens of KiB. */
  arrayType(): ArrayType {
    const elem = this.chance(0.6) ? 'int' : 'byte';
    const scale = this.pick(['small', 'small', 'medium', 'medium', 'medium', 'large', 'huge'] as const);
    const bytes = scale === 'small' ? this.int(2, 64)
      : scale === 'medium' ? this.int(65, 2000)
      : scale === 'large' ? this.int(2001, 12000)
      : this.int(12001, 40000);
    const len = elem === 'int' ? Math.max(2, Math.round(bytes / 8)) : bytes;
    return { elem, len };
  }

  /**
   * A chain of calls starting at a new function: returns its name and the array type of its
   * parameter (or null). Each function prints its name, may keep array locals, print their
   * addresses, run the GC, loop around a smaller call, and calls the next one.
   */
  chain(depth: number, param: ArrayType | null): string {
    const name = this.fresh('f');
    const fn: GenFunc = { name, params: param ? ['x ' + typeText(param)] : [], body: [] };
    this.funcs.push(fn);
    const locals: { name: string; type: ArrayType }[] = [];
    const nLocals = depth > 0 ? this.int(0, 2) : 0;
    for (let i = 0; i < nLocals; i++) {
      const t = this.arrayType();
      if (byteSize(t) * 2 > this.budget) continue;
      this.budget -= byteSize(t) * 2;
      const v = { name: this.pick(['a', 'b', 'c', 'y', 'z', 'p', 'q'].filter((n) => !locals.some((l) => l.name === n))), type: t };
      locals.push(v);
      fn.body.push(`var ${v.name} ${typeText(t)}`);
    }
    fn.body.push(`println("${name}")`);
    if (locals.length && this.chance(0.7)) fn.body.push(`println(${locals.map((l) => `&${l.name}`).join(', ')})`);
    if (param && this.chance(0.3)) fn.body.push('println(&x)');
    if (depth === 0) {
      // A leaf: no locals (every use of a local is a call, so a subset leaf has none).
      if (this.chance(0.3)) fn.body.push('println("leaf")');
      return name;
    }
    if (this.chance(0.3)) this.gc(fn);
    if (this.chance(0.25)) this.loop(fn);
    const arg = locals.length && this.chance(0.8) ? this.pick(locals) : null;
    const next = this.chain(depth - 1, arg ? arg.type : null);
    fn.body.push(`${next}(${arg ? arg.name : ''})`);
    if (this.chance(0.3)) this.gc(fn);
    // Go refuses a local nothing uses: print the ones not printed or passed yet (and maybe others).
    const used = (n: string) => fn.body.some((l) => l.includes(`&${n}`) || l === `${next}(${n})`);
    const after = locals.filter((l) => !used(l.name) || this.chance(0.4));
    if (after.length) fn.body.push(`println(${after.map((l) => `&${l.name}`).join(', ')})`);
    return name;
  }

  gc(fn: GenFunc): void {
    this.usesGC = true;
    fn.body.push('runtime.GC()');
  }

  /** for i := 0; i < n; i++ { g() } around a small function with a local. */
  loop(fn: GenFunc): void {
    const g = this.fresh('g');
    const t: ArrayType = { elem: this.chance(0.5) ? 'int' : 'byte', len: this.int(2, 300) };
    this.funcs.push({ name: g, params: [], body: [`var y ${typeText(t)}`, 'println(&y)'] });
    const n = this.int(2, 4);
    fn.body.push(`for i := 0; i < ${n}; i++ {`, `\t${g}()`, '}');
  }

  /** r(n int, x [K]T): recurses n deep, each level with a fresh [K]T; prints at the bottom. */
  recursion(caller: GenFunc, callerLocal: (t: ArrayType) => string): void {
    const r = this.fresh('r');
    const t: ArrayType = this.chance(0.5) ? { elem: 'int', len: this.int(2, 40) } : { elem: 'byte', len: this.int(2, 300) };
    const perLevel = byteSize(t) * 2 + 64;
    const depth = Math.max(1, Math.min(this.int(5, 400), Math.floor(this.budget / perLevel)));
    this.funcs.push({
      name: r,
      params: ['n int', `x ${typeText(t)}`],
      body: [
        'if n == 0 {',
        '\tprintln(&x)',
        '\treturn',
        '}',
        `var y ${typeText(t)}`,
        `${r}(n-1, y)`,
      ],
    });
    caller.body.push(`${r}(${depth}, ${callerLocal(t)})`);
  }

  /** go w(...) from main, then <-done; the goroutine runs a chain and sends on done. */
  goroutine(main: GenFunc): void {
    this.usesChan = true;
    const w = this.fresh('w');
    const withArg = this.chance(0.5);
    const fn: GenFunc = { name: w, params: withArg ? ['k int'] : [], body: [] };
    this.funcs.push(fn);
    fn.body.push(`println("${w}")`);
    if (withArg) fn.body.push('println(k)');
    const next = this.chain(this.int(1, 3), null);
    fn.body.push(`${next}()`);
    fn.body.push('done <- struct{}{}');
    main.body.push(`go ${w}(${withArg ? this.int(1, 99) : ''})`);
  }
}

/** Go source of a random program in the subset, determined by `seed`. */
export function generateProgram(seed: number): string {
  const g = new Gen(seed);
  const main: GenFunc = { name: 'main', params: [], body: [] };
  g.funcs.push(main);
  const mainLocals: { name: string; type: ArrayType }[] = [];
  const nMain = g.int(0, 2);
  for (let i = 0; i < nMain; i++) {
    const t = g.arrayType();
    const name = `m${i + 1}`;
    mainLocals.push({ name, type: t });
    main.body.push(`var ${name} ${typeText(t)}`);
  }
  if (mainLocals.length) main.body.push(`println(${mainLocals.map((l) => `&${l.name}`).join(', ')})`);
  const parts = ['chain', 'chain', 'recursion', 'goroutine', 'gc'] as const;
  const nParts = g.int(2, 4);
  for (let i = 0; i < nParts; i++) {
    const part = g.pick(parts);
    if (part === 'chain') {
      const arg = mainLocals.length && g.chance(0.6) ? g.pick(mainLocals) : null;
      const f = g.chain(g.int(1, 4), arg ? arg.type : null);
      main.body.push(`${f}(${arg ? arg.name : ''})`);
    } else if (part === 'recursion') {
      g.recursion(main, (t) => {
        const name = `m${mainLocals.length + 1}`;
        mainLocals.push({ name, type: t });
        main.body.push(`var ${name} ${typeText(t)}`);
        return name;
      });
    } else if (part === 'goroutine') {
      const n = g.int(1, 2);
      for (let k = 0; k < n; k++) g.goroutine(main);
      for (let k = 0; k < n; k++) main.body.push('<-done');
    } else {
      g.gc(main);
    }
    if (mainLocals.length && g.chance(0.5)) main.body.push(`println(&${g.pick(mainLocals).name})`);
  }
  main.body.push('println("main done")');
  return programText(g);
}

/** The Go source of generated functions: the import and the channel only where used. */
function programText(g: { funcs: GenFunc[]; usesGC: boolean; usesChan: boolean }): string {
  const out: string[] = ['package main', ''];
  if (g.usesGC) out.push('import "runtime"', '');
  if (g.usesChan) out.push('var done = make(chan struct{})', '');
  g.funcs.forEach((f, i) => {
    if (f.name !== 'main') out.push('//go:noinline');
    out.push(`func ${f.name}(${f.params.join(', ')}) {`);
    for (const line of f.body) out.push(`\t${line}`);
    out.push('}');
    if (i < g.funcs.length - 1) out.push('');
  });
  return `${out.join('\n')}\n`;
}

/** An int variable in scope, and whether it is a divisor (always at least 1) or a counter. */
interface IntVar {
  name: string;
  divisor?: boolean;
}

/**
 * Random programs that compute: int and bool parameters and locals, sums, differences,
 * products, quotients and remainders (they wrap around past 2^63 as Go's do), comparisons and
 * ! printed by println, if/else on them, loops that accumulate, recursion carrying a value, and
 * goroutines started with computed arguments. What the compiler keeps of such values across
 * calls decides the frames, and the frames decide when stacks grow: this is the frame model's
 * test, where generateProgram's is the runtime's.
 *
 * Every divisor is a non-zero constant or a parameter that is always passed a positive value;
 * every local is read after it is set (Go refuses one that is not).
 */
class ArithGen {
  readonly g: Gen;
  readonly funcs: GenFunc[] = [];
  usesGC = false;
  usesChan = false;

  constructor(seed: number) {
    this.g = new Gen(seed);
  }

  /** A new name: the random source's counter, which nothing else of it uses here. */
  fresh(prefix: string): string {
    return this.g.fresh(prefix);
  }

  constant(): string {
    const g = this.g;
    return String(g.pick([g.int(0, 9), g.int(2, 40), g.int(100, 999), g.int(1000, 99999), g.int(1000003, 3037000499)]));
  }

  divisorConstant(): string {
    return String(this.g.pick([2, 3, 4, 5, 7, 8, 10, 16, 100, 1000, -3, -7]));
  }

  /** An int expression over vars, at most `depth` operators deep; never only constants at the top. */
  expr(vars: IntVar[], depth = 2): string {
    const g = this.g;
    if (!vars.length) return this.constant();
    if (depth === 0 || g.chance(0.3)) return g.pick(vars).name;
    const op = g.pick(['+', '+', '-', '*', '*', '/', '%'] as const);
    const left = this.expr(vars, depth - 1);
    if (op === '/' || op === '%') {
      const divisors = vars.filter((v) => v.divisor);
      const right = divisors.length && g.chance(0.4) ? g.pick(divisors).name : this.divisorConstant();
      return `${this.paren(left)} ${op} ${right}`;
    }
    const right = g.chance(0.5) ? this.constant() : this.expr(vars, depth - 1);
    return `${this.paren(left)} ${op} ${this.paren(right)}`;
  }

  paren(e: string): string {
    return /^[\w]+$/.test(e) ? e : `(${e})`;
  }

  /** A bool expression: a comparison, a parity test, a bool variable or its negation. */
  cond(vars: IntVar[], bools: string[]): string {
    const g = this.g;
    const r = g.rnd();
    if (bools.length && r < 0.25) return (g.chance(0.5) ? '!' : '') + g.pick(bools);
    if (r < 0.5) return `${this.paren(this.expr(vars, 1))} % ${g.pick([2, 3, 5])} == 0`;
    const cmp = g.pick(['<', '<=', '>', '>=', '==', '!='] as const);
    return `${this.paren(this.expr(vars, 1))} ${cmp} ${g.chance(0.5) ? this.constant() : this.expr(vars, 0)}`;
  }

  /** println's arguments: a label, then ints and bools. */
  printArgs(label: string, vars: IntVar[], bools: string[]): string {
    const n = this.g.int(1, 4);
    const args = [`"${label}"`];
    for (let i = 0; i < n; i++) args.push(this.g.chance(0.7) ? this.expr(vars, this.g.int(0, 2)) : this.cond(vars, bools));
    return args.join(', ');
  }

  /**
   * A function that computes: its parameters are ints (one maybe a divisor), maybe a bool and an
   * array; its body declares locals from them, prints, branches, loops, and calls the next one.
   */
  calc(depth: number): { name: string; args: (vars: IntVar[], bools: string[]) => string } {
    const g = this.g;
    const name = this.fresh('c');
    const ints: IntVar[] = [{ name: 'a' }];
    if (g.chance(0.7)) ints.push({ name: 'b' });
    if (g.chance(0.4)) ints.push({ name: 'd', divisor: true });
    const flag = g.chance(0.3);
    const arr: ArrayType | null = g.chance(0.5) ? g.arrayType() : null;
    if (arr && byteSize(arr) > 16000) arr.len = Math.max(2, Math.floor(arr.len / 4));
    const params = [...ints.map((v) => `${v.name} int`), ...(flag ? ['flag bool'] : []), ...(arr ? [`x ${typeText(arr)}`] : [])];
    const fn: GenFunc = { name, params, body: [] };
    this.funcs.push(fn);
    const vars = [...ints];
    const bools = flag ? ['flag'] : [];
    const unread = new Set<string>();
    const read = (text: string) => {
      for (const v of [...unread]) if (new RegExp(`\\b${v}\\b`).test(text)) unread.delete(v);
      return text;
    };
    const stmts = g.int(1, 4);
    for (let s = 0; s < stmts; s++) {
      const kind = g.pick(['local', 'local', 'bool', 'print', 'print', 'if', 'loop', 'gc'] as const);
      if (kind === 'local') {
        const v = this.fresh('v');
        fn.body.push(`${v} := ${read(this.expr(vars))}`);
        vars.push({ name: v });
        unread.add(v);
      } else if (kind === 'bool') {
        const v = this.fresh('ok');
        fn.body.push(`${v} := ${read(this.cond(vars, bools))}`);
        bools.push(v);
        unread.add(v);
      } else if (kind === 'print') {
        fn.body.push(`println(${read(this.printArgs(name, vars, bools))})`);
      } else if (kind === 'if') {
        fn.body.push(`if ${read(this.cond(vars, bools))} {`, `\tprintln(${read(this.printArgs('then', vars, bools))})`);
        if (g.chance(0.5)) fn.body.push('} else {', `\tprintln(${read(this.printArgs('else', vars, bools))})`);
        fn.body.push('}');
      } else if (kind === 'loop') {
        const acc = this.fresh('s');
        const i = this.fresh('i');
        const inner = [...vars, { name: i }];
        fn.body.push(`${acc} := ${read(this.expr(vars, 0))}`);
        fn.body.push(`for ${i} := 0; ${i} < ${g.int(2, 6)}; ${i}++ {`);
        fn.body.push(`\t${acc} = ${acc} + ${read(this.paren(this.expr(inner, 1)))}`);
        if (g.chance(0.6)) {
          const leaf = this.leaf();
          fn.body.push(`\tif ${read(this.cond([...inner, { name: acc }], bools))} {`, `\t\t${leaf}(${read(this.expr([...inner, { name: acc }], 1))})`, '\t}');
        }
        fn.body.push('}');
        vars.push({ name: acc });
        unread.add(acc);
      } else {
        this.usesGC = true;
        fn.body.push('runtime.GC()');
      }
    }
    if (depth > 0) {
      const next = this.calc(depth - 1);
      fn.body.push(`${next.name}(${read(next.args(vars, bools))})`);
    }
    if (arr && g.chance(0.5)) fn.body.push('println(&x)');
    if (unread.size) fn.body.push(`println(${[...unread].join(', ')})`);
    // The caller's arguments: computed from its own variables; the divisor always positive.
    return {
      name,
      args: (cv, cb) => {
        const out = ints.map((v) => {
          if (!v.divisor) return this.expr(cv, g.int(0, 2));
          const ds = cv.filter((c) => c.divisor);
          return ds.length && g.chance(0.5) ? `${g.pick(ds).name}+${g.int(0, 3)}` : String(g.int(1, 9));
        });
        if (flag) out.push(this.cond(cv, cb));
        if (arr) {
          // The caller passes a zero array of the type: its own local.
          out.push(`[${arr.len}]${arr.elem}{}`);
        }
        return out.join(', ');
      },
    };
  }

  /** A leaf that prints what it is given, with a small array that grows its frame. */
  leaf(): string {
    const g = this.g;
    const name = this.fresh('l');
    const t: ArrayType = { elem: g.chance(0.5) ? 'int' : 'byte', len: g.int(2, 200) };
    this.funcs.push({ name, params: ['n int'], body: [`var y ${typeText(t)}`, `println(n, n${g.pick(['%', '/'])}${this.divisorConstant()}, &y)`] });
    return name;
  }

  /** r(n, v, x): recurses n deep carrying a value it changes at each level; prints at the bottom. */
  recursion(): { name: string; call: (vars: IntVar[]) => string } {
    const g = this.g;
    const name = this.fresh('r');
    const t: ArrayType = g.chance(0.5) ? { elem: 'int', len: g.int(2, 40) } : { elem: 'byte', len: g.int(2, 300) };
    const depth = g.int(5, 300);
    const vars: IntVar[] = [{ name: 'n' }, { name: 'v' }];
    const body = ['if n == 0 {', `\tprintln("${name}", ${this.paren(this.expr(vars.slice(1), 1))}, v > 0)`, '\treturn', '}'];
    if (g.chance(0.4)) body.push(`if n%${g.int(2, 50)} == 0 {`, this.g.chance(0.5) ? '\truntime.GC()' : `\tprintln(n, ${this.expr(vars, 1)})`, '}');
    if (body.some((l) => l.includes('runtime.GC'))) this.usesGC = true;
    body.push(`var y ${typeText(t)}`, `${name}(n-1, ${this.expr(vars, 2)}, y)`);
    this.funcs.push({ name, params: ['n int', 'v int', `x ${typeText(t)}`], body });
    return { name, call: (cv) => `${name}(${depth}, ${this.expr(cv, 1)}, [${t.len}]${t.elem}{})` };
  }
}

/**
 * Go source of a random program that computes (ArithGen), determined by `seed`: main declares a
 * few ints and calls chains of computing functions, recursions and goroutines with them.
 */
export function generateArithProgram(seed: number): string {
  const a = new ArithGen(seed);
  const g = a.g;
  const main: GenFunc = { name: 'main', params: [], body: [] };
  a.funcs.push(main);
  const vars: IntVar[] = [];
  const n = g.int(1, 3);
  for (let i = 0; i < n; i++) {
    const v = `m${i + 1}`;
    main.body.push(`${v} := ${a.constant()}`);
    vars.push({ name: v });
  }
  const parts = g.int(2, 4);
  for (let p = 0; p < parts; p++) {
    const part = g.pick(['calc', 'calc', 'recursion', 'goroutines', 'loop'] as const);
    if (part === 'calc') {
      const c = a.calc(g.int(1, 3));
      main.body.push(`${c.name}(${c.args(vars, [])})`);
    } else if (part === 'recursion') {
      main.body.push(a.recursion().call(vars));
    } else if (part === 'loop') {
      const c = a.calc(g.int(0, 2));
      const i = a.fresh('i');
      main.body.push(`for ${i} := 1; ${i} <= ${g.int(2, 5)}; ${i}++ {`, `\t${c.name}(${c.args([...vars, { name: i }], [])})`, '}');
    } else {
      a.usesChan = true;
      const w = a.fresh('w');
      const c = a.calc(g.int(0, 2));
      const wvars: IntVar[] = [{ name: 'k' }, { name: 'j' }];
      a.funcs.push({ name: w, params: ['k int', 'j int'], body: [`println("${w}", k, j)`, `${c.name}(${c.args(wvars, [])})`, 'done <- struct{}{}'] });
      const k = g.int(1, 3);
      const i = a.fresh('i');
      main.body.push(`for ${i} := 0; ${i} < ${k}; ${i}++ {`, `\tgo ${w}(${a.expr([...vars, { name: i }], 1)}, ${i})`, '}');
      main.body.push(`for ${i} := 0; ${i} < ${k}; ${i}++ {`, '\t<-done', '}');
    }
  }
  main.body.push(`println("main done", ${vars.map((v) => v.name).join(', ')})`);
  return programText(a);
}
