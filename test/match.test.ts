/** Trace normalization, fixture matching (exact / normalized, `...` elisions) and diffs. */
import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../src/trace/diff.js';
import { maskCode, matchTrace } from '../src/trace/match.js';
import { normalizeLines, normalizeTrace, splitLines } from '../src/trace/normalize.js';

/** A small complete trace: main's 2 KiB stack grows to 4 KiB; addresses shifted by `d`. */
function growth(d = 0, opts: { off?: number; gp?: number } = {}): string[] {
  const h = (v: number) => '0x' + (v + d).toString(16);
  const used = opts.off ?? 0x6e0;
  const gp = '0x' + (opts.gp ?? 0xc000000180).toString(16);
  return [
    'stackalloc 32768',
    `  allocated ${h(0xc000006000)}`,
    'stackalloc 2048',
    'stackcacherefill order=0',
    `  allocated ${h(0xc000030000)}`,
    `${h(0xc000030770)}`,
    `runtime: newstack sp=${h(0xc000030000 + used - 8)} stack=[${h(0xc000030000)}, ${h(0xc000030800)}]`,
    `\tmorebuf={pc:0x4693d8 sp:${h(0xc000030000 + used + 8)} lr:0x0}`,
    `\tsched={pc:0x4694a6 sp:${h(0xc000030000 + used)} lr:0x0 ctxt:0x0}`,
    'stackalloc 4096',
    'stackcacherefill order=1',
    `  allocated ${h(0xc00005c000)}`,
    `copystack gp=${gp} [${h(0xc000030000)} ${h(0xc000030000 + used)} ${h(0xc000030800)}] -> [${h(0xc00005c000)} ${h(0xc00005c800 + used)} ${h(0xc00005d000)}]/4096`,
    `stackfree ${h(0xc000030000)} 2048`,
    'stack grow done',
    'func a',
    `${h(0xc00005cf70)}`,
  ];
}

describe('splitLines', () => {
  it('treats a final newline as the end of the last line', () => {
    expect(splitLines('a\nb\n')).toEqual(['a', 'b']);
    expect(splitLines('a\nb')).toEqual(['a', 'b']);
    expect(splitLines('')).toEqual([]);
    expect(splitLines('\n')).toEqual(['']);
    expect(splitLines('a\r\nb\r\n')).toEqual(['a', 'b']);
  });
});

describe('normalizeTrace', () => {
  it('names stacks by allocation and addresses by offset, like tracecmp.py', () => {
    expect(normalizeLines(growth())).toEqual([
      'stackalloc 32768',
      '  allocated S1+0x0',
      'stackalloc 2048',
      'stackcacherefill order=0',
      '  allocated S2+0x0',
      'S2+0x770',
      'runtime: newstack sp=S2+0x6d8 stack=[S2+0x0, S2+0x800]',
      '\tmorebuf={pc:PC sp:S2+0x6e8 lr:0x0}',
      '\tsched={pc:PC sp:S2+0x6e0 lr:0x0 ctxt:0x0}',
      'stackalloc 4096',
      'stackcacherefill order=1',
      '  allocated S3+0x0',
      'copystack gp=A1 [S2+0x0 S2+0x6e0 S2+0x800] -> [S3+0x0 S3+0xee0 S3+0x1000]/4096',
      'stackfree S2+0x0 2048',
      'stack grow done',
      'func a',
      'S3+0xf70',
    ]);
  });

  it('gives a freed and reallocated range a new identity', () => {
    const n = normalizeTrace(['stackalloc 2048', '  allocated 0xc000030000', 'stackfree 0xc000030000 2048', 'stackalloc 2048', '  allocated 0xc000030000']);
    const ids = n.lines.flatMap((l) => l.refs.map((r) => (r.kind === 'stack' ? r.stack : -1)));
    expect(ids).toEqual([1, 1, 2]);
  });

  it('masks code addresses in tracebacks and keeps small values', () => {
    const t = normalizeLines([
      'goroutine 1 gp=0xc000002380 m=0 mp=0x4f7e80 [running]:',
      'main.r({0x0, 0x8, 0x47d1fd?, ...})',
      '\t/home/gopher/overflow/main.go:10 +0x66 fp=0xc0200e0380 sp=0xc0200e0378 pc=0x469466',
    ]);
    expect(t).toEqual([
      'goroutine 1 gp=A1 m=0 mp=A2 [running]:',
      'main.r({0x0, 0x8, A3?, ...})',
      '\t/home/gopher/overflow/main.go:10 +PC fp=A4 sp=A5 pc=PC',
    ]);
  });

  it('infers stacks of an elided fixture from the lines that state their bounds', () => {
    const t = normalizeLines(
      [
        '...',
        '0xc000081ef0', // before the line that states its stack: looked up ahead
        '...',
        'copystack gp=0xc000000180 [0xc00007a000 0xc000081e60 0xc000082000] -> [0xc000076000 0xc000079e60 0xc00007a000]/16384',
        'stackfree 0xc00007a000 32768',
        '0xc000079ef0',
        '  allocated 0xc000100000', // its stackalloc elided: size from the later stackfree
        '0xc000100010',
        'stackfree 0xc000100000 2048',
        '0xc0000a0000', // in no stack
      ],
      { elisions: true },
    );
    expect(t).toEqual([
      '...',
      'S1+0x7ef0',
      '...',
      'copystack gp=A1 [S1+0x0 S1+0x7e60 S1+0x8000] -> [S2+0x0 S2+0x3e60 S2+0x4000]/16384',
      'stackfree S1+0x0 32768',
      'S2+0x3ef0',
      '  allocated S3+0x0',
      'S3+0x10',
      'stackfree S3+0x0 2048',
      'A2',
    ]);
  });
});

describe('matchTrace exact', () => {
  const t = ['a', 'b', 'c', 'd', 'e'];

  it('passes identical traces', () => {
    expect(matchTrace(t, t, 'exact').ok).toBe(true);
    expect(matchTrace([], [], 'exact').ok).toBe(true);
  });

  it('reports the first differing line', () => {
    const r = matchTrace(t, ['a', 'b', 'X', 'd', 'e'], 'exact');
    expect(r.ok).toBe(false);
    expect(r.mismatch).toMatchObject({ expectedLine: 2, actualLine: 2 });
  });

  it('reports output that ends early or goes on', () => {
    expect(matchTrace(t, t.slice(0, 3), 'exact').mismatch).toMatchObject({ expectedLine: 3, actualLine: 3, reason: 'the output ends here' });
    expect(matchTrace(t, [...t, 'f'], 'exact').mismatch).toMatchObject({ expectedLine: 5, actualLine: 5 });
    expect(matchTrace([], ['x'], 'exact').ok).toBe(false);
  });

  it('anchors a fixture without ... at both ends', () => {
    expect(matchTrace(['b', 'c'], t, 'exact').ok).toBe(false);
    expect(matchTrace(['a', 'b'], t, 'exact').ok).toBe(false);
  });

  it('matches ... at the start, in the middle, at the end', () => {
    expect(matchTrace(['...', 'd', 'e'], t, 'exact').ok).toBe(true);
    expect(matchTrace(['a', '...', 'e'], t, 'exact').ok).toBe(true);
    expect(matchTrace(['a', 'b', '...'], t, 'exact').ok).toBe(true);
    expect(matchTrace(['...', 'c', '...'], t, 'exact').ok).toBe(true);
    expect(matchTrace(['...', 'x', '...'], t, 'exact').ok).toBe(false);
    expect(matchTrace(['...', 'd', '...', 'c', '...'], t, 'exact').ok).toBe(false); // order matters
  });

  it('lets ... stand for zero lines, and consecutive ... for one run', () => {
    expect(matchTrace(['a', '...', 'b', 'c', 'd', 'e'], t, 'exact').ok).toBe(true);
    expect(matchTrace(['a', '...', '...', 'e'], t, 'exact').ok).toBe(true);
    expect(matchTrace(['...', '...'], t, 'exact').ok).toBe(true);
    expect(matchTrace(['...'], [], 'exact').ok).toBe(true);
    expect(matchTrace(['...', 'a', 'b', 'c', 'd', 'e', '...'], t, 'exact').ok).toBe(true);
  });

  it('does not let segments overlap', () => {
    expect(matchTrace(['...', 'a', 'b', '...', 'b', 'c', '...'], ['a', 'b', 'c'], 'exact').ok).toBe(false);
    expect(matchTrace(['...', 'a', 'b', '...', 'b', 'c', '...'], ['a', 'b', 'b', 'c'], 'exact').ok).toBe(true);
  });

  it('backtracks to a later placement when needed', () => {
    // The first 'x' cannot be followed by 'y' 'z' anchored at the end; only the earliest x... works here,
    // but the last segment must be at the very end.
    expect(matchTrace(['...', 'x', '...', 'y', 'z'], ['x', 'y', 'z', 'x', 'y', 'z'], 'exact').ok).toBe(true);
    expect(matchTrace(['x', '...', 'z', 'x'], ['x', 'z', 'x', 'z', 'x'], 'exact').ok).toBe(true);
  });

  it('collapses what ... stood for in the diff view', () => {
    const r = matchTrace(['a', '...', 'd', 'X'], t, 'exact');
    expect(r.ok).toBe(false);
    expect(r.mismatch).toMatchObject({ expectedLine: 3, actualLine: 4 });
    expect(r.view).toEqual({ expected: ['a', '...', 'd', 'X'], actual: ['a', '...', 'd', 'e'] });
  });
});

describe('matchTrace code', () => {
  it('masks code addresses only: pc: and pc= values and the pc offset after file:line', () => {
    expect(maskCode('\tmorebuf={pc:0x45803e sp:0xc00002a6d0 lr:0x0}')).toBe('\tmorebuf={pc:PC sp:0xc00002a6d0 lr:0x0}');
    expect(maskCode('\t/src/app/main.go:12 +0x58 fp=0xc0200e0790 sp=0xc0200e0380 pc=0x457cf8'))
      .toBe('\t/src/app/main.go:12 +PC fp=0xc0200e0790 sp=0xc0200e0380 pc=PC');
    expect(maskCode('\t/usr/local/go/src/runtime/asm_amd64.s:1594 +0x1 fp=0xc000038fe8')).toBe('\t/usr/local/go/src/runtime/asm_amd64.s:1594 +PC fp=0xc000038fe8');
    expect(maskCode('copystack gp=0xc0000061a0 [0xc00003a000 0xc00003a6c8 0xc00003a800]')).toBe('copystack gp=0xc0000061a0 [0xc00003a000 0xc00003a6c8 0xc00003a800]');
  });

  it('matches lines that differ in code addresses only, and no others', () => {
    const real = ['runtime: newstack sp=0xc00003a6c0 stack=[0xc00003a000, 0xc00003a800]', '\tmorebuf={pc:0x458098 sp:0xc00003a6d0 lr:0x0}'];
    const sim = ['runtime: newstack sp=0xc00003a6c0 stack=[0xc00003a000, 0xc00003a800]', '\tmorebuf={pc:0x45803e sp:0xc00003a6d0 lr:0x0}'];
    expect(matchTrace(real, sim, 'code')).toMatchObject({ ok: true, mode: 'code' });
    expect(matchTrace(real, sim, 'exact').ok).toBe(false);
    const moved = [sim[0], '\tmorebuf={pc:0x45803e sp:0xc00003a6d8 lr:0x0}'];
    expect(matchTrace(real, moved, 'code').ok).toBe(false);
  });
});

describe('matchTrace normalized', () => {
  it('passes a trace whose stacks are elsewhere', () => {
    expect(matchTrace(growth(), growth(0x100000), 'normalized').ok).toBe(true);
    expect(matchTrace(growth(), growth(0x100000), 'exact').ok).toBe(false);
  });

  it('ignores code addresses', () => {
    const other = growth().map((l) => l.replace(/pc:0x[0-9a-f]+/, 'pc:0x401000'));
    expect(matchTrace(growth(), other, 'normalized').ok).toBe(true);
  });

  it('fails when an offset changes', () => {
    const r = matchTrace(growth(), growth(0, { off: 0x6f0 }), 'normalized');
    expect(r.ok).toBe(false);
    expect(r.mismatch!.expectedLine).toBe(6);
    expect(r.mismatch!.reason).toMatch(/offset 0x6d8 in its stack, the output's is at 0x6e8/);
  });

  it('fails when one fixture stack meets two output stacks', () => {
    const exp = ['...', 'stackfree 0xc000030000 2048', '...', 'stackfree 0xc000030000 2048', '...'];
    // In the fixture both lines are the same stack (never freed in between, as far as it says)...
    const act = ['stackalloc 2048', '  allocated 0xc000040000', 'stackalloc 2048', '  allocated 0xc000050000', 'stackfree 0xc000040000 2048', 'stackfree 0xc000050000 2048'];
    // ...but a stackfree ends a stack: the fixture's second line is another stack, so this passes.
    expect(matchTrace(exp, act, 'normalized').ok).toBe(true);
    const exp2 = ['...', 'runtime: newstack sp=0xc000030100 stack=[0xc000030000, 0xc000030800]', '...', 'runtime: newstack sp=0xc000030200 stack=[0xc000030000, 0xc000030800]', '...'];
    const act2 = [
      'stackalloc 2048', '  allocated 0xc000040000', 'stackalloc 2048', '  allocated 0xc000050000',
      'runtime: newstack sp=0xc000040100 stack=[0xc000040000, 0xc000040800]',
      'runtime: newstack sp=0xc000050200 stack=[0xc000050000, 0xc000050800]',
    ];
    const r = matchTrace(exp2, act2, 'normalized');
    expect(r.ok).toBe(false);
    expect(r.mismatch!.reason).toMatch(/was matched with output S1 earlier, here the output has S2/);
    // The same stack on both lines passes.
    act2[5] = 'runtime: newstack sp=0xc000040200 stack=[0xc000040000, 0xc000040800]';
    expect(matchTrace(exp2, act2, 'normalized').ok).toBe(true);
  });

  it('fails when two fixture stacks meet one output stack', () => {
    const exp = ['stackalloc 2048', '  allocated 0xc000030000', 'stackalloc 2048', '  allocated 0xc000031000', '0xc000030010', '0xc000031010'];
    const act = ['stackalloc 2048', '  allocated 0xc000040000', 'stackalloc 2048', '  allocated 0xc000041000', '0xc000040010', '0xc000040010'];
    const r = matchTrace(exp, act, 'normalized');
    expect(r.ok).toBe(false);
    expect(r.mismatch!.expectedLine).toBe(5);
  });

  it('keeps gp= names consistent', () => {
    const other = growth(0, { gp: 0xc000002380 });
    expect(matchTrace(growth(), other, 'normalized').ok).toBe(true);
    const exp = ['...', 'copystack gp=0xc000000180 [0xc000030000 0xc0000306e0 0xc000030800] -> [0xc00005c000 0xc00005cee0 0xc00005d000]/4096', 'goroutine 1 gp=0xc000000180 m=0 mp=0x4f7e80 [running]:'];
    const act = [...growth().slice(0, 13), 'goroutine 1 gp=0xc000000999 m=0 mp=0x4f7e80 [running]:'];
    expect(matchTrace(exp, act, 'normalized').ok).toBe(false);
    act[13] = 'goroutine 1 gp=0xc000000180 m=0 mp=0x4f7e80 [running]:';
    expect(matchTrace(exp, act, 'normalized').ok).toBe(true);
  });

  it('matches a fixture that starts mid-trace, stacks first seen in copystack lines', () => {
    const exp = [
      '...',
      'copystack gp=0xc000000180 [0xc000030000 0xc0000306e0 0xc000030800] -> [0xc00005c000 0xc00005cee0 0xc00005d000]/4096',
      'stackfree 0xc000030000 2048',
      '...',
      '0xc00005cf70',
    ];
    expect(matchTrace(exp, growth(0x200000), 'normalized').ok).toBe(true);
    // The same address seen through a different stack base is another offset: fails.
    const bad = [...exp];
    bad[4] = '0xc00005cf78';
    expect(matchTrace(bad, growth(0x200000), 'normalized').ok).toBe(false);
  });

  it('lets an address the fixture cannot place stand for any output address, one to one', () => {
    const exp = ['...', 'func a', '0xc0000aa000'];
    expect(matchTrace(exp, growth(), 'normalized').ok).toBe(true);
    const exp2 = ['0xc0000aa000', '0xc0000bb000'];
    expect(matchTrace(exp2, ['0xc000001000', '0xc000002000'], 'normalized').ok).toBe(true);
    expect(matchTrace(exp2, ['0xc000001000', '0xc000001000'], 'normalized').ok).toBe(false);
  });

  it('backtracks over stack correspondences', () => {
    // Two goroutines grow the same way; the fixture's stack must be the one freed afterwards.
    const act = [
      'stackalloc 2048', '  allocated 0xc000040000',
      'stackalloc 2048', '  allocated 0xc000050000',
      'runtime: newstack sp=0xc000040100 stack=[0xc000040000, 0xc000040800]',
      'runtime: newstack sp=0xc000050100 stack=[0xc000050000, 0xc000050800]',
      'stackfree 0xc000050000 2048',
    ];
    const exp = ['...', 'runtime: newstack sp=0xc000030100 stack=[0xc000030000, 0xc000030800]', '...', 'stackfree 0xc000030000 2048'];
    expect(matchTrace(exp, act, 'normalized').ok).toBe(true);
  });

  it('renders the diff view with the output names', () => {
    const r = matchTrace(growth(), growth(0x100000, { off: 0x6f0 }), 'normalized');
    expect(r.view!.expected[6]).toBe('runtime: newstack sp=S2+0x6d8 stack=[S2+0x0, S2+0x800]');
    expect(r.view!.actual[6]).toBe('runtime: newstack sp=S2+0x6e8 stack=[S2+0x0, S2+0x800]');
    expect(r.view!.expected[7]).toBe(r.view!.actual[7].replace('0x6f8', '0x6e8'));
  });
});

describe('matchTrace on large inputs', () => {
  it('stays fast on 200k lines with elisions (exact and normalized)', () => {
    const act: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const lo = 0xc000100000 + (i % 64) * 0x800;
      act.push('stackalloc 2048', `  allocated 0x${lo.toString(16)}`, `runtime: newstack sp=0x${(lo + 0x100).toString(16)} stack=[0x${lo.toString(16)}, 0x${(lo + 0x800).toString(16)}]`);
      act.push('\tmorebuf={pc:0x4693d8 sp:0x0 lr:0x0}', 'stack grow done', `func ${i % 7}`, `stackfree 0x${lo.toString(16)} 2048`);
      act.push('x', 'y', 'z');
    }
    act.push('the end');
    const exp = ['stackalloc 2048', '...', 'func 3', '...', 'func 5', '...', 'the end'];
    let t = Date.now();
    expect(matchTrace(exp, act, 'exact').ok).toBe(true);
    expect(matchTrace(exp, act, 'normalized').ok).toBe(true);
    expect(matchTrace(act, act, 'normalized').ok).toBe(true);
    expect(matchTrace([...exp.slice(0, -1), 'not there'], act, 'normalized').ok).toBe(false);
    expect(Date.now() - t).toBeLessThan(10_000);

    // Many elided segments that each occur everywhere, and a last one that never does.
    t = Date.now();
    const many = ['...'];
    for (let i = 0; i < 300; i++) many.push('stack grow done', '...');
    many.push('nowhere', '...');
    expect(matchTrace(many, act, 'exact').ok).toBe(false);
    expect(matchTrace(many, act, 'normalized').ok).toBe(false);
    expect(Date.now() - t).toBeLessThan(10_000);
  });

  it('does not blow up on a fixture of repeated lines that cannot match', () => {
    const act = Array.from({ length: 100_000 }, () => 'a');
    const exp = ['...', 'a', '...', 'a', '...', 'a', '...', 'a', '...', 'b'];
    const t = Date.now();
    const r = matchTrace(exp, act, 'exact');
    expect(r.ok).toBe(false);
    expect(r.gaveUp).toBeUndefined();
    expect(Date.now() - t).toBeLessThan(5_000);
  });

  it('gives up when the search budget runs out', () => {
    const r = matchTrace(['...', 'a', '...', 'b'], ['a', 'a', 'a', 'c'], 'exact', { maxSteps: 1 });
    expect(r.ok).toBe(false);
    expect(r.gaveUp).toBe(true);
    expect(r.mismatch!.reason).toMatch(/^gave up/);
  });
});

describe('unifiedDiff', () => {
  const a = ['l1', 'l2', 'l3', 'l4', 'l5', 'l6', 'l7', 'l8', 'l9', 'l10', 'l11', 'l12'];
  const b = [...a];
  b[5] = 'L6';

  it('prints ---/+++ headers, @@ hunks with line numbers and 3 lines of context', () => {
    expect(unifiedDiff(a, b, { expectedName: 'x.expected.log', actualName: 'output' })).toBe(
      ['--- x.expected.log', '+++ output', '@@ -3,7 +3,7 @@', ' l3', ' l4', ' l5', '-l6', '+L6', ' l7', ' l8', ' l9', ''].join('\n'),
    );
  });

  it('is empty for equal inputs and handles empty sides', () => {
    expect(unifiedDiff(a, a, { expectedName: 'e', actualName: 'o' })).toBe('');
    expect(unifiedDiff([], ['x'], { expectedName: 'e', actualName: 'o' })).toBe('--- e\n+++ o\n@@ -0,0 +1,1 @@\n+x\n');
  });

  it('colors only when asked', () => {
    expect(unifiedDiff(a, b, { expectedName: 'e', actualName: 'o' })).not.toMatch(/\u001b\[/);
    const colored = unifiedDiff(a, b, { expectedName: 'e', actualName: 'o', color: true });
    expect(colored).toContain('\u001b[31m-l6\u001b[39m');
    expect(colored).toContain('\u001b[32m+L6\u001b[39m');
    expect(colored).toContain('\u001b[36m@@ -3,7 +3,7 @@\u001b[39m');
  });

  it('limits its length when asked', () => {
    const x = Array.from({ length: 100 }, (_, i) => `x${i}`);
    const y = Array.from({ length: 100 }, (_, i) => `y${i}`);
    const d = unifiedDiff(x, y, { expectedName: 'e', actualName: 'o', maxLines: 10 });
    expect(d.split('\n').length).toBeLessThan(16);
    expect(d).toMatch(/more diff lines not shown/);
  });
});
