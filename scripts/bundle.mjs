// Bundles the command line into dist/bundle/ (one module per lazily loaded part): Node then
// loads a handful of files instead of hundreds, which is most of a small run's start-up time.
// web-tree-sitter stays external: it finds its .wasm next to its own file.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

// Chunk names carry content hashes: start from an empty directory so stale chunks do not pile up.
rmSync('dist/bundle', { recursive: true, force: true });

await build({
  entryPoints: ['src/cli/main.ts'],
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir: 'dist/bundle',
  external: ['web-tree-sitter'],
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
});
