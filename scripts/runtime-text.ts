/**
 * Measures where a release's linker puts the runtime's code, and writes the part the model needs
 * to src/profiles/runtime-text-1.NN.json: for each runtime function of the call tree
 * (runtime-frames-1.NN.json), its entry, its calls (address, size, line, callee) with the
 * instruction after each (the return address's line), and its call to morestack.
 *
 * The runtime's code does not move with the program, but for one thing the programs here can
 * do: runtime.GC() links runtime.GC and what only it reaches (gcWaitOnMark, mProf_PostSweep),
 * which moves the code after them (go tool nm of programs with and without it, channels, go
 * statements and every println kind: the same runtime otherwise). So two programs are built,
 * one calling runtime.GC and one not, with the patched toolchain, as `record` builds programs.
 * Usage: npx tsx scripts/runtime-text.ts 1.NN   (needs that release installed)
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildProgram, goEnv } from '../src/record/build.js';
import { prepare } from '../src/record/record.js';
import { parseObjdump, type RuntimeFunctionText } from '../src/runtime/listed-code.js';
import { findToolchain } from '../src/record/toolchain.js';
import { getProfile } from '../src/profiles/index.js';
import { TREE_CHANGES } from '../src/profiles/tree-changes.js';

const version = process.argv[2];
if (!version) throw new Error('usage: npx tsx scripts/runtime-text.ts 1.NN');

const program = (gc: boolean) => `package main
${gc ? '\nimport "runtime"\n' : ''}
var c = make(chan int)

func main() {
	var x [100]int
	go f(x, 1)
	println("x", 1, true, &x)
	<-c
${gc ? '\truntime.GC()\n' : ''}}

//go:noinline
func f(x [100]int, n int) {
	c <- n
}
`;

// Every function the model's runtime frames name (the call tree and its later changes, the
// profile's frames, a mark worker's growth: every string that names one), the assembly ones
// under their .abi0 names; and runtime.main, goexit.
const names = new Set<string>(['runtime.main', 'runtime.goexit']);
(function collect(o: unknown): void {
  if (typeof o === 'string' && /^runtime\.\S+$/.test(o)) names.add(o.replace(/\.abi0$/, ''));
  else if (Array.isArray(o)) o.forEach(collect);
  else if (o && typeof o === 'object') for (const [k, v] of Object.entries(o)) { collect(k); collect(v); }
})([JSON.parse(readFileSync('src/profiles/runtime-calls-1.19.json', 'utf8')), TREE_CHANGES,
  JSON.parse(readFileSync(`src/profiles/runtime-frames-${version}.json`, 'utf8')).frames, getProfile(version).markWorkerGrowth]);
const wanted = (fn: string) => names.has(fn.replace(/\.abi0$/, ''));

const { goroot } = await prepare({ version });
const full = (await findToolchain(version)).fullVersion;
const listings: Record<string, Record<string, RuntimeFunctionText>> = {};
for (const gc of [false, true]) {
  const built = await buildProgram(program(gc), { goroot, version, env: { GOOS: 'linux', GOARCH: 'amd64' } });
  try {
    const listing = execFileSync(join(goroot, 'bin', 'go'), ['tool', 'objdump', built.binary], { env: goEnv(goroot), maxBuffer: 1 << 30 }).toString();
    const kept: Record<string, RuntimeFunctionText> = {};
    for (const [fn, instrs] of parseObjdump(listing)) {
      if (!fn.startsWith('runtime.') || !wanted(fn) || instrs.length === 0) continue;
      // The entry, and each call: its address, size, line, callee ('' through a register) and
      // the line of the instruction after it.
      const calls = instrs.flatMap((ins, i) => {
        const m = /^CALL (?:(\S+)\(SB\)|.*)$/.exec(ins.asm);
        return m ? [[ins.addr, ins.size, ins.line, m[1] ?? '', instrs[i + 1]?.line ?? ''] as RuntimeFunctionText[2][number]] : [];
      });
      kept[fn] = [instrs[0]!.addr, instrs[0]!.line, calls];
    }
    listings[gc ? 'gc' : 'nogc'] = kept;
  } finally {
    await built.cleanup();
  }
}
const out = {
  doc: `The runtime's code as ${full}'s linker lays it out (scripts/runtime-text.ts), for the functions of runtime-frames-${version}.json: each one's entry address and line, and its calls as [address, size, line, callee ('' through a register), line of the next instruction]; "gc" for a program that calls runtime.GC, "nogc" for one that does not.`,
  built: full,
  ...listings,
};
writeFileSync(`src/profiles/runtime-text-${version}.json`, JSON.stringify(out) + '\n');
console.log(`wrote src/profiles/runtime-text-${version}.json: ${Object.keys(listings.nogc).length} and ${Object.keys(listings.gc).length} functions`);
