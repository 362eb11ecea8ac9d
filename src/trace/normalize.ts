/**
 * Address normalization for stackDebug traces.
 *
 * Two runs of the same program print different addresses, but the same stack layout. To compare
 * them, every hexadecimal number of a line is classified:
 *
 *  - code addresses (`pc:0x..`, `pc=0x..`, and the ` +0x..` pc offset after `file.go:N` in a
 *    traceback) are ignored: they render as `PC` and always compare equal;
 *  - small values (below 0x1000, e.g. `lr:0x0`, `ctxt:0x0`, argument words) are not addresses
 *    and stay as they are;
 *  - an address inside a known goroutine stack becomes a stack reference (stack, offset). Stacks
 *    are tracked as the runtime reports them: `stackalloc N` + `  allocated 0x..` creates one,
 *    `stackfree 0x.. N` ends it, and an address is resolved against the stacks live at that line;
 *  - every other address (`gp=`/`mp=` runtime objects, heap pointers the program prints, system
 *    stacks in a traceback) is opaque: it is known by its value only.
 *
 * A stack's identity is its allocation, numbered by first appearance (S1, S2, ... as in
 * tracecmp.py), never its address: the matcher pairs stacks of two traces by identity.
 *
 * ## Traces with `...` elisions (hand-written fixtures)
 *
 * A fixture may start mid-trace or skip the `stackalloc` of a stack it later mentions, so stacks
 * are also inferred from the lines that state their bounds (option `elisions`, which the matcher
 * sets for a fixture that has at least one `...` line):
 *
 *  1. A line that states bounds resolves its own addresses against them:
 *     `copystack gp=G [lo used hi] -> [lo used hi]/size` (old and new stack),
 *     `runtime: newstack sp=.. stack=[lo, hi]`, `runtime: sp=.. stack=[lo, hi]` (overflow) and
 *     `stackfree 0x.. N`. A live stack with the same base (and the same end, or an end not yet
 *     known) is that stack; otherwise a new stack is inferred and every live stack overlapping it
 *     is taken as freed (its `stackfree` was elided).
 *  2. `  allocated 0x..` whose `stackalloc N` was elided gives a stack base; its end is the one
 *     the next line stating bounds for the same base gives (rule 1), else it stays unknown.
 *  3. Any other address: the live stack containing it (its end counts too, as in tracecmp.py);
 *     else the nearest stack base below it whose end is unknown (rule 2);
 *     else, looking ahead, the nearest later line that states bounds containing it (rule 1):
 *     that stack is taken to be live already (e.g. `println(&x)` before an elided growth);
 *     else the address stays opaque ("addr"): the matcher then lets it stand for any address of
 *     the other trace, stack or not, as long as the correspondence is one to one.
 *  4. A `...` line forgets a pending `stackalloc N` size. A stack stays the same stack across an
 *     elision until its `stackfree` is seen or an overlapping stack is inferred: a fixture that
 *     elides both the free and the reallocation of one address range takes them as one stack.
 *
 * On a complete trace (no elisions) rules 1-3 reduce to tracecmp.py's tracking: every stack has
 * its `stackalloc`, so nothing is inferred and nothing is looked up ahead.
 */

import { hex } from '../runtime/print.js';

/** A classified address in a line; its place in the line is a `\0` in the template. */
export type AddrRef =
  /** An address inside a stack: `stack` is the stack's identity, `off` the offset from its base. */
  | { kind: 'stack'; stack: number; off: number; raw: string }
  /** A runtime object named by a field (`gp=`, `mp=`): opaque. */
  | { kind: 'heap'; value: string; raw: string }
  /** Any other address, in no known stack: opaque. */
  | { kind: 'addr'; value: string; raw: string };

export interface NormLine {
  /** The raw line. */
  raw: string;
  /** The line with each address replaced by `\0` and each code address by `PC`. */
  template: string;
  refs: AddrRef[];
  /** True for a `...` elision line (only when normalizing with `elisions`). */
  elision?: boolean;
}

export interface StackInfo {
  id: number;
  lo: number;
  /** Undefined while the end is unknown (an elided `stackalloc`). */
  hi: number | undefined;
  /** Index of the first line that mentions the stack. */
  firstLine: number;
  /** Index of the last line that mentions the stack. */
  lastLine: number;
  /** True when the stack was inferred from bounds rather than seen allocated. */
  inferred: boolean;
}

export interface NormalizedTrace {
  lines: NormLine[];
  stacks: StackInfo[];
  /** Last line index where each opaque value (`heap`/`addr` ref) appears. */
  opaqueLastLine: Map<string, number>;
}

export interface NormalizeOptions {
  /** Treat lines that are exactly `...` as elisions and infer stacks from bounds (fixtures). */
  elisions?: boolean;
}

export const ELISION = '...';
/** Stands for an address in a template. */
export const SLOT = '\0';

const H = '0x[0-9a-f]+';
const RE_STACKALLOC = /^stackalloc (\d+)$/;
const RE_ALLOCATED = new RegExp(`^  allocated (${H})$`);
const RE_STACKFREE = new RegExp(`^stackfree (${H}) (\\d+)$`);
const RE_COPYSTACK = new RegExp(
  `^copystack gp=(${H}) \\[(${H}) (${H}) (${H})\\] -> \\[(${H}) (${H}) (${H})\\]/(\\d+)$`,
);
const RE_BOUNDS = new RegExp(`^(runtime: newstack sp|runtime: sp)=(${H}) stack=\\[(${H}), (${H})\\]$`);
/** A hex number, with the context that classifies it. */
const RE_HEX = /(pc[:=]|gp=|mp=|\.\w+:\d+ \+)?(?<![0-9A-Za-z_])0x[0-9a-f]+/g;

/** Numbers below this are values, not addresses. */
const SMALL = 0x1000;

function parseHex(s: string): number {
  return Number.parseInt(s.slice(2), 16);
}

interface Region {
  id: number;
  lo: number;
  hi: number | undefined;
  /** Put live by look-ahead before the line that states it. */
  provisional: boolean;
}

interface BoundsDef {
  line: number;
  lo: number;
  hi: number;
}

class Tracker {
  /** Live regions sorted by lo; they never overlap. */
  private live: Region[] = [];
  readonly stacks: StackInfo[] = [];
  private defs: BoundsDef[] = [];
  private aheadCache = new Map<number, BoundsDef[]>();
  line = 0;

  constructor(private readonly infer: boolean) {}

  setDefs(defs: BoundsDef[]): void {
    this.defs = defs;
  }

  private index(lo: number): number {
    // first index with live[i].lo >= lo
    let a = 0;
    let b = this.live.length;
    while (a < b) {
      const m = (a + b) >> 1;
      if (this.live[m]!.lo < lo) a = m + 1;
      else b = m;
    }
    return a;
  }

  private touch(r: Region): number {
    const s = this.stacks[r.id - 1]!;
    s.lastLine = this.line;
    s.hi = r.hi;
    return r.id;
  }

  private create(lo: number, hi: number | undefined, inferred: boolean, provisional = false): Region {
    this.retireOverlapping(lo, hi);
    const r: Region = { id: this.stacks.length + 1, lo, hi, provisional };
    this.stacks.push({ id: r.id, lo, hi, firstLine: this.line, lastLine: this.line, inferred });
    this.live.splice(this.index(lo), 0, r);
    return r;
  }

  private retireOverlapping(lo: number, hi: number | undefined): void {
    const end = hi ?? lo + 1;
    this.live = this.live.filter((r) => {
      const rend = r.hi ?? r.lo + 1;
      return rend <= lo || r.lo >= end;
    });
  }

  /** `stackalloc N` + `  allocated lo`: always a new stack (unless look-ahead already put it live). */
  allocated(lo: number, size: number | undefined): number {
    const i = this.index(lo);
    const r = this.live[i];
    if (r && r.lo === lo && r.provisional && (size === undefined || r.hi === lo + size)) {
      r.provisional = false;
      return this.touch(r);
    }
    let hi = size === undefined ? undefined : lo + size;
    // An elided stackalloc: the size may be stated by a later line about the same base.
    if (hi === undefined) hi = this.defs.find((d) => d.line > this.line && d.lo === lo)?.hi;
    return this.touch(this.create(lo, hi, false));
  }

  /** A line states a stack [lo, hi): the live one with these bounds, or a new inferred one. */
  bounds(lo: number, hi: number): Region {
    const i = this.index(lo);
    const r = this.live[i];
    if (r && r.lo === lo && (r.hi === undefined || r.hi === hi)) {
      r.hi = hi;
      r.provisional = false;
      this.touch(r);
      return r;
    }
    const n = this.create(lo, hi, true);
    this.touch(n);
    return n;
  }

  free(r: Region): void {
    this.live = this.live.filter((x) => x !== r);
  }

  /** Resolve an address against live stacks (rule 3); undefined when it is in none. */
  find(a: number, lookahead = true): { r: Region; off: number } | undefined {
    const i = this.index(a + 1) - 1; // last region with lo <= a
    const r = i >= 0 ? this.live[i] : undefined;
    if (r) {
      if (r.hi !== undefined && a < r.hi) return { r, off: a - r.lo };
      if (r.hi === undefined && this.infer) return { r, off: a - r.lo };
      if (r.hi === a) return { r, off: a - r.lo };
    }
    if (this.infer && lookahead) {
      const def = this.ahead(a);
      if (def) {
        const n = this.create(def.lo, def.hi, true, true);
        return { r: n, off: a - n.lo };
      }
    }
    return undefined;
  }

  /** The nearest later line stating bounds that contain a. */
  private ahead(a: number): BoundsDef | undefined {
    let list = this.aheadCache.get(a);
    if (!list) {
      list = this.defs.filter((d) => d.lo <= a && a <= d.hi);
      this.aheadCache.set(a, list);
    }
    for (const d of list) if (d.line > this.line) return d;
    return undefined;
  }

  ref(r: Region, a: number, raw: string): AddrRef {
    this.touch(r);
    return { kind: 'stack', stack: r.id, off: a - r.lo, raw };
  }
}

/** Bounds stated by one line, for look-ahead. */
function collectDefs(lines: string[]): BoundsDef[] {
  const defs: BoundsDef[] = [];
  let pending: number | undefined;
  lines.forEach((line, i) => {
    let m: RegExpMatchArray | null;
    if (line === ELISION) pending = undefined;
    else if ((m = line.match(RE_STACKALLOC))) pending = Number(m[1]);
    else if ((m = line.match(RE_ALLOCATED)) && pending !== undefined) {
      const lo = parseHex(m[1]!);
      defs.push({ line: i, lo, hi: lo + pending });
      pending = undefined;
    } else if ((m = line.match(RE_STACKFREE))) {
      const lo = parseHex(m[1]!);
      defs.push({ line: i, lo, hi: lo + Number(m[2]) });
    } else if ((m = line.match(RE_COPYSTACK))) {
      defs.push({ line: i, lo: parseHex(m[2]!), hi: parseHex(m[4]!) });
      defs.push({ line: i, lo: parseHex(m[5]!), hi: parseHex(m[7]!) });
    } else if ((m = line.match(RE_BOUNDS))) {
      defs.push({ line: i, lo: parseHex(m[3]!), hi: parseHex(m[4]!) });
    }
  });
  return defs;
}

/** Normalize every line of a trace (see the module comment for the rules). */
export function normalizeTrace(lines: string[], opts: NormalizeOptions = {}): NormalizedTrace {
  const infer = !!opts.elisions;
  const t = new Tracker(infer);
  if (infer) t.setDefs(collectDefs(lines));
  const out: NormLine[] = [];
  const opaqueLastLine = new Map<string, number>();
  let pending: number | undefined;

  const opaque = (kind: 'heap' | 'addr', raw: string): AddrRef => {
    opaqueLastLine.set(raw, t.line);
    return { kind, value: raw, raw };
  };
  /** A generic address: live stack, inferred stack, or opaque. */
  const generic = (raw: string): AddrRef | string => {
    const a = parseHex(raw);
    if (a < SMALL) return raw;
    if (!Number.isSafeInteger(a)) return opaque('addr', raw);
    const f = t.find(a);
    return f ? t.ref(f.r, a, raw) : opaque('addr', raw);
  };
  /** An address resolved against a region stated by the same line. */
  const within = (r: Region, raw: string): AddrRef | string => {
    const a = parseHex(raw);
    if (a === 0) return raw;
    return t.ref(r, a, raw);
  };
  const build = (raw: string, parts: (string | AddrRef)[]): NormLine => {
    let template = '';
    const refs: AddrRef[] = [];
    for (const p of parts) {
      if (typeof p === 'string') template += p;
      else {
        template += SLOT;
        refs.push(p);
      }
    }
    return { raw, template, refs };
  };

  for (let i = 0; i < lines.length; i++) {
    t.line = i;
    const line = lines[i]!;
    let m: RegExpMatchArray | null;
    if (infer && line === ELISION) {
      pending = undefined;
      out.push({ raw: line, template: line, refs: [], elision: true });
      continue;
    }
    if ((m = line.match(RE_STACKALLOC))) {
      pending = Number(m[1]);
      out.push({ raw: line, template: line, refs: [] });
      continue;
    }
    if ((m = line.match(RE_ALLOCATED)) && (pending !== undefined || infer)) {
      const lo = parseHex(m[1]!);
      const id = t.allocated(lo, pending);
      pending = undefined;
      out.push(build(line, ['  allocated ', { kind: 'stack', stack: id, off: 0, raw: m[1]! }]));
      continue;
    }
    if ((m = line.match(RE_STACKFREE))) {
      const lo = parseHex(m[1]!);
      const size = Number(m[2]);
      const found = t.find(lo, false);
      let ref: AddrRef | string;
      if (found && found.off === 0) {
        ref = t.ref(found.r, lo, m[1]!);
        t.free(found.r);
      } else if (infer) {
        const r = t.bounds(lo, lo + size);
        ref = t.ref(r, lo, m[1]!);
        t.free(r);
      } else {
        ref = generic(m[1]!);
      }
      out.push(build(line, ['stackfree ', ref, ` ${m[2]}`]));
      continue;
    }
    if ((m = line.match(RE_COPYSTACK))) {
      const [, g, ol, om, oh, nl, nm, nh, size] = m as unknown as string[];
      const gp: AddrRef | string = parseHex(g!) < SMALL ? g! : opaque('heap', g!);
      const old = regionFor(t, ol!, oh!, infer);
      const nw = regionFor(t, nl!, nh!, infer);
      const side = (r: Region | undefined, raw: string) => (r ? within(r, raw) : generic(raw));
      out.push(
        build(line, [
          'copystack gp=', gp, ' [', side(old, ol!), ' ', side(old, om!), ' ', side(old, oh!), '] -> [',
          side(nw, nl!), ' ', side(nw, nm!), ' ', side(nw, nh!), `]/${size}`,
        ]),
      );
      continue;
    }
    if ((m = line.match(RE_BOUNDS))) {
      const [, head, sp, lo, hi] = m as unknown as string[];
      const r = regionFor(t, lo!, hi!, infer);
      const side = (raw: string) => (r ? within(r, raw) : generic(raw));
      out.push(build(line, [`${head}=`, side(sp!), ' stack=[', side(lo!), ', ', side(hi!), ']']));
      continue;
    }
    // Any other line: classify each hex number by its context.
    const parts: (string | AddrRef)[] = [];
    let last = 0;
    RE_HEX.lastIndex = 0;
    let h: RegExpExecArray | null;
    while ((h = RE_HEX.exec(line))) {
      const prefix = h[1] ?? '';
      const hex = h[0].slice(prefix.length);
      parts.push(line.slice(last, h.index) + prefix);
      last = h.index + h[0].length;
      if (prefix.startsWith('pc') || prefix.endsWith('+')) parts.push('PC');
      else if (parseHex(hex) < SMALL) parts.push(hex);
      else if (prefix === 'gp=' || prefix === 'mp=') parts.push(opaque('heap', hex));
      else parts.push(generic(hex));
    }
    parts.push(line.slice(last));
    out.push(build(line, parts));
  }
  return { lines: out, stacks: t.stacks, opaqueLastLine };
}

/**
 * The region a line states with [lo .. hi]. On a complete trace it must be live already
 * (allocated earlier); else the line's addresses are resolved one by one.
 */
function regionFor(t: Tracker, loRaw: string, hiRaw: string, infer: boolean): Region | undefined {
  const lo = parseHex(loRaw);
  const hi = parseHex(hiRaw);
  if (!(hi > lo) || lo < SMALL || !Number.isSafeInteger(hi)) return undefined;
  if (infer) return t.bounds(lo, hi);
  const f = t.find(lo);
  return f && f.off === 0 ? f.r : undefined;
}

/** Names for rendering normalized lines. */
export interface Namer {
  stack(id: number): string;
  opaque(ref: AddrRef & { kind: 'heap' | 'addr' }): string;
}

/** An offset within a stack, in the runtime's hex spelling. */
export const hexOff = hex;

/** Render a normalized line: stacks as `S<n>+0x<off>`, opaque addresses by name, code as `PC`. */
export function renderLine(l: NormLine, names: Namer): string {
  if (l.refs.length === 0) return l.template;
  let i = 0;
  return l.template.replace(/\0/g, () => {
    const r = l.refs[i++]!;
    return r.kind === 'stack' ? `${names.stack(r.stack)}+${hexOff(r.off)}` : names.opaque(r);
  });
}

/**
 * The normalized form of a whole trace, like `tracecmp.py --show B`: stacks named S1, S2, ... and
 * opaque addresses A1, A2, ... by first appearance.
 */
export function normalizeLines(lines: string[], opts: NormalizeOptions = {}): string[] {
  const n = normalizeTrace(lines, opts);
  const stackNames = new Map<number, string>();
  const opaqueNames = new Map<string, string>();
  const names: Namer = {
    stack: (id) => {
      let s = stackNames.get(id);
      if (!s) stackNames.set(id, (s = `S${stackNames.size + 1}`));
      return s;
    },
    opaque: (r) => {
      let s = opaqueNames.get(r.value);
      if (!s) opaqueNames.set(r.value, (s = `A${opaqueNames.size + 1}`));
      return s;
    },
  };
  return n.lines.map((l) => renderLine(l, names));
}

/** Split a file's text into lines: a final newline ends the last line, it does not add one. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}
