/**
 * The compiler's $frame-args of every function of the Go programs in a fixture directory, for
 * each given release that is installed, written to DIR/compiler-frames.json (program file ->
 * release -> function -> [frame, args]). The frame model is tested against it without a
 * toolchain. Usage: npx tsx scripts/compiler-frames.ts DIR 1.19 1.21 1.22 1.23 1.24
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compilerFrames } from '../src/record/record.js';

const [dir, ...versions] = process.argv.slice(2);
if (!dir || versions.length === 0) throw new Error('usage: npx tsx scripts/compiler-frames.ts DIR 1.NN...');
const out = join(dir, 'compiler-frames.json');
const table: Record<string, Record<string, Record<string, [number, number]>>> = existsSync(out)
  ? JSON.parse(readFileSync(out, 'utf8')) : {};
const files = readdirSync(dir).filter((f) => f.endsWith('.go')).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
for (const version of versions) {
  for (const file of files) {
    const frames = await compilerFrames(readFileSync(join(dir, file), 'utf8'), { version });
    const byFn: Record<string, [number, number]> = {};
    // The program's own functions: not the closures and wrappers the compiler adds (main.func1, gowrap1).
    for (const [fn, f] of frames) if (!fn.includes('.')) byFn[fn] = [f.frame, f.args];
    (table[file] ??= {})[version] = byFn;
  }
  console.log(`go${version}: ${files.length} programs`);
}
writeFileSync(out, `${JSON.stringify(table)}\n`);
