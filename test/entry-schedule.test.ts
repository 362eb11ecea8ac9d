/**
 * Go 1.21's entry block, value by value (src/program/entry-schedule.ts), against schedules read
 * from the compiler (go1.21.13 and go1.22.12, -d=ssa/schedule/dump=FN).
 */
import { describe, expect, it } from 'vitest';
import { describeEntrySchedule, entryRuleDifference } from '../src/program/entry-schedule.js';
import { frameLayout } from '../src/program/frame.js';
import { getProfile } from '../src/profiles/index.js';
import { loadProgram } from '../src/scenario/load.js';

const fnOf = async (file: string, name: string) => (await loadProgram(file)).funcs.get(name)!;
const kept = (lines: string[]) => lines.filter((l) => l.endsWith(' KEPT'));

describe("Go 1.21's entry-block rule (ssa/schedule.go ValHeap.Less)", () => {
  it("makes a later statement's marked division right after printlock, and keeps what it leads to", async () => {
    // w15: println("w15", k, j); c16(j * (k % -3), k, [293]int{}). Go 1.21 schedules k%-3's
    // whole sequence (all +85) right after printlock, and the product with it, before the
    // printstring of "w15 ": the product is kept across the println's calls. 1.22 makes it at
    // the call.
    const w15 = await fnOf('test/fixtures/arith/arith-1.go', 'w15');
    const p = getProfile('1.21');
    expect(kept(describeEntrySchedule(w15, p, true))).toEqual([expect.stringMatching(/^v\d+ op 85:6 \(v\d+\) KEPT$/)]);
    expect(kept(describeEntrySchedule(w15, p, false))).toEqual([]);
    expect(entryRuleDifference(w15, p)).toMatchObject({ ints: 1, bools: 0 });
  });

  it('leaves the block alone when a zeroing with a tail waits for its own marked address first', async () => {
    // l7: var y [179]int; println(n, n%100, &y). The tail store and the rest's LEAQ are both
    // +48 (the Zero rule's new values), so REP STOSQ runs before n%100 in both releases.
    const l7 = await fnOf('test/fixtures/arith/arith-10.go', 'l7');
    expect(entryRuleDifference(l7, getProfile('1.21'))).toMatchObject({ ints: 0, bools: 0 });
  });

  it('reassociates a product with a constant inside: the dead inner product takes its mark away', async () => {
    // c11: runtime.GC(); v13 := (d / 3) + 8; v14 := b * (d * 90900); println(v13, v14). The
    // generic rules make (b * d) * 90900 at the outer product's position, unmarked: go1.21.13 -S
    // makes both after the println's first printint, and keeps nothing ($16, as 1.22).
    const c11 = await fnOf('test/fixtures/arith/arith-75.go', 'c11');
    const p = getProfile('1.21');
    expect(kept(describeEntrySchedule(c11, p, true))).toEqual([]);
    expect(frameLayout(c11, await loadProgram('test/fixtures/arith/arith-75.go'), p).frame).toBe(16);
  });

  it("moves no mark to the next value when CSE removes a line's first one", async () => {
    // twice: take(n*k, k, buf); take(n*k, k+1, buf): line 14's n*k is line 13's, and k+1 stays
    // unmarked (14), made at its call.
    const twice = await fnOf('test/fixtures/recorded/cse-args.go', 'twice');
    expect(entryRuleDifference(twice, getProfile('1.21'))).toMatchObject({ ints: 0, bools: 0 });
  });

  it("gives a value it keeps within the block the slot of one made after it (stackalloc)", async () => {
    // arith-47 c2 (go1.21.13 -S: $48, as the rule's two ints and a bool, not $56): the sum
    // printed at line 28 dies in the block, and the else branch's value made before its
    // comparison's flags (line 32) takes its autotmp_9.
    const prog = await loadProgram('test/fixtures/arith/arith-47.go');
    const c2 = prog.funcs.get('c2')!;
    expect(entryRuleDifference(c2, getProfile('1.21'))).toMatchObject({ ints: 2, bools: 1 });
    expect(frameLayout(c2, prog, getProfile('1.21')).frame).toBe(48);
    // arith-88 c6 (go1.21.13: $56, as 1.22): a + a is read again past the block, kept in both
    // releases, and the quotient 1.21 keeps shares the slot of (a / 2) * a.
    const p88 = await loadProgram('test/fixtures/arith/arith-88.go');
    expect(frameLayout(p88.funcs.get('c6')!, p88, getProfile('1.21')).frame).toBe(56);
  });
});
