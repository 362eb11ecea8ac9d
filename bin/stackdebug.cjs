#!/usr/bin/env node
// Thin launcher: the command line lives in dist/ (built from src/ by `npm install` or
// `npm run build`). The bundled build (one CommonJS file) starts fastest, and a CommonJS launcher
// spares Node its ES-module loader; the plain build in dist/cli is the fallback.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

const bundled = join(__dirname, '..', 'dist', 'bundle', 'main.cjs');
const cli = existsSync(bundled) ? Promise.resolve(require(bundled))
  : import(pathToFileURL(join(__dirname, '..', 'dist', 'cli', 'main.js')).href);
cli.then((m) => m.main(process.argv.slice(2)));
