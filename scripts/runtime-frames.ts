/**
 * Measures, with another Go release's compiler, the frames of the runtime functions that
 * src/profiles/runtime-calls-1.19.json lists on a goroutine's stack, and writes them to
 * src/profiles/runtime-frames-1.NN.json. The call tree stays Go 1.19's (measured with a
 * debugger); each release's frames come from its compiler's assembly listing of the runtime
 * (`go build -a -gcflags=runtime=-S`: the `STEXT ... locals=0x..` header of every function).
 * Assembly functions (.abi0) are not in that listing and keep their Go 1.19 frames.
 * Usage: npx tsx scripts/runtime-frames.ts 1.22   (needs that release installed, e.g.
 * Debian's golang-1.22-go)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { buildProgram } from '../src/record/build.js';
import { findToolchain } from '../src/record/toolchain.js';
import { TREE_CHANGES } from '../src/profiles/tree-changes.js';

const version = process.argv[2];
if (!version) throw new Error('usage: npx tsx scripts/runtime-frames.ts 1.NN');

// The functions of the tree and of the calls later releases add to it (src/profiles/tree-changes.ts).
const tree = JSON.parse(readFileSync('src/profiles/runtime-calls-1.19.json', 'utf8'));
const names = new Set<string>();
const abi0 = new Set<string>(); // assembly callees, named without .abi0 in a CALL
(function collect(o: unknown): void {
  if (Array.isArray(o)) o.forEach(collect);
  else if (o && typeof o === 'object') {
    const r = o as Record<string, unknown>;
    if (typeof r.fn === 'string') (r.fn.endsWith('.abi0') ? abi0.add(r.fn.slice(0, -'.abi0'.length)) : names.add(r.fn));
    if (typeof r.to === 'string') names.add(r.to); // a renamed callee
    for (const [k, v] of Object.entries(r)) if (k !== 'doc') collect(v);
  }
})([tree, TREE_CHANGES]);

const tc = await findToolchain(version);
const built = await buildProgram('package main\n\nfunc main() {}\n', {
  goroot: tc.goroot, version: tc.version, flags: ['-a', '-gcflags=runtime=-S'],
});
await built.cleanup();

// "runtime.chanrecv STEXT size=1509 args=0x18 locals=0x70 funcid=0x0 align=0x0": the first
// definition of each function (dupok wrappers come later).
// Go 1.15's listing names the package's own symbols "".name, where later ones write runtime.name.
const listing = built.output.replaceAll('"".', 'runtime.');
const measured = new Map<string, { frame: number; nosplit: boolean }>();
for (const line of listing.split('\n')) {
  const m = /^(runtime\.\S+) STEXT((?: \w+)*) size=\d+ args=0x[0-9a-f]+ locals=0x([0-9a-f]+)/.exec(line);
  if (!m || measured.has(m[1]!) || / dupok/.test(m[2]!)) continue;
  measured.set(m[1]!, { frame: parseInt(m[3]!, 16), nosplit: / nosplit/.test(m[2]!) });
}

// Each function's calls, in address order, with the line of the return address (the next
// instruction's): where a function calls another from several places, Go 1.19's measured return
// lines say which, and this release's site at the same place in that order is the one
// (src/runtime/rtcalls-release.ts).
const sites = new Map<string, [string, string][]>();
{
  let fn: string | null = null;
  let pendingCall: string | null = null;
  for (const line of listing.split('\n')) {
    const head = /^(\S+) STEXT( dupok)?/.exec(line);
    if (head) { fn = head[2] || sites.has(head[1]!) ? null : head[1]!; pendingCall = null; continue; }
    const ins = /^\t0x[0-9a-f]+ \d+ \((?:.*\/)?([^/()]+\.(?:go|s):\d+)\)\t(\S+)\s*(\S*)/.exec(line);
    if (!ins || !fn || !names.has(fn)) continue;
    if (pendingCall) { sites.get(fn)!.push([pendingCall, ins[1]!]); pendingCall = null; }
    const target = ins[2] === 'CALL' ? /^(runtime\..+|gosave_systemstack_switch)\(SB\)$/.exec(ins[3]!) : null;
    if (target && (names.has(target[1]!) || abi0.has(target[1]!))) {
      if (!sites.has(fn)) sites.set(fn, []);
      pendingCall = target[1]!;
    }
  }
}

const frames: Record<string, { frame: number; nosplit: boolean }> = {};
const missing: string[] = [];
for (const fn of [...names].sort()) {
  const f = measured.get(fn);
  if (f) frames[fn] = f;
  else missing.push(fn);
}
const out = `src/profiles/runtime-frames-${tc.version}.json`;
writeFileSync(out, `${JSON.stringify({
  version: `${tc.fullVersion} linux/amd64`,
  doc: 'Frames ($frame = locals + outgoing arguments + saved BP) and NOSPLIT of the runtime functions of runtime-calls-1.19.json, from this release\'s `go build -a -gcflags=runtime=-S` (scripts/runtime-frames.ts). missing: functions not in that listing, which keep Go 1.19\'s frames: assembly ones, and ones this release has inlined or renamed. calls: what each of them calls, in address order, with the line of the return address.',
  frames,
  missing,
  calls: Object.fromEntries([...sites].sort(([a], [b]) => (a < b ? -1 : 1))),
}, null, 1)}\n`);
console.log(`wrote ${out}: ${Object.keys(frames).length} functions, missing ${missing.join(', ') || 'none'}`);
