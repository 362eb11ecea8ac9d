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

/** What `run` prints beside (or instead of) the plain trace. */
export const viewOptions = {
  explain: {
    type: 'boolean',
    default: false,
    describe: 'follow each runtime line of the trace with an indented note of why (dimmed on a terminal)',
  },
  format: {
    choices: ['text', 'json'] as const,
    default: 'text' as const,
    describe: 'text: the trace; json: one JSON object per event, one per line (see docs/json-format.md)',
  },
} satisfies Record<string, Options>;

export interface ViewArgs {
  explain: boolean;
  format: 'text' | 'json';
}
