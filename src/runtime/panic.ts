/** Fatal endings of the process (runtime/panic.go throw, proc.go checkdead) and their tracebacks. */
import { hex } from './print.js';
import { MAX_STACK_SIZE } from './stack.js';
import type { G, Runtime } from './proc.js';

/** Thrown to end the simulated process with an exit status (like exit(2) after a throw). */
export class RuntimeExit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/** Up to 100 frames are printed (traceback.go: tracebackInnerFrames), then the elision line. */
const MAX_FRAMES = 100;

function traceback(rt: Runtime, g: G, status: string): void {
  rt.print(`goroutine ${g.id} [${status}]:`);
  const frames = g.frames;
  let printed = 0;
  for (let i = frames.length - 1; i >= 0; i--) {
    if (printed === MAX_FRAMES) {
      rt.print('...additional frames elided...');
      break;
    }
    const fr = frames[i];
    const f = fr.fn;
    const args = f.func.params.length ? '(...)' : '()';
    const line = f.lines[Math.max(0, fr.pc - 1)] ?? f.func.pos.line;
    const sp = g.stack.hi - fr.entryUsed;
    rt.print(`main.${f.name}${args}`);
    rt.print(`\t${rt.program.file}:${line} +0x${(0x20 + fr.pc * 0x13).toString(16)} fp=${hex(sp + 8)} sp=${hex(sp - f.layout.frame)}`);
    printed++;
  }
}

/** newstack: the new size would pass maxstacksize. */
export function fatalStackOverflow(rt: Runtime, g: G, sp: number): never {
  rt.print(`runtime: goroutine stack exceeds ${MAX_STACK_SIZE}-byte limit`);
  rt.print(`runtime: sp=${hex(sp)} stack=[${hex(g.stack.lo)}, ${hex(g.stack.hi)}]`);
  rt.print('fatal error: stack overflow');
  rt.print('');
  rt.print('runtime stack:');
  rt.print('runtime.throw({...})');
  rt.print('runtime.newstack()');
  rt.print('runtime.morestack()');
  rt.print('');
  traceback(rt, g, 'running');
  throw new RuntimeExit(2);
}

/** checkdead: no goroutine can run and none will be woken. */
export function fatalDeadlock(rt: Runtime): never {
  rt.print('fatal error: all goroutines are asleep - deadlock!');
  rt.print('');
  for (const g of rt.allgs) {
    if (g.system || g.status === 'dead') continue;
    traceback(rt, g, g.waitReason || 'waiting');
    rt.print('');
  }
  throw new RuntimeExit(2);
}
