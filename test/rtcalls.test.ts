/**
 * The runtime's own frames per release: Go 1.19's measured call tree (runtime-calls-1.19.json),
 * with each later release's frames from its compiler (runtime-frames-1.NN.json) and the calls it
 * makes differently (src/profiles/tree-changes.ts).
 */
import { describe, expect, it } from 'vitest';
import { measuredRuntimeCalls119, runtimeCallsWith } from '../src/runtime/rtcalls.js';
import { getProfile } from '../src/profiles/index.js';
import frames119 from '../src/profiles/runtime-frames-1.19.json' with { type: 'json' };
import { TREE_CHANGES } from '../src/profiles/tree-changes.js';

const fns = (frames: { fn: string }[]) => frames.map((f) => f.fn);

describe('runtime frames by release', () => {
  it("Go 1.19's compiler frames give back the tree measured with a debugger, entries and parks included", () => {
    expect(runtimeCallsWith(frames119, [])).toEqual(measuredRuntimeCalls119());
  });

  it("Go 1.19's profile adds only mallocgc's slow path to the measured tree", () => {
    const withoutSlowPath = (o: unknown): unknown => (Array.isArray(o)
      ? o.filter((f) => !f?.slowPath).map(withoutSlowPath)
      : o && typeof o === 'object' ? Object.fromEntries(Object.entries(o).map(([k, v]) => [k, withoutSlowPath(v)])) : o);
    const calls = runtimeCallsWith(frames119, TREE_CHANGES);
    expect(withoutSlowPath(calls)).toEqual(withoutSlowPath(measuredRuntimeCalls119()));
    expect(calls.newprocClosure.filter((f) => f.slowPath).map((f) => f.fn)).toContain('runtime.(*mcentral).cacheSpan');
  });

  it('takes each release its frames: a channel receive parks 216 bytes below its call site in 1.19, 192 in 1.21+', () => {
    expect(getProfile('1.19').runtimeCalls.chanBlock.parked).toEqual({ send: 216, recv: 216 });
    for (const v of ['1.21', '1.22', '1.23', '1.24']) expect(getProfile(v).runtimeCalls.chanBlock.parked).toEqual({ send: 192, recv: 192 });
  });

  it("moves a return line with its call site: nextSpanForSweep's second pop returns to mgcsweep.go:109 in 1.19, :107 in 1.24", () => {
    const pops = (v: string) => getProfile(v).runtimeCalls.gc.afterResume.filter((f) => f.fn === 'runtime.(*spanSet).pop').map((f) => f.ret);
    expect(pops('1.19')).toContain('mgcsweep.go:109');
    expect(pops('1.24')).toContain('mgcsweep.go:107');
    expect(pops('1.24')).not.toContain('mgcsweep.go:109');
  });

  it('changes the calls where later releases call differently', () => {
    const gc = (v: string) => fns(getProfile(v).runtimeCalls.gc.beforePark);
    expect(gc('1.19')).toContain('runtime.(*gcControllerState).trigger');
    expect(gc('1.21')).not.toContain('runtime.(*gcControllerState).trigger');
    expect(gc('1.21')).not.toContain('runtime.(*mLockProfile).recordUnlock');
    // 1.22+: every unlock2 records for the lock profile, right under it.
    const g122 = getProfile('1.22').runtimeCalls.gc.beforePark;
    g122.forEach((f, i) => { if (f.fn === 'runtime.unlock2') expect(g122[i + 1]).toMatchObject({ fn: 'runtime.(*mLockProfile).recordUnlock', depth: f.depth + 1 }); });
    // 1.23+: the first GC waits for its worker in <-ready, after the closure and newproc.
    expect(gc('1.22')).toContain('runtime.notetsleepg');
    const g123 = gc('1.23');
    expect(g123).not.toContain('runtime.notetsleepg');
    expect(g123.indexOf('runtime.makechan')).toBeLessThan(g123.indexOf('runtime.newproc'));
    expect(g123.indexOf('runtime.newproc')).toBeLessThan(g123.indexOf('runtime.chanrecv1'));
    // A child's entry is its parent's entry + frame + 8.
    const recv = getProfile('1.23').runtimeCalls.gc.beforePark.find((f) => f.fn === 'runtime.chanrecv')!;
    const recv1 = getProfile('1.23').runtimeCalls.gc.beforePark.find((f) => f.fn === 'runtime.chanrecv1')!;
    expect(recv.entry).toBe(recv1.entry + recv1.frame + 8);
  });
});
