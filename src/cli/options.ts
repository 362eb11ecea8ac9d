/** Command-line options shared by several commands, declared as data (yargs option objects). */
import type { Options } from 'yargs';

export const GO_VERSIONS = ['1.14', '1.15', '1.19', '1.21', '1.22', '1.23', '1.24'] as const;
export const DEFAULT_GO = '1.24';

export const runOptions = {
  go: {
    type: 'string',
    default: DEFAULT_GO,
    describe: `Go version whose runtime to simulate: ${GO_VERSIONS.join(', ')} ("go1.19" also accepted)`,
  },
  gomaxprocs: {
    type: 'number',
    default: 1,
    describe: 'GOMAXPROCS of the simulated process (number of Ps)',
  },
} satisfies Record<string, Options>;

export interface RunArgs {
  go: string;
  gomaxprocs: number;
}
