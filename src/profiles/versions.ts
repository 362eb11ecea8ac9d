/**
 * One profile per Go version. Figures read off a reference trace name it as
 * reference/<program>/go1.NN.p1.log; derivations are spelled out where they are not obvious.
 *
 * mainEntryUsed: in seed-abc, main (frame 168) calls a; the copy of main's stack shows the bytes
 *   used at a's entry, U = hi - sched.sp; main's entry is U - 168 - 8.
 * startup: heap pages between the start-up stacks of seed-abc/go1.NN.p1.log (see startup.ts).
 * goEntryUsed: goroutine-chain's w grows at its entry with 0x28 used: newproc1's 4*PtrSize frame
 *   plus goexit's return PC (proc.go newproc1: totalSize = 4*goarch.PtrSize + sys.MinFrameSize).
 */
import type { NewprocThrow, Procresize, Profile } from './profile.js';
import { runtimeCallsWith, type RuntimeCalls } from '../runtime/rtcalls.js';
import type { RuntimeFrames } from '../runtime/rtcalls-release.js';
import { NOSCAN_CLOSURE_CHANGES, TREE_CHANGES } from './tree-changes.js';
import frames115 from './runtime-frames-1.15.json' with { type: 'json' };
import frames119 from './runtime-frames-1.19.json' with { type: 'json' };
import frames121 from './runtime-frames-1.21.json' with { type: 'json' };
import frames122 from './runtime-frames-1.22.json' with { type: 'json' };
import frames123 from './runtime-frames-1.23.json' with { type: 'json' };
import frames124 from './runtime-frames-1.24.json' with { type: 'json' };
import { startupSteps } from './startup.js';
import { PARKED_119, PARKED_121, PARKED_122, PARKED_123, PARKED_124 } from './parked.js';

/**
 * A release's runtime frames, derived on first use: a run needs one release's, and deriving
 * all four at start-up cost a small run a tenth of its time.
 */
const derived = new Map<RuntimeFrames, RuntimeCalls>();
function releaseCalls(frames: RuntimeFrames): RuntimeCalls {
  let calls = derived.get(frames);
  if (!calls) {
    calls = runtimeCallsWith(frames, TREE_CHANGES);
    // Only a go statement passing variables without pointers needs these: derived when it runs.
    let noscan: RuntimeCalls['newprocClosureNoscan'] | undefined;
    Object.defineProperty(calls, 'newprocClosureNoscan', {
      get: () => (noscan ??= runtimeCallsWith(frames, NOSCAN_CLOSURE_CHANGES).newprocClosure),
    });
    derived.set(frames, calls);
  }
  return calls;
}

/** recorded/go-array-arg and go-big-twice recorded with go1.15.15 (the same lines and offsets in both). */
const NEWPROC_THROW_115: NewprocThrow = {
  throw: 'panic.go:1116 +0x72', newproc1: 'proc.go:3591 +0x485', func1: 'proc.go:3555 +0x53',
  systemstack: 'asm_amd64.s:370 +0x66', mstart: 'proc.go:1116', systemstackSwitch: 'asm_amd64.s:330', newproc: 'proc.go:3554 +0x6e',
};

/**
 * Go 1.15's fatal errors: reference/stack-overflow recorded with the patched go1.15.15 (the
 * overflow's lines, offsets and throw arguments, the stack ABI's pointer and len("stack
 * overflow"), the pointer that binary's), and recorded/go-array-arg.go1.15.p1.log (runtime.main's
 * call of main.main, goexit).
 */
const FATAL_115 = {
  overflowLines: [1116, 1067, 449] as [number, number, number], runtimeMainLine: 204, goexitLine: 1374,
  throwArgs: '0x475d87, 0xe',
  overflowOffsets: [0x72, 0x791, 0x8f] as [number, number, number],
  throwTracebackLevel: 1 as const, // runtime1.go gotraceback before 1.19: GOTRACEBACK's level (that recording: no fp on g0)
  newprocThrow: NEWPROC_THROW_115,
};

/**
 * procresize's allocations (Profile startup, proc.ts procresizePages). Measured with runtimes
 * printing their allocSpan calls (the patched go1.19.8, go1.21.13, go1.22.12, go1.23.5 and
 * go1.24.4, a program of one println, GOMAXPROCS 1, 2, 3, 4 and 8 alone): allp's span and one
 * 7-page span of p structs per six Ps are the last pages before the main goroutine's stack. Go
 * 1.19's schedinit has an 8-byte span with pointers before procresize; from 1.21 allp is the
 * first such object with one P. The reference traces agree: at GOMAXPROCS=2 the main
 * goroutine's stack is two pages lower than at GOMAXPROCS=1 on 1.21 to 1.24, not on 1.15 and 1.19.
 */
const PROCRESIZE_119: Procresize = { allpWordSpan: false };
const PROCRESIZE_121: Procresize = { allpWordSpan: true };

const common = {
  stackGuard: 928, // stack.go: _StackGuard = 928*sys.StackGuardMultiplier + _StackSystem
  throwTracebackLevel: 2 as const, // runtime1.go gotraceback (1.19+): a runtime throw's level is 2
  // objdump of recorded/deadlock-goroutines built by go1.19.13: SUBQ $n, SP; MOVQ BP, n-8(SP);
  // LEAQ n-8(SP), BP (1.21+ override it)
  framePointerPush: false,
  goEntryUsed: 40,
  // regalloc.go (1.24): "Value is dead (or is not used again until after a call), free all
  // registers that hold it"; objdump of recorded/cond-calls gate: left(a+b, m) is LEAQ
  // (AX)(BX*1), CX; MOVQ CX, AX with go1.19.8 to 1.23.5, ADDQ BX, AX with go1.24.4.
  regsFreedBeforeCall: false,
  // objdump of recorded/println-mixed talk built by go1.19.8: println(..., -n, ...) with n tested
  // after is MOVQ n, AX; NEGQ AX (1.21+ override it)
  inPlaceOpCopiesLiveInput: false,
  noShrinkMarkWorker: true, // stack.go shrinkstack: "We're not allowed to shrink the gcBgMarkWorker stack"
  maxStackVarSize: 10 * 1024 * 1024, // cmd/compile/internal/ir/cfg.go (1.23 and before): MaxStackVarSize = 10 MiB
  localsOrder: 'size' as const, // pgen.go cmpstackvarlt (1.19, 1.21): pointers, needzero, size, name
  bareIntParamCopy: true, // measured with Go 1.19 and 1.21 (see Profile); 1.22+ override it
  mergeLocals: false, // cmd/compile/internal/liveness/mergelocals.go is new in 1.23
  sendCopies: 'non-globals' as const, // walk/order.go addrTemp -> isaddrokay (1.19)
  entryStatementsFirst: false, // ssa/schedule.go: only 1.21's ValHeap.Less has the entry-block rule
  goArrayMemmove: true, // Go 1.19's -S of go f(x), x [3]int to [16]int: CALL runtime.memmove; 1.21+ override it
  printDivisionsBeforeLock: true, // test/fixtures/frames/print-divisions.go with go1.19.8: IDIVQ before printlock; 1.21+ override it
  comparisonFirstKeepsNext: false, // test/fixtures/frames/bool-prints.go with go1.19.8
  keptSignSharesWait: false, // test/fixtures/frames/division-signs.go signAfterPrint with go1.19.8
  singleTripUnreadCounterKept: false, // test/fixtures/frames/single-trip.go with go1.19.8 and go1.21.13
  computedArgsWaitInOrder: false, // test/fixtures/frames/computed-args.go with go1.19.8; 1.21+ override it
  comparedAtPrint: true, // test/fixtures/frames/tighten.go comparedAtPrint with go1.19.8; 1.21+ override it
  printLengthWaits: false, // test/fixtures/frames/string-lengths.go with go1.19.8 and go1.21.13
  copyTakesOp: false, // regalloc.go (1.19) resultInArg0: the op always overwrites the operand's own register; 1.21+ override it
  goCapturesZeroLiteral: true, // test/fixtures/frames/go-zero-literals.go: newobject, then the literal copied in (1.19 and 1.21); 1.22+ override it
  spillNameLost: false, // the spill of v := k * 2 is named v (-S of 1.19, 1.21 and 1.24)
  startupSpanFill: {},
  // 8 to 32 and 64 entries (64 to 512 bytes), then 256 and 512 (2048, 4096 bytes): Go 1.19 and
  // 1.21 (at 128 entries the 1 KiB class has room already); 1.14 and 1.15 assumed the same.
  allgsSpans: { 5: 1, 9: 1, 17: 1, 33: 1, 129: 1, 257: 1 },
  adaptiveStackStart: true,
  // mgcwork.go: workbufAlloc = 32 << 10, i.e. 4 pages (seed-abc-gc/go1.19.p1.log: the shrink's
  // new 16 KiB span lands 4 pages higher than without them).
  gcWorkbufPages: 4,
  sweepSpans: null,
  sweepBatch: 1, // mgcsweep.go bgsweep (1.19): Gosched after each span; 1.21+ override it
  // 208 in Go 1.19 (runtime-calls-1.19.json, read with a debugger); 1.23+ override it.
  markWorkerParkUsed: 208,
  markWorkerGrowth: null,
  markWorkerStartWait: 'note' as const, // mgc.go gcBgMarkStartWorkers: notetsleepg(&work.bgMarkReady, -1)
  markWorkerNodeSpan: true, // mgc.go gcBgMarkWorker (1.16+): node := new(gcBgMarkWorkerNode), 32 bytes
  returnBeforeCallingBranch: false, // recorded/cond-calls left with go1.19.8 and go1.22.12: the source's order
  goroot: '/usr/local/go', // every reference traceback (stack-overflow/go1.NN.p1.log)
  m0Addr: null, // the header is 'goroutine N [status]:' up to 1.21
};

/**
 * 1.23+: the mark worker hits morestack at mark completion with 0x460 bytes in use
 * (seed-abc-gc, shrink-twice go1.23/go1.24.p1.log: newstack sp=lo+0x398 on a 2 KiB stack) and
 * grows to exactly 4096. The function is runtime.pidleget (frame 0x30), called by
 * pidlegetSpinning: sched.pc and morebuf.pc of generated/gen-1 recorded with Debian's go1.23.5
 * and go1.24.4, symbolized with the same binaries; frames from their -gcflags=runtime=-S.
 * Its stack is shrunk again at the next cycle's scan, so shrinkstack no longer spares workers.
 */
const workerGrows = {
  noShrinkMarkWorker: false,
  markWorkerParkUsed: 216, // shrink-twice/go1.23.p1.log: the worker's 4096 -> 2048 copy keeps 0xd8
  markWorkerStartWait: 'chan' as const, // mgc.go gcBgMarkStartWorkers (1.23+): <-ready
  markWorkerGrowth: { fn: 'runtime.pidleget', caller: 'runtime.pidlegetSpinning', entryUsed: 0x460, frame: 0x30 },
};

/** The 1.22+ compiler's frames (see Profile): locals by alignment, no copy of bare int parameters. */
const compiler122 = {
  framePointerPush: true, // objdump of recorded/deadlock-many built by go1.22.12 to 1.24.4, as 1.21
  inPlaceOpCopiesLiveInput: true, // objdump of recorded/println-mixed talk built by go1.22.12 to 1.24.4, as 1.21
  localsOrder: 'alignment' as const, // pgen.go cmpstackvarlt (1.22+): "descending alignment order", then the name
  bareIntParamCopy: false,
  sendCopies: 'ssa-locals' as const, // walk/order.go addrTemp (1.22+): PAUTO, !Addrtaken, CanSSA: goto Copy
  goArrayMemmove: false,
  printDivisionsBeforeLock: false, // print-divisions.go with go1.22.12 to 1.24.4: only the divisor's check before printlock
  comparisonFirstKeepsNext: true, // bool-prints.go with go1.22.12 to 1.24.4
  keptSignSharesWait: true, // division-signs.go signAfterPrint with go1.22.12 to 1.24.4: one slot for the sign and a%7
  singleTripUnreadCounterKept: true, // single-trip.go with go1.22.12 to 1.24.4: the counter's slot (main.i) around the body's call
  computedArgsWaitInOrder: true, // computed-args.go with go1.22.12 to 1.24.4
  comparedAtPrint: false, // as 1.21
  printLengthWaits: true, // string-lengths.go with go1.22.12 to 1.24.4
  copyTakesOp: true, // regalloc.go (1.21+): "if input 0 is already in its desired register then we use the register of the new copy instead"
  goCapturesZeroLiteral: false, // test/fixtures/frames/go-zero-literals.go with go1.22.12, 1.23.5, 1.24.4: gowrap zeroes it, no newobject
  // malloc.go mallocgc (1.22+): arrays of pointers over 512 bytes get a malloc header, so the
  // 128-entry array takes 1152 bytes (capacity 143), then 2304 (287) and 4864 (607): Go 1.22, 1.23
  // and 1.24.
  allgsSpans: { 5: 1, 9: 1, 17: 1, 33: 1, 65: 1, 144: 2, 288: 3 },
};

/**
 * Sweeping from 1.20 (see Profile). Runtimes printing the spans sweepone takes (Debian's go1.21.13,
 * 1.22.12, 1.23.5 and 1.24.4; generated/gen-5 and gen-9 with GOMAXPROCS alone) find 13 spans in
 * every cycle after which the program's runtime calls allocated nothing, as 1.19 does; bgsweep
 * takes 10 of them in its first turn.
 */
const sweep120 = {
  sweepSpans: 13,
  sweepBatch: 10, // mgcsweep.go bgsweep: const sweepBatchSize = 10
};

export const PROFILES: Record<string, Profile> = {
  '1.14': {
    ...common,
    version: '1.14',
    // No toolchain to measure with: 1.19's runtime frames.
    get runtimeCalls() { return releaseCalls(frames119); },
    startupSpanClasses: [], // stack ABI: go statements allocate no closure
    code: { mainText: 0x45e100, goexitPC: 0x45aa81, runtimeMainPC: 0x42fca9 }, // unmeasured for 1.14: 1.15's figures
    adaptiveStackStart: false, // added in Go 1.19
    markWorkerNodeSpan: false, // parkInfo, as 1.15 (gcBgMarkWorkerNode is new in 1.16)
    returnBeforeCallingBranch: true, // unmeasured for 1.14: 1.15's
    // Unmeasured for 1.14: 1.15's lines, offsets and throw arguments (stand-ins); its
    // gotraceback and proc.go newproc1's check are the same.
    ...FATAL_115,
    parked: PARKED_119, // unmeasured for this version: 1.19's
    growth: 'double', // seed-legacy/growth.expected.log: 4096->8192->16384->32768 for one call
    abi: 'stack',
    mainEntryUsed: 112, // seed-legacy/growth.expected.log: a entered with 0x120 used
    g0StackSize: 8192,
    // The seed traces elide 1.14's start-up: 1.15's heap figures and g addresses are used.
    startup: startupSteps({ beforeGsignal: 1, deadBeforeGsignal: 0, before16k: null, environ: null, beforeMain: 17, beforeSysmon: 1, beforeHandoffM: 2, beforeMainMain: 2, procresize: null }),
    gAddrs: { main: 0xc000000180, stride: 384 },
  },
  '1.15': {
    ...common,
    version: '1.15',
    singleTripCounterKnown: false, // arith/arith-1 main built by go1.15.15 (-S): the single-trip loops' counters keep slots
    localCopySharesSlot: false, // frames/bare-reads.go localCopy built by go1.15.15: $40, v's own slot
    get runtimeCalls() { return releaseCalls(frames115); }, // go1.15.15's own frames (scripts/runtime-frames.ts 1.15); functions it lacks keep 1.19's
    startupSpanClasses: [], // stack ABI: go statements allocate no closure
    code: {
      mainText: 0x45e0e0, goexitPC: 0x45aa81, runtimeMainPC: 0x42fca9, // go tool nm of seed-abc built by the patched go1.15.15, whose code the reference traces show
      gcShift: { runtime: 0x2c0, main: 0x2c0 }, initFirst: false, // the same of seed-abc-gc and goroutine-chain
    },
    adaptiveStackStart: false, // added in Go 1.19
    // go1.15.15 mgc.go gcBgMarkWorker: park := new(parkInfo), 16 bytes of a class the runtime
    // already has a span of (generated/gen-103.go1.15.p1.log: the refill after the first GC
    // lands a page lower than with a new span).
    markWorkerNodeSpan: false,
    returnBeforeCallingBranch: true, // recorded/cond-calls left with go1.15.15: TESTQ; JG; the return; the call; JMP back
    // A go1.15.15 runtime printing the spans sweepone takes (four runtime.GC calls, GOMAXPROCS
    // alone): none after the first cycle, 12 spans of 12 size classes after the second and
    // fourth, 11 after the third (the scavenger's timer, as in 1.19).
    sweepSpans: 12,
    ...FATAL_115,
    parked: PARKED_119, // unmeasured for this version: 1.19's
    // seed-abc/go1.15.p1.log: a (frame 1608) grows 2048 -> 8192 with 0x130 used: 4096 would fit
    // by used, so 1.15 compares against oldsize.
    growth: 'fit-oldsize',
    abi: 'stack',
    mainEntryUsed: 128, // seed-abc/go1.15.p1.log: 0x130 - 176
    g0StackSize: 8192,
    // deadBeforeGsignal: unmeasured (no runtime printing span frees has been built); no reference
    // trace tells, and none is assumed. environ: seed-abc recorded with the patched go1.15.15 (a
    // minimal environment) puts the main goroutine's stack 7 pages lower than the reference trace.
    startup: startupSteps({ beforeGsignal: 1, deadBeforeGsignal: 0, before16k: null, environ: 7, beforeMain: 17, beforeSysmon: 1, beforeHandoffM: 2, beforeMainMain: 2, procresize: null }),
    gAddrs: { main: 0xc000000180, stride: 384 }, // goroutine-chain/go1.15.p1.log: w at +8*384
  },
  '1.19': {
    ...common,
    version: '1.19',
    // The call tree measured on Go 1.19 (runtime-calls-1.19.json), framed by its compiler's
    // listing (runtime-frames-1.19.json, the same frames), with tree-changes.ts's additions;
    // 1.21+ take their own frames in that tree.
    get runtimeCalls() { return releaseCalls(frames119); },
    startupSpanFill: { 4: [0xc000014000, 5] }, // 16-byte objects with pointers: recorded/go-array-arg.go1.19.p1.log's sched.ctxt
    startupSpanClasses: [2, 4, 5, 6, 8, 14, 16, 17, 19, 24, 40, 46, 56, 64, 104], // allocSpan calls before main.main (recorded/*: Go 1.19 printing them)
    code: {
      mainText: 0x458000, goexitPC: 0x454fc1, runtimeMainPC: 0x430192, // seed-abc, goroutine-chain, byte-arrays/go1.19.p1.log
      // go tool nm of programs built with the patched go1.19.13, with and without runtime.GC()
      // and package-level channels (test/code-size.test.ts)
      gcShift: { runtime: 0x2c0, main: 0x2c0 }, initFirst: false, writeBarrier: 'call',
    },
    overflowLines: [1047, 1103, 570], runtimeMainLine: 250, goexitLine: 1594, // stack-overflow/go1.19.p1.log; proc.go:250 is fn() in runtime.main (1.19 source)
    throwArgs: '{0x466855?, 0x4bd880?}', // stack-overflow/go1.19.p1.log
    parked: PARKED_119,
    growth: 'fit-used', // stack.go newstack: for newsize-used < max+_StackGuard
    abi: 'register',
    mainEntryUsed: 136, // seed-abc/go1.19.p1.log: 0x138 - 176
    g0StackSize: 8192, // proc.go allocm: malg(8192 * sys.StackGuardMultiplier)
    startup: startupSteps({ beforeGsignal: 4, deadBeforeGsignal: 2, before16k: null, environ: 8, beforeMain: 19, beforeSysmon: 1, beforeHandoffM: 3, beforeMainMain: 2, procresize: PROCRESIZE_119 }),
    // environ: seed-abc recorded with GOMAXPROCS as its only environment variable equals the model byte
    // for byte (code addresses aside) with 8 pages fewer before the main goroutine. The same 8 pages
    // for 1.21-1.24 (seed-abc recorded with Debian's go1.21.13, 1.22.12, 1.23.5, 1.24.4), before
    // the 16 KiB stack where there is one.
    gAddrs: { main: 0xc0000061a0, stride: 416 }, // goroutine-chain/go1.19.p1.log: w at +8*416
    // A Go 1.19 runtime printing the spans sweepone takes: 13 spans of 13 size classes in every
    // cycle of 74 generated programs in which the program's runtime calls allocated nothing since
    // the previous one (generated/, recorded with GOMAXPROCS alone); the reference traces'
    // environment is assumed to give the same.
    sweepSpans: 13,
  },
  '1.21': {
    ...common,
    version: '1.21',
    startupSpanFill: { 4: [0xc000014000, 6] }, // 16-byte objects with pointers: recorded/go-array-arg.go1.21.p1.log's sched.ctxt
    startupSpanClasses: [2, 4, 5, 6, 8, 14, 16, 17, 19, 28, 44, 46, 60, 64, 104], // allocSpan calls before main.main (recorded/*: Go 1.21 printing them)
    get runtimeCalls() { return releaseCalls(frames121); },
    code: {
      mainText: 0x457c00, goexitPC: 0x454e01, runtimeMainPC: 0x42f29b, // seed-abc, stack-overflow and byte-arrays/go1.21.p1.log
      gcShift: { runtime: 0x2c0, main: 0x2c0 }, initFirst: false, writeBarrier: 'buffer', // go tool nm, patched go1.21.13
    },
    overflowLines: [1077, 1107, 593], runtimeMainLine: 267, goexitLine: 1650, // stack-overflow/go1.21.p1.log
    throwArgs: '{0x467472?, 0x200000008?}', // stack-overflow/go1.21.p1.log
    parked: PARKED_121,
    growth: 'fit-used',
    abi: 'register',
    mainEntryUsed: 200, // seed-abc/go1.21.p1.log: 0x178 - 176
    g0StackSize: 16384, // seed-abc/go1.21.p1.log: stackalloc 16384 with refill order=3 for each M
    startup: startupSteps({ beforeGsignal: 4, deadBeforeGsignal: 2, before16k: null, environ: 8, beforeMain: 19, beforeSysmon: 1, beforeHandoffM: 3, beforeMainMain: 2, procresize: PROCRESIZE_121 }),
    gAddrs: { main: 0xc0000061a0, stride: 416 },
    sendCopies: 'none', // walk/order.go addrTemp (1.20, 1.21): ir.IsAddressable(n) -> return n
    printDivisionsBeforeLock: false, // print-divisions.go with go1.21.13
    comparisonFirstKeepsNext: true, // bool-prints.go with go1.21.13
    computedArgsWaitInOrder: true, // computed-args.go with go1.21.13
    // division-signs.go signAfterPrint with go1.21.13 -S: the sign's autotmp_5 is a%7's after it,
    // as on 1.22; the 8 bytes more are a%16, which the entry rule makes before printstring.
    keptSignSharesWait: true,
    comparedAtPrint: false, // tighten.go comparedAtPrint agrees with go1.21.13, but the rule loses more of the computing programs than it gains
    copyTakesOp: true, // regalloc.go (1.21): "if input 0 is already in its desired register then we use the register of the new copy instead"
    entryStatementsFirst: true, // ssa/schedule.go (1.21) ValHeap.Less: "In the entry block, put statement-marked instructions earlier"
    framePointerPush: true, // objdump of recorded/deadlock-many built by go1.21.13: PUSHQ BP; MOVQ SP, BP; SUBQ $n, SP
    goArrayMemmove: false, // Go 1.21's -S of the same: the copy is inline
    inPlaceOpCopiesLiveInput: true, // objdump of recorded/println-mixed talk built by go1.21.13: MOVQ n, AX; MOVQ AX, CX; NEGQ CX; MOVQ CX, AX
    ...sweep120,
  },
  '1.22': {
    ...common,
    version: '1.22',
    startupSpanFill: { 4: [0xc000014000, 6] }, // 16-byte objects with pointers: recorded/go-array-arg.go1.22.p1.log's sched.ctxt
    spillNameLost: true, // -S: v := k * 2 spills to main..autotmp_N (recorded/send-loop)
    startupSpanClasses: [2, 4, 5, 6, 8, 14, 16, 17, 19, 28, 44, 48, 62, 76, 104], // allocSpan calls before main.main (recorded/*: Go 1.22 printing them)
    m0Addr: 0x4db6c0, // stack-overflow recorded with Debian's go1.22.12
    get runtimeCalls() { return releaseCalls(frames122); },
    ...compiler122,
    code: {
      mainText: 0x45d560, goexitPC: 0x45a5c1, runtimeMainPC: 0x43175d, // seed-abc, goroutine-chain, byte-arrays/go1.22.p1.log
      gcShift: { runtime: 0x2c0, main: 0x2c0 }, initFirst: true, writeBarrier: 'buffer', // go tool nm, patched go1.22.12
    },
    // stack-overflow recorded with Debian's go1.22.12 (its 1.21.13 and 1.24.4 print the reference
    // traces' lines and throw arguments for 1.21 and 1.24)
    overflowLines: [1023, 1103, 616], runtimeMainLine: 271, goexitLine: 1695,
    throwArgs: '{0x46ed7a?, 0x200000001?}',
    parked: PARKED_122,
    growth: 'fit-used',
    abi: 'register',
    mainEntryUsed: 184, // seed-abc/go1.22.p1.log: 0x168 - 176
    g0StackSize: 16384,
    startup: startupSteps({ beforeGsignal: 4, deadBeforeGsignal: 2, before16k: 11, environ: 8, beforeMain: 8, beforeSysmon: 1, beforeHandoffM: 3, beforeMainMain: 2, procresize: PROCRESIZE_121 }),
    gAddrs: { main: 0xc0000061c0, stride: 448 }, // goroutine-chain/go1.22.p1.log: w at +8*448
    ...sweep120,
  },
  '1.23': {
    ...common,
    version: '1.23',
    startupSpanFill: { 4: [0xc000014000, 6] }, // 16-byte objects with pointers: recorded/go-array-arg.go1.23.p1.log's sched.ctxt
    spillNameLost: true, // -S: v := k * 2 spills to main..autotmp_N (recorded/send-loop)
    startupSpanClasses: [2, 4, 5, 6, 8, 16, 19, 21, 28, 44, 48, 62, 67, 74, 104], // allocSpan calls before main.main (recorded/*: Go 1.23 printing them)
    m0Addr: 0x4f22c0, // stack-overflow recorded with Debian's go1.23.5
    get runtimeCalls() { return releaseCalls(frames123); },
    ...compiler122,
    mergeLocals: true, // cmd/compile/internal/liveness/mergelocals.go (1.23+)
    code: {
      mainText: 0x466f60, goexitPC: 0x463d61, runtimeMainPC: 0x43132b, // seed-abc, goroutine-chain, byte-arrays/go1.23.p1.log
      // go tool nm, patched go1.23.5: runtime.GC brings internal/runtime/exithook before main
      gcShift: { runtime: 0x2c0, main: 0x6a0 }, initFirst: true, writeBarrier: 'buffer',
    },
    // stack-overflow recorded with Debian's go1.23.5 (as for 1.22)
    overflowLines: [1067, 1117, 621], runtimeMainLine: 272, goexitLine: 1700,
    throwArgs: '{0x47a767?, 0x200000008?}',
    parked: PARKED_123,
    growth: 'fit-used',
    abi: 'register',
    mainEntryUsed: 184, // seed-abc/go1.23.p1.log
    ...workerGrows,
    g0StackSize: 16384,
    startup: startupSteps({ beforeGsignal: 4, deadBeforeGsignal: 2, before16k: 11, environ: 8, beforeMain: 9, beforeSysmon: 2, beforeHandoffM: 3, beforeMainMain: 1, procresize: PROCRESIZE_121 }),
    gAddrs: { main: 0xc0000061c0, stride: 448 },
    ...sweep120,
  },
  '1.24': {
    ...common,
    version: '1.24',
    startupSpanFill: { 4: [0xc000012000, 6] }, // 16-byte objects with pointers: recorded/go-array-arg.go1.24.p1.log's sched.ctxt
    startupSpanClasses: [2, 4, 5, 6, 8, 16, 19, 21, 32, 48, 64, 67, 76, 104], // allocSpan calls before main.main (recorded/*: Go 1.24 printing them)
    m0Addr: 0x4f7e80, // stack-overflow/go1.24.p1.log
    get runtimeCalls() { return releaseCalls(frames124); },
    ...compiler122,
    mergeLocals: true, // cmd/compile/internal/liveness/mergelocals.go (1.23+)
    regsFreedBeforeCall: true, // see common
    code: {
      mainText: 0x469360, goexitPC: 0x466041, runtimeMainPC: 0x43420b, // seed-abc, stack-overflow and byte-arrays/go1.24.p1.log
      gcShift: { runtime: 0x2c0, main: 0x2c0 }, initFirst: true, writeBarrier: 'buffer', // go tool nm, patched go1.24.4
    },
    overflowLines: [1101, 1107, 621], runtimeMainLine: 283, goexitLine: 1700, // stack-overflow/go1.24.p1.log
    throwArgs: '{0x47d1fd?, 0x200000008?}', // stack-overflow/go1.24.p1.log
    parked: PARKED_124,
    growth: 'fit-used',
    abi: 'register',
    mainEntryUsed: 184, // seed-abc/go1.24.p1.log
    ...workerGrows,
    g0StackSize: 16384,
    startup: startupSteps({ beforeGsignal: 3, deadBeforeGsignal: 1, before16k: 11, environ: 8, beforeMain: 9, beforeSysmon: 1, beforeHandoffM: 3, beforeMainMain: 1, procresize: PROCRESIZE_121 }),
    // freedByGC: in 14 of the generated programs recorded with go1.24.4, the first goroutine
    // created after a GC cycle has gp=0xc000002000, two slots below main's, and the next one the
    // slot after the last in use.
    gAddrs: { main: 0xc000002380, stride: 448, freedByGC: 0xc000002000 },
    // cmd/compile/internal/ir/cfg.go (1.24): MaxStackVarSize = 128 KiB. big-frame's [100000]int
    // is moved to the heap (go build -gcflags=-m: "moved to heap: y"), and big()'s frame is its
    // outgoing arguments only (800008, big-frame/meta.json).
    maxStackVarSize: 128 * 1024,
    ...sweep120,
  },
};

export const VERSIONS = Object.keys(PROFILES);
