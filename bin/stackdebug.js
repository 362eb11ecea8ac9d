#!/usr/bin/env node
// Thin launcher: the command line lives in dist/ (built from src/ by `npm install` or
// `npm run build`); the bundled build starts faster, the plain one is the fallback.
import { existsSync } from 'node:fs';

const bundled = new URL('../dist/bundle/main.js', import.meta.url);
const entry = existsSync(bundled) ? bundled : new URL('../dist/cli/main.js', import.meta.url);
import(entry.href).then((m) => m.main(process.argv.slice(2)));
