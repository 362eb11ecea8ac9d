/**
 * The runtime's frames as a later release makes them: Go 1.19's measured call tree
 * (runtime-calls-1.19.json) with that release's frames, measured by its compiler
 * (scripts/runtime-frames.ts), and the calls it makes differently (src/profiles/tree-changes.ts).
 */
import type { Raw } from './rtcalls.js';
import frames119 from '../profiles/runtime-frames-1.19.json' with { type: 'json' };

/** A release's frames for runtime functions: scripts/runtime-frames.ts, runtime-frames-1.NN.json. */
export interface RuntimeFrames {
  /** 'go1.22.12 linux/amd64' */
  version: string;
  frames: Record<string, { frame: number; nosplit: boolean }>;
  /** What each function calls, in address order: [callee, file:line of the return address]. */
  calls?: Record<string, string[][]>;
}

/**
 * The line of a return address in another release: Go 1.19's measured `ret` picks one of the
 * caller's calls of the callee, and the release's call at the same place in address order is
 * that one (where both have as many; otherwise 1.19's line is kept).
 */
function retIn(table: RuntimeFrames, caller: string, callee: string, ret: string): string {
  const named = callee.replace(/\.abi0$/, '');
  const sitesOf = (t: RuntimeFrames) => (t.calls?.[caller] ?? []).filter(([c]) => c === named);
  const own = sitesOf(frames119 as RuntimeFrames);
  const theirs = sitesOf(table);
  const k = own.findIndex(([, r]) => r === ret);
  return (k >= 0 && theirs.length === own.length ? theirs[k]![1] : undefined) ?? ret;
}

/**
 * A call in a tree of calls: the function and, in order, what it calls; `when`, a condition of
 * its own under the one it is added with.
 */
export interface Call {
  fn: string; calls?: Call[]; when?: string;
  /** By release (1.NN: NN), the line of the return address where the caller makes several such calls. */
  ret?: Record<number, string>;
}

/**
 * How later releases call differently from Go 1.19's tree, read from their source, for releases
 * 1.`since` to 1.`until`: 'add', calls every `parent` frame makes, before its other callees or
 * after the callee `after`, conditional as `when` says (else as the parent is); 'remove', a call
 * of `parent`'s no longer made, with everything under it; 'rename', a callee of `parent`'s now
 * named `to`.
 */
export type TreeChange = { parent: string; since: number; until?: number; why: string } & (
  | { change: 'add'; calls: Call[]; after?: string; when?: string; under?: string; notUnder?: string }
  | { change: 'remove'; fn: string }
  | { change: 'rename'; fn: string; to: string }
);

/** The minor release of a 'go1.22.12 linux/amd64' version line. */
const minor = (version: string) => Number(/^go1\.(\d+)/.exec(version)![1]);

/** The minor release whose frames a table holds (22 for go1.22.12). */
export const releaseOf = (table: RuntimeFrames) => minor(table.version);

type Tree = Record<string, unknown>;
const isFrames = (v: unknown): v is Raw[] => Array.isArray(v) && v.length > 0 && typeof v[0]?.depth === 'number';
const isObject = (v: unknown): v is Tree => !!v && typeof v === 'object' && !Array.isArray(v);

/** Every list of frames in the data file's layout, with the object holding it and its key. */
function* frameLists(o: Tree): Generator<[Tree, string, Raw[]]> {
  for (const [k, v] of Object.entries(o)) {
    if (isFrames(v)) yield [o, k, v];
    else if (isObject(v)) yield* frameLists(v);
  }
}

/** A list of frames as a release makes the calls: TreeChanges applied (frames and entries unset). */
function changedCalls(list: Raw[], changes: TreeChange[], table: RuntimeFrames, release: number): Raw[] {
  const adds = changes.filter((c) => c.change === 'add');
  const removed = (parent: string, fn: string) => changes.some((c) => c.change === 'remove' && c.parent === parent && c.fn === fn);
  const frames = (calls: Call[], depth: number, when: string | undefined, caller: string): Raw[] => calls.flatMap((c) =>
    withAdds({ fn: c.fn, frame: 0, entry: 0, nosplit: false, depth, ret: c.ret?.[release] ?? null, ...(c.when ?? when ? { when: c.when ?? when } : {}) }, c.calls ?? [], caller));
  // Whether an added call applies to parent frame f, which `caller` called.
  const applies = (c: TreeChange & { change: 'add' }, f: Raw, caller: string | undefined) =>
    c.parent === f.fn && (!c.under || c.under === caller) && (!c.notUnder || c.notUnder !== caller);
  // A frame with what it calls first: the added calls (and theirs), then `calls`.
  function withAdds(f: Raw, calls: Call[], caller: string | undefined): Raw[] {
    const first = adds.filter((c) => applies(c, f, caller) && !c.after);
    return [f, ...first.flatMap((c) => frames(c.calls, f.depth + 1, c.when ?? f.when, f.fn)), ...frames(calls, f.depth + 1, f.when, f.fn)];
  }
  const out: Raw[] = [];
  const parents: Raw[] = [];
  // Calls to add once the subtree of the callee they follow has ended.
  let pending: { depth: number; frames: Raw[] } | null = null;
  let removedDepth = Infinity;
  for (const f of list) {
    if (pending && f.depth <= pending.depth) { out.push(...pending.frames); pending = null; }
    if (f.depth <= removedDepth) removedDepth = Infinity;
    else continue; // under a removed call
    const parent = parents[f.depth - 1];
    if (parent && removed(parent.fn, f.fn)) {
      removedDepth = f.depth;
      continue;
    }
    const rename = parent && changes.find((c) => c.change === 'rename' && c.parent === parent.fn && c.fn === f.fn);
    if (rename && rename.change === 'rename') f.fn = rename.to;
    if (parent && f.ret) f.ret = retIn(table, parent.fn, f.fn, f.ret);
    parents[f.depth] = f;
    out.push(...withAdds(f, [], parent?.fn));
    const later = parent ? adds.filter((c) => applies(c, parent, parents[parent.depth - 1]?.fn) && c.after === f.fn) : [];
    if (later.length) pending = { depth: f.depth, frames: later.flatMap((c) => frames(c.calls, f.depth, c.when ?? parent!.when, parent!.fn)) };
  }
  if (pending) out.push(...pending.frames);
  return out;
}

/**
 * Gives each frame of a list its frame and NOSPLIT (frameOf) and its entry: a child's is its
 * parent's entry + frame + 8. `context` is the list this one continues, if it does.
 */
function restack(list: Raw[], context: Raw[] | null, frameOf: (fn: string) => { frame: number; nosplit: boolean } | undefined): void {
  const byDepth: Raw[] = [];
  for (const f of context ?? []) byDepth[f.depth] = f;
  for (const f of list) {
    const t = frameOf(f.fn);
    if (t) { f.frame = t.frame; f.nosplit = t.nosplit; }
    const parent = byDepth[f.depth - 1];
    f.entry = f.depth === 1 ? 8 : parent ? parent.entry + parent.frame + 8 : f.entry;
    byDepth[f.depth] = f;
    byDepth.length = f.depth + 1;
  }
}

/**
 * Go 1.19's call tree with another release's frames: every frame and NOSPLIT taken from the
 * table (functions it lacks keep theirs), every entry recomputed down the tree, and the bytes in
 * use while parked with them (gopark's entry + frame). A list that does not start at depth 1
 * continues its object's beforePark.
 */
export function reframed(tree: Record<string, any>, table: RuntimeFrames, treeChanges: TreeChange[]): Record<string, any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  // Go 1.19's frame of each function: for an added call the table does not have (assembly).
  const own = new Map<string, Raw>();
  for (const [, , list] of frameLists(tree)) for (const f of list) if (!own.has(f.fn)) own.set(f.fn, f);
  const frameOf = (fn: string) => table.frames[fn] ?? own.get(fn);
  const release = releaseOf(table);
  const changes = treeChanges.filter((c) => release >= c.since && release <= (c.until ?? Infinity));
  const copy = structuredClone(tree) as Tree;
  for (const [o, k, list] of [...frameLists(copy)]) o[k] = changedCalls(list, changes, table, release);
  (function visit(o: Tree) {
    const before = isFrames(o.beforePark) ? o.beforePark : null;
    if (before) restack(before, null, frameOf);
    for (const [k, v] of Object.entries(o)) {
      if (k === 'beforePark') continue;
      if (isFrames(v)) restack(v, v[0]!.depth === 1 ? null : before, frameOf);
      else if (isObject(v)) visit(v);
    }
    const park = o.park as { fn: string; parkedUsed: number } | undefined;
    if (before && park) {
      const gopark = before.filter((f) => f.fn === park.fn).pop()!;
      park.parkedUsed = gopark.entry + gopark.frame;
    }
  })(copy);
  return copy;
}
