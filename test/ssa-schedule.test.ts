/**
 * Go 1.21's schedule pass (src/program/ssa-schedule.ts with go-heap.ts) against the compiler's
 * own: each fixture in test/fixtures/schedule is one function's SSA as go1.21.13 hands it to the
 * schedule pass (-d=ssa/layout/dump, the values in the block's order) and as the pass leaves it
 * (-d=ssa/schedule/dump). Given the first, the entry block's order must be the second's, value
 * for value: the heap's layout, the edges sort.Slice orders and ValHeap.Less's int64 AuxInt
 * difference all show in these.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { schedule121, SCORE, typeKind, type SsaValue, type StmtState } from '../src/program/ssa-schedule.js';

const DIR = 'test/fixtures/schedule';

interface Parsed { id: number; op: string; type: string; pos: SsaValue['pos']; state: StmtState; aux: bigint; args: number[] }

/** One dump: its blocks' values and the values their controls read. */
function parseDump(text: string): { blocks: Parsed[][]; controls: number[][] } {
  const blocks: Parsed[][] = [];
  const controls: number[][] = [];
  for (const line of text.split('\n')) {
    if (/^ {2}b\d+:/.test(line)) { blocks.push([]); controls.push([]); continue; }
    const m = /^ {4}\((\S+?)\) v(\d+) = (\S+) <([^>]*)>(.*)$/.exec(line);
    if (m) {
      const [, at, id, op, type, rest] = m;
      const p = /^([+-]?)(\d+):(\d+)$/.exec(at);
      const aux = / \[(-?\d+)\]/.exec(rest);
      const args = rest.replace(/\{[^}]*\}/g, '').replace(/\([^)]*\)\s*$/, '').match(/\bv\d+\b/g) ?? [];
      blocks[blocks.length - 1].push({
        id: Number(id), op, type, pos: p ? { line: Number(p[2]), col: Number(p[3]) } : null,
        state: !p ? 'N' : p[1] === '+' ? 'S' : p[1] === '-' ? 'N' : 'D', aux: aux ? BigInt(aux[1]) : 0n,
        args: args.map((a) => Number(a.slice(1))),
      });
      continue;
    }
    // A block's end: its controls are the values before "->" (Ret v45, NE v4 -> b6 b3).
    const c = /^ {4}[A-Z]\w* (v\d+(?: v\d+)*)/.exec(line);
    if (c && blocks.length) controls[blocks.length - 1].push(...c[1].split(' ').map((a) => Number(a.slice(1))));
  }
  return { blocks, controls };
}

/** A type string as types.Type.Compare orders it (its kind, then a pointer's element's). */
function typeOf(t: string): number[] {
  if (t === 'mem' || t === 'flags' || t.startsWith('(')) return typeKind('ssa');
  if (t.startsWith('*')) return [...typeKind('ptr'), ...typeOf(t.slice(1))];
  if (t.startsWith('[')) return typeKind('array');
  if (t.startsWith('chan')) return typeKind('chan');
  if (t.startsWith('struct')) return typeKind('struct');
  return typeKind(t);
}

/** The entry block as schedule121 takes it, with schedule.go's scores. */
function entryBlock(text: string): SsaValue[] {
  const { blocks, controls } = parseDump(text);
  const entry = blocks[0];
  const outside = new Map<number, number>();
  for (const v of blocks.slice(1).flat()) for (const a of v.args) outside.set(a, (outside.get(a) ?? 0) + 1);
  for (const c of controls.flat()) outside.set(c, (outside.get(c) ?? 0) + 1);
  const byId = new Map<number, SsaValue>();
  const flags = new Set(entry.filter((v) => v.type === 'flags').map((v) => v.id));
  for (const v of entry) {
    const score = v.op.startsWith('Arg') ? SCORE.phi : v.op === 'SP' || v.op === 'SB' ? SCORE.arg : v.op === 'InitMem' ? SCORE.initMem
      : v.type === 'mem' ? SCORE.memory : v.op === 'SelectN' ? SCORE.readTuple : v.args.some((a) => flags.has(a)) ? SCORE.readFlags
        : v.type === 'flags' ? SCORE.flags : SCORE.default;
    byId.set(v.id, { id: v.id, score, args: [], memory: v.type === 'mem', pos: v.pos, state: v.state, aux: v.aux, type: typeOf(v.type), usesOutside: outside.get(v.id) ?? 0 });
  }
  // The block's controls: ScoreControl (schedule.go), a SelectN's call for it.
  for (const c of controls[0]) {
    const v = byId.get(c);
    if (!v || v.score < SCORE.readTuple) continue;
    if (v.score === SCORE.readTuple) byId.get(entry.find((x) => x.id === c)!.args[0])!.score = SCORE.control;
    else v.score = SCORE.control;
  }
  for (const v of entry) byId.get(v.id)!.args = v.args.map((a) => byId.get(a)).filter((a): a is SsaValue => a !== undefined);
  return entry.map((v) => byId.get(v.id)!);
}

const ids = (text: string) => parseDump(text).blocks[0].map((v) => v.id);

describe("Go 1.21's schedule pass, given the block it receives (go1.21.13's dumps)", () => {
  const names = readdirSync(DIR).filter((f) => f.endsWith('.layout.dump')).map((f) => f.replace('.layout.dump', ''));
  it('has the dumps', () => expect(names.length).toBeGreaterThanOrEqual(18));
  for (const name of names) {
    it(name, () => {
      const block = entryBlock(readFileSync(`${DIR}/${name}.layout.dump`, 'utf8'));
      expect(schedule121(block).map((v) => v.id)).toEqual(ids(readFileSync(`${DIR}/${name}.schedule.dump`, 'utf8')));
    });
  }

  it('takes the AuxInt difference in int64, wrapping as Go does (arith-51 w7: two magic constants)', () => {
    // -6148914691236517205 - 6148914691236517204 wraps to a positive int64: the second is "less".
    const block = entryBlock(readFileSync(`${DIR}/arith-51.w7.layout.dump`, 'utf8'));
    const order = schedule121(block).map((v) => v.id);
    expect(order.indexOf(53)).toBeLessThan(order.indexOf(25));
  });
});
