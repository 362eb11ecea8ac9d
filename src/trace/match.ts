/**
 * Matching a trace against an expected trace (a fixture).
 *
 * A fixture line that is exactly `...` stands for any run of output lines, zero or more. The
 * fixture is cut at its `...` lines into segments; each segment must appear in the output, in
 * order and without overlap; the first is anchored at the start unless the fixture starts with
 * `...`, the last at the end unless it ends with `...`.
 *
 * Modes:
 *  - `exact`: lines compare byte for byte.
 *  - `code`: byte for byte but code addresses (`pc:0x..`, `pc=0x..`, the ` +0x..` after a
 *    traceback's `file.go:N`), which the model does not compute: a trace recorded with
 *    `stackdebug record` against one run with `--environ minimal`.
 *  - `normalized`: lines compare after address normalization (./normalize.ts): code addresses
 *    are ignored, an address in a stack compares by its offset, and the stacks and opaque
 *    addresses of the fixture must correspond one to one with those of the output. The
 *    correspondence is built while matching: the first time fixture stack F meets output stack
 *    S, F stands for S from then on (and nothing else may stand for S). Offsets must be equal.
 *    Opaque addresses (gp=, heap) correspond one to one the same way. A fixture address that
 *    normalization could not place in any stack (see ./normalize.ts, elided fixtures) may stand
 *    for an opaque output address or for one stack address (stack and offset), one to one.
 *
 * The search places segments left to right, each at its earliest candidate position (found
 * through an index of the output's lines by their shape), and backtracks when a later segment
 * cannot be placed. Failures are memoized by (segment, the part of the correspondence that can
 * still matter, position): a failure at position p also rules out every later position with the
 * same state, so without correspondences (exact mode, or segments without addresses) each
 * segment is tried O(1) times per state and a fixture of thousands of `...` over an output of
 * 100k+ lines stays linear in practice. A step limit bounds pathological cases; hitting it is
 * reported as a failure (`gaveUp`).
 */
import { ELISION, normalizeTrace, renderLine, hexOff, type AddrRef, type NormLine, type Namer } from './normalize.js';

export type MatchMode = 'exact' | 'code' | 'normalized';

export interface Mismatch {
  /** 0-based index of the first expected line that could not be matched; expected.length when the
   * output goes on after the expected trace ended. */
  expectedLine: number;
  /** 0-based index of the output line it was compared with; actual.length when the output ended. */
  actualLine: number;
  /** Why the lines differ, in words. */
  reason: string;
}

export interface MatchResult {
  ok: boolean;
  mode: MatchMode;
  /** When !ok: the first line that could not be matched (in the closest partial match found). */
  mismatch?: Mismatch;
  /**
   * When !ok: the two sides to diff. `expected` has exactly one line per fixture line (so its
   * line numbers are the fixture's); `...` lines stay, and on the `actual` side the run of output
   * lines each one stood for is collapsed into a `...` line too, so matched parts compare equal.
   * In normalized mode both sides are rendered normalized: stacks as `S<n>+0x<off>` (output
   * stacks numbered by allocation; a fixture stack takes the name of the output stack it was
   * matched with, or `S?<n>` when it was not), opaque addresses as `A<n>` / `A?<n>`, code
   * addresses as `PC`.
   */
  view?: { expected: string[]; actual: string[] };
  /** True when the search hit its step limit before deciding. */
  gaveUp?: boolean;
}

export interface MatchOptions {
  /** Search budget, in line comparisons and correspondence checks (default 10 million). */
  maxSteps?: number;
}

interface Seg {
  /** First expected line of the segment. */
  start: number;
  len: number;
  /** Offset in the segment of its rarest line in the output (the search anchor). */
  anchor: number;
  hasRefs: boolean;
}

/** Expected: one of a run of `...` lines, or a segment. */
type Item = { kind: 'elision'; line: number; beforeSeg: number } | { kind: 'seg'; seg: number };

class Bindings {
  readonly f2a = new Map<string, string>();
  readonly a2f = new Map<string, string>();
  private log: string[] = [];

  /** Bind expected key f to output key a; false on a conflict. */
  bind(f: string, a: string): boolean {
    const x = this.f2a.get(f);
    if (x !== undefined) return x === a;
    if (this.a2f.has(a)) return false;
    this.f2a.set(f, a);
    this.a2f.set(a, f);
    this.log.push(f);
    return true;
  }

  mark(): number {
    return this.log.length;
  }

  undo(m: number): void {
    while (this.log.length > m) {
      const f = this.log.pop()!;
      const a = this.f2a.get(f)!;
      this.f2a.delete(f);
      this.a2f.delete(a);
    }
  }
}

/** The expected-side key of a reference (what must correspond one to one). */
function fKey(r: AddrRef): string {
  return r.kind === 'stack' ? `s${r.stack}` : r.kind === 'heap' ? `h${r.value}` : `a${r.value}`;
}

/** The output-side key an expected reference would bind to, or undefined when they cannot match. */
function aKey(e: AddrRef, a: AddrRef): string | undefined {
  switch (e.kind) {
    case 'stack':
      return a.kind === 'stack' && a.off === e.off ? `s${a.stack}` : undefined;
    case 'heap':
      return a.kind === 'heap' ? `h${a.value}` : undefined;
    case 'addr':
      // An address the fixture cannot place in a stack may stand for any output address.
      return a.kind === 'addr' ? `a${a.value}` : a.kind === 'stack' ? `l${a.stack}:${a.off}` : undefined;
  }
}

function fineShape(l: NormLine): string {
  if (l.refs.length === 0) return l.template + '\u0001';
  return l.template + '\u0001' + l.refs.map((r) => (r.kind === 'stack' ? `S${r.off}` : r.kind === 'heap' ? 'H' : 'A')).join(',');
}

function coarseShape(l: NormLine): string {
  if (l.refs.length === 0) return l.template + '\u0001';
  return l.template + '\u0001' + l.refs.map((r) => (r.kind === 'heap' ? 'H' : 'X')).join(',');
}

function lowerBound(a: number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    if (a[m]! < x) lo = m + 1;
    else hi = m;
  }
  return lo;
}

class GiveUp extends Error {}

/**
 * Match `actual` (the output, one string per line) against `expected` (the fixture lines, where
 * a line `...` stands for any run of lines).
 */
export function matchTrace(expected: string[], actual: string[], mode: MatchMode, opts: MatchOptions = {}): MatchResult {
  const maxSteps = opts.maxSteps ?? 10_000_000;
  if (mode === 'code') return { ...new Matcher(expected.map(maskCode), actual.map(maskCode), 'exact', maxSteps).run(), mode };
  return new Matcher(expected, actual, mode, maxSteps).run();
}

/** A line with its code addresses as `PC` (the `code` mode). */
export function maskCode(line: string): string {
  return line.replace(/pc([:=])0x[0-9a-f]+/g, 'pc$1PC').replace(/(\.(?:go|s):\d+) \+0x[0-9a-f]+/g, '$1 +PC');
}

class Matcher {
  private readonly n: number;
  private readonly eNorm: NormLine[] | undefined;
  private readonly aNorm: NormLine[] | undefined;
  /** Output lines where each output key occurs (`s<stack>`, `h<value>`, `a<value>`), in order. */
  private readonly occ = new Map<string, number[]>();
  /** Last segment holding a line with each key id. */
  private readonly lastSegOfKey = new Map<number, number>();
  /** Expected line key ids; negative entries mark coarse keys (compared with aCoarse). */
  private readonly eKey: Int32Array;
  private readonly eCoarse: Uint8Array;
  private readonly aFine: Int32Array;
  private readonly aCoarse: Int32Array | undefined;
  private readonly fineIndex = new Map<number, number[]>();
  private readonly coarseIndex = new Map<number, number[]>();
  private readonly segs: Seg[] = [];
  private readonly items: Item[] = [];
  private readonly anchoredStart: boolean;
  private readonly anchoredEnd: boolean;
  /** Last segment in which each expected key occurs. */
  private readonly lastSeg = new Map<string, number>();
  private b = new Bindings();
  private steps = 0;
  private limit: number;

  constructor(
    private readonly expected: string[],
    private readonly actual: string[],
    private readonly mode: MatchMode,
    maxSteps: number,
  ) {
    this.limit = maxSteps;
    this.n = actual.length;
    const intern = new Map<string, number>();
    const id = (s: string) => {
      let v = intern.get(s);
      if (v === undefined) intern.set(s, (v = intern.size));
      return v;
    };
    this.eKey = new Int32Array(expected.length);
    this.eCoarse = new Uint8Array(expected.length);
    this.aFine = new Int32Array(this.n);
    if (mode === 'normalized') {
      // Stacks are inferred from bounds only in a fixture with elisions; a whole trace is
      // normalized exactly like the output.
      const en = normalizeTrace(expected, { elisions: expected.includes(ELISION) });
      const an = normalizeTrace(actual);
      this.eNorm = en.lines;
      this.aNorm = an.lines;
      an.lines.forEach((l, i) => {
        for (const r of l.refs) {
          const k = r.kind === 'stack' ? `s${r.stack}` : r.kind === 'heap' ? `h${r.value}` : `a${r.value}`;
          const list = this.occ.get(k);
          if (!list) this.occ.set(k, [i]);
          else if (list[list.length - 1] !== i) list.push(i);
        }
      });
      this.aCoarse = new Int32Array(this.n);
      an.lines.forEach((l, i) => {
        this.aFine[i] = id(fineShape(l));
        this.aCoarse![i] = id(coarseShape(l));
      });
      en.lines.forEach((l, i) => {
        const coarse = l.refs.some((r) => r.kind === 'addr');
        this.eCoarse[i] = coarse ? 1 : 0;
        this.eKey[i] = id(coarse ? coarseShape(l) : fineShape(l));
      });
    } else {
      actual.forEach((l, i) => (this.aFine[i] = id(l)));
      expected.forEach((l, i) => (this.eKey[i] = id(l)));
    }
    this.aFine.forEach((k, i) => push(this.fineIndex, k, i));
    this.aCoarse?.forEach((k, i) => push(this.coarseIndex, k, i));

    // Segments and elisions.
    let i = 0;
    while (i < expected.length) {
      if (expected[i] === ELISION) {
        this.items.push({ kind: 'elision', line: i, beforeSeg: this.segs.length });
        i++;
        continue;
      }
      const start = i;
      while (i < expected.length && expected[i] !== ELISION) i++;
      const seg: Seg = { start, len: i - start, anchor: 0, hasRefs: false };
      let best = Infinity;
      for (let j = start; j < i; j++) {
        const c = this.positions(j).length;
        if (c < best) {
          best = c;
          seg.anchor = j - start;
        }
        this.lastSegOfKey.set(this.eKey[j]!, this.segs.length);
        const refs = this.eNorm?.[j]?.refs ?? [];
        if (refs.length) seg.hasRefs = true;
        for (const r of refs) this.lastSeg.set(fKey(r), this.segs.length);
      }
      this.items.push({ kind: 'seg', seg: this.segs.length });
      this.segs.push(seg);
    }
    this.anchoredStart = expected.length === 0 || expected[0] !== ELISION;
    this.anchoredEnd = expected.length === 0 || expected[expected.length - 1] !== ELISION;
  }

  /** Output positions whose key equals that of expected line j. */
  private positions(j: number): number[] {
    return (this.eCoarse[j] ? this.coarseIndex : this.fineIndex).get(this.eKey[j]!) ?? [];
  }

  private keyEq(e: number, a: number): boolean {
    return (this.eCoarse[e] ? this.aCoarse![a] : this.aFine[a]) === this.eKey[e];
  }

  private tick(k = 1): void {
    this.steps += k;
    if (this.steps > this.limit) throw new GiveUp();
  }

  /** Bind the references of expected line e to those of output line a (keys already equal). */
  private bindLine(e: number, a: number): boolean {
    if (!this.eNorm) return true;
    const er = this.eNorm[e]!.refs;
    const ar = this.aNorm![a]!.refs;
    for (let i = 0; i < er.length; i++) {
      const k = aKey(er[i]!, ar[i]!);
      if (k === undefined || !this.b.bind(fKey(er[i]!), k)) return false;
    }
    return true;
  }

  private bindSeg(k: number, q: number): boolean {
    const s = this.segs[k]!;
    if (!s.hasRefs) return true;
    this.tick(s.len);
    for (let j = 0; j < s.len; j++) if (!this.bindLine(s.start + j, q + j)) return false;
    return true;
  }

  private segKeysAt(k: number, q: number): boolean {
    const s = this.segs[k]!;
    if (q < 0 || q + s.len > this.n) return false;
    for (let j = 0; j < s.len; j++) {
      this.tick();
      if (!this.keyEq(s.start + j, q + j)) return false;
    }
    return true;
  }

  /**
   * Forward check: the last output line at which segment k may end, given the correspondences
   * made so far. An expected key bound to output key a and used again after segment k needs an
   * occurrence of a after segment k's placement.
   */
  private deadline(k: number): number {
    let d = this.n;
    for (const [f, a] of this.b.f2a) {
      if ((this.lastSeg.get(f) ?? -1) > k) {
        const list = this.occurrences(a);
        d = Math.min(d, list.length ? list[list.length - 1]! : -1);
      }
    }
    return d;
  }

  /** Positions >= p where segment k's keys match, in increasing order. */
  private *candidates(k: number, p: number): Generator<number> {
    const s = this.segs[k]!;
    const K = this.segs.length;
    // Segment k placed at q ends at q + len, before the next segment starts.
    const last = this.b.f2a.size ? this.deadline(k) - s.len : this.n;
    if (last < p) return;
    if (k === 0 && this.anchoredStart) {
      if (p === 0 && (!(K === 1 && this.anchoredEnd) || s.len === this.n) && this.segKeysAt(0, 0)) yield 0;
      return;
    }
    if (k === K - 1 && this.anchoredEnd) {
      const q = this.n - s.len;
      if (q >= p && q <= last && this.segKeysAt(k, q)) yield q;
      return;
    }
    // Enumerate the shortest list: the anchor line's key positions, or the occurrences of an
    // output key that a reference of the segment is already bound to.
    let list = this.positions(s.start + s.anchor);
    let at = s.anchor;
    if (s.hasRefs && this.b.f2a.size) {
      for (let j = 0; j < Math.min(s.len, 256); j++) {
        for (const r of this.eNorm![s.start + j]!.refs) {
          const a = this.b.f2a.get(fKey(r));
          if (a === undefined) continue;
          const occ = this.occurrences(a);
          if (occ.length < list.length) {
            list = occ;
            at = j;
          }
        }
      }
    }
    for (let i = lowerBound(list, p + at); i < list.length; i++) {
      const q = list[i]! - at;
      if (q + s.len > this.n || q > last) return;
      if (this.segKeysAt(k, q)) yield q;
    }
  }

  /** The part of the correspondence that can still matter from segment k at output line p. */
  private sig(k: number, p: number): string {
    if (this.b.f2a.size === 0) return '';
    const parts: string[] = [];
    for (const [f, a] of this.b.f2a) {
      if ((this.lastSeg.get(f) ?? -1) >= k) parts.push(`${f}=${a}`);
      else if (this.relevant(a, k, p)) parts.push(`!${a}`);
    }
    return parts.sort().join(' ');
  }

  /** Output lines where output key a (of a binding) occurs. */
  private occurrences(a: string): number[] {
    if (a[0] === 'l') return this.occ.get(`s${a.slice(1, a.indexOf(':'))}`) ?? [];
    return this.occ.get(a) ?? [];
  }

  /**
   * Whether output key a could still be bound from segment k on at output line p: it occurs at
   * or after p in a line whose key some expected line of segment k or later has. (Checks a few
   * occurrences, then assumes so: assuming more only makes memo keys more specific.)
   */
  private relevant(a: string, k: number, p: number): boolean {
    const list = this.occurrences(a);
    const end = Math.min(list.length, lowerBound(list, p) + 64);
    for (let i = lowerBound(list, p); i < end; i++) {
      const l = list[i]!;
      if ((this.lastSegOfKey.get(this.aFine[l]!) ?? -1) >= k) return true;
      if (this.aCoarse && (this.lastSegOfKey.get(this.aCoarse[l]!) ?? -1) >= k) return true;
    }
    return end < list.length;
  }

  // Search state.
  private placements: number[] = [];
  private best: number[] = [];
  private bestDepth = -1;
  private dirty = 0;

  private reached(depth: number): void {
    if (depth > this.bestDepth) {
      for (let i = Math.min(this.dirty, depth); i < depth; i++) this.best[i] = this.placements[i]!;
      this.best.length = depth;
      this.dirty = depth;
      this.bestDepth = depth;
    }
  }

  private place(k: number, q: number): void {
    this.placements[k] = q;
    if (k < this.dirty) this.dirty = k;
  }

  /** Depth-first search over segment placements; true when the whole fixture matches. */
  private search(): boolean {
    const K = this.segs.length;
    const failMin = new Map<string, number>();
    interface Frame {
      k: number;
      p: number;
      key: string;
      it: Generator<number>;
      mark: number;
      lastNoNew: boolean;
      failedNoNew: boolean;
    }
    const stack: Frame[] = [];
    const enter = (k: number, p: number): 'ok' | 'fail' | 'pushed' => {
      this.reached(k);
      if (k === K) return !this.anchoredEnd || p === this.n ? 'ok' : 'fail';
      this.tick(1 + this.b.f2a.size);
      const key = `${k}|${this.sig(k, p)}`;
      const f = failMin.get(key);
      if (f !== undefined && f <= p) return 'fail';
      stack.push({ k, p, key, it: this.candidates(k, p), mark: this.b.mark(), lastNoNew: false, failedNoNew: false });
      return 'pushed';
    };
    const first = enter(0, 0);
    if (first !== 'pushed') return first === 'ok';
    while (stack.length) {
      const fr = stack[stack.length - 1]!;
      const seg = this.segs[fr.k]!;
      this.b.undo(fr.mark);
      let descended = false;
      for (;;) {
        if (fr.failedNoNew && !seg.hasRefs) break;
        const nx = fr.it.next();
        if (nx.done) break;
        const q = nx.value;
        if (!this.bindSeg(fr.k, q)) {
          this.b.undo(fr.mark);
          continue;
        }
        const noNew = this.b.mark() === fr.mark;
        if (noNew && fr.failedNoNew) {
          this.b.undo(fr.mark);
          continue;
        }
        this.place(fr.k, q);
        fr.lastNoNew = noNew;
        const r = enter(fr.k + 1, q + seg.len);
        if (r === 'ok') return true;
        if (r === 'pushed') {
          descended = true;
          break;
        }
        if (noNew) fr.failedNoNew = true;
        this.b.undo(fr.mark);
      }
      if (descended) continue;
      failMin.set(fr.key, Math.min(failMin.get(fr.key) ?? Infinity, fr.p));
      stack.pop();
      const parent = stack[stack.length - 1];
      if (parent && parent.lastNoNew) parent.failedNoNew = true;
    }
    return false;
  }

  run(): MatchResult {
    let gaveUp = false;
    try {
      if (this.search()) return { ok: true, mode: this.mode };
    } catch (e) {
      if (!(e instanceof GiveUp)) throw e;
      gaveUp = true;
    }
    return this.explain(gaveUp);
  }

  // ---- Reporting a failure ----

  /** Rebuild the closest partial match, find the first mismatch and build the diff view. */
  private explain(gaveUp: boolean): MatchResult {
    // A fresh budget for the report.
    const maxSteps = 20_000_000;
    this.steps = 0;
    this.limit = 2 * maxSteps;
    const tick = () => ++this.steps <= maxSteps;
    this.b = new Bindings();
    const K = this.segs.length;
    const depth = Math.max(0, Math.min(this.bestDepth, K));
    const P: number[] = [];
    for (let k = 0; k < depth; k++) {
      P[k] = this.best[k]!;
      this.bindSeg(k, P[k]!);
    }
    let cursor = depth > 0 ? P[depth - 1]! + this.segs[depth - 1]!.len : 0;
    let mismatch: Mismatch;
    if (depth >= K) {
      // All segments placed (or none exist): the output goes on past the end.
      mismatch = { expectedLine: this.expected.length, actualLine: cursor, reason: 'the output goes on after the expected trace ends' };
    } else {
      const s = this.segs[depth]!;
      let qs: number[];
      if (depth === 0 && this.anchoredStart) qs = [0];
      else if (depth === K - 1 && this.anchoredEnd) qs = [Math.max(cursor, this.n - s.len)];
      else qs = [];
      let bestQ = qs[0] ?? cursor;
      let bestLen = -1;
      const measure = (q: number): number => {
        const m = this.b.mark();
        let j = 0;
        while (j < s.len && q + j < this.n && tick() && this.keyEq(s.start + j, q + j) && this.bindLine(s.start + j, q + j)) j++;
        this.b.undo(m);
        return j;
      };
      // The closest place: the longest matching prefix; a first differing line of the same
      // form (only its numbers differ) counts half a line.
      const score = (q: number, l: number) =>
        l + (l < s.len && q + l < this.n && this.similar(s.start + l, q + l) ? 0.5 : 0);
      if (qs.length) bestLen = measure(bestQ);
      else {
        let bestScore = 0;
        for (let q = cursor; q <= this.n && this.steps <= maxSteps; q++) {
          const l = measure(q);
          const sc = score(q, l);
          if (sc > bestScore) {
            bestScore = sc;
            bestLen = l;
            bestQ = q;
            if (l === s.len) break;
          }
        }
        if (bestScore === 0) {
          bestQ = cursor;
          bestLen = 0;
        }
      }
      P[depth] = bestQ;
      for (let j = 0; j < bestLen; j++) this.bindLine(s.start + j, bestQ + j);
      const e = s.start + bestLen;
      const a = bestQ + bestLen;
      if (bestLen === s.len) {
        mismatch = { expectedLine: e, actualLine: a, reason: a < this.n ? 'the output goes on here' : 'the output ends here' };
      } else {
        mismatch = { expectedLine: e, actualLine: a, reason: a >= this.n ? 'the output ends here' : this.why(e, a) };
      }
      // Line up the rest leniently, for the diff.
      this.bindLoose(depth, bestQ, bestLen);
      cursor = Math.min(this.n, bestQ + s.len);
      for (let k = depth + 1; k < K; k++) {
        const sk = this.segs[k]!;
        let q: number | undefined;
        if (k === K - 1 && this.anchoredEnd) q = Math.max(cursor, this.n - sk.len);
        else {
          let firstKey: number | undefined;
          let tries = 0;
          try {
            for (const c of this.candidates(k, cursor)) {
              firstKey ??= c;
              const m = this.b.mark();
              if (this.bindSeg(k, c)) {
                q = c;
                break;
              }
              this.b.undo(m);
              if (++tries > 1000) break;
            }
          } catch (err) {
            if (!(err instanceof GiveUp)) throw err;
          }
          q ??= firstKey ?? cursor;
        }
        P[k] = q;
        this.bindLoose(k, q, 0);
        cursor = Math.min(this.n, q + sk.len);
      }
    }
    if (gaveUp) mismatch.reason = `gave up looking for a consistent match (search limit); closest: ${mismatch.reason}`;
    return { ok: false, mode: this.mode, mismatch, view: this.view(P), gaveUp: gaveUp || undefined };
  }

  /** Bind what still can be bound of segment k placed at q, from line `from` on. */
  private bindLoose(k: number, q: number, from: number): void {
    const s = this.segs[k]!;
    for (let j = from; j < s.len && q + j < this.n; j++) {
      if (!this.keyEq(s.start + j, q + j)) continue;
      const m = this.b.mark();
      if (!this.bindLine(s.start + j, q + j)) this.b.undo(m);
    }
  }

  /** Whether expected line e and output line a differ only in their numbers. */
  private similar(e: number, a: number): boolean {
    if (this.eNorm) return this.eNorm[e]!.template === this.aNorm![a]!.template;
    const skeleton = (l: string) => l.replace(/0x[0-9a-f]+|\d+/g, '#');
    return skeleton(this.expected[e]!) === skeleton(this.actual[a]!);
  }

  /** Why expected line e does not match output line a. */
  private why(e: number, a: number): string {
    if (!this.eNorm) return 'the lines differ';
    const el = this.eNorm[e]!;
    const al = this.aNorm![a]!;
    if (el.template !== al.template || el.refs.length !== al.refs.length) return 'the lines differ';
    const names = this.namer();
    for (let i = 0; i < el.refs.length; i++) {
      const er = el.refs[i]!;
      const ar = al.refs[i]!;
      const nth = el.refs.length > 1 ? `address ${i + 1} (${er.raw})` : `the address (${er.raw})`;
      const out = ar.kind === 'stack' ? `${names.a.stack(ar.stack)}+${hexOff(ar.off)}` : names.a.opaque(ar);
      if (er.kind === 'stack' && ar.kind !== 'stack') return `${nth} is in a stack, the output's (${ar.raw}) is in none`;
      if (er.kind === 'heap' && ar.kind !== 'heap') return `${nth} differs in kind from the output's (${ar.raw})`;
      if (er.kind === 'addr' && ar.kind === 'heap') return `${nth} differs in kind from the output's (${ar.raw})`;
      if (er.kind === 'stack' && ar.kind === 'stack' && er.off !== ar.off)
        return `${nth} is at offset ${hexOff(er.off)} in its stack, the output's is at ${hexOff(ar.off)} (${out})`;
      const fk = fKey(er);
      const ak = aKey(er, ar)!;
      const bound = this.b.f2a.get(fk);
      if (bound !== undefined && bound !== ak)
        return `${nth} was matched with output ${names.a.key(bound)} earlier, here the output has ${out}`;
      const owner = this.b.a2f.get(ak);
      if (bound === undefined && owner !== undefined)
        return `${nth}: output ${out} was matched with another address of the expected trace earlier`;
    }
    return 'the lines differ';
  }

  // ---- Rendering ----

  private names?: { e: Namer; a: Namer & { key(k: string): string } };

  private namer(): { e: Namer; a: Namer & { key(k: string): string } } {
    if (this.names) return this.names;
    const opaqueNames = new Map<string, string>();
    for (const l of this.aNorm ?? [])
      for (const r of l.refs) if (r.kind !== 'stack' && !opaqueNames.has(r.value)) opaqueNames.set(r.value, `A${opaqueNames.size + 1}`);
    const a = {
      stack: (id: number) => `S${id}`,
      opaque: (r: AddrRef & { kind: 'heap' | 'addr' }) => opaqueNames.get(r.value) ?? `A(${r.value})`,
      key: (k: string): string => {
        if (k[0] === 's') return `S${k.slice(1)}`;
        if (k[0] === 'l') {
          const [id, off] = k.slice(1).split(':');
          return `S${id}+${hexOff(Number(off))}`;
        }
        return opaqueNames.get(k.slice(1)) ?? `A(${k.slice(1)})`;
      },
    };
    const unboundStacks = new Map<number, string>();
    const unboundOpaque = new Map<string, string>();
    const e: Namer = {
      stack: (id) => {
        const k = this.b.f2a.get(`s${id}`);
        if (k) return a.key(k);
        let s = unboundStacks.get(id);
        if (!s) unboundStacks.set(id, (s = `S?${unboundStacks.size + 1}`));
        return s;
      },
      opaque: (r) => {
        const k = this.b.f2a.get(fKey(r));
        if (k) return a.key(k);
        let s = unboundOpaque.get(r.value);
        if (!s) unboundOpaque.set(r.value, (s = `A?${unboundOpaque.size + 1}`));
        return s;
      },
    };
    return (this.names = { e, a });
  }

  private view(P: number[]): { expected: string[]; actual: string[] } {
    const names = this.eNorm ? this.namer() : undefined;
    const eLine = (i: number) => (names ? renderLine(this.eNorm![i]!, names.e) : this.expected[i]!);
    const aLine = (i: number) => (names ? renderLine(this.aNorm![i]!, names.a) : this.actual[i]!);
    const exp: string[] = [];
    const act: string[] = [];
    let cursor = 0;
    for (const it of this.items) {
      if (it.kind === 'elision') {
        exp.push(ELISION);
        act.push(ELISION);
        const end = it.beforeSeg < this.segs.length ? P[it.beforeSeg]! : this.n;
        cursor = Math.max(cursor, end);
        continue;
      }
      const s = this.segs[it.seg]!;
      const q = P[it.seg]!;
      // Output lines skipped between segments that no `...` covers (only after the mismatch).
      for (; cursor < q; cursor++) act.push(aLine(cursor));
      for (let j = 0; j < s.len; j++) exp.push(eLine(s.start + j));
      const end = Math.min(this.n, q + s.len);
      for (cursor = Math.max(cursor, q); cursor < end; cursor++) act.push(aLine(cursor));
    }
    for (; cursor < this.n; cursor++) act.push(aLine(cursor));
    return { expected: exp, actual: act };
  }
}

function push(m: Map<number, number[]>, k: number, i: number): void {
  const l = m.get(k);
  if (l) l.push(i);
  else m.set(k, [i]);
}
