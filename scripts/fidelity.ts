/**
 * Scores the simulator against every real trace in test/fixtures: the reference traces, the
 * programs written to probe the model (recorded/), the generated programs (generated/) and the
 * generated computing programs (arith/), all three recorded with Go 1.19 and 1.21 to 1.24.
 * Prints one row per program, version and GOMAXPROCS with the tiers reached, then totals.
 * Usage: npx tsx scripts/fidelity.ts [--markdown] [--go 1.NN] (--go: that release's traces only)
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { traceOf } from '../src/engine.js';
import { compareTiers } from '../src/trace/tiers.js';
import { maskCode } from '../src/trace/match.js';
import type { Environ } from '../src/runtime/proc.js';

export interface Case {
  name: string; program: string; version: string; procs: number; real: string; tierAReal: string;
  /** The environment the real run had: the reference traces', or record's minimal one. */
  environ: Environ;
}

export function referenceCases(root = 'test/fixtures/reference'): Case[] {
  const cases: Case[] = [];
  for (const name of readdirSync(root).sort()) {
    const dir = join(root, name);
    if (!existsSync(join(dir, 'main.go'))) continue;
    for (const f of readdirSync(dir).sort()) {
      const m = /^go(1\.\d+)\.p(\d)\.log$/.exec(f);
      if (!m) continue;
      const a = join(dir, `go${m[1]}.p${m[2]}.A.log`);
      cases.push({ name, program: join(dir, 'main.go'), version: m[1], procs: Number(m[2]), real: join(dir, f), tierAReal: existsSync(a) ? a : join(dir, f), environ: 'reference' });
    }
  }
  return cases;
}

/** Traces recorded with Go 1.15, 1.19 and 1.21 to 1.24 (the most frequent of 20 runs, GOMAXPROCS=1) from generateProgram(1..130). */
export function generatedCases(): Case[] {
  return recordedCases('test/fixtures/generated');
}

export function recordedCases(root = 'test/fixtures/recorded'): Case[] {
  if (!existsSync(root)) return [];
  const cases: Case[] = [];
  for (const f of readdirSync(root).sort()) {
    const m = /^(.+)\.go(1\.\d+)\.p(\d)\.log$/.exec(f);
    if (!m) continue;
    // stackdebug record runs programs with GOMAXPROCS as their only environment variable.
    cases.push({ name: m[1], program: join(root, `${m[1]}.go`), version: m[2], procs: Number(m[3]), real: join(root, f), tierAReal: join(root, f), environ: 'minimal' });
  }
  return cases;
}

/**
 * The directory the real program was built in, as its tracebacks print it (a fatal error's
 * goroutine frames): an input of the real run, like GOMAXPROCS.
 */
export function buildDirOf(real: string): string | undefined {
  return /^\t(\/\S+)\/[^/\s]+\.go:\d+ /m.exec(real.replace(/^\t\/\S+\/src\/runtime\/.*$/gm, ''))?.[1];
}

/**
 * The GOROOT the real program was built with, as its tracebacks name the runtime's sources
 * (`stackdebug record` builds with a patched copy in ~/.cache/stackdebug): an input of the real
 * run, like the build directory. None when no runtime frame is printed.
 */
export function gorootOf(real: string): string | undefined {
  return /^\t(\/\S+)\/src\/runtime\/[^/\s]+:\d+/m.exec(real)?.[1];
}

export interface Score {
  A: boolean; B: boolean; C: boolean;
  /** Byte for byte but code addresses (check --match code). */
  Cpc: boolean;
  /** Byte for byte with the code addresses of the real binary (--code compiler); null without that toolchain. */
  Creal: boolean | null;
}

export async function score(c: Case, withCompilerCode = false): Promise<Score> {
  const real = readFileSync(c.real, 'utf8');
  const opts = { go: c.version, gomaxprocs: c.procs, buildDir: buildDirOf(real), goroot: gorootOf(real), environ: c.environ };
  const { text } = await traceOf(c.program, opts);
  const t = compareTiers(real, text);
  const a = compareTiers(readFileSync(c.tierAReal, 'utf8'), text).A;
  const noPC = (x: string) => x.split('\n').map(maskCode).join('\n');
  const Creal = withCompilerCode ? compareTiers(real, (await traceOf(c.program, { ...opts, code: 'compiler' })).text).C : null;
  return { A: a, B: t.B, C: t.C, Cpc: noPC(real) === noPC(text), Creal };
}

/** The Go releases whose toolchain is installed here (for --code compiler). */
async function installedToolchains(versions: string[]): Promise<Set<string>> {
  const { findToolchain } = await import('../src/record/toolchain.js');
  const found = new Set<string>();
  for (const v of new Set(versions)) if (await findToolchain(v).then(() => true, () => false)) found.add(v);
  return found;
}

async function main(): Promise<void> {
  const md = process.argv.includes('--markdown');
  const only = process.argv.includes('--go') ? process.argv[process.argv.indexOf('--go') + 1] : undefined;
  const byVersion = (title: string, cases: Case[]) => [...new Set(cases.map((c) => c.version))].sort()
    .map((v): [string, Case[]] => [`${title} (Go ${v})`, cases.filter((c) => c.version === v)]);
  const groups: [string, Case[]][] = ([
    ['reference', referenceCases()],
    ...byVersion('recorded', recordedCases()),
    ...byVersion('generated programs', generatedCases()),
    ...byVersion('generated computing programs', recordedCases('test/fixtures/arith')),
  ] as [string, Case[]][]).map(([title, cases]): [string, Case[]] => [title, cases.filter((c) => !only || c.version === only)])
    .filter(([, cases]) => cases.length > 0);
  const toolchains = await installedToolchains(groups.flatMap(([, cases]) => cases.map((c) => c.version)));
  console.log(`C with real code addresses (--code compiler): ${toolchains.size ? `Go ${[...toolchains].join(', ')}` : 'no Go toolchain installed'}`);
  for (const [title, cases] of groups) {
    const zero = () => ({ n: 0, A: 0, B: 0, C: 0, Cpc: 0, nReal: 0, Creal: 0 });
    const byProcs: Record<number, ReturnType<typeof zero>> = {};
    if (!md) console.log(`# ${title}`);
    for (const c of cases) {
      const s = await score(c, toolchains.has(c.version));
      const t = (byProcs[c.procs] ??= zero());
      t.n++; t.A += +s.A; t.B += +s.B; t.C += +s.C; t.Cpc += +s.Cpc;
      if (s.Creal !== null) { t.nReal++; t.Creal += +s.Creal; }
      const ok = (x: boolean | null) => (x === null ? 'n/a ' : x ? 'ok  ' : 'diff');
      if (!md) console.log(`${c.name.padEnd(22)} go${c.version} p${c.procs}  A ${ok(s.A)} B ${ok(s.B)} C ${ok(s.C)} C-but-pc ${ok(s.Cpc)} C-real-pc ${ok(s.Creal)}`);
    }
    for (const [p, t] of Object.entries(byProcs)) {
      const real = t.nReal ? `${t.Creal}/${t.nReal}` : 'n/a';
      const cells = [`GOMAXPROCS=${p}`, `${t.n} traces`, `A ${t.A}/${t.n}`, `B ${t.B}/${t.n}`, `C ${t.C}/${t.n}`, `C but pcs ${t.Cpc}/${t.n}`, `C with real pcs ${real}`];
      console.log(md ? `| ${title} | ${cells.join(' | ')} |` : cells.join(', '));
    }
  }
}

if (process.argv[1] && process.argv[1].endsWith('fidelity.ts')) void main();
