/**
 * Unified diffs of an expected trace against an output, as `diff -u` prints them: `---`/`+++`
 * headers, `@@ -l,n +l,n @@` hunks, 3 lines of context; colored (red -, green +, cyan @@) only
 * when the caller asks for it.
 */
import { Chalk } from 'chalk';
import { structuredPatch, type StructuredPatchHunk } from 'diff';

export interface DiffOptions {
  /** Name on the `---` line (the expected side). */
  expectedName: string;
  /** Name on the `+++` line (the output side). */
  actualName: string;
  color?: boolean;
  /** Lines of context around each change (default 3). */
  context?: number;
  /** Stop after this many lines of hunks and say how many were left out (default: no limit). */
  maxLines?: number;
}

/** Beyond this edit distance the texts are too different for a full diff (it would be slow). */
const MAX_EDIT = 2000;

/**
 * The unified diff of `expected` against `actual` (arrays of lines without newlines), ending
 * with a newline; '' when they are equal.
 */
export function unifiedDiff(expected: string[], actual: string[], opts: DiffOptions): string {
  const context = opts.context ?? 3;
  const text = (l: string[]) => (l.length ? l.join('\n') + '\n' : '');
  const patch = structuredPatch(opts.expectedName, opts.actualName, text(expected), text(actual), undefined, undefined, {
    context,
    maxEditLength: MAX_EDIT,
  });
  let hunks: StructuredPatchHunk[];
  let note: string | undefined;
  if (patch) hunks = patch.hunks;
  else {
    hunks = firstDifferenceHunk(expected, actual, context);
    note = `(the texts differ in more than ${MAX_EDIT} lines; showing the first difference only)`;
  }
  if (hunks.length === 0) return '';

  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const out: string[] = [c.bold(`--- ${opts.expectedName}`), c.bold(`+++ ${opts.actualName}`)];
  const max = opts.maxLines ?? Infinity;
  let body = 0;
  let omitted = 0;
  for (const h of hunks) {
    const lines = h.lines.filter((l) => !l.startsWith('\\'));
    if (body >= max) {
      omitted += lines.length + 1;
      continue;
    }
    out.push(c.cyan(`@@ -${range(h.oldStart, h.oldLines)} +${range(h.newStart, h.newLines)} @@`));
    body++;
    for (const l of lines) {
      if (body >= max) {
        omitted++;
        continue;
      }
      body++;
      out.push(l[0] === '-' ? c.red(l) : l[0] === '+' ? c.green(l) : l);
    }
  }
  if (omitted) out.push(c.dim(`... (${omitted} more diff lines not shown)`));
  if (note) out.push(c.dim(note));
  return out.join('\n') + '\n';
}

/** `start,count`; an empty range names the line before it (hunk starts are 1-based, as jsdiff keeps them). */
function range(start: number, count: number): string {
  return `${count === 0 ? start - 1 : start},${count}`;
}

/** One hunk around the first differing line, for texts too different to diff in full. */
function firstDifferenceHunk(expected: string[], actual: string[], context: number): StructuredPatchHunk[] {
  let i = 0;
  while (i < expected.length && i < actual.length && expected[i] === actual[i]) i++;
  if (i === expected.length && i === actual.length) return [];
  const from = Math.max(0, i - context);
  const shown = 20;
  const del = expected.slice(i, i + shown);
  const add = actual.slice(i, i + shown);
  const lines = [
    ...expected.slice(from, i).map((l) => ' ' + l),
    ...del.map((l) => '-' + l),
    ...add.map((l) => '+' + l),
  ];
  const oldLines = i - from + del.length;
  const newLines = i - from + add.length;
  return [
    {
      oldStart: from + 1,
      oldLines,
      newStart: from + 1,
      newLines,
      lines,
    },
  ];
}
