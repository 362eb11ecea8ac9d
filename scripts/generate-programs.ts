/**
 * Writes generated Go programs into a directory, as the fixtures in test/fixtures/generated
 * (gen-N.go: generateProgram) and test/fixtures/arith (arith-N.go: generateArithProgram) were
 * made. Usage: npx tsx scripts/generate-programs.ts DIR gen|arith FROM TO
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateArithProgram, generateProgram } from '../src/program/generate.js';

const [dir, kind, from, to] = process.argv.slice(2);
const generators: Record<string, (seed: number) => string> = { gen: generateProgram, arith: generateArithProgram };
if (!dir || !generators[kind] || !Number.isInteger(Number(from)) || !Number.isInteger(Number(to))) {
  throw new Error('usage: npx tsx scripts/generate-programs.ts DIR gen|arith FROM TO');
}
mkdirSync(dir, { recursive: true });
for (let seed = Number(from); seed <= Number(to); seed++) writeFileSync(join(dir, `${kind}-${seed}.go`), generators[kind](seed));
console.log(`wrote ${kind}-${from}.go to ${kind}-${to}.go in ${dir}`);
