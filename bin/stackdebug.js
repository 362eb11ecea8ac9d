#!/usr/bin/env node
// Thin launcher: everything lives in dist/cli (built from src/cli by `npm install`/`npm run build`).
import('../dist/cli/main.js').then((m) => m.main(process.argv.slice(2)));
