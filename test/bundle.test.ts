/**
 * The bundle bin/stackdebug.cjs loads: it behaves as the plain build in dist/cli does (the
 * string-width front that scripts/defer-string-width.mjs puts in it lays out help the same), and
 * V8 accepts the code cache the build made for it.
 * yargs looks for a package.json from the bundle up, not from the current directory
 * (scripts/yargs-package-root.mjs).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliSync, root } from './cli.js';

function plainBuild(args: string[]): string {
  const main = join(root, 'dist', 'cli', 'main.js');
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', `import(${JSON.stringify(main)}).then((m) => m.main(${JSON.stringify(args)}))`], {
    cwd: root, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: undefined, NO_COLOR: undefined },
  });
  return r.stdout;
}

describe('the bundle', () => {
  for (const args of [['--help'], ['run', '--help'], ['check', '--help']]) {
    it(`lays out ${args.join(' ')} as the plain build does`, () => {
      const bundled = cliSync(args).stdout;
      expect(bundled).toContain('Options:');
      expect(bundled).toBe(plainBuild(args));
    });
  }

  it('starts from the code cache the build made', () => {
    expect(existsSync(join(root, 'dist', 'bundle', 'main.cjs.codecache'))).toBe(true);
    const r = cliSync(['run', 'scenarios/seed-abc.yaml'], { env: { STACKDEBUG_DEBUG: '1' } });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('code cache');
  });

  it('lays out a run without loading string-width (its start costs 5 to 10 ms)', () => {
    for (const file of ['scenarios/seed-abc.yaml', 'test/fixtures/go/seed-abc.go']) {
      const r = cliSync(['run', file], { env: { STACKDEBUG_DEBUG: '1' } });
      expect(r.code).toBe(0);
      expect(r.stderr).not.toContain('string-width');
    }
  });

  it("reads no directory outside the package, whichever directory it runs in", () => {
    const dir = mkdtempSync(join(tmpdir(), 'stackdebug-cwd-'));
    // Another project's package.json in the current directory: yargs used to read it.
    writeFileSync(join(dir, 'package.json'), '{"version": "9.9.9"}');
    const spy = join(dir, 'spy.cjs');
    writeFileSync(spy, `const fs = require('fs'); const o = fs.readdirSync;
fs.readdirSync = function (p, ...r) { process.stderr.write('readdir ' + p + '\\n'); return o.call(this, p, ...r); };`);
    const r = cliSync(['run', join(root, 'scenarios', 'seed-abc.yaml')], { cwd: dir, env: { NODE_OPTIONS: `--require ${spy}` } });
    const v = cliSync(['--version'], { cwd: dir });
    rmSync(dir, { recursive: true, force: true });
    expect(r.code).toBe(0);
    const read = r.stderr.split('\n').filter((l) => l.startsWith('readdir ')).map((l) => l.slice('readdir '.length));
    expect(read.length).toBeGreaterThan(0);
    for (const p of read) expect(relative(root, p).startsWith('..'), p).toBe(false);
    expect(v.stdout.trim()).not.toBe('9.9.9');
  });
});
