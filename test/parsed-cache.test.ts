/**
 * Parsed Go programs kept between runs (src/scenario/parsed-cache.ts), through the built command
 * line with a cache directory of its own.
 */
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliSync, root } from './cli.js';

let dir: string;
let cache: string;
const entries = () => {
  try {
    return readdirSync(join(cache, 'stackdebug', 'programs'));
  } catch {
    return [];
  }
};
const run = (file: string, env: Record<string, string> = {}) =>
  cliSync(['run', file, '--go', '1.19'], { env: { XDG_CACHE_HOME: cache, ...env } });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'stackdebug-parsed-'));
  cache = join(dir, 'cache');
  copyFileSync(join(root, 'test/fixtures/go/seed-abc.go'), join(dir, 'main.go'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('parsed programs kept between runs', () => {
  it('gives the same trace from the cache as from the parser', () => {
    const file = join(dir, 'main.go');
    const first = run(file);
    expect(first.code).toBe(0);
    expect(entries()).toHaveLength(1);
    const again = run(file);
    expect(again.stdout).toBe(first.stdout);
    expect(again.code).toBe(0);
    expect(entries()).toHaveLength(1);
  });

  it('parses a changed file again, and a program that does not parse is not kept', () => {
    const file = join(dir, 'main.go');
    run(file);
    writeFileSync(file, 'package main\n\nfunc main() {\n\tprintln("changed")\n}\n');
    expect(run(file).stdout).toContain('changed');
    expect(entries()).toHaveLength(2);
    writeFileSync(file, 'package main\n\nfunc main() {\n\tprintln(\n}\n');
    for (let i = 0; i < 2; i++) {
      const bad = run(file);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/main\.go:\d+:\d+: /);
    }
    expect(entries()).toHaveLength(2);
  });

  it('reads an entry that is not a program as a miss, and keeps nothing with STACKDEBUG_CACHE=off', () => {
    const file = join(dir, 'main.go');
    const first = run(file);
    const [entry] = entries();
    writeFileSync(join(cache, 'stackdebug', 'programs', entry), 'not a program');
    expect(run(file).stdout).toBe(first.stdout);
    rmSync(cache, { recursive: true, force: true });
    expect(run(file, { STACKDEBUG_CACHE: 'off' }).stdout).toBe(first.stdout);
    expect(entries()).toHaveLength(0);
  });
});
