/**
 * The program's instructions compiled to one JavaScript function, the interpreter's loop: one
 * `case` per instruction of every function, its expressions written out over the frame's
 * variables and its callee's frame size, argument slots and stack check as constants. V8
 * optimizes such a loop in a few milliseconds: there are no closure calls and no instruction
 * objects to dispatch on, whereas a generic loop over them is re-optimized for each new shape it
 * meets, for most of a million-call run.
 *
 * The generated code only ever contains numbers, slot indexes and the names below: the program's
 * own names and strings stay in the tables the function is given.
 *
 * Every instruction costs one statement of the budget (interp.ts, the model's clock). The
 * runtime calls (go, println, runtime.GC, channel operations) leave the loop for the
 * interpreter's runtimeOp, as do the prologue's slow path (morestack) and the call events. All
 * ways out of the loop break to one exit, which settles the clock: V8 optimizes the loop before
 * most of them have run, and code it has never seen run makes it throw optimized code away.
 */
import { FORCE_PREEMPT_NS, type ExecResult, type Interpreter } from './interp.js';
import { ARITHMETIC, exprSource, SAFE_SCRATCH, type Arithmetic, type FuncCode, type Instr } from './code.js';
import { NEXT, SPILLED, type CodeIndex, type FrameStack } from './frames.js';
import { STACK_PREEMPT, STACK_SMALL } from './stack.js';
import type { G, Runtime } from './proc.js';

/** The loop: runs g's top frame on until it blocks, exits, is preempted or its slice ends. */
export type Loop = (interp: Interpreter, rt: Runtime, g: G, fs: FrameStack, preemptAt: number) => ExecResult;

/**
 * The compiled loop for a program: one switch over its instructions, numbered as the frames
 * number them (CodeIndex); a frame's record is the number of its next instruction.
 */
export function compileLoop(index: CodeIndex): Loop {
  const runtimeOps: Instr[] = [];
  const cases: string[] = [];
  for (const f of index.table) {
    f.code.forEach((ins, pc) => {
      cases.push(`case ${index.first[f.id] + pc}: {${instruction(f, ins, pc, index, runtimeOps, index.arith)}}`);
    });
  }
  const source = `
return function loop(interp, rt, g, fs, preemptAt) {
  let rec = fs.rec, vars = fs.vars;
  ${SAFE_SCRATCH}
  let top = fs.depth - 1;
  let base = fs.topBase;
  // The slice's budget lives in a local while the loop runs (written back on every exit).
  // None when the slice's output is used up (lines written between two runs of the loop): the
  // goroutine yields at once and the output may drain.
  let budget = rt.outputLeft > 0 ? rt.budget : 0;
  // The statements run so far go on the clock whenever the loop calls out to the runtime, which
  // may read it (mgc.ts: a cycle's start), and at the exit.
  let settled = budget;
  // What the hot path compares with, as small integers: sysmon's deadline on the budget (it moves
  // with rt.spent), and the room above the guard (a prologue fits while entry use plus its
  // frame's excess over StackSmall stays below it: sp - excess > stackguard0). Both change only
  // in calls out of the loop, after which they are read again, and where the loop sets the guard.
  let due = preemptAt + rt.spent;
  let room = g.stack.hi - g.stackguard0;
  const wantCalls = rt.wantCalls;
  let result = 'yield';
  run: for (;;) {
    if (--budget < 0) break run;
    switch (rec[top]++ & ${NEXT}) {
${cases.join('\n')}
    }
  }
  rt.clock += settled - Math.max(budget, 0);
  rt.budget = budget;
  return result;
};`;
  const { table } = index;
  const make = new Function('FN_OF', 'FRAME_SIZES', 'SLOTS', 'TABLE', 'OPS', 'OVERFLOW', 'DIV', 'MOD', source) as
    (fnOf: Int32Array, frames: Int32Array, slots: Int32Array, t: FuncCode[], ops: Instr[], ...arith: (typeof ARITHMETIC)[keyof typeof ARITHMETIC][]) => Loop;
  return make(index.fnOf, Int32Array.from(table, (f) => f.layout.frame), Int32Array.from(table, (f) => f.nslots), table, runtimeOps,
    ARITHMETIC.OVERFLOW, ARITHMETIC.DIV, ARITHMETIC.MOD);
}

/** Generated code: the statements run so far go on the clock before the loop calls out to the runtime. */
const SETTLE_CLOCK = 'rt.clock += settled - budget; settled = budget;';

/** The body of one instruction's case. */
function instruction(f: FuncCode, ins: Instr, pc: number, index: CodeIndex, runtimeOps: Instr[], arith: Arithmetic): string {
  const e = (x: Parameters<typeof exprSource>[0]) => exprSource(x, f.slots, f.bytes, arith);
  const zero = arith === 'int64' ? '0n' : '0';
  // In doubles, a store of a value that is not a 32-bit int widens the variables (frames.ts
  // Vars); a constant that is one needs no check. Exact, every store is a plain one.
  const store = (slot: string, x: Parameters<typeof exprSource>[0]) =>
    arith === 'int64' || (x.kind === 'int' && (x.value | 0) === x.value) ? `vars[${slot}] = ${e(x)};`
      : `{ const v = ${e(x)}; if ((v | 0) !== v) vars = fs.widen(); vars[${slot}] = v; }`;
  // A jump keeps the frame's SPILLED flag.
  const jumpTo = (target: number) => `rec[top] = (rec[top] & ${SPILLED}) | ${index.first[f.id] + target};`;
  switch (ins.op) {
    case 'jumpIfNot':
      return `if (!${e(ins.cond)}) ${jumpTo(ins.target)} break;`;
    case 'jump':
      // A loop that calls nothing is preempted asynchronously (a signal; nothing printed).
      return `${jumpTo(ins.target)}
        if (budget <= due - ${FORCE_PREEMPT_NS}) {
          g.stackguard0 = g.stack.lo + rt.profile.stackGuard;
          result = 'preempted';
          break run;
        }
        break;`;
    case 'set':
      return `${store(`base + ${ins.slot}`, ins.value)} break;`;
    case 'call': {
      const callee = ins.fn;
      const lay = callee.layout;
      // The push: the callee's frame starts where this one's ends (frames.ts).
      const zeroes: string[] = [];
      for (let slot = 0; slot < callee.nslots; slot++) if (!ins.argSlots.includes(slot)) zeroes.push(`vars[nb + ${slot}] = ${zero};`);
      // The callee's arguments, evaluated in the caller's frame (base).
      const args = ins.args.map((a, i) => store(`nb + ${ins.argSlots[i]}`, a));
      // The prologue's stack check (interp.ts fits): sp - (frame - StackSmall) for a big frame.
      const below = lay.frame <= STACK_SMALL ? 0 : lay.frame - STACK_SMALL;
      const check = lay.nosplit ? '' : `if (entryUsed + ${below} >= room) {
          ${SETTLE_CLOCK}
          if (interp.morestack(g, budget, preemptAt)) { result = 'preempted'; break run; }
          if (rt.outputLeft <= 0) { result = 'yield'; break run; }
          due = preemptAt + rt.spent;
          room = g.stack.hi - g.stackguard0;
        }`;
      return `const nb = base + ${f.nslots};
        const entryUsed = fs.topUsed + ${f.layout.frame + 8};
        if (nb + ${callee.nslots} > vars.length) vars = fs.growVars(nb + ${callee.nslots});
        ${[...args, ...zeroes].join('\n        ')}
        if (++top === rec.length) rec = fs.growFrames();
        rec[top] = ${index.first[callee.id]};
        fs.depth = top + 1;
        fs.topUsed = entryUsed;
        fs.topBase = base = nb;
        if (wantCalls) interp.callEvent(g, TABLE[${callee.id}], entryUsed, ${f.lines[pc] ?? null});
        // sysmon's request (preemptone) makes the next prologue check fail.
        if (budget <= due && g.stackguard0 !== ${STACK_PREEMPT}) {
          g.stackguard0 = ${STACK_PREEMPT};
          room = g.stack.hi - g.stackguard0;
        }
        ${check}
        if (wantCalls && rt.outputLeft <= 0) { result = 'yield'; break run; }
        break;`;
    }
    case 'ret':
      // The pop: the caller is the top frame again.
      return `const entryUsed = fs.topUsed;
        fs.depth = top;
        if (wantCalls) rt.event({ kind: 'return', g: g.id, fn: TABLE[${f.id}].symbol, used: entryUsed, size: g.stack.hi - g.stack.lo });
        if (--top < 0) {
          if (g.startFn === 'main.main') { result = 'exit'; break run; }
          rt.goexit(g);
          result = 'dead';
          break run;
        }
        // The caller's next instruction follows its call.
        const caller = FN_OF[(rec[top] & ${NEXT}) - 1];
        fs.topUsed = entryUsed - FRAME_SIZES[caller] - 8;
        fs.topBase = base = base - SLOTS[caller];
        if (wantCalls && rt.outputLeft <= 0) { result = 'yield'; break run; }
        break;`;
    default: {
      // The runtime calls, out of the loop.
      runtimeOps.push(ins);
      return `${SETTLE_CLOCK}
        const stop = interp.runtimeOp(g, OPS[${runtimeOps.length - 1}], top, base, budget <= due);
        if (stop) { result = stop; break run; }
        if (rt.outputLeft <= 0) { result = 'yield'; break run; }
        due = preemptAt + rt.spent;
        room = g.stack.hi - g.stackguard0;
        break;`;
    }
  }
}

/** Runs of the loop that warm it up before each return instruction runs once more (warmReturns). */
const WARM_RUNS = 64;

/**
 * Runs the program's return instructions on a scratch goroutine before the program runs. A deep
 * recursion returns for the first time only after its whole descent, by which time V8 has
 * optimized the loop without ever having seen a return: the first one throws that code away, and
 * the ascent runs unoptimized until V8 has optimized the loop again (about 6 ms of the
 * 1,000,000-deep recursion's 115). Having run the returns first, the optimized loop covers them.
 * The scratch goroutine's two frames (a caller at any instruction, the returning frame on top)
 * and its budget of one statement make each run a pop and nothing else: no output, no event,
 * no runtime call, and the runtime's clock and budget are put back.
 * V8 keeps type feedback only once a function has run for a while (lazy feedback allocation:
 * about 30 such runs, measured with --trace-deopt), hence WARM_RUNS before the last round.
 */
export function warmReturns(loop: Loop, interp: Interpreter, rt: Runtime, index: CodeIndex, scratch: G): void {
  if (rt.wantCalls) return;
  const rets: number[] = [];
  for (const f of index.table) f.code.forEach((ins, pc) => { if (ins.op === 'ret') rets.push(index.first[f.id] + pc); });
  if (rets.length === 0) return;
  const { budget, clock, outputLeft } = rt;
  const fs = scratch.frames;
  scratch.startFn = 'main.main';
  for (let i = 0; i < WARM_RUNS + rets.length; i++) {
    // The caller: any function, at its second instruction (whose predecessor names its function).
    fs.start(index.table[0], 0, 1);
    fs.rec[1] = rets[i % rets.length];
    fs.depth = 2;
    rt.budget = 1;
    rt.outputLeft = 1;
    loop(interp, rt, scratch, fs, 0);
  }
  rt.budget = budget;
  rt.clock = clock;
  rt.outputLeft = outputLeft;
}
