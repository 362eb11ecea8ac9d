/**
 * Fidelity tiers of a simulated trace against a real one (the same rules as the project's
 * reference scorer): A, the main goroutine's copystack / shrinking stack / stack grow done lines
 * and the program's output, with addresses as offsets within their stack; B, the whole trace
 * normalized likewise, code addresses masked; C, byte for byte.
 *
 * This deliberately follows the reference scorer line for line (a test compares the two), quirks
 * included; `check --match normalized` has its own, richer normalization (normalize.ts), which
 * also understands `...` elisions and pairs stacks one to one.
 */
const HEX = /0x[0-9a-f]+/g;
const RUNTIME_PREFIXES: [string, string][] = [
  ['stackalloc ', 'stackalloc'], ['  allocated ', 'allocated'], ['stackcacherefill ', 'stackcacherefill'],
  ['stackcacherelease ', 'stackcacherelease'], ['stackfree ', 'stackfree'], ['stackcache clear', 'stackcache clear'],
  ['runtime: newstack', 'runtime: newstack'], ['\tmorebuf=', 'morebuf='], ['\tsched=', 'sched='],
  ['copystack ', 'copystack'], ['shrinking stack ', 'shrinking stack'], ['stack grow done', 'stack grow done'],
];

interface Region { lo: number; hi: number; label: string }
type Found = { lo: number; label: string };

class Regions {
  live: Region[] = [];
  n = 0;
  other = new Map<number, string>();
  alloc(lo: number, size: number): void {
    this.live.push({ lo, hi: lo + size, label: `S${++this.n}` });
  }
  free(lo: number): void {
    for (let i = this.live.length - 1; i >= 0; i--) if (this.live[i].lo === lo) { this.live.splice(i, 1); return; }
  }
  find(a: number, end = false): Found | null {
    for (let i = this.live.length - 1; i >= 0; i--) {
      const r = this.live[i];
      if ((r.lo <= a && a < r.hi) || (end && a === r.hi)) return r;
    }
    return null;
  }
  name(a: number, base?: Found): string {
    if (a === 0) return '0x0';
    const r = base ?? this.find(a) ?? this.find(a, true);
    if (!r) {
      if (!this.other.has(a)) this.other.set(a, `A${this.other.size + 1}`);
      return this.other.get(a)!;
    }
    return `${r.label}+0x${(a - r.lo).toString(16)}`;
  }
}

export interface NormLine { raw: string; norm: string; kind: string; copy?: [string, string] }

export function normalizeTrace(lines: string[]): NormLine[] {
  const reg = new Regions();
  let pending: number | null = null;
  const out: NormLine[] = [];
  const h = (s: string) => parseInt(s, 16);
  for (const raw of lines) {
    let line = raw;
    let kind = 'out';
    for (const [p, k] of RUNTIME_PREFIXES) if (line.startsWith(p)) kind = k;
    let m = /^stackalloc (\d+)$/.exec(line);
    if (m) pending = Number(m[1]);
    m = /^ {2}allocated (0x[0-9a-f]+)$/.exec(line);
    if (m && pending !== null) { reg.alloc(h(m[1]), pending); pending = null; }
    if (line.startsWith('\tmorebuf=') || line.startsWith('\tsched=')) line = line.replace(/pc:0x[0-9a-f]+/, 'pc:PC');
    m = /^copystack gp=(0x[0-9a-f]+) \[(0x[0-9a-f]+) (0x[0-9a-f]+) (0x[0-9a-f]+)\] -> \[(0x[0-9a-f]+) (0x[0-9a-f]+) (0x[0-9a-f]+)\]\/(\d+)$/.exec(line);
    if (m) {
      const [, g, ol, om, oh, nl, nm, nh, size] = m;
      const ob = reg.find(h(ol)) ?? { lo: h(ol), label: '?' };
      const nb = reg.find(h(nl)) ?? { lo: h(nl), label: '?' };
      const norm = `copystack gp=${reg.name(h(g))} [${reg.name(h(ol), ob)} ${reg.name(h(om), ob)} ${reg.name(h(oh), ob)}] -> ` +
        `[${reg.name(h(nl), nb)} ${reg.name(h(nm), nb)} ${reg.name(h(nh), nb)}]/${size}`;
      out.push({ raw, norm, kind, copy: [ob.label, nb.label] });
      continue;
    }
    m = /^runtime: newstack sp=(0x[0-9a-f]+) stack=\[(0x[0-9a-f]+), (0x[0-9a-f]+)\]$/.exec(line);
    if (m) {
      const [sp, lo, hi] = [h(m[1]), h(m[2]), h(m[3])];
      const b = reg.find(lo) ?? { lo, label: '?' };
      out.push({ raw, norm: `runtime: newstack sp=${reg.name(sp, b)} stack=[${reg.name(lo, b)}, ${reg.name(hi, b)}]`, kind });
      continue;
    }
    const norm = line.replace(HEX, (x) => reg.name(h(x)));
    out.push({ raw, norm, kind });
    m = /^stackfree (0x[0-9a-f]+) \d+$/.exec(line);
    if (m) reg.free(h(m[1]));
  }
  return out;
}

/** Renumbers S<n>/A<n> labels by first appearance. */
export function relabel(seq: string[]): string[] {
  const names = new Map<string, string>();
  const counts = { S: 0, A: 0 };
  return seq.map((s) =>
    s.replace(/\b[SA]\d+\b/g, (k) => {
      if (!names.has(k)) names.set(k, `${k[0]}${++counts[k[0] as 'S' | 'A']}`);
      return names.get(k)!;
    }),
  );
}

/** The main goroutine's view: starts at the first 2048-byte stack allocated. */
export function tierAView(norm: NormLine[]): string[] {
  const lineage = new Set<string>();
  let seenFirst2k = false;
  let lastSize: string | null = null;
  const res: string[] = [];
  norm.forEach((l, i) => {
    if (l.kind === 'stackalloc') lastSize = l.raw.split(' ')[1];
    if (!seenFirst2k && l.raw.startsWith('  allocated ') && lastSize === '2048') {
      seenFirst2k = true;
      const m = /^ {2}allocated (S\d+)\+0x0/.exec(l.norm);
      if (m) lineage.add(m[1]);
    }
    if (l.kind === 'copystack' && l.copy && lineage.has(l.copy[0])) {
      lineage.add(l.copy[1]);
      for (let j = i - 1; j > Math.max(i - 6, -1); j--) {
        if (norm[j].kind === 'shrinking stack') { res.push(norm[j].norm); break; }
      }
      res.push(l.norm);
      if (i + 2 < norm.length && norm[i + 1].kind === 'stackfree' && norm[i + 2].kind === 'stack grow done') res.push('stack grow done');
    } else if (l.kind === 'out') {
      res.push(l.norm);
    }
  });
  return relabel(res);
}

export function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export interface Tiers { A: boolean; B: boolean; C: boolean }

export function compareTiers(real: string, sim: string): Tiers {
  const r = splitLines(real);
  const s = splitLines(sim);
  const rn = normalizeTrace(r);
  const sn = normalizeTrace(s);
  const eq = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  return {
    A: eq(tierAView(rn), tierAView(sn)),
    B: eq(relabel(rn.map((l) => l.norm)), relabel(sn.map((l) => l.norm))),
    C: eq(r.map((l) => l.replace(/\r$/, '')), s),
  };
}
