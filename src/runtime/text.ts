/**
 * The code addresses a trace prints (the text segment's): in newstack's lines sched.pc, the
 * return address of the call to morestack in the function whose prologue failed, and morebuf.pc,
 * the return address into its caller; in tracebacks each frame's pc and its offset in the
 * function. The model lays out the program's code itself (code-size.ts) and reads the runtime's
 * from the profile's runtime text (listed-code.ts); where neither knows an address (Go 1.14's
 * runtime), a hash of the function's name stands in (rtcalls.ts). With `--code compiler`
 * the real ones come from the binary the real toolchain links (record/code.ts); a lookup that
 * finds nothing keeps the model's.
 */
import type { Profile } from '../profiles/profile.js';
import type { ProgramAddresses } from './code-size.js';

export interface CodeAddresses {
  /** The program's source file name in the binary's line table (main.go): CallSite lines use it. */
  readonly sourceFile: string;
  /** sched.pc when fn's prologue fails: the return address of fn's call to morestack. */
  morestackReturn(fn: string): number | undefined;
  /** A function's first instruction. */
  funcEntry(fn: string): number | undefined;
  /** The return address of the first call caller makes at callLine, whatever it calls. */
  callAt(caller: string, callLine: string): number | undefined;
  /** morebuf.pc: the return address of a call to callee (see CallSite for what narrows it down). */
  callReturn(callee: string, site: CallSite): number | undefined;
}

/**
 * Where runtime.main called main.main: the return address, real when known, else the model's
 * (the profile's, moved as the program's code moves it: code-size.ts layOutText).
 */
export function mainReturnPC(text: CodeAddresses | undefined, profile: Profile, model: ProgramAddresses): number {
  // runtime.main calls main.main through a function value, at the line tracebacks name.
  return text?.callReturn('main.main', { caller: 'runtime.main', callLine: `proc.go:${profile.runtimeMainLine}` })
    ?? model.runtimeMainPC;
}

/** A goroutine's first function returns into goexit + 1 (newproc1 sets it): real when known. */
export function goexitReturnPC(text: CodeAddresses | undefined, model: ProgramAddresses): number {
  // An assembly function is named with .abi0 from the register ABI on (Go 1.17), not before.
  const goexit = text?.funcEntry('runtime.goexit.abi0') ?? text?.funcEntry('runtime.goexit');
  return goexit === undefined ? model.goexitPC : goexit + 1;
}

export interface CallSite {
  /** The calling function's symbol, when known. */
  caller?: string;
  /** file:line of the call instruction (a call in the program: main.go:12). */
  callLine?: string;
  /** file:line of the return address (a runtime frame's measured `ret`: print.go:73). */
  returnLine?: string;
  /** Which of the calls at callLine, in order (println(a, b) calls printint twice on one line). */
  nth?: number;
}
