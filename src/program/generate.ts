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
  private readonly rnd: () => number;
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
