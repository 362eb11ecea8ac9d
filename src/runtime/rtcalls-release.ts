/**
 * The runtime's frames as a later release makes them: Go 1.19's measured call tree
 * (runtime-calls-1.19.json) with that release's frames, measured by its compiler
 * (scripts/runtime-frames.ts), and the calls it makes differently (src/profiles/tree-changes.ts).
 */
import type { Raw } from './rtcalls.js';

/** A release's frames for runtime functions: scripts/runtime-frames.ts, runtime-frames-1.NN.json. */
export interface RuntimeFrames {
  /** 'go1.22.12 linux/amd64' */
  version: string;
  frames: Record<string, { frame: number; nosplit: boolean }>;
}

/** A call in a tree of calls: the function and, in order, what it calls. */
export interface Call { fn: string; calls?: Call[] }

/**
 * How later releases call differently from Go 1.19's tree, read from their source, for releases
 * 1.`since` to 1.`until`: 'add', calls every `parent` frame makes, before its other callees or
 * after the callee `after`, conditional as `when` says (else as the parent is); 'remove', a call
 * of `parent`'s no longer made, with everything under it; 'rename', a callee of `parent`'s now
 * named `to`.
 */
export type TreeChange = { parent: string; since: number; until?: number; why: string } & (
  | { change: 'add'; calls: Call[]; after?: string; when?: string }
  | { change: 'remove'; fn: string }
  | { change: 'rename'; fn: string; to: string }
);

/** The minor release of a 'go1.22.12 linux/amd64' version line. */
const minor = (version: string) => Number(/^go1\.(\d+)/.exec(version)![1]);

/**
 * Go 1.19's call tree with another release's frames: every frame and NOSPLIT taken from the
 * table (functions it lacks keep theirs), every entry recomputed down the tree (a child's entry
 * is its parent's entry + frame + 8), and the bytes in use while parked with them (gopark's
 * entry + frame). A list that does not start at depth 1 continues its object's beforePark.
 */
export function reframed(tree: Record<string, any>, table: RuntimeFrames, treeChanges: TreeChange[]): Record<string, any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const isFrames = (v: unknown): v is Raw[] => Array.isArray(v) && v.length > 0 && typeof v[0]?.depth === 'number';
  // Go 1.19's frame of each function: for an added call the table does not have (assembly).
  const own = new Map<string, { frame: number; nosplit: boolean }>();
  (function collect(o: unknown) {
    if (Array.isArray(o)) for (const f of o) if (f && typeof f === 'object' && 'depth' in f && !own.has(f.fn)) own.set(f.fn, f);
    if (o && typeof o === 'object') Object.values(o).forEach(collect);
  })(tree);
  const restack = (list: Raw[], context: Raw[] | null) => {
    const byDepth: Raw[] = [];
    for (const f of context ?? []) byDepth[f.depth] = f;
    for (const f of list) {
      const t = table.frames[f.fn] ?? own.get(f.fn);
      if (t) { f.frame = t.frame; f.nosplit = t.nosplit; }
      const parent = byDepth[f.depth - 1];
      f.entry = f.depth === 1 ? 8 : parent ? parent.entry + parent.frame + 8 : f.entry;
      byDepth[f.depth] = f;
      byDepth.length = f.depth + 1;
    }
  };
  const release = minor(table.version);
  const changes = treeChanges.filter((c) => release >= c.since && release <= (c.until ?? Infinity));
  const adds = changes.filter((c) => c.change === 'add');
  const removed = (parent: string, fn: string) => changes.some((c) => c.change === 'remove' && c.parent === parent && c.fn === fn);
  // frame, nosplit and entry are set by restack below.
  const frames = (calls: Call[], depth: number, when: string | undefined): Raw[] => calls.flatMap((c) =>
    withAdds({ fn: c.fn, frame: 0, entry: 0, nosplit: false, depth, ret: null, ...(when ? { when } : {}) }, c.calls ?? []));
  // A frame with what it calls first: the added calls (and theirs), then `calls`.
  function withAdds(f: Raw, calls: Call[]): Raw[] {
    const first = adds.filter((c) => c.parent === f.fn && !c.after);
    return [f, ...first.flatMap((c) => frames(c.calls, f.depth + 1, c.when ?? f.when)), ...frames(calls, f.depth + 1, f.when)];
  }
  const changed = (list: Raw[]): Raw[] => {
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
      parents[f.depth] = f;
      out.push(...withAdds(f, []));
      const later = parent ? adds.filter((c) => c.parent === parent.fn && c.after === f.fn) : [];
      if (later.length) pending = { depth: f.depth, frames: later.flatMap((c) => frames(c.calls, f.depth, c.when ?? parent!.when)) };
    }
    if (pending) out.push(...pending.frames);
    return out;
  };
  const copy = structuredClone(tree);
  (function change(o: Record<string, unknown>) {
    for (const [k, v] of Object.entries(o)) {
      if (isFrames(v)) o[k] = changed(v);
      else if (v && typeof v === 'object' && !Array.isArray(v)) change(v as Record<string, unknown>);
    }
  })(copy);
  (function visit(o: Record<string, unknown>) {
    const before = isFrames(o.beforePark) ? o.beforePark : null;
    if (before) restack(before, null);
    for (const [k, v] of Object.entries(o)) {
      if (k === 'beforePark') continue;
      if (isFrames(v)) restack(v, v[0]!.depth === 1 ? null : before);
      else if (v && typeof v === 'object' && !Array.isArray(v)) visit(v as Record<string, unknown>);
    }
    const park = o.park as { fn: string; parkedUsed: number } | undefined;
    if (before && park) {
      const gopark = before.filter((f) => f.fn === park.fn).pop()!;
      park.parkedUsed = gopark.entry + gopark.frame;
    }
  })(copy);
  return copy;
}

