/**
 * Go 1.21's ssa/schedule.go for one block, step for step: the values with no argument in the
 * block pushed on a container/heap in the block's order, each value popped pushing the users
 * it readies in the order of the block's edges (sorted by their source's ID with sort.Slice),
 * ValHeap.Less ordering the heap. Its entry-block rule makes a NotStmt value (one of no position
 * is NotStmt) and one of a default position unordered both ways, so the heap's layout decides
 * between them and nothing short of the whole list gives the order. Given the block go1.21.13's
 * pass receives, this gives its schedule for every one of the 788 functions dumped (the 782 of
 * test/fixtures/arith and six recorded; test/fixtures/schedule holds 18). Used for entry blocks.
 */
import { GoHeap, goSortSlice } from './go-heap.js';

/** ssa/schedule.go's scores (lower first). */
export const SCORE = { phi: 0, arg: 1, initMem: 2, readTuple: 3, memory: 5, readFlags: 6, default: 7, flags: 8, control: 9 } as const;

/** src.PosIsStmt, PosDefaultStmt, PosNotStmt (a value of no position is NotStmt). */
export type StmtState = 'S' | 'D' | 'N';

export interface SsaValue {
  /** Value IDs order the edges and break the last ties. */
  id: number;
  score: number;
  /** Every argument, memory included (len(v.Args) is a tie-break). */
  args: SsaValue[];
  /** A memory value: the next memory op of the block depends on it. */
  memory: boolean;
  /** Line and column; null for no position. */
  pos: { line: number; col: number } | null;
  state: StmtState;
  aux: bigint;
  /** types.Type.Compare's order: the kind, then an element's (a pointer's). */
  type: number[];
  /** Uses outside the block (a later block's reads, a control): v.Uses counts them too. */
  usesOutside: number;
}

/** Kinds in cmd/compile/internal/types' order (TINT8 = 1 ...). */
const KINDS = ['', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'int', 'uint', 'uintptr',
  'complex64', 'complex128', 'float32', 'float64', 'bool', 'ptr', 'func', 'slice', 'array', 'struct', 'chan', 'map',
  'interface', 'forw', 'any', 'string', 'unsafe.Pointer', 'ideal', 'nil', 'blank', 'funcargs', 'chanargs', 'ssa'];
export const typeKind = (...names: string[]): number[] => names.map((n) => KINDS.indexOf(n));

const wrap64 = (x: bigint) => BigInt.asIntN(64, x);

/** The block's values in schedule order. */
export function schedule121(values: SsaValue[]): SsaValue[] {
  const inBlock = new Set(values);
  const uses = new Map<SsaValue, number>(values.map((v) => [v, v.usesOutside]));
  const usedInBlock = new Set<SsaValue>();
  for (const v of values) for (const a of v.args) { uses.set(a, (uses.get(a) ?? 0) + 1); if (inBlock.has(a)) usedInBlock.add(a); }

  const less = (x: SsaValue, y: SsaValue): boolean => {
    if (x.score !== y.score) return x.score < y.score;
    const ix = usedInBlock.has(x), iy = usedInBlock.has(y);
    if (ix !== iy) return ix;
    const samePos = x.pos === y.pos || (x.pos !== null && y.pos !== null && x.pos.line === y.pos.line && x.pos.col === y.pos.col && x.state === y.state);
    if (!samePos) {
      // "In the entry block, put statement-marked instructions earlier."
      if (x.state !== y.state) return x.state === 'S' && y.state !== 'S';
      return posBefore(x, y);
    }
    if (x.args.length !== y.args.length) return x.args.length > y.args.length;
    const ux = uses.get(x)!, uy = uses.get(y)!;
    if (ux !== uy) return ux > uy;
    // c := x.AuxInt - y.AuxInt in int64, wrapping as Go does.
    const c = wrap64(x.aux - y.aux);
    if (c !== 0n) return c < 0n;
    for (let i = 0; i < Math.max(x.type.length, y.type.length); i++) {
      const kx = x.type[i] ?? -1, ky = y.type[i] ?? -1;
      if (kx !== ky) return kx < ky;
    }
    return x.id < y.id;
  };

  // Edges: argument to user, then a load to the memory op after the one it reads.
  const edges: [SsaValue, SsaValue][] = [];
  for (const v of values) for (const a of v.args) if (inBlock.has(a)) edges.push([a, v]);
  const memoryArg = (v: SsaValue) => { const m = v.args[v.args.length - 1]; return m?.memory ? m : undefined; };
  const nextMem = new Map<SsaValue, SsaValue>();
  for (const v of values) if (v.memory && v.score !== SCORE.initMem) { const m = memoryArg(v); if (m) nextMem.set(m, v); }
  for (const v of values) {
    if (v.memory) continue;
    const w = memoryArg(v);
    const s = w && nextMem.get(w);
    if (s) edges.push([v, s]);
  }
  const sorted = goSortSlice(edges, (e, f) => e[0].id < f[0].id);
  const waiting = new Map<SsaValue, number>(values.map((v) => [v, 0]));
  for (const [, y] of sorted) waiting.set(y, waiting.get(y)! + 1);
  const bySource = new Map<SsaValue, SsaValue[]>();
  for (const [x, y] of sorted) { if (!bySource.has(x)) bySource.set(x, []); bySource.get(x)!.push(y); }

  const heap = new GoHeap<SsaValue>(less);
  for (const v of values) if (waiting.get(v) === 0) heap.push(v);
  const out: SsaValue[] = [];
  while (heap.length) {
    const v = heap.pop();
    out.push(v);
    for (const y of bySource.get(v) ?? []) {
      const n = waiting.get(y)! - 1;
      waiting.set(y, n);
      if (n === 0) heap.push(y);
    }
  }
  return out;
}

/** XPos.Before: no position first, then line, column and the statement bits. */
function posBefore(x: SsaValue, y: SsaValue): boolean {
  if (!x.pos || !y.pos) return !x.pos && !!y.pos;
  if (x.pos.line !== y.pos.line) return x.pos.line < y.pos.line;
  if (x.pos.col !== y.pos.col) return x.pos.col < y.pos.col;
  return 'DSN'.indexOf(x.state) < 'DSN'.indexOf(y.state);
}
