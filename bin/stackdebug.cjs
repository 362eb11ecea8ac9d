#!/usr/bin/env node
// Thin launcher: the command line lives in dist/ (built from src/ by `npm install` or
// `npm run build`). The bundled build (one CommonJS file) starts fastest, and a CommonJS launcher
// spares Node its ES-module loader; the plain build in dist/cli is the fallback.
'use strict';
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const { pathToFileURL } = require('node:url');

const bundled = join(__dirname, '..', 'dist', 'bundle', 'main.cjs');
const cli = existsSync(bundled) ? Promise.resolve(loadBundle(bundled))
  : import(pathToFileURL(join(__dirname, '..', 'dist', 'cli', 'main.js')).href);
cli.then((m) => m.main(process.argv.slice(2)));

/**
 * Loads the bundle as require() would, but through V8's code cache made at build time
 * (scripts/bundle.mjs runs a program with STACKDEBUG_WRITE_CODE_CACHE set, and the cache then
 * holds every function that run compiled): a run starts about 15 ms sooner. V8 accepts a cache
 * only under the flags it was made with, so the Go parser's WebAssembly flags
 * (src/scenario/treesitter.ts) are set here first. A cache V8 rejects (another Node) costs nothing
 * but the compile it would have saved.
 */
function loadBundle(file) {
  const v8 = require('node:v8');
  const vm = require('node:vm');
  v8.setFlagsFromString('--liftoff-only');
  v8.setFlagsFromString('--no-wasm-lazy-compilation');
  const cacheFile = `${file}.codecache`;
  const makeCache = process.env.STACKDEBUG_WRITE_CODE_CACHE === cacheFile;
  const cachedData = !makeCache && existsSync(cacheFile) ? readFileSync(cacheFile) : undefined;
  const source = `(function (exports, require, module, __filename, __dirname) {${readFileSync(file, 'utf8')}\n})`;
  const script = new vm.Script(source, {
    // import() inside the bundle resolves as in any module (vm.constants: Node 20.12 and later).
    filename: file, cachedData, importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  if (makeCache) process.on('exit', () => writeFileSync(cacheFile, script.createCachedData()));
  else {
    if (process.env.STACKDEBUG_DEBUG && (!cachedData || script.cachedDataRejected)) {
      process.stderr.write(`stackdebug: ${cachedData ? 'V8 rejected' : 'no'} code cache ${cacheFile}\n`);
    }
    // Less inlining in optimized code, set once the cache is checked (a cache is made and checked
    // under the same flags): a run optimizes dozens of runtime functions while it runs, and on two
    // cores their compiles kept the 10,000-goroutine program 14% longer (285 against 245 ms, the
    // median of 15 interleaved runs), for nothing either way on deep recursions (bench/run.ts).
    v8.setFlagsFromString('--max-inlined-bytecode-size-cumulative=300');
  }
  const mod = { exports: {} };
  script.runInThisContext().call(mod.exports, mod.exports, require('node:module').createRequire(file), mod, file, dirname(file));
  return mod.exports;
}
