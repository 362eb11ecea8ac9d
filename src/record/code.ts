/**
 * The real code addresses of a program (`--code compiler`): the program is built for
 * linux/amd64 with the patched toolchain, as `record` builds it, and `go tool objdump` lists
 * every instruction of the binary with its address and source line. The runtime's code comes
 * first in the binary and does not move with the program, so the same listing answers for
 * runtime and program frames alike.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import type { CodeAddresses } from '../runtime/text.js';
import { ListedCode, parseObjdump } from '../runtime/listed-code.js';

export { ListedCode, parseObjdump, type Instruction } from '../runtime/listed-code.js';
import { buildProgram, goEnv } from './build.js';
import { prepare, type ToolchainOptions } from './record.js';

/** The code addresses of `goSource` built by the real toolchain of opts.version. */
export async function compilerCode(goSource: string, opts: ToolchainOptions & { fileName: string }): Promise<CodeAddresses> {
  const { goroot, version } = await prepare(opts);
  opts.onProgress?.('building and disassembling');
  const built = await buildProgram(goSource, { goroot, version, fileName: opts.fileName, env: { GOOS: 'linux', GOARCH: 'amd64' } });
  try {
    const listing = await new Promise<string>((resolve, reject) => {
      execFile(join(goroot, 'bin', 'go'), ['tool', 'objdump', built.binary], { env: goEnv(goroot), maxBuffer: 1 << 30 },
        (err, stdout, stderr) => (err ? reject(new Error(`go tool objdump failed: ${stderr || err.message}`)) : resolve(stdout)));
    });
    return new ListedCode(parseObjdump(listing), opts.fileName);
  } finally {
    await built.cleanup();
  }
}
