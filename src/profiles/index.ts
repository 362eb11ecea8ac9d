/** Looks up the profile of a Go version ("1.19", "go1.19", "1.19.8" all name 1.19). */
import { InputError } from '../program/model.js';
import type { Profile } from './profile.js';
import { PROFILES, VERSIONS } from './versions.js';

export type { Profile } from './profile.js';
export { VERSIONS };

export function getProfile(version: string): Profile {
  const m = /^(?:go)?(1\.\d+)(?:\.\d+)?$/.exec(String(version).trim());
  const p = m ? PROFILES[m[1]] : undefined;
  if (!p) {
    throw new InputError(`unknown Go version "${version}": the simulated runtimes are ${VERSIONS.join(', ')}`, { file: '--go' });
  }
  return p;
}
