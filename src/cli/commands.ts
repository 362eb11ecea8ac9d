/** Every command of the tool, in the order --help lists them. */
import type { CommandModule } from 'yargs';
import { runCommand } from './run.js';
import { checkCommand } from './check.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [runCommand, checkCommand];
