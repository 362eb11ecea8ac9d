/**
 * Fatal endings of the process (runtime/panic.go throw, proc.go checkdead) and the traceback the
 * runtime prints after them (runtime/traceback.go). Exit status 2, as the real runtime's.
 */
import path from 'node:path';
import { goMinor } from '../profiles/profile.js';
import { hex } from './print.js';
import { MAX_STACK_SIZE } from './stack.js';
import type { Frame, G, Runtime } from './proc.js';

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
const EDGE_FRAMES = 50;

/** The argument words of a frame as traceback prints them: at most 10 words, then "...". */
function argWords(rt: Runtime, fr: Frame): string {
  const parts: string[] = [];
  let words = 0;
  const more = () => words >= 10;
  const reg = rt.profile.abi === 'register';
  for (const p of fr.fn.func.params) {
    if (more()) { parts.push('...'); break; }
    if (p.type.kind === 'array') {
      const n = Math.ceil((p.type.len * (p.type.elem.kind === 'basic' ? p.type.elem.size : 8)) / 8);
      const w: string[] = [];
      for (let i = 0; i < n; i++) {
        if (more()) { w.push('...'); break; }
        w.push('0x0');
        words++;
      }
      parts.push(`{${w.join(', ')}}`);
    } else {
      const s = fr.fn.slots.get(p.name);
      const v = s === undefined ? 0 : fr.vars[s];
      parts.push(`${v < 0 ? '0x' + (BigInt.asUintN(64, BigInt(v))).toString(16) : hex(v)}${reg ? '?' : ''}`);
      words++;
    }
  }
  return parts.join(', ');
}

function printFrames(rt: Runtime, g: G, top: 'prologue' | 'parked'): void {
  const frames = g.frames;
  const file = path.resolve(rt.program.file);
  const lines: string[][] = [];
  for (let i = frames.length - 1; i >= 0; i--) {
    const fr = frames[i];
    const f = fr.fn;
    const entrySP = g.stack.hi - fr.entryUsed;
    const atEntry = i === frames.length - 1 && top === 'prologue';
    const line = atEntry ? f.func.pos.line : f.lines[Math.max(0, fr.pc - 1)] ?? f.func.pos.line;
    const off = atEntry ? 0x1d : 0x18 + fr.pc * 0x13;
    const sp = atEntry ? entrySP : entrySP - f.layout.frame;
    const name = f.name.includes('.') ? `main.${f.name}` : `main.${f.name}`;
    lines.push([
      `${name}(${argWords(rt, fr)})`,
      `\t${file}:${line} +${hex(off)} fp=${hex(entrySP + 8)} sp=${hex(sp)} pc=${hex(f.entryPC + off)}`,
    ]);
  }
  if (g.startFn === 'main.main') {
    const hi = g.stack.hi;
    lines.push(['runtime.main()', `\t${rt.profile.goroot}/src/runtime/proc.go:${rt.profile.runtimeMainLine} +0x28b fp=${hex(hi - 8)} sp=${hex(hi - rt.profile.mainEntryUsed + 8)} pc=0x43420b`]);
    lines.push([`runtime.goexit(${goMinor(rt.profile) >= 23 ? '{}' : ''})`, `\t${rt.profile.goroot}/src/runtime/asm_amd64.s:${rt.profile.goexitLine} +0x1 fp=${hex(hi)} sp=${hex(hi - 8)} pc=0x466041`]);
  }
  const print = (l: string[]) => l.forEach((x) => rt.print(x));
  if (goMinor(rt.profile) <= 20) {
    lines.slice(0, FIRST_FRAMES_OLD).forEach(print);
    if (lines.length > FIRST_FRAMES_OLD) rt.print('...additional frames elided...');
  } else if (lines.length > 2 * EDGE_FRAMES) {
    lines.slice(0, EDGE_FRAMES).forEach(print);
    rt.print(`...${lines.length - 2 * EDGE_FRAMES} frames elided...`);
    lines.slice(-EDGE_FRAMES).forEach(print);
  } else {
    lines.forEach(print);
  }
}

function goroutineHeader(rt: Runtime, g: G, status: string): string {
  // 1.23+ names the g and its M in the header (reference/stack-overflow/go1.24.p1.log).
  if (goMinor(rt.profile) >= 23) {
    const m = status === 'running' ? 'm=0 mp=0x4f7e80' : 'm=nil';
    return `goroutine ${g.id} gp=${hex(g.addr)} ${m} [${status}]:`;
  }
  return `goroutine ${g.id} [${status}]:`;
}

/** The other goroutines' sections: user goroutines with their frames, runtime ones by name. */
function otherGoroutines(rt: Runtime, except: G): void {
  for (const g of rt.allgs) {
    if (g === except || g.status === 'dead') continue;
    rt.print('');
    rt.print(goroutineHeader(rt, g, g.waitReason || 'runnable'));
    if (g.frames.length > 0) printFrames(rt, g, 'parked');
    else rt.print(`${g.startFn}(...)`);
  }
}

/** newstack: the new size would pass maxstacksize. */
export function fatalStackOverflow(rt: Runtime, g: G, sp: number): never {
  rt.print(`runtime: goroutine stack exceeds ${MAX_STACK_SIZE}-byte limit`);
  rt.print(`runtime: sp=${hex(sp)} stack=[${hex(g.stack.lo)}, ${hex(g.stack.hi)}]`);
  rt.print('fatal error: stack overflow');
  rt.print('');
  rt.print('runtime stack:');
  const src = `${rt.profile.goroot}/src/runtime`;
  const [throwLine, newstackLine, morestackLine] = rt.profile.overflowLines;
  rt.print('runtime.throw({...})');
  rt.print(`\t${src}/panic.go:${throwLine} +0x5d fp=0x7ffee5d2cde0 sp=0x7ffee5d2cdb0 pc=0x42d93d`);
  rt.print('runtime.newstack()');
  rt.print(`\t${src}/stack.go:${newstackLine} +0x5ec fp=0x7ffee5d2cf98 sp=0x7ffee5d2cde0 pc=0x444e8c`);
  rt.print('runtime.morestack()');
  rt.print(`\t${src}/asm_amd64.s:${morestackLine} +0x8b fp=0x7ffee5d2cfa0 sp=0x7ffee5d2cf98 pc=0x454d2b`);
  rt.print('');
  rt.print(goroutineHeader(rt, g, 'running'));
  printFrames(rt, g, 'prologue');
  otherGoroutines(rt, g);
  throw new RuntimeExit(2);
}

/** checkdead: no goroutine can run and none will be woken. */
export function fatalDeadlock(rt: Runtime): never {
  rt.print('fatal error: all goroutines are asleep - deadlock!');
  for (const g of rt.allgs) {
    if (g.system || g.status === 'dead') continue;
    rt.print('');
    rt.print(goroutineHeader(rt, g, g.waitReason || 'runnable'));
    printFrames(rt, g, 'parked');
  }
  throw new RuntimeExit(2);
}
