/** stackdebug's cache directory (patched toolchains, build cache, parsed programs). */
import { homedir } from 'node:os';
import { join } from 'node:path';

/** $XDG_CACHE_HOME/stackdebug, else ~/.cache/stackdebug. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME.startsWith('/') ? env.XDG_CACHE_HOME : join(homedir(), '.cache');
  return join(base, 'stackdebug');
}
