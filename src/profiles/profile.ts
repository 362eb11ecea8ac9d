/**
 * A profile holds what differs between Go versions: constants of the runtime and the compiler,
 * and behaviour switches. Every value says where it comes from: a line of the runtime source
 * (file names are those of the Go tree) or a reference trace (reference/<program>/go1.NN.pP.log).
 */
import type { ParkedTracebacks } from './parked.js';

/** One step of the runtime's own start-up, executed by the model in proc.ts. */
import type { RuntimeCalls } from '../runtime/rtcalls.js';

export type StartupStep =
  /** Pages the runtime's heap takes before the next stack (mallocs of Ms, Ps, Gs, ...). */
  | {
      kind: 'heap'; pages: number; why: string;
      /**
       * Of these pages, the ones the reference traces' environment takes beyond a minimal one
       * (GOMAXPROCS only, as `stackdebug record` runs programs): goenvs copies every environment
       * string into the heap. Absent where not measured.
       */
      environ?: number;
      /**
       * Of these pages, how many (the first) are one-page spans holding only objects dead by the
       * process's first GC cycle, which frees them at mark termination (startup.ts).
       */
      dead?: number;
      /**
       * These pages end with what schedinit's procresize allocates for one P (proc.ts
       * procresizePages): other GOMAXPROCS values take the difference.
       */
      procresize?: Procresize;
    }
  /** A stack allocated with no P (so straight from the global pool or the heap). */
  | { kind: 'noP'; size: number; why: string }
  /** newproc of the main goroutine (runtime.main). */
  | { kind: 'mainG' }
  /** newm: a new M with its gsignal (32 KiB) and g0 stacks, allocated on the current P. */
  | { kind: 'newm'; why: string }
  /** newproc of a runtime goroutine. */
  | { kind: 'go'; fn: string }
  /**
   * gcenable's `c := make(chan int, 2)`: the first object of a fresh one-page span, whose address
   * bgsweep and bgscavenge keep (their arguments in a fatal error's traceback).
   */
  | { kind: 'gcenableChan' };

/**
 * What schedinit's procresize allocates: allp = make([]*p, GOMAXPROCS) and a p struct per P.
 * allpWordSpan: whether allp, with one P, is the process's first 8-byte object with pointers,
 * which takes that class's span; with more Ps allp is of a larger size class, and the 8-byte span
 * is taken by allgadd right after the main goroutine's stack.
 */
export interface Procresize {
  allpWordSpan: boolean;
}

/** Where newproc1's throw and the calls to it are (Profile.newprocThrow): "file.go:line +0xoff". */
export interface NewprocThrow {
  throw: string; newproc1: string; func1: string; systemstack: string; mstart: string;
  systemstackSwitch: string; newproc: string;
}

export interface Profile {
  version: string;
  /** _StackGuard / stackGuard on linux/amd64 (runtime/stack.go). */
  stackGuard: number;
  /**
   * How newstack picks the new size:
   * - 'double': oldsize*2 once; the prologue re-checks and may grow again (Go <= 1.14).
   * - 'fit-oldsize': double while newsize-oldsize < funcMaxSPDelta+guard (Go 1.15).
   * - 'fit-used': double while newsize-used < funcMaxSPDelta+guard (Go 1.16+).
   */
  growth: 'double' | 'fit-oldsize' | 'fit-used';
  /** Stack-based ABI0 (<= 1.16) or the register ABI (>= 1.17): changes runtime call argument sizes. */
  abi: 'stack' | 'register';
  /**
   * How a function saves the frame pointer (cmd/internal/obj/x86/obj6.go): PUSHQ BP; MOVQ SP, BP
   * before SUBQ from 1.21, SUBQ then MOVQ BP, n(SP); LEAQ n(SP), BP before. Sizes the model's
   * stand-in for code addresses (runtime/code-size.ts).
   */
  framePointerPush: boolean;
  /** Bytes of the main goroutine's stack in use when main.main is entered (runtime.main + goexit). */
  mainEntryUsed: number;
  /** Bytes in use when a goroutine's function is entered (newproc1's frame + goexit's return PC). */
  goEntryUsed: number;
  /** Size of an M's g0 stack (allocm: 8 KiB <= 1.20, 16 KiB >= 1.21). */
  g0StackSize: number;
  /** Whether shrinkstack refuses the gcBgMarkWorker (runtime/stack.go shrinkstack, <= 1.22). */
  noShrinkMarkWorker: boolean;
  /**
   * Adaptive starting stacks (runtime1.go: debug.adaptivestackstart = 1 since 1.19): each GC sets
   * the size of reused goroutines' stacks from the average stack use it scanned.
   */
  adaptiveStackStart: boolean;
  /** Heap pages a GC cycle takes before its stack scan: the work-buffer chunk (mgcwork.go). */
  gcWorkbufPages: number;
  /**
   * The runtime's small-object spans after start-up, one per size class: how many a cycle's
   * sweep finds when the program allocated nothing (src/runtime/mgcsweep.ts), which decides
   * whether the cycle's work buffers are freed at once or kept. null where unmeasured: they are
   * freed when marking ends.
   */
  sweepSpans: number | null;
  /**
   * Spans bgsweep sweeps before it yields the P (mgcsweep.go bgsweep): 1 up to 1.19 (Gosched after
   * each), sweepBatchSize = 10 from 1.20 (#54767: goschedIfBusy after each batch, which yields
   * whenever no P is idle, as with one P).
   */
  sweepBatch: number;
  /** Bytes a mark worker uses while parked between cycles (seen when it is shrunk). */
  markWorkerParkUsed: number;
  /**
   * A runtime function a mark worker enters at mark completion, deep enough to grow a 2 KiB
   * stack (1.23+): fn, called by caller, entered with entryUsed bytes in use and that frame.
   */
  markWorkerGrowth: { fn: string; caller: string; entryUsed: number; frame: number } | null;
  /**
   * How the first runtime.GC waits for the mark worker it starts (mgc.go gcBgMarkStartWorkers):
   * 'note', in notetsleepg, which hands its P off, so the caller then waits behind any runnable
   * goroutine; 'chan' (1.23+), in <-ready, where the worker's send readies it as the P's next.
   */
  markWorkerStartWait: 'note' | 'chan';
  /**
   * Whether a mark worker's first object starts a span of its size class in a minimal
   * environment (mgc.ts gcBgMarkWorkerStarts): 1.16+'s 32-byte gcBgMarkWorkerNode does.
   */
  markWorkerNodeSpan: boolean;
  /**
   * Whether an if at a function's end whose then-block calls and falls into the return gets the
   * return laid out before the then-block, which jumps back to it (code-size.ts): go1.15.15's
   * objdump of recorded/cond-calls left; go1.19.8 and go1.22.12 keep the source's order.
   */
  returnBeforeCallingBranch: boolean;
  /** The runtime's start-up, in the order the reference traces show it. */
  startup: StartupStep[];
  /** Addresses of the first Gs (g structs are heap objects): main, then in creation order. */
  gAddrs: {
    main: number; stride: number;
    /**
     * A slot of the g span below main's that holds a short-lived runtime object of the same size
     * class at start-up: once a GC cycle has freed it, the next new g takes it.
     */
    freedByGC?: number;
  };
  /**
   * allgadd: allgs = append(allgs, gp). The lengths at which the slice grows into a new array
   * that starts a span of its size class, and that span's pages (growslice doubles the capacity
   * up to 256; from 1.22 an array of pointers over 512 bytes carries an 8-byte malloc header,
   * which puts it in the next size class: 1152, 2304, 4864 bytes). Read from runtimes printing
   * their allocSpan calls, with 300 goroutines alive (GOMAXPROCS alone); arrays beyond the last
   * length are not modelled.
   */
  allgsSpans: Record<number, number>;
  /**
   * The span classes (size class * 2 + noscan) the start-up has a span of, with room, when
   * main.main starts: a go statement's closure of another class takes a new span (malloc.ts).
   * Read from runtimes printing their allocSpan calls, started with GOMAXPROCS alone.
   */
  startupSpanClasses: number[];
  /**
   * For some of those span classes, the span's base and how many objects the start-up took from
   * it, in record's minimal environment: where a go statement's closure of that class lands
   * (sched.ctxt of its wrapper's morestack, recorded/go-array-arg).
   */
  startupSpanFill: Record<number, [number, number]>;
  /**
   * A local larger than this many bytes is moved to the heap, so it takes no room in the frame
   * (cmd/compile/internal/escape/utils.go HeapAllocReason: "too large for stack", against
   * ir.MaxStackVarSize).
   */
  maxStackVarSize: number;
  /**
   * How the compiler orders a frame's locals after pointers (cmd/compile/internal/ssagen/pgen.go
   * cmpstackvarlt): larger first, then by name; or (1.22+) more aligned first, then by name.
   */
  localsOrder: 'size' | 'alignment';
  /** Whether locals whose lifetimes do not overlap share a slot (1.23+: liveness/mergelocals.go). */
  mergeLocals: boolean;
  /**
   * Register ABI up to 1.21: an int parameter only ever read bare, as a whole argument, gets an
   * 8-byte autotmp copy in the frame besides its spill slot. 1.22's compiler makes none (Debian's
   * go1.22.12 to go1.24.4 against go1.19.8 and go1.21.13, on println(k) and g(k) around calls).
   */
  bareIntParamCopy: boolean;
  /**
   * c <- v passes &v to chansend1, and order.go addrTemp decides when v is copied to an autotmp
   * first: 'non-globals' copies every local and parameter (isaddrokay: only globals and
   * temporaries are passed where they live; 1.14-1.19); 'none' passes any variable where it lives,
   * which makes it addressed (ir.IsAddressable; 1.20-1.21); 'ssa-locals' copies only locals the
   * compiler could keep in registers: not parameters, not locals whose address is taken (1.22+).
   * Expressions are always copied, constants never (read-only static data).
   * Checked on test/fixtures/frames/send-values.go with each release's compiler.
   */
  sendCopies: 'non-globals' | 'none' | 'ssa-locals';
  /**
   * Go 1.21 only: the scheduler puts statement-marked values first in the entry block, so a
   * value of a later statement can be made early and kept in a slot across the calls between
   * (entry-schedule.ts schedules the block value by value with and without the rule; frame.ts
   * adds the difference).
   */
  entryStatementsFirst: boolean;
  /**
   * regalloc.go (1.21+): when an op that writes its first operand (IMULQ, SUBQ) must keep that
   * operand and the operand is already in the register the result is wanted in, the op works in
   * the new copy and the operand stays (frame.ts movedForTwoOperandOps).
   */
  copyTakesOp: boolean;
  /**
   * Go 1.19 divides a println's arguments by a variable before printlock, keeping each result in
   * a slot; later releases only check the divisor there (frame.ts printedDivisionResults).
   */
  printDivisionsBeforeLock: boolean;
  /**
   * 1.21+: a loop whose println prints a comparison first, and more after it, makes the loop's
   * next value (i + 1) right after printlock and keeps it (frame.ts loopPostValues); any println
   * makes the values of the arguments after a comparison before the comparison's flags and keeps
   * them (frame.ts valuesBeforeFlags: ssa/schedule.go, ScoreFlags after ScoreDefault).
   */
  comparisonFirstKeepsNext: boolean;
  /**
   * 1.22+: a dividend's sign kept from one statement to a println whose last division of it
   * makes a value kept across the comparison's flags shares that value's slot (frame.ts
   * signsSharingWaits); 1.21 gives them a slot each.
   */
  keptSignSharesWait: boolean;
  /**
   * 1.22+: the counter of a loop that runs once is kept across the body's calls when the body
   * does not read it (frame.ts singleTripCounter); earlier releases keep none.
   */
  singleTripUnreadCounterKept: boolean;
  /**
   * Whether prove.go knows a single-trip loop's counter is its start in the body (1.19+); up to
   * 1.15 the counter keeps its slot across the body's calls like any (arith/arith-1 main with
   * go1.15.15: main.i18's two slots).
   */
  singleTripCounterKnown?: boolean;
  /**
   * Whether v := s, a copy of a local neither changes after it, shares s's slot (default: yes,
   * Go 1.19 to 1.24); Go 1.15 gives v a slot of its own (frames/bare-reads.go localCopy: $40,
   * arith/arith-89 c5 built by go1.15.15).
   */
  localCopySharesSlot?: boolean;
  /**
   * 1.21+: a call or println with a computed argument makes the values of the locals assigned
   * before it first, and keeps those read later (frame.ts valuesBeforeComputedArgs).
   */
  computedArgsWaitInOrder: boolean;
  /**
   * A local comparison that only a later println reads is made after that println's printlock,
   * and what it compares is kept instead (frame.ts comparedAtItsPrint).
   */
  comparedAtPrint: boolean;
  /**
   * 1.22+: a printed string's length is the same constant as an n%c by that length made earlier
   * in its block, and has that position: printstring waits for it, and what the block made
   * before it is made first (frame.ts lengthWait). 1.19 schedules otherwise; 1.21's entry-block
   * rule makes those values early anyway.
   */
  printLengthWaits: boolean;
  /** Go 1.19: a go statement copies an array argument into its closure with memmove (frame.ts). */
  goArrayMemmove: boolean;
  /**
   * 1.24+: regalloc frees a register whose value is next read only after a call, so a call's
   * argument x + y may be made in x's register though x is printed later (code-size.ts
   * twoRegisterArgMove).
   */
  regsFreedBeforeCall: boolean;
  /**
   * 1.21+: a println argument made by NEGQ, SHLQ or IMULQ of two registers from a variable read
   * again copies that variable to another register first (code-size.ts liveInputCopy).
   */
  inPlaceOpCopiesLiveInput: boolean;
  /**
   * Whether a go statement captures a zero composite literal it passes (go f([50]byte{})) in its
   * closure, built in a stack temporary (or a zeroed heap object over 128 bytes) and copied in
   * (1.19, 1.21), or leaves it to the wrapper like any constant (1.22+). See frame.ts goCaptures.
   */
  goCapturesZeroLiteral: boolean;
  /**
   * Go 1.22 and 1.23: a local whose value the optimizer replaces (k * 2 into a shift) loses its
   * name, and its spill slot sorts as a temporary's (frame.ts shiftedLocal).
   */
  spillNameLost: boolean;
  /**
   * m0's address, which 1.22+ print in a goroutine's traceback header (mp=); null where the
   * header names neither the g nor its M.
   */
  m0Addr: number | null;
  /** GOROOT the reference toolchains were built in: tracebacks print runtime files under it. */
  goroot: string;
  /** Source lines of runtime.throw's call in newstack's overflow path: panic.go, stack.go, asm_amd64.s. */
  overflowLines: [number, number, number];
  /**
   * runtime.throw's argument words in the overflow traceback, as printed: the message string's
   * pointer into read-only data and, under the register ABI, a second register's leftover (with
   * the "?" of a value that may be stale); under the stack ABI the pointer and the length, 0xe.
   */
  throwArgs: string;
  /**
   * The pc offsets of the overflow's runtime.throw, newstack and morestack frames; by default
   * Go 1.19's (reference/stack-overflow/go1.19.p1.log), stand-ins where unmeasured.
   */
  overflowOffsets?: [number, number, number];
  /**
   * The traceback level of a runtime throw (runtime1.go gotraceback): 2 from Go 1.19
   * (throwTypeRuntime: the system stack's frames with fp and sp, and the runtime's goroutines);
   * before, GOTRACEBACK's, 1 by default: the system stack's frames without them, and only the
   * program's other goroutines, as a deadlock prints them.
   */
  throwTracebackLevel: 1 | 2;
  /**
   * Up to Go 1.16 (the stack ABI) newproc1 copies a go statement's arguments onto the new
   * goroutine's first stack, and throws where they take _StackMin - 4*RegSize - RegSize bytes or
   * more: where that throw's frames are (file:line and pc offset), on the system stack (throw,
   * newproc1, newproc.func1, systemstack, mstart) and on the goroutine (systemstack_switch,
   * newproc). Absent where go statements pass their arguments in a closure.
   */
  newprocThrow?: NewprocThrow;
  /** The runtime goroutines' parked frames in a fatal error's traceback, by start function. */
  parked: ParkedTracebacks;
  /** Source line in proc.go where runtime.main calls main.main, and goexit's line in asm_amd64.s. */
  runtimeMainLine: number;
  goexitLine: number;
  /**
   * Code addresses (morebuf/sched pcs and tracebacks; tier B masks them), for a program that
   * neither calls runtime.GC nor has package-level channels: where the program's functions start,
   * goexit+1 (a goroutine's first return PC), and the return PC into runtime.main after its call
   * of main.main.
   */
  code: ProgramText;
  /** The runtime's frames on the goroutine stack for println, GC, channels, go (rtcalls.ts). */
  runtimeCalls: RuntimeCalls;
}

/** Where the linker puts the program's code, and what moves it (runtime/code-size.ts layOutText). */
export interface ProgramText {
  mainText: number;
  goexitPC: number;
  runtimeMainPC: number;
  /**
   * How far runtime.GC, linked only when the program calls it, moves the runtime's code after it
   * (runtime.main and goexit) and the program's (which more runtime code linked with it can move
   * further). Unmeasured where absent.
   */
  gcShift?: { runtime: number; main: number };
  /** main.init (package-level channels) is laid out before main.main, not after the functions (1.22+). */
  initFirst?: boolean;
  /** main.init's store of each channel: 1.19's write barrier call, or 1.21+'s buffered one. */
  writeBarrier?: 'call' | 'buffer';
}

/** The minor version number: 19 for "1.19". */
export function goMinor(p: Profile): number {
  return Number(p.version.split('.')[1]);
}
