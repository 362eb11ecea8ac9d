/**
 * The bundle bin/stackdebug.cjs loads: it behaves as the plain build in dist/cli does (the
 * string-width front that scripts/defer-string-width.mjs puts in it lays out help the same), and
 * V8 accepts the code cache the build made for it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
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
});
