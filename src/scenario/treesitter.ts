/**
 * The Go parser (tree-sitter's Go grammar compiled to wasm), loaded lazily and once: loading
 * the wasm runtime and the grammar costs tens of milliseconds, and commands that never read a
 * .go file or a scenario expression should not pay it.
 */
import Parser from 'web-tree-sitter';
import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';

export type Node = Parser.SyntaxNode;

let parserPromise: Promise<Parser> | undefined;

/** The shared Go parser. Parsing is synchronous, so one instance serves every caller. */
export function goParser(): Promise<Parser> {
  if (!parserPromise) {
    parserPromise = (async () => {
      // Baseline (Liftoff) code only: a program parses in a millisecond or two, while V8's
      // optimizing tier-up of the two wasm modules runs on background threads that the process
      // then waits for at exit (about 40 ms of a 0.2 s run, measured with node 20).
      setFlagsFromString('--liftoff-only'); setFlagsFromString('--no-wasm-lazy-compilation');
      const req = createRequire(import.meta.url);
      // Its runtime's wasm, found from here: in the bundle (scripts/bundle.mjs), web-tree-sitter
      // no longer sits next to it.
      const runtime = req.resolve('web-tree-sitter/tree-sitter.wasm');
      await Parser.init({ locateFile: () => runtime });
      const wasm = req.resolve('tree-sitter-wasms/out/tree-sitter-go.wasm');
      const language = await Parser.Language.load(wasm);
      const parser = new Parser();
      parser.setLanguage(language);
      return parser;
    })();
    // A failed load (e.g. missing wasm) must not poison every later call.
    parserPromise.catch(() => { parserPromise = undefined; });
  }
  return parserPromise;
}

/** Parses `source` and hands the root to `fn`; the tree lives in wasm memory, so it is freed after. */
export function withTree<T>(parser: Parser, source: string, fn: (root: Node) => T): T {
  const tree = parser.parse(source);
  try {
    return fn(tree.rootNode);
  } finally {
    tree.delete();
  }
}

/** Named children without comments (comments may sit between any two nodes). */
export function kids(node: Node): Node[] {
  return node.namedChildren.filter((c) => c.type !== 'comment');
}

/**
 * Syntax nested deeper than this many tree levels is refused (a level per block or parenthesis,
 * about two per if statement, one per operator in a chain): the converters recurse once per
 * level, and with a default Node.js stack they crash before 1000 nested blocks.
 */
export const MAX_NESTING = 400;

/**
 * The first ERROR or MISSING node in document order, or the first node nested more than
 * MAX_NESTING levels deep, if the tree has any. The walk is iterative: any depth is safe here.
 */
export function firstSyntaxError(root: Node): Node | undefined {
  // Without errors, a subtree too short to nest past the limit is skipped: every level of a
  // valid tree but a few (statement -> expression -> literal) takes at least a byte of source.
  const prune = !root.hasError;
  const cursor = root.walk();
  try {
    for (let depth = 0; ;) {
      if (depth > MAX_NESTING || cursor.nodeIsMissing || cursor.nodeType === 'ERROR') return cursor.currentNode;
      const short = prune && depth + 4 * (cursor.endIndex - cursor.startIndex) + 8 <= MAX_NESTING;
      if (!short && cursor.gotoFirstChild()) {
        depth++;
        continue;
      }
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return undefined;
        depth--;
      }
    }
  } finally {
    cursor.delete();
  }
}

/**
 * "syntax error near `...`" for an ERROR node, "syntax error: missing X" for a MISSING one, and
 * "nesting too deep" for any other node firstSyntaxError returns.
 */
export function syntaxErrorMessage(node: Node): string {
  if (node.isMissing) {
    // The grammar's statement terminator is a newline token: name it, never print it raw.
    const what = node.type === '\n' ? 'newline' : /[\x00-\x1f]/.test(node.type) ? JSON.stringify(node.type) : node.type;
    return `syntax error: missing ${what}`;
  }
  if (!node.isError) return `nesting too deep: more than ${MAX_NESTING} levels of blocks, statements and expressions`;
  const first = node.text.trim().split('\n')[0];
  const near = first.length > 30 ? `${first.slice(0, 30)}...` : first;
  return near ? `syntax error near \`${near}\`` : 'syntax error: unexpected end of input';
}
