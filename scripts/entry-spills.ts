/**
 * Checks src/program/entry-schedule.ts against the compilers themselves: for every function of
 * the Go programs in a fixture directory, the values Go 1.21 and Go 1.22 spill in the entry block
 * (StoreReg of anything but a parameter, read from -d=ssa/regalloc/dump=FN), and whether their
 * difference is the one the model's two schedules give. Needs both toolchains; takes minutes.
 * Usage: npx tsx scripts/entry-spills.ts DIR [FUNCTION...]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEntrySchedule } from '../src/program/entry-schedule.js';
import { getProfile } from '../src/profiles/index.js';
import { findToolchain } from '../src/record/toolchain.js';
import { loadProgram } from '../src/scenario/load.js';

const [dir, ...only] = process.argv.slice(2);
if (!dir) throw new Error('usage: npx tsx scripts/entry-spills.ts DIR [FUNCTION...]');
const tools = Object.fromEntries(await Promise.all(['1.21', '1.22'].map(async (v) => [v, join((await findToolchain(v)).goroot, 'bin', 'go')])));
const work = mkdtempSync(join(tmpdir(), 'entry-spills-'));
writeFileSync(join(work, 'go.mod'), 'module m\ngo 1.19\n');

/** Entry-block spills of everything but parameters, in the compiler's regalloc dump of fn. */
function spills(version: string, fn: string): number {
  for (const f of readdirSync(work)) if (f.endsWith('.dump')) rmSync(join(work, f));
  execFileSync(tools[version], ['build', `-gcflags=-d=ssa/regalloc/dump=${fn}`, '-o', '/dev/null', '.'], { cwd: work, stdio: 'ignore' });
  const dump = readdirSync(work).find((f) => f.endsWith('.dump'));
  if (!dump) throw new Error(`no regalloc dump of ${fn}`);
  const block = /\n {2}b1:\n([\s\S]*?)(\n {2}b\d+:|$)/.exec(readFileSync(join(work, dump), 'utf8'))?.[1] ?? '';
  const ops = new Map([...block.matchAll(/\) (v\d+) = (\w+)/g)].map((m) => [m[1], m[2]]));
  return [...block.matchAll(/= StoreReg <\w+> (v\d+)/g)].filter((m) => !ops.get(m[1])?.startsWith('Arg')).length;
}

let agree = 0;
let total = 0;
const profile = getProfile('1.21');
for (const file of readdirSync(dir).filter((f) => f.endsWith('.go')).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))) {
  writeFileSync(join(work, 'main.go'), readFileSync(join(dir, file)));
  const prog = await loadProgram(join(dir, file));
  for (const [name, fn] of prog.funcs) {
    if (only.length && !only.includes(name)) continue;
    const real = spills('1.21', name) - spills('1.22', name);
    const kept = (rule: boolean) => describeEntrySchedule(fn, profile, rule).filter((l) => l.endsWith(' KEPT')).length;
    const model = kept(true) - kept(false);
    total++;
    if (real === model) agree++;
    else console.log(`${file} ${name}: Go 1.21 spills ${real >= 0 ? '+' : ''}${real} against 1.22, the model ${model >= 0 ? '+' : ''}${model}`);
  }
}
rmSync(work, { recursive: true, force: true });
console.log(`the difference agrees on ${agree} of ${total} functions`);
