/**
 * Builds dist/ (tsc -p ., then the bundle) once before the tests, for the tests that run
 * bin/stackdebug.cjs.
 * Type errors are reported but do not stop the tests (tsc still emits); a build that emits
 * nothing does.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const r = spawnSync('npx', ['tsc', '-p', '.'], { cwd: root, encoding: 'utf8', shell: process.platform === 'win32' });
  if (r.status !== 0) {
    process.stderr.write(`setup-build: tsc -p . reported errors:\n${r.stdout}${r.stderr}`);
  }
  if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) {
    throw new Error(`setup-build: tsc -p . produced no dist/cli/main.js\n${r.stdout}${r.stderr}`);
  }
  const b = spawnSync(process.execPath, ['scripts/bundle.mjs'], { cwd: root, encoding: 'utf8' });
  if (b.status !== 0) throw new Error(`setup-build: bundling failed\n${b.stdout}${b.stderr}`);
}
