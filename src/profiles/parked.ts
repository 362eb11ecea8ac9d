/**
 * Where the runtime's own goroutines are parked, as a fatal error's traceback shows them: each
 * frame's call as printed (argument words included), its source position under
 * GOROOT/src/runtime, its pc offset and frame size (fp - sp), from the goroutine's first frame
 * (goexit) up. fp and sp are computed from the goroutine's stack in the model; the argument words
 * and code addresses are the reference's (they are masked or relabelled in comparisons), but for
 * {gp}, the goroutine's own g, and {chan}, gcenable's channel, which come from the model.
 * Measured from reference/stack-overflow/go1.NN.p1.log (goroutines 2 to 4).
 */

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

/** stack-overflow/go1.21.p1.log */
export const PARKED_121: ParkedTracebacks = {
  'runtime.forcegchelper': {
    frames: [
      ...park121('0x0?, 0x0?, 0x0?, 0x0?, 0x0?'),
      { call: 'runtime.forcegchelper()', at: 'proc.go:322', off: 0xb3, frame: 0x38, pc: 0x42f573 },
      goexit121,
    ],
    createdBy: { fn: 'runtime.init.6 in goroutine 1', at: 'proc.go:310', off: 0x1a },
  },
  'runtime.bgsweep': {
    frames: [
      ...park121('0x0?, 0x0?, 0x0?, 0x0?, 0x0?'),
      { call: 'runtime.bgsweep(0x0?)', at: 'mgcsweep.go:280', off: 0x94, frame: 0x50, pc: 0x41cc34 },
      { call: 'runtime.gcenable.func1()', at: 'mgc.go:200', off: 0x25, frame: 0x18, pc: 0x411fe5 },
      goexit121,
    ],
    createdBy: { fn: 'runtime.gcenable in goroutine 1', at: 'mgc.go:200', off: 0x66 },
  },
  'runtime.bgscavenge': {
    frames: [
      ...park121('{chan}?, 0x47d5f8?, 0x1?, 0x0?, {gp}?'),
      { call: 'runtime.(*scavengerState).park(0x4cade0)', at: 'mgcscavenge.go:425', off: 0x49, frame: 0x30, pc: 0x41a509 },
      { call: 'runtime.bgscavenge(0x0?)', at: 'mgcscavenge.go:653', off: 0x3c, frame: 0x28, pc: 0x41aa9c },
      { call: 'runtime.gcenable.func2()', at: 'mgc.go:201', off: 0x25, frame: 0x18, pc: 0x411f85 },
      goexit121,
    ],
    createdBy: { fn: 'runtime.gcenable in goroutine 1', at: 'mgc.go:201', off: 0xa5 },
  },
};

/** stack-overflow recorded with Debian's go1.22.12 */
export const PARKED_122: ParkedTracebacks = {
  'runtime.forcegchelper': {
    frames: [
      ...park122('0x0?, 0x0?, 0x0?, 0x0?, 0x0?'),
      { call: 'runtime.forcegchelper()', at: 'proc.go:326', off: 0xb3, frame: 0x38, pc: 0x431a13 },
      goexit122,
    ],
    createdBy: { fn: 'runtime.init.6 in goroutine 1', at: 'proc.go:314', off: 0x1a },
  },
  'runtime.bgsweep': {
    frames: [
      ...park122('0x0?, 0x0?, 0x0?, 0x0?, 0x0?'),
      { call: 'runtime.bgsweep({chan})', at: 'mgcsweep.go:278', off: 0x94, frame: 0x48, pc: 0x41e9d4 },
      { call: 'runtime.gcenable.gowrap1()', at: 'mgc.go:203', off: 0x25, frame: 0x18, pc: 0x413525 },
      goexit122,
    ],
    createdBy: { fn: 'runtime.gcenable in goroutine 1', at: 'mgc.go:203', off: 0x66 },
  },
  'runtime.bgscavenge': {
    frames: [
      ...park122('{chan}?, 0x487868?, 0x1?, 0x0?, {gp}?'),
      { call: 'runtime.(*scavengerState).park(0x4db060)', at: 'mgcscavenge.go:425', off: 0x49, frame: 0x30, pc: 0x41c3c9 },
      { call: 'runtime.bgscavenge({chan})', at: 'mgcscavenge.go:653', off: 0x3c, frame: 0x20, pc: 0x41c95c },
      { call: 'runtime.gcenable.gowrap2()', at: 'mgc.go:204', off: 0x25, frame: 0x18, pc: 0x4134c5 },
      goexit122,
    ],
    createdBy: { fn: 'runtime.gcenable in goroutine 1', at: 'mgc.go:204', off: 0xa5 },
  },
};

/** stack-overflow recorded with Debian's go1.23.5 */
export const PARKED_123: ParkedTracebacks = {
  'runtime.forcegchelper': {
    frames: [
      ...park123('0x0?, 0x0?, 0x0?, 0x0?, 0x0?'),
      { call: 'runtime.forcegchelper()', at: 'proc.go:337', off: 0xb3, frame: 0x38, pc: 0x431673 },
      goexit123,
    ],
    createdBy: { fn: 'runtime.init.7 in goroutine 1', at: 'proc.go:325', off: 0x1a },
  },
  'runtime.bgsweep': {
    frames: [
      ...park123('0x0?, 0x0?, 0x0?, 0x0?, 0x0?'),
      { call: 'runtime.bgsweep({chan})', at: 'mgcsweep.go:277', off: 0x94, frame: 0x48, pc: 0x41d714 },
      { call: 'runtime.gcenable.gowrap1()', at: 'mgc.go:204', off: 0x25, frame: 0x18, pc: 0x412085 },
      goexit123,
    ],
    createdBy: { fn: 'runtime.gcenable in goroutine 1', at: 'mgc.go:204', off: 0x66 },
  },
  'runtime.bgscavenge': {
    frames: [
      ...park123('{chan}?, 0x495dd8?, 0x1?, 0x0?, {gp}?'),
      { call: 'runtime.(*scavengerState).park(0x4f1500)', at: 'mgcscavenge.go:425', off: 0x49, frame: 0x30, pc: 0x41b149 },
      { call: 'runtime.bgscavenge({chan})', at: 'mgcscavenge.go:653', off: 0x3c, frame: 0x20, pc: 0x41b6bc },
      { call: 'runtime.gcenable.gowrap2()', at: 'mgc.go:205', off: 0x25, frame: 0x18, pc: 0x412025 },
      goexit123,
    ],
    createdBy: { fn: 'runtime.gcenable in goroutine 1', at: 'mgc.go:205', off: 0xa5 },
  },
};

/** stack-overflow/go1.24.p1.log */
export const PARKED_124: ParkedTracebacks = {
  'runtime.forcegchelper': {
    frames: [
      ...park124('0x0?, 0x0?, 0x0?, 0x0?, 0x0?'),
      { call: 'runtime.forcegchelper()', at: 'proc.go:348', off: 0xb3, frame: 0x38, pc: 0x434553 },
      goexit124,
    ],
    createdBy: { fn: 'runtime.init.7 in goroutine 1', at: 'proc.go:336', off: 0x1a },
  },
  'runtime.bgsweep': {
    frames: [
      ...park124('0x0?, 0x0?, 0x0?, 0x0?, 0x0?'),
      { call: 'runtime.bgsweep({chan})', at: 'mgcsweep.go:276', off: 0x94, frame: 0x48, pc: 0x420734 },
      { call: 'runtime.gcenable.gowrap1()', at: 'mgc.go:204', off: 0x25, frame: 0x18, pc: 0x414e65 },
      goexit124,
    ],
    createdBy: { fn: 'runtime.gcenable in goroutine 1', at: 'mgc.go:204', off: 0x66 },
  },
  'runtime.bgscavenge': {
    frames: [
      ...park124('{chan}?, 0x4996b8?, 0x1?, 0x0?, {gp}?'),
      { call: 'runtime.(*scavengerState).park(0x4f70a0)', at: 'mgcscavenge.go:425', off: 0x49, frame: 0x30, pc: 0x41e1e9 },
      { call: 'runtime.bgscavenge({chan})', at: 'mgcscavenge.go:653', off: 0x3c, frame: 0x20, pc: 0x41e75c },
      { call: 'runtime.gcenable.gowrap2()', at: 'mgc.go:205', off: 0x25, frame: 0x18, pc: 0x414e05 },
      goexit124,
    ],
    createdBy: { fn: 'runtime.gcenable in goroutine 1', at: 'mgc.go:205', off: 0xa5 },
  },
};
