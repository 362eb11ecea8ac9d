/**
 * Code addresses read from a disassembly (`go tool objdump`): the real binary's with `--code
 * compiler` (record/code.ts), and the runtime's own as the profiles keep them
 * (runtime-text-1.NN.json, scripts/runtime-text.ts).
 */
import { readFileSync } from 'node:fs';
import type { CallSite, CodeAddresses } from './text.js';

export interface Instruction {
  addr: number;
  /** Bytes of machine code. */
  size: number;
  /** file:line (base name) as objdump prints it: the innermost inlined position. */
  line: string;
  asm: string;
}

/**
 * Parses `go tool objdump` output:
 *   TEXT main.a(SB) /tmp/x/main.go
 *     main.go:6		0x458000		493b6610		CMPQ 0x10(R14), SP
 * into each function's instructions, by symbol.
 */
export function parseObjdump(listing: string): Map<string, Instruction[]> {
  const funcs = new Map<string, Instruction[]>();
  let cur: Instruction[] | null = null;
  for (const line of listing.split('\n')) {
    if (line.startsWith('TEXT ')) {
      const m = /^TEXT (\S+)\(SB\)/.exec(line);
      cur = m ? [] : null;
      if (m) funcs.set(m[1]!, cur!);
      continue;
    }
    if (!cur) continue;
    const m = /^\s+(\S+:\d+)\t+0x([0-9a-f]+)\t+([0-9a-f]+)\t+(.*?)\s*$/.exec(line);
    if (m) cur.push({ line: m[1]!, addr: parseInt(m[2]!, 16), size: m[3]!.length / 2, asm: m[4]! });
  }
  return funcs;
}

interface CallInstr {
  caller: string;
  call: Instruction;
  next: Instruction | undefined;
}

/** Code addresses read from a disassembly (see CodeAddresses). */
export class ListedCode implements CodeAddresses {
  /** Every direct call, by callee: where it is, and its return address. */
  private readonly calls = new Map<string, CallInstr[]>();
  /** Calls through a register (closures, function values), which name no callee. */
  private readonly indirect: CallInstr[] = [];
  private readonly morestack = new Map<string, number>();
  private readonly entries = new Map<string, number>();

  /** sourceFile: the program's file name as the listing gives it (main.go). */
  constructor(private readonly funcs: Map<string, Instruction[]>, readonly sourceFile = 'main.go') {
    for (const [fn, instrs] of funcs) {
      if (instrs.length > 0) this.entries.set(fn, instrs[0]!.addr);
      instrs.forEach((ins, i) => {
        if (!ins.asm.startsWith('CALL ')) return;
        const m = /^CALL (\S+)\(SB\)$/.exec(ins.asm);
        if (!m) {
          this.indirect.push({ caller: fn, call: ins, next: instrs[i + 1] });
          return;
        }
        const callee = m[1]!;
        // The prologue's call to morestack (morestack_noctxt, or morestack for a closure; no
        // .abi0 suffix before the register ABI, Go 1.15).
        if (/^runtime\.morestack(_noctxt)?(\.abi0)?$/.test(callee)) {
          if (!this.morestack.has(fn)) this.morestack.set(fn, ins.addr + ins.size);
          return;
        }
        let list = this.calls.get(callee);
        if (!list) this.calls.set(callee, (list = []));
        list.push({ caller: fn, call: ins, next: instrs[i + 1] });
      });
    }
  }

  morestackReturn(fn: string): number | undefined {
    return this.morestack.get(fn);
  }

  funcEntry(fn: string): number | undefined {
    return this.entries.get(fn);
  }

  callAt(caller: string, callLine: string): number | undefined {
    const call = this.funcs.get(caller)?.find((ins) => ins.line === callLine && ins.asm.startsWith('CALL '));
    return call ? call.addr + call.size : undefined;
  }

  /**
   * The call sites of callee, narrowed by what is known (caller, the call's line, the return
   * address's line), each only where it leaves some site; then the nth left, in address order.
   */
  callReturn(callee: string, site: CallSite): number | undefined {
    const direct = this.calls.get(callee);
    let sites = direct ?? this.indirect;
    let narrowed = false;
    const narrow = (keep: (s: CallInstr) => boolean) => {
      const kept = sites.filter(keep);
      if (kept.length > 0) {
        sites = kept;
        narrowed = true;
      }
    };
    if (site.caller) narrow((s) => s.caller === site.caller);
    if (site.callLine) narrow((s) => s.call.line === site.callLine);
    if (site.returnLine) narrow((s) => s.next?.line === site.returnLine);
    // A callee no direct call names (a closure, main.main) is called through a register: one of
    // those only when the site picked it out.
    if (!direct && !narrowed) return undefined;
    const s = sites[Math.min(site.nth ?? 0, sites.length - 1)];
    return s ? s.call.addr + s.call.size : undefined;
  }
}

/**
 * A function of a profile's runtime text (runtime-text-1.NN.json): its entry address and line,
 * and its calls as [address, size, line, callee ('' through a register), the next instruction's
 * line].
 */
export type RuntimeFunctionText = [number, string, [number, number, string, string, string][]];

/** The instructions ListedCode reads, rebuilt from a profile's runtime text. */
export function runtimeInstructions(text: Record<string, RuntimeFunctionText>): Map<string, Instruction[]> {
  const funcs = new Map<string, Instruction[]>();
  for (const [fn, [entry, line, calls]] of Object.entries(text)) {
    const instrs: Instruction[] = [{ addr: entry, size: 0, line, asm: '' }];
    for (const [addr, size, callLine, callee, next] of calls) {
      instrs.push({ addr, size, line: callLine, asm: callee ? `CALL ${callee}(SB)` : 'CALL AX' });
      instrs.push({ addr: addr + size, size: 0, line: next, asm: '' });
    }
    funcs.set(fn, instrs);
  }
  return funcs;
}

const runtimeTexts = new Map<string, ListedCode | null>();

/**
 * The runtime's code for a release, from its profile's runtime text (runtime-text-1.NN.json,
 * beside the profiles: src/profiles, or dist/profiles when built), as a program that calls
 * runtime.GC or not links it; null where none was measured (1.14). Read when first needed.
 */
export function profileRuntimeText(version: string, callsGC: boolean): ListedCode | null {
  const key = `${version} ${callsGC}`;
  if (!runtimeTexts.has(key)) {
    let listed: ListedCode | null = null;
    try {
      const table = JSON.parse(readFileSync(new URL(`../profiles/runtime-text-${version}.json`, import.meta.url), 'utf8'));
      listed = new ListedCode(runtimeInstructions(table[callsGC ? 'gc' : 'nogc']));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    runtimeTexts.set(key, listed);
  }
  return runtimeTexts.get(key)!;
}
