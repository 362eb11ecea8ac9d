/**
 * Fatal endings of the process (runtime/panic.go throw, proc.go checkdead) and the traceback the
 * runtime prints after them (runtime/traceback.go). Exit status 2, as the real runtime's.
 */
import type { GoType } from '../program/model.js';
import { paramsInMemory, readsVar } from '../program/frame.js';
import type { ParkedTraceback } from '../profiles/parked.js';
import { goMinor } from '../profiles/profile.js';
import { hex } from './print.js';
import { FIXED_STACK, MAX_STACK_SIZE } from './stack.js';
import { goexitReturnPC, mainReturnPC } from './text.js';
import type { FrameView as Frame } from './frames.js';
import type { G, Runtime } from './proc.js';

/** Thrown to end the simulated process with an exit status (exit(2) after a throw). */
export class RuntimeExit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/**
 * How many frames of a goroutine are printed: up to 1.20 the first 100 and then
 * "...additional frames elided..."; from 1.21 the first 50 and the last 50 around
 * "...N frames elided..." (reference/stack-overflow go1.19 and go1.21 traces).
 */
const FIRST_FRAMES_OLD = 100;

/**
 * Bytes newproc1 leaves unused at the top of a new goroutine's stack (totalSize = 4*PtrSize +
 * MinFrameSize, proc.go): goexit's frame starts below them (stack-overflow tracebacks: goexit
 * fp=hi-0x18 sp=hi-0x20 on every goroutine).
 */
const NEW_G_TOP = 0x20;
const EDGE_FRAMES = 50;

/**
 * The argument words of a frame as traceback prints them: at most 10 words, then "...". Under
 * the stack ABI (up to 1.16) the raw words of the argument area, no braces and no "?"
 * (traceback.go's printargs before 1.17).
 */
function argWords(rt: Runtime, fr: Frame, level: 1 | 2): string {
  if (rt.profile.abi === 'stack') {
    const words: string[] = [];
    for (const p of fr.fn.func.params) {
      if (p.type.kind === 'array') {
        for (let i = 0; i < wordsOf(p.type) && words.length <= 10; i++) words.push('0x0');
      } else {
        words.push(intArg(fr, p.name));
      }
      if (words.length > 10) break;
    }
    return words.length > 10 ? [...words.slice(0, 10), '...'].join(', ') : words.join(', ');
  }
  // Register ABI (1.17+): arrays in braces, register values marked "?" (they may be stale).
  const parts: string[] = [];
  let words = 0;
  const inMemory = paramsInMemory(fr.fn.func, rt.profile);
  for (const p of fr.fn.func.params) {
    if (words >= 10) { parts.push('...'); break; }
    if (p.type.kind === 'array') {
      const w: string[] = [];
      for (let i = 0; i < wordsOf(p.type); i++) {
        if (words >= 10) { w.push('...'); break; }
        w.push('0x0');
        words++;
      }
      parts.push(`{${w.join(', ')}}`);
    } else {
      // At level 2 the frame is in morestack, whose call the prologue made after spilling the
      // register arguments: their words are the values. Parked in the function's body (level 1),
      // an argument's slot holds its value only if the frame's prologue once called morestack
      // (to grow the stack, or be preempted), and otherwise whatever the stack held before:
      // zero on memory no frame used yet, which the model prints for every other slot. Checked
      // with Go 1.19: parked functions using their argument before, after and not at all print
      // 0x0?; a deadlock 120 calls deep prints the values of the two frames that grew the stack.
      // The prologue spills only arguments that are live: one the function never reads stays
      // 0x0? (recorded/deadlock-many: receiver(k) grew its stack, on 1.19 and 1.21 to 1.24).
      // A parameter whose address a send takes lives in its slot: its value, without "?"
      // (1.21+ sender(k) { c <- k }: recorded/deadlock-many).
      if (inMemory.has(p.name)) {
        parts.push(intArg(fr, p.name));
      } else {
        const spilled = (level === 2 || fr.spilled) && readsVar(fr.fn.func, p.name);
        parts.push(`${spilled ? intArg(fr, p.name) : '0x0'}?`);
      }
      words++;
    }
  }
  return parts.join(', ');
}

/** The runtime's source directory tracebacks name: under the real build's GOROOT (--traceback-goroot). */
const runtimeSrc = (rt: Runtime) => `${rt.opts.goroot ?? rt.profile.goroot}/src/runtime`;

/** Machine words an array argument takes. */
const wordsOf = (t: Extract<GoType, { kind: 'array' }>) =>
  Math.ceil((t.len * (t.elem.kind === 'basic' ? t.elem.size : 8)) / 8);

/** An int argument's word as hex, a negative number as its two's complement. */
function intArg(fr: Frame, name: string): string {
  const s = fr.fn.slots.get(name);
  const v = s === undefined ? 0 : fr.vars[s];
  return '0x' + BigInt.asUintN(64, BigInt(v)).toString(16);
}

function printFrames(rt: Runtime, g: G, top: 'prologue' | 'parked'): void {
  const frames = g.frames;
  // The path as the user gave it, or in --build-dir (the real runtime prints the build's
  // absolute path): by default traces stay the same wherever the project is checked out.
  const file = rt.program.file;
  const isMain = g.startFn === 'main.main';
  // Traceback order: innermost first; for the main goroutine runtime.main and goexit follow.
  const total = frames.depth + (isMain ? 2 : 0);
  const render = (k: number): string[] => {
    const i = frames.depth - 1 - k;
    const hi = g.stack.hi;
    // newproc1 leaves NEW_G_TOP bytes free at the top; goexit's return address sits below them.
    if (i === -1) {
      const { pc, off } = runtimeMainPC(rt);
      return ['runtime.main()', `\t${runtimeSrc(rt)}/proc.go:${rt.profile.runtimeMainLine} +${hex(off)} fp=${hex(hi - NEW_G_TOP)} sp=${hex(hi - rt.profile.mainEntryUsed + 8)} pc=${hex(pc)}`];
    }
    if (i === -2) {
      const pc = goexitReturnPC(rt.opts.codeAddresses, rt.programText);
      return [`runtime.goexit(${goMinor(rt.profile) >= 22 ? '{}' : ''})`, `\t${runtimeSrc(rt)}/asm_amd64.s:${rt.profile.goexitLine} +0x1 fp=${hex(hi - NEW_G_TOP + 8)} sp=${hex(hi - NEW_G_TOP)} pc=${hex(pc)}`];
    }
    const fr = frames.view(i);
    const f = fr.fn;
    const entrySP = hi - fr.entryUsed;
    const atEntry = k === 0 && top === 'prologue';
    const line = atEntry ? f.func.pos.line : frames.line(i);
    const { pc, off } = framePC(rt, g, i, atEntry);
    const sp = atEntry ? entrySP : entrySP - f.layout.frame;
    return [
      `${f.symbol}(${argWords(rt, fr, 2)})`,
      `\t${file}:${line} +${hex(off)} fp=${hex(entrySP + 8)} sp=${hex(sp)} pc=${hex(pc)}`,
    ];
  };
  const print = (from: number, to: number) => {
    for (let k = from; k < to; k++) render(k).forEach((x) => rt.print(x));
  };
  if (goMinor(rt.profile) <= 20) {
    print(0, Math.min(total, FIRST_FRAMES_OLD));
    if (total > FIRST_FRAMES_OLD) rt.print('...additional frames elided...');
  } else if (total > 2 * EDGE_FRAMES) {
    print(0, EDGE_FRAMES);
    rt.print(`...${total - 2 * EDGE_FRAMES} frames elided...`);
    print(total - EDGE_FRAMES, total);
  } else {
    print(0, total);
  }
}

/**
 * The pc traceback prints for the program's frame i of g, and its offset in the function: where
 * it called the next frame (or the runtime, when it is the top frame and parked), or, atEntry,
 * where its prologue called morestack. The model's stand-ins, or the real binary's addresses.
 */
function framePC(rt: Runtime, g: G, i: number, atEntry: boolean): { pc: number; off: number } {
  const frames = g.frames;
  const f = frames.fn(i);
  const modelOff = atEntry ? f.morestackOffset : f.returnOffsets[frames.pc(i)];
  const model = { pc: f.entryPC + modelOff, off: modelOff };
  const text = rt.opts.codeAddresses;
  const entry = text?.funcEntry(f.symbol);
  if (!text || entry === undefined) return model;
  const callLine = `${text.sourceFile}:${frames.line(i)}`;
  const pc = atEntry ? text.morestackReturn(f.symbol)
    : i + 1 < frames.depth ? text.callReturn(frames.fn(i + 1).symbol, { caller: f.symbol, callLine })
    : text.callAt(f.symbol, callLine);
  return pc === undefined ? model : { pc, off: pc - entry };
}

/** Where runtime.main called main.main (the return address) and its offset in runtime.main. */
function runtimeMainPC(rt: Runtime): { pc: number; off: number } {
  const pc = mainReturnPC(rt.opts.codeAddresses, rt.profile, rt.programText);
  // The binary's entry, or the profile's runtime text's (with the program text's shift).
  const entry = rt.opts.codeAddresses?.funcEntry('runtime.main') ?? rt.runtimeText?.funcEntry('runtime.main');
  // 0x28b: Go 1.19's offset (stack-overflow/go1.19.p1.log), a stand-in where neither is known.
  return { pc, off: entry === undefined ? 0x28b : pc - entry };
}

/**
 * A goroutine's frames at traceback level 1, what a fatal error that is not a runtime throw
 * prints (checkdead's deadlock; gotraceback: level 2 only for throws): the program's functions
 * only (no runtime.main, goexit or go statement wrappers), file:line +offset, then the go
 * statement that created it (traceback.go printcreatedby; "in goroutine N" from 1.21).
 * Checked with Go 1.19 on deadlocked programs.
 */
function printProgramFrames(rt: Runtime, g: G): void {
  const frames = g.frames;
  const file = rt.program.file;
  const print = (i: number) => {
    const fr = frames.view(i);
    rt.print(`${fr.fn.symbol}(${argWords(rt, fr, 1)})`);
    rt.print(`\t${file}:${frames.line(i)} +${hex(framePC(rt, g, i, false).off)}`);
  };
  // Which frames are printed is counted as for a stack overflow (printFrames), but among the
  // frames a level-1 traceback walks. Up to 1.20 gentraceback walks at most 100 frames, the
  // hidden ones included (the runtime's above a parked goroutine, go statement wrappers), and
  // says "...additional frames elided..." only when it printed 100 (n = nprint), which a parked
  // goroutine never does: checked with Go 1.19 on a deadlock 100,000 calls deep, which prints
  // 97 frames under chanrecv1, chanrecv and gopark and nothing more. From 1.21 traceback2
  // counts printed frames only: the first 50 and the last 50 around "...N frames elided...".
  if (goMinor(rt.profile) <= 20) {
    let walked = g.parkedFrames;
    for (let i = frames.depth - 1; i >= 0 && walked < FIRST_FRAMES_OLD; i--, walked++) {
      if (!frames.fn(i).wrapper) print(i);
    }
  } else {
    const shown: number[] = [];
    for (let i = frames.depth - 1; i >= 0; i--) if (!frames.fn(i).wrapper) shown.push(i);
    if (shown.length > 2 * EDGE_FRAMES) {
      shown.slice(0, EDGE_FRAMES).forEach(print);
      rt.print(`...${shown.length - 2 * EDGE_FRAMES} frames elided...`);
      shown.slice(-EDGE_FRAMES).forEach(print);
    } else {
      shown.forEach(print);
    }
  }
  const by = g.createdBy;
  if (!by) return;
  rt.print(`created by ${by.fn.symbol}${goMinor(rt.profile) >= 21 ? ` in goroutine ${by.goid}` : ''}`);
  const line = by.fn.lines[by.pc];
  const text = rt.opts.codeAddresses;
  // The go statement's call of newproc: a statement passing variables first allocates their
  // closure (newobject) on the same line (recorded/deadlock-many, Go 1.19 and 1.21 to 1.24).
  const pc = text?.callReturn('runtime.newproc', { caller: by.fn.symbol, callLine: `${text.sourceFile}:${line}` });
  const entry = text?.funcEntry(by.fn.symbol);
  const off = pc !== undefined && entry !== undefined ? pc - entry : by.fn.returnOffsets[by.pc + 1];
  rt.print(`\t${file}:${line} +${hex(off)}`);
}

function goroutineHeader(rt: Runtime, g: G, status: string, level: 1 | 2): string {
  // 1.22+ names the g and its M in the header at traceback level 2, which a runtime throw sets
  // (traceback.go goroutineheader; reference/stack-overflow/go1.24.p1.log; 1.22 and 1.23
  // recorded with Debian's toolchains); a deadlock's level 1 does not (recorded/deadlock-many).
  const m0 = rt.profile.m0Addr;
  if (m0 !== null && level === 2) {
    const m = status === 'running' ? `m=0 mp=${hex(m0)}` : 'm=nil';
    return `goroutine ${g.id} gp=${hex(g.addr)} ${m} [${status}]:`;
  }
  return `goroutine ${g.id} [${status}]:`;
}

/**
 * The other goroutines' sections: user goroutines with their frames, runtime ones by name; at
 * traceback level 1 the program's goroutines only, as a deadlock prints them.
 */
function otherGoroutines(rt: Runtime, except: G): void {
  const level = rt.profile.throwTracebackLevel;
  for (const g of rt.allgs) {
    if (g === except || g.status === 'dead' || (level === 1 && g.system)) continue;
    rt.print('');
    rt.print(goroutineHeader(rt, g, g.waitReason || 'runnable', level));
    if (level === 1) {
      printProgramFrames(rt, g);
      continue;
    }
    const parked = rt.profile.parked[g.startFn];
    if (g.frames.depth > 0) printFrames(rt, g, 'parked');
    else if (parked && g.stack.hi > 0) printParked(rt, g, parked);
    else rt.print(`${g.startFn}(...)`);
  }
}

/** A runtime goroutine parked where the profile says: fp and sp from its stack, goexit's frame up. */
function printParked(rt: Runtime, g: G, tb: ParkedTraceback): void {
  const src = runtimeSrc(rt);
  // fp of each real frame, outermost (goexit) first: each frame's sp is the fp of the one it calls.
  const fps: number[] = [];
  let fp = g.stack.hi - NEW_G_TOP + 8;
  for (let k = tb.frames.length - 1; k >= 0; k--) {
    const f = tb.frames[k];
    if (f.frame === undefined) continue;
    fps[k] = fp;
    fp -= f.frame;
  }
  tb.frames.forEach((f, k) => {
    rt.print(f.call.replace('{gp}', hex(g.addr)).replaceAll('{chan}', hex(rt.gcenableChan)));
    if (f.off === undefined) rt.print(`\t${src}/${f.at}`);
    else rt.print(`\t${src}/${f.at} +${hex(f.off)} fp=${hex(fps[k])} sp=${hex(fps[k] - f.frame!)} pc=${hex(f.pc!)}`);
  });
  rt.print(`created by ${tb.createdBy.fn}`);
  rt.print(`\t${src}/${tb.createdBy.at} +${hex(tb.createdBy.off)}`);
}

/** newstack: the new size would pass maxstacksize. */
export function fatalStackOverflow(rt: Runtime, g: G, sp: number): never {
  rt.print(`runtime: goroutine stack exceeds ${MAX_STACK_SIZE}-byte limit`);
  rt.print(`runtime: sp=${hex(sp)} stack=[${hex(g.stack.lo)}, ${hex(g.stack.hi)}]`);
  rt.print('fatal error: stack overflow');
  rt.print('');
  rt.print('runtime stack:');
  // The system stack's frames: source lines and pc offsets from the profile; at level 2 their
  // fp, sp and pc are Go 1.19's (stack-overflow/go1.19.p1.log), stand-ins for every version
  // (system-stack addresses are not modelled, and the comparisons relabel them).
  const [throwLine, newstackLine, morestackLine] = rt.profile.overflowLines;
  const [throwOff, newstackOff, morestackOff] = rt.profile.overflowOffsets ?? [0x5d, 0x5ec, 0x8b];
  systemFrame(rt, `runtime.throw(${rt.profile.throwArgs})`, `panic.go:${throwLine} +${hex(throwOff)}`, 'fp=0x7ffee5d2cde0 sp=0x7ffee5d2cdb0 pc=0x42d93d');
  systemFrame(rt, 'runtime.newstack()', `stack.go:${newstackLine} +${hex(newstackOff)}`, 'fp=0x7ffee5d2cf98 sp=0x7ffee5d2cde0 pc=0x444e8c');
  systemFrame(rt, 'runtime.morestack()', `asm_amd64.s:${morestackLine} +${hex(morestackOff)}`, 'fp=0x7ffee5d2cfa0 sp=0x7ffee5d2cf98 pc=0x454d2b');
  rt.print('');
  rt.print(goroutineHeader(rt, g, 'running', 2));
  printFrames(rt, g, 'prologue');
  otherGoroutines(rt, g);
  throw new RuntimeExit(2);
}

/** A frame of the system stack in a throw's "runtime stack:": fp, sp and pc only at level 2. */
function systemFrame(rt: Runtime, call: string, at: string, where: string | null): void {
  rt.print(call);
  rt.print(`\t${runtimeSrc(rt)}/${at}${where && rt.profile.throwTracebackLevel === 2 ? ` ${where}` : ''}`);
}

/** newproc1's siz: a go statement's argument bytes, rounded up to 8. */
const newprocSiz = (argSize: number) => (argSize + 7) & ~7;

/** newproc1's check (proc.go, the stack ABI): siz >= _StackMin - 4*RegSize - RegSize. */
export const newprocArgsTooLarge = (argSize: number) => newprocSiz(argSize) >= FIXED_STACK - 4 * 8 - 8;

/**
 * A go statement whose arguments newproc1 cannot copy onto a new goroutine's first stack (Go
 * 1.14, 1.15): throw on the system stack, under newproc's systemstack call. `used`: the bytes in
 * use at the go statement's SP (g's top frame makes it), `argSize` the arguments' bytes. Checked byte for byte against
 * recorded/go-array-arg and go-big-twice recorded with go1.15.15 (--code compiler).
 */
export function fatalNewprocArgs(rt: Runtime, g: G, used: number, argSize: number): never {
  const t = rt.profile.newprocThrow!;
  const siz = newprocSiz(argSize);
  // siz is an int32: the word's upper half is what the slot held before. newproc's showed a heap
  // pointer's 0xc0 in every recording (three programs); newproc1's copy on g0 in two of them.
  const sizWord = hex(0xc0 * 2 ** 32 + siz);
  const userSP = g.stack.hi - used;
  const callerPC = framePC(rt, g, g.frames.depth - 1, false).pc;
  const message = 'newproc: function arguments too large for new goroutine';
  rt.print(`fatal error: ${message}`);
  rt.print('');
  rt.print('runtime stack:');
  // Stand-ins, from the recordings: the message's address, the go statement's funcval,
  // newproc.func1's closure, and the stale word newproc1's result slot held (0x548 into the main
  // goroutine's first stack in both).
  const fnAddr = 0x479fb8;
  systemFrame(rt, `runtime.throw(0x479b82, ${hex(message.length)})`, t.throw, null);
  // newproc1(fn, argp, narg, callergp, callerpc): argp, the arguments above newproc's siz and fn.
  const stale = hex(rt.mainFirstStack + 0x548);
  systemFrame(rt, `runtime.newproc1(${hex(fnAddr)}, ${hex(userSP + 16)}, ${sizWord}, ${hex(g.addr)}, ${hex(callerPC)}, ${stale})`, t.newproc1, null);
  systemFrame(rt, 'runtime.newproc.func1()', t.func1, null);
  systemFrame(rt, 'runtime.systemstack(0x458d74)', t.systemstack, null);
  systemFrame(rt, 'runtime.mstart()', t.mstart, null);
  rt.print('');
  // The goroutine, from newproc's systemstack call down: newproc (NOSPLIT) entered at the go
  // statement's SP, its frame and return address below.
  rt.print(goroutineHeader(rt, g, 'running', 2));
  const newproc = rt.profile.runtimeCalls.newproc.find((f) => f.fn === 'runtime.newproc')!;
  const newprocSP = userSP - newproc.frame - 8;
  rt.print('runtime.systemstack_switch()');
  rt.print(`\t${runtimeSrc(rt)}/${t.systemstackSwitch} fp=${hex(newprocSP)} sp=${hex(newprocSP - 8)} pc=0x458ea0`);
  rt.print(`runtime.newproc(${sizWord}, ${hex(fnAddr)})`);
  rt.print(`\t${runtimeSrc(rt)}/${t.newproc} fp=${hex(userSP)} sp=${hex(newprocSP)} pc=0x437d8e`);
  printFrames(rt, g, 'parked');
  otherGoroutines(rt, g);
  throw new RuntimeExit(2);
}

/** checkdead: no goroutine can run and none will be woken. */
export function fatalDeadlock(rt: Runtime): never {
  rt.print('fatal error: all goroutines are asleep - deadlock!');
  for (const g of rt.allgs) {
    if (g.system || g.status === 'dead') continue;
    rt.print('');
    rt.print(goroutineHeader(rt, g, g.waitReason || 'runnable', 1));
    printProgramFrames(rt, g);
  }
  throw new RuntimeExit(2);
}
