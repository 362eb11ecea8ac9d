/** Every command of the tool, in the order --help lists them. */
import type { CommandModule } from 'yargs';
import { runCommand } from './run.js';
import { plotCommand } from './plot.js';
import { compareCommand } from './compare.js';
import { checkCommand } from './check.js';
import { recordCommand } from './record.js';
import { goCommand } from './go.js';
import { framesCommand } from './frames.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [runCommand, plotCommand, compareCommand, checkCommand, recordCommand, goCommand, framesCommand];
