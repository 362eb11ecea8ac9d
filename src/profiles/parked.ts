/**
 * Where the runtime's own goroutines are parked, as a fatal error's traceback shows them: each
 * frame's call as printed (argument words included), its source position under
 * GOROOT/src/runtime, its pc offset and frame size (fp - sp), from the goroutine's first frame
 * (goexit) up. fp and sp are computed from the goroutine's stack in the model; the argument words
 * and code addresses are the reference's (they are masked or relabelled in comparisons), but for
 * {gp}, the goroutine's own g, and {chan}, gcenable's channel, which come from the model.
 * Measured from reference/stack-overflow/go1.NN.p1.log (goroutines 2 to 4).
 */

import { hex } from '../runtime/print.js';

export interface ParkedFrame {
  /** The call as printed: function and argument words. */
  call: string;
  /** file:line under GOROOT/src/runtime. */
  at: string;
  /** pc offset into the function and its frame size; absent for an inlined frame ("(...)"). */
  off?: number;
  frame?: number;
  pc?: number;
}

export interface ParkedTraceback {
  /** Innermost first, as printed; the last is goexit. */
  frames: ParkedFrame[];
  /** "created by" function (with "in goroutine N" from 1.21), position and pc offset. */
  createdBy: { fn: string; at: string; off: number };
}

export type ParkedTracebacks = Record<string, ParkedTraceback>;

/** A version's gopark (and the goparkunlock inlined into its caller), given the call's argument words. */
const park = (line: number, off: number, pc: number, parkLine: number) => (args: string): ParkedFrame[] => [
  { call: `runtime.gopark(${args})`, at: `proc.go:${line}`, off, frame: 0x20, pc },
  { call: 'runtime.goparkunlock(...)', at: `proc.go:${parkLine}` },
];

/** A version's goexit, every goroutine's first frame. */
const goexit = (call: string, line: number, pc: number): ParkedFrame => ({ call, at: `asm_amd64.s:${line}`, off: 0x1, frame: 0x8, pc });

// Each version's, from its stack-overflow/go1.NN.p1.log as the tables below; 1.22 and 1.23 from
// stack-overflow recorded with Debian's go1.22.12 and go1.23.5 (whose 1.21.13 and 1.24.4 print
// the reference traces' frames, lines and pcs; only scavengerState's address differs).
const park119 = park(363, 0xd6, 0x430556, 369);
const goexit119 = goexit('runtime.goexit()', 1594, 0x454fc1);
const park121 = park(398, 0xce, 0x42f6ee, 404);
const goexit121 = goexit('runtime.goexit()', 1650, 0x454e01);
const park122 = park(402, 0xce, 0x431b8e, 408);
const goexit122 = goexit('runtime.goexit({})', 1695, 0x45a5c1);
const park123 = park(424, 0xce, 0x45dc8e, 430);
const goexit123 = goexit('runtime.goexit({})', 1700, 0x463d61);
const park124 = park(435, 0xce, 0x4607ae, 441);
const goexit124 = goexit('runtime.goexit({})', 1700, 0x466041);

/** stack-overflow/go1.19.p1.log */
export const PARKED_119: ParkedTracebacks = {
  'runtime.forcegchelper': {
    frames: [
      ...park119('0x0?, 0x0?, 0x0?, 0x0?, 0x0?'),
      { call: 'runtime.forcegchelper()', at: 'proc.go:302', off: 0xad, frame: 0x30, pc: 0x4303ed },
      goexit119,
    ],
    createdBy: { fn: 'runtime.init.6', at: 'proc.go:290', off: 0x25 },
  },
  'runtime.bgsweep': {
    frames: [
      ...park119('0x0?, 0x0?, 0x0?, 0x0?, 0x0?'),
      { call: 'runtime.bgsweep(0x0?)', at: 'mgcsweep.go:278', off: 0x8e, frame: 0x38, pc: 0x41df2e },
      { call: 'runtime.gcenable.func1()', at: 'mgc.go:178', off: 0x26, frame: 0x18, pc: 0x412de6 },
      goexit119,
    ],
    createdBy: { fn: 'runtime.gcenable', at: 'mgc.go:178', off: 0x6b },
  },
  'runtime.bgscavenge': {
    frames: [
      ...park119('{chan}?, 0x47c8d8?, 0x1?, 0x0?, 0x0?'),
      { call: 'runtime.(*scavengerState).park(0x4c0840)', at: 'mgcscavenge.go:389', off: 0x53, frame: 0x30, pc: 0x41bfd3 },
      { call: 'runtime.bgscavenge(0x0?)', at: 'mgcscavenge.go:617', off: 0x45, frame: 0x28, pc: 0x41c5a5 },
      { call: 'runtime.gcenable.func2()', at: 'mgc.go:179', off: 0x26, frame: 0x18, pc: 0x412d86 },
      goexit119,
    ],
    createdBy: { fn: 'runtime.gcenable', at: 'mgc.go:179', off: 0xaa },
  },
};

/**
 * What the 1.21+ tracebacks of the runtime's goroutines differ in: gopark and goexit, then for
 * each goroutine its frames' lines, pc offsets, frame sizes and pcs (all under GOROOT/src/runtime).
 * The three are created in goroutine 1: forcegchelper by init (proc.go), bgsweep and bgscavenge by
 * gcenable through a wrapper (gcenable.func1/func2, gowrap1/gowrap2 from 1.22), off 0x25, frame 0x18.
 */
interface ParkedFigures {
  park: (args: string) => ParkedFrame[];
  goexit: ParkedFrame;
  forcegc: { init: string; created: number; line: number; pc: number };
  /** bgsweep's and bgscavenge's argument as printed: '0x0?' (1.21) or the channel. */
  chanArg: string;
  wrapper: 'func' | 'gowrap';
  /** gcenable's lines of `go bgsweep(c)` and `go bgscavenge(c)`, in mgc.go. */
  gcenable: [number, number];
  bgsweep: { line: number; frame: number; pc: number; wrapPc: number };
  bgscavenge: { goparkArg: string; state: number; parkPc: number; frame: number; pc: number; wrapPc: number };
}

function parkedSince121(f: ParkedFigures): ParkedTracebacks {
  const [sweepAt, scavengeAt] = f.gcenable;
  const wrap = (n: 1 | 2) => `runtime.gcenable.${f.wrapper}${n}()`;
  return {
    'runtime.forcegchelper': {
      frames: [
        ...f.park('0x0?, 0x0?, 0x0?, 0x0?, 0x0?'),
        { call: 'runtime.forcegchelper()', at: `proc.go:${f.forcegc.line}`, off: 0xb3, frame: 0x38, pc: f.forcegc.pc },
        f.goexit,
      ],
      createdBy: { fn: `${f.forcegc.init} in goroutine 1`, at: `proc.go:${f.forcegc.created}`, off: 0x1a },
    },
    'runtime.bgsweep': {
      frames: [
        ...f.park('0x0?, 0x0?, 0x0?, 0x0?, 0x0?'),
        { call: `runtime.bgsweep(${f.chanArg})`, at: `mgcsweep.go:${f.bgsweep.line}`, off: 0x94, frame: f.bgsweep.frame, pc: f.bgsweep.pc },
        { call: wrap(1), at: `mgc.go:${sweepAt}`, off: 0x25, frame: 0x18, pc: f.bgsweep.wrapPc },
        f.goexit,
      ],
      createdBy: { fn: 'runtime.gcenable in goroutine 1', at: `mgc.go:${sweepAt}`, off: 0x66 },
    },
    'runtime.bgscavenge': {
      frames: [
        ...f.park(`{chan}?, ${f.bgscavenge.goparkArg}?, 0x1?, 0x0?, {gp}?`),
        { call: `runtime.(*scavengerState).park(${hex(f.bgscavenge.state)})`, at: 'mgcscavenge.go:425', off: 0x49, frame: 0x30, pc: f.bgscavenge.parkPc },
        { call: `runtime.bgscavenge(${f.chanArg})`, at: 'mgcscavenge.go:653', off: 0x3c, frame: f.bgscavenge.frame, pc: f.bgscavenge.pc },
        { call: wrap(2), at: `mgc.go:${scavengeAt}`, off: 0x25, frame: 0x18, pc: f.bgscavenge.wrapPc },
        f.goexit,
      ],
      createdBy: { fn: 'runtime.gcenable in goroutine 1', at: `mgc.go:${scavengeAt}`, off: 0xa5 },
    },
  };
}

/** stack-overflow/go1.21.p1.log */
export const PARKED_121 = parkedSince121({
  park: park121, goexit: goexit121, forcegc: { init: 'runtime.init.6', created: 310, line: 322, pc: 0x42f573 },
  chanArg: '0x0?', wrapper: 'func', gcenable: [200, 201],
  bgsweep: { line: 280, frame: 0x50, pc: 0x41cc34, wrapPc: 0x411fe5 },
  bgscavenge: { goparkArg: '0x47d5f8', state: 0x4cade0, parkPc: 0x41a509, frame: 0x28, pc: 0x41aa9c, wrapPc: 0x411f85 },
});

/** stack-overflow recorded with Debian's go1.22.12 */
export const PARKED_122 = parkedSince121({
  park: park122, goexit: goexit122, forcegc: { init: 'runtime.init.6', created: 314, line: 326, pc: 0x431a13 },
  chanArg: '{chan}', wrapper: 'gowrap', gcenable: [203, 204],
  bgsweep: { line: 278, frame: 0x48, pc: 0x41e9d4, wrapPc: 0x413525 },
  bgscavenge: { goparkArg: '0x487868', state: 0x4db060, parkPc: 0x41c3c9, frame: 0x20, pc: 0x41c95c, wrapPc: 0x4134c5 },
});

/** stack-overflow recorded with Debian's go1.23.5 */
export const PARKED_123 = parkedSince121({
  park: park123, goexit: goexit123, forcegc: { init: 'runtime.init.7', created: 325, line: 337, pc: 0x431673 },
  chanArg: '{chan}', wrapper: 'gowrap', gcenable: [204, 205],
  bgsweep: { line: 277, frame: 0x48, pc: 0x41d714, wrapPc: 0x412085 },
  bgscavenge: { goparkArg: '0x495dd8', state: 0x4f1500, parkPc: 0x41b149, frame: 0x20, pc: 0x41b6bc, wrapPc: 0x412025 },
});

/** stack-overflow/go1.24.p1.log */
export const PARKED_124 = parkedSince121({
  park: park124, goexit: goexit124, forcegc: { init: 'runtime.init.7', created: 336, line: 348, pc: 0x434553 },
  chanArg: '{chan}', wrapper: 'gowrap', gcenable: [204, 205],
  bgsweep: { line: 276, frame: 0x48, pc: 0x420734, wrapPc: 0x414e65 },
  bgscavenge: { goparkArg: '0x4996b8', state: 0x4f70a0, parkPc: 0x41e1e9, frame: 0x20, pc: 0x41e75c, wrapPc: 0x414e05 },
});
