/** The simulated process: a program model, a profile, Ps; out come trace lines and an exit status. */
import type { Program } from '../program/model.js';
import type { Profile } from '../profiles/profile.js';
import { Runtime } from './proc.js';

export interface SimulateOptions {
  gomaxprocs: number;
  write: (line: string) => void;
}

export function simulate(program: Program, profile: Profile, opts: SimulateOptions): number {
  return new Runtime(profile, program, opts).run();
}
