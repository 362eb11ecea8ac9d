/**
 * `npm run bench`: the whole `stackdebug run` process against the real Go 1.19 binary of the same
 * program, built once beforehand against a stackDebug = 1 runtime. Wall time (median of several
 * runs), peak memory (max RSS) and lines printed, side by side, plus simulated calls per second.
 * Without a Go 1.19 toolchain the real side is skipped with a message.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { runFile } from '../src/engine.js';

const PROGRAMS = [
  { name: '1,000,000-deep recursion', file: 'test/fixtures/go/loop-recursion.go' },
  { name: '10,000 goroutines', file: 'test/fixtures/go/loop-goroutines.go' },
  { name: 'seed-abc', file: 'test/fixtures/go/seed-abc.go' },
];
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

interface Measure { seconds: number; maxRssKB: number | null; lines: number }

/** Runs a command RUNS times (after one warm-up) through python3, which reports the child's max RSS. */
function measure(cmd: string[], env: NodeJS.ProcessEnv): Measure {
  const py = `import resource,subprocess,sys,time
t=time.perf_counter()
p=subprocess.run(sys.argv[1:],stdout=subprocess.PIPE,stderr=subprocess.STDOUT)
e=time.perf_counter()-t
print(e, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, p.stdout.count(b"\\n"))`;
  const one = (): Measure => {
    const r = spawnSync('python3', ['-c', py, ...cmd], { env, encoding: 'utf8' });
    if (r.status !== 0 || !r.stdout) throw new Error(`cannot measure ${cmd.join(' ')}: ${r.stderr}`);
    const [s, rss, lines] = r.stdout.trim().split(/\s+/).map(Number);
    return { seconds: s, maxRssKB: rss, lines };
  };
  one();
  const all = Array.from({ length: RUNS }, one).sort((a, b) => a.seconds - b.seconds);
  return { ...all[Math.floor(all.length / 2)], maxRssKB: Math.max(...all.map((m) => m.maxRssKB ?? 0)) };
}

/** The real binary, built once; and how long a second build of it takes (the compiler's cache warm). */
async function realBinary(file: string): Promise<{ binary: string; buildSeconds: number } | null> {
  try {
    const { findToolchain } = await import('../src/record/toolchain.js');
    const { patchedGoroot } = await import('../src/record/patched-goroot.js');
    const { buildProgram } = await import('../src/record/build.js');
    const tc = await findToolchain('1.19');
    const goroot = await patchedGoroot(tc);
    const source = readFileSync(file, 'utf8');
    const built = await buildProgram(source, { goroot, version: '1.19' });
    const t = performance.now();
    const again = await buildProgram(source, { goroot, version: '1.19' });
    const buildSeconds = (performance.now() - t) / 1000;
    await again.cleanup();
    return { binary: built.binary, buildSeconds };
  } catch {
    return null;
  }
}

/** Simulated calls per second, in process: calls counted in one run, time taken in another. */
async function callsPerSecond(file: string): Promise<{ calls: number; perSecond: number }> {
  let calls = 0;
  const count = Object.assign(() => undefined, { calls: true });
  await runFile(file, { go: '1.19', gomaxprocs: 1, write: () => undefined, event: Object.assign((e: { kind: string }) => { if (e.kind === 'call') calls++; }, count) });
  const t = performance.now();
  await runFile(file, { go: '1.19', gomaxprocs: 1, write: () => undefined });
  const s = (performance.now() - t) / 1000;
  return { calls, perSecond: calls / s };
}

const fmt = (m: Measure | null) => (m ? `${m.seconds.toFixed(3)} s` : 'n/a');
const mb = (m: Measure | null) => (m && m.maxRssKB ? `${(m.maxRssKB / 1024).toFixed(0)} MB` : 'n/a');

async function main(): Promise<void> {
  if (!existsSync('dist/cli/main.js')) execFileSync('npx', ['tsc', '-p', '.'], { stdio: 'inherit' });
  const rows: string[][] = [];
  let noGo = false;
  for (const p of PROGRAMS) {
    process.stderr.write(`measuring ${p.name} ...\n`);
    const cmd = [process.execPath, 'bin/stackdebug.cjs', 'run', p.file, '--go', '1.19'];
    // A first run parses the file; later runs of the unchanged file take its program from the
    // cache (src/scenario/parsed-cache.ts), as the real binary is built once beforehand.
    const first = measure(cmd, { ...process.env, STACKDEBUG_CACHE: 'off' });
    const sim = measure(cmd, process.env);
    const bin = await realBinary(p.file);
    if (!bin) noGo = true;
    const real = bin ? measure([bin.binary], { PATH: process.env.PATH ?? '', GOMAXPROCS: '1' }) : null;
    const cps = await callsPerSecond(p.file);
    rows.push([
      p.name, bin && real ? `${(bin.buildSeconds + real.seconds).toFixed(3)} s` : 'n/a', fmt(real), fmt(sim), fmt(first),
      real ? `${(sim.seconds / real.seconds).toFixed(2)} (${(first.seconds / real.seconds).toFixed(2)})` : 'n/a',
      `${real ? real.lines : 'n/a'} / ${sim.lines}`, `${mb(real)} / ${mb(sim)}`,
      `${cps.calls.toLocaleString('en-US')} calls, ${(cps.perSecond / 1e6).toFixed(1)} M/s`,
    ]);
  }
  if (noGo) console.log('(real side skipped: no Go 1.19 toolchain; on Debian: apt-get install golang-1.19-go golang-1.19-src)\n');
  const head = ['program', 'go build + run', 'real binary', 'stackdebug run', 'first run (parsing)', 'sim/real (first)', 'lines real / sim', 'max RSS real / sim', 'simulated calls'];
  const table = [head, head.map(() => '---'), ...rows];
  for (const r of table) console.log(`| ${r.join(' | ')} |`);
  console.log(`\nwall time: median of ${RUNS} runs after a warm-up; GOMAXPROCS=1; Go 1.19 profile;`);
  console.log('go build + run: one build with the compiler cache warm, plus the binary\'s median run;');
  console.log('stackdebug run: the program from the parsed-program cache; first run: STACKDEBUG_CACHE=off');
}

void main();
