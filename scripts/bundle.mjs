// Bundles the command line into one CommonJS file, dist/bundle/main.cjs. Node loads one file
// instead of hundreds, and compiles a CommonJS script lazily, function by function: a small run
// starts about 20 ms sooner than from an ES-module bundle split into chunks (measured with Node
// 20: 130 against 150 ms for `run` on a small .go file), for 5 ms more on `--help`.
// web-tree-sitter is bundled too (so the code cache holds its start-up code, about 4 ms of a
// run); src/scenario/treesitter.ts tells it where its .wasm is.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { deferStringWidth } from './defer-string-width.mjs';
import { yargsPackageRoot } from './yargs-package-root.mjs';

rmSync('dist/bundle', { recursive: true, force: true });

// The profiles' runtime text (src/runtime/listed-code.ts reads it beside the profiles, at run time
// and only when needed): dist/profiles, where both dist/runtime and dist/bundle find it.
mkdirSync('dist/profiles', { recursive: true });
for (const f of readdirSync('src/profiles').filter((n) => n.startsWith('runtime-text-'))) copyFileSync(join('src/profiles', f), join('dist/profiles', f));

await build({
  entryPoints: ['src/cli/main.ts'],
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  outfile: 'dist/bundle/main.cjs',
  // The sources are ES modules: import.meta.url becomes this file's URL (same depth in dist/).
  define: { 'import.meta.url': '__bundleUrl' },
  banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [deferStringWidth, yargsPackageRoot],
  // A third less to read and pre-parse; names stay, so stack traces (STACKDEBUG_DEBUG) still read.
  // BUNDLE_PLAIN=1 keeps the lines, for a CPU profile by line.
  minifyWhitespace: !process.env.BUNDLE_PLAIN,
  logLevel: 'warning',
});

// V8's code cache for the bundle (bin/stackdebug.cjs loads it): made by running a small Go
// program, so that it holds the functions a run compiles: the command line, the Go front end,
// the simulator and the output.
const training = 'test/fixtures/go/seed-abc.go';
if (existsSync(training)) {
  const r = spawnSync(process.execPath, ['bin/stackdebug.cjs', 'run', training], {
    env: { ...process.env, STACKDEBUG_WRITE_CODE_CACHE: join(process.cwd(), 'dist/bundle/main.cjs.codecache') },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (r.status !== 0) console.warn('bundle: no code cache (the training run failed); the bundle works without one');
}

// The build's id (src/scenario/parsed-cache.ts keys parsed programs by it), written after the
// training run, which therefore leaves nothing in the user's cache.
writeFileSync('dist/bundle/build-id', createHash('sha256').update(readFileSync('dist/bundle/main.cjs')).digest('hex') + '\n');
