/**
 * `stackdebug plot`: the SVG of every scenario is well-formed XML with the expected parts; long
 * runs stay small; the text chart; a screenshot with chromium when it is installed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliSync } from './cli.js';
import { recordFile, StackRecorder, MAX_BUCKETS } from '../src/plot/series.js';
import { renderSvg } from '../src/plot/svg.js';
import { renderText } from '../src/plot/text.js';

const root = new URL('..', import.meta.url).pathname;
const SCENARIOS = readdirSync(join(root, 'scenarios')).filter((f) => f.endsWith('.yaml')).sort();
const tmp = mkdtempSync(join(tmpdir(), 'stackdebug-plot-'));


interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
}

/** A strict little XML reader: throws on anything not well-formed (enough for our SVG). */
function parseXml(src: string): XmlNode {
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`not well-formed XML at ${i}: ${why}: ${JSON.stringify(src.slice(i, i + 60))}`);
  };
  const checkText = (t: string) => {
    if (/<|&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);)/i.test(t)) fail(`bad character data ${JSON.stringify(t.slice(0, 40))}`);
  };
  if (src.startsWith('<?xml')) {
    const end = src.indexOf('?>');
    if (end < 0) fail('unterminated declaration');
    i = end + 2;
  }
  const stack: XmlNode[] = [];
  let rootNode: XmlNode | null = null;
  while (i < src.length) {
    const lt = src.indexOf('<', i);
    const text = src.slice(i, lt < 0 ? src.length : lt);
    checkText(text);
    if (stack.length) stack[stack.length - 1].text += text;
    else if (text.trim()) fail('text outside the root element');
    if (lt < 0) break;
    i = lt;
    if (src.startsWith('</', i)) {
      const m = /^<\/([A-Za-z_][\w.:-]*)\s*>/.exec(src.slice(i));
      if (!m) fail('bad end tag');
      const open = stack.pop();
      if (!open || open.name !== m![1]) fail(`end tag </${m![1]}> does not match <${open?.name}>`);
      i += m![0].length;
      continue;
    }
    if (src.startsWith('<!--', i)) {
      const end = src.indexOf('-->', i);
      if (end < 0) fail('unterminated comment');
      i = end + 3;
      continue;
    }
    const m = /^<([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*"[^"<]*")*)\s*(\/?)>/.exec(src.slice(i));
    if (!m) fail('bad start tag');
    const attrs: Record<string, string> = {};
    for (const a of m![2].matchAll(/([A-Za-z_][\w.:-]*)\s*=\s*"([^"]*)"/g)) {
      if (a[1] in attrs) fail(`duplicate attribute ${a[1]}`);
      checkText(a[2]);
      attrs[a[1]] = a[2];
    }
    const node: XmlNode = { name: m![1], attrs, children: [], text: '' };
    if (stack.length) stack[stack.length - 1].children.push(node);
    else if (rootNode) fail('second root element');
    else rootNode = node;
    if (!m![3]) stack.push(node);
    i += m![0].length;
  }
  if (stack.length) fail(`unclosed <${stack[stack.length - 1].name}>`);
  if (!rootNode) fail('no root element');
  return rootNode!;
}

function all(n: XmlNode, pred: (n: XmlNode) => boolean, out: XmlNode[] = []): XmlNode[] {
  if (pred(n)) out.push(n);
  for (const c of n.children) all(c, pred, out);
  return out;
}
const cls = (c: string) => (n: XmlNode) => (n.attrs.class ?? '').split(' ').includes(c);
const textOf = (n: XmlNode): string => n.text + n.children.map(textOf).join('');

describe('the XML checker', () => {
  it('rejects what is not well-formed', () => {
    expect(() => parseXml('<a><b></a>')).toThrow();
    expect(() => parseXml('<a x="1" x="2"/>')).toThrow();
    expect(() => parseXml('<a>&nbsp;</a>')).toThrow();
    expect(() => parseXml('<a>1 < 2</a>')).toThrow();
    expect(parseXml('<?xml version="1.0"?>\n<a><b c="&amp;"/>x &lt; y</a>\n').children[0].name).toBe('b');
  });
});

describe.each(SCENARIOS)('plot scenarios/%s', (name) => {
  const file = join(root, 'scenarios', name);

  it('is a well-formed SVG with axes, labels, legend and one group per goroutine', async () => {
    const h = await recordFile(file, { go: '1.24', gomaxprocs: 1 });
    const svg = renderSvg(h, { file, go: '1.24', gomaxprocs: 1, maxGoroutines: 8 });
    const doc = parseXml(svg);
    expect(doc.name).toBe('svg');
    expect(doc.attrs.xmlns).toBe('http://www.w3.org/2000/svg');
    expect(doc.attrs.viewBox).toMatch(/^0 0 \d+ \d+$/);
    expect(doc.children.find((c) => c.name === 'title')).toBeTruthy();
    expect(all(doc, cls('x')).length).toBe(1);
    expect(all(doc, cls('y')).length).toBe(1);
    const labels = all(doc, cls('label')).map(textOf);
    expect(labels).toContain('bytes (log scale)');
    expect(labels.some((l) => l.startsWith('event index'))).toBe(true);
    const legend = all(doc, cls('legend'));
    expect(legend.length).toBe(1);
    const legendText = textOf(legend[0]);
    for (const k of ['stack size', 'bytes in use', 'grow', 'shrink', 'overflow', 'GC cycle']) expect(legendText).toContain(k);
    const groups = all(doc, cls('goroutine'));
    expect(groups.length).toBe(Math.min(8, h.goroutines.length));
    expect(groups.map((g) => g.attrs['data-g'])).toContain('1');
    expect(legendText).toContain('g1 main.main');
    for (const g of groups) {
      expect(all(g, cls('size')).length).toBeGreaterThan(0);
      for (const p of all(g, cls('size'))) expect(p.attrs.d).toMatch(/^M[\d.]+ [\d.]+(?:[HV][\d.]+)+$/);
    }
    // Every growth and shrink of a drawn goroutine is marked.
    const drawn = new Set(groups.map((g) => Number(g.attrs['data-g'])));
    const grows = h.goroutines.filter((s) => drawn.has(s.g)).reduce((n, s) => n + s.grows, 0);
    const shrinks = h.goroutines.filter((s) => drawn.has(s.g)).reduce((n, s) => n + s.shrinks, 0);
    expect(all(doc, (n) => cls('mark')(n) && cls('grow')(n) && !all(legend[0], (x) => x === n).length).length).toBe(grows);
    expect(all(doc, (n) => cls('mark')(n) && cls('shrink')(n) && !all(legend[0], (x) => x === n).length).length).toBe(shrinks);
    if (name === 'stack-overflow.yaml') expect(all(doc, cls('overflow')).length).toBe(2); // the mark and its key
    // Coordinates stay inside the picture.
    for (const m of svg.matchAll(/points="([^"]*)"/g)) {
      for (const pair of m[1].split(' ')) {
        const [x, y] = pair.split(',').map(Number);
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x).toBeLessThanOrEqual(1000);
        expect(y).toBeGreaterThanOrEqual(0);
        expect(y).toBeLessThanOrEqual(640);
      }
    }
  });
});

describe('plot data', () => {
  it('keeps a 1,000,000-deep recursion to a bounded number of points, fast', async () => {
    const yaml = join(tmp, 'deep1m.yaml');
    writeFileSync(yaml, readFileSync(join(root, 'scenarios', 'deep-recursion.yaml'), 'utf8').replaceAll('50000', '1000000'));
    const t0 = Date.now();
    const h = await recordFile(yaml, { go: '1.24', gomaxprocs: 1 });
    const svg = renderSvg(h, { file: yaml, go: '1.24', gomaxprocs: 1, maxGoroutines: 8 });
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(h.calls).toBe(1_000_001);
    const main = h.goroutines.find((s) => s.g === 1)!;
    expect(main.points.length).toBeLessThanOrEqual(MAX_BUCKETS + 1);
    expect(main.peakSize).toBe(128 * 1024 * 1024);
    expect(main.grows).toBe(16);
    expect(svg.length).toBeLessThan(200_000);
    parseXml(svg);
    expect(svg).toContain('downsampled: one point per');
  });

  it('shows the N largest goroutines when there are thousands, and says so', async () => {
    const h = await recordFile(join(root, 'test/fixtures/go/loop-goroutines.go'), { go: '1.24', gomaxprocs: 1 });
    expect(h.goroutines.length).toBe(10_001);
    const svg = renderSvg(h, { file: 'loop-goroutines.go', go: '1.24', gomaxprocs: 1, maxGoroutines: 5 });
    const doc = parseXml(svg);
    expect(all(doc, cls('goroutine')).length).toBe(5);
    expect(svg).toContain('showing 5 of 10,001 goroutines');
    expect(svg).toContain('9,996 main.w (peak 16 KiB)');
    const text = renderText(h, { file: 'loop-goroutines.go', go: '1.24', gomaxprocs: 1, maxGoroutines: 3, columns: 80 });
    expect(text).toContain('showing 3 of 10,001 goroutines');
  });

  it('merges buckets without losing the extremes', () => {
    const r = new StackRecorder();
    for (let i = 0; i < 5000; i++) r.event({ kind: 'call', g: 1, fn: 'main.f', used: 100 + i, size: 1 << 20, line: 1 });
    r.event({ kind: 'return', g: 1, fn: 'main.f', used: 50, size: 1 << 20 });
    const h = r.result(0);
    const pts = h.goroutines[0].points;
    expect(pts.length).toBeLessThanOrEqual(MAX_BUCKETS + 1);
    expect(Math.max(...pts.map((p) => p.usedHi))).toBe(5099);
    expect(Math.min(...pts.filter((p) => !Number.isNaN(p.usedLo)).map((p) => p.usedLo))).toBe(50);
  });
});

describe('plot command', () => {
  it('writes the SVG to --out', () => {
    const out = join(tmp, 'seed.svg');
    const r = cliSync(['plot', 'scenarios/seed-abc.yaml', '--out', out, '--go', '1.19', '--gomaxprocs', '2']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^stackdebug: wrote .*seed\.svg \(1 goroutine, \d+ events\)\n$/);
    const svg = readFileSync(out, 'utf8');
    parseXml(svg);
    expect(svg).toContain('Go 1.19 · GOMAXPROCS 2');
  });

  it('prints SVG when stdout is not a terminal, text with --format text', () => {
    const svg = cliSync(['plot', 'scenarios/goroutine-chain.yaml']);
    expect(svg.code).toBe(0);
    expect(parseXml(svg.stdout).name).toBe('svg');
    const text = cliSync(['plot', 'scenarios/shrink-twice.yaml', '--format', 'text']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('g1 main.main  peak 64 KiB, 1 grow, 3 shrinks');
    expect(text.stdout).toMatch(/\n {2}size +[▁▂▃▄▅▆▇█ ]+\n {2}used +[▁▂▃▄▅▆▇█ ]+\n +[↑↓↕ ]+\n/);
    expect(text.stdout).toContain('↑ grow  ↓ shrink');
  });

  it('rejects a bad --goroutines and a missing file', () => {
    expect(cliSync(['plot', 'scenarios/seed-abc.yaml', '--goroutines', '0']).stderr).toMatch(/--goroutines: must be a whole number from 1 to 10/);
    const r = cliSync(['plot', 'nope.yaml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/nope\.yaml.*no such file/);
  });
});

const chromium = ['chromium', 'chromium-browser', 'google-chrome'].find(
  (c) => spawnSync(c, ['--version'], { encoding: 'utf8' }).status === 0,
);
if (!chromium) {
  process.stderr.write('plot.test: chromium is not installed: the screenshot test is skipped (apt-get install chromium)\n');
}

describe('screenshot', () => {
  it.skipIf(!chromium)(`renders with ${chromium ?? 'chromium (not installed: skipped)'}`, async () => {
    const svgPath = join(tmp, 'shot.svg');
    const png = join(tmp, 'shot.png');
    const h = await recordFile(join(root, 'scenarios', 'shrink-twice.yaml'), { go: '1.24', gomaxprocs: 1 });
    writeFileSync(svgPath, renderSvg(h, { file: 'shrink-twice.yaml', go: '1.24', gomaxprocs: 1, maxGoroutines: 8 }));
    const r = spawnSync(chromium!, ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars',
      `--screenshot=${png}`, '--window-size=1000,640', `file://${svgPath}`], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(0);
    const buf = readFileSync(png);
    expect(buf.subarray(1, 4).toString()).toBe('PNG');
    expect(buf.readUInt32BE(16)).toBe(1000); // IHDR width
    expect(buf.readUInt32BE(20)).toBe(640); // IHDR height
    expect(statSync(png).size).toBeGreaterThan(20_000); // drawn, not blank
  }, 90_000);
});
