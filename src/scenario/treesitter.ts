/**
 * The Go parser (tree-sitter's Go grammar compiled to wasm), loaded lazily and once: loading
 * the wasm runtime and the grammar costs tens of milliseconds, and commands that never read a
 * .go file or a scenario expression should not pay it.
 */
import Parser from 'web-tree-sitter';
import { createRequire } from 'node:module';

export type Node = Parser.SyntaxNode;

let parserPromise: Promise<Parser> | undefined;

/** The shared Go parser. Parsing is synchronous, so one instance serves every caller. */
export function goParser(): Promise<Parser> {
  if (!parserPromise) {
    parserPromise = (async () => {
      await Parser.init();
      const wasm = createRequire(import.meta.url).resolve('tree-sitter-wasms/out/tree-sitter-go.wasm');
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

/** The first ERROR or MISSING node in document order, if the tree has any. */
export function firstSyntaxError(node: Node): Node | undefined {
  if (node.isError || node.isMissing) return node;
  if (!node.hasError) return undefined;
  for (const c of node.children) {
    const e = firstSyntaxError(c);
    if (e) return e;
  }
  return undefined;
}

/** "syntax error near `...`" for an ERROR node, "syntax error: missing X" for a MISSING one. */
export function syntaxErrorMessage(node: Node): string {
  if (node.isMissing) return `syntax error: missing ${node.type}`;
  const first = node.text.trim().split('\n')[0];
  const near = first.length > 30 ? `${first.slice(0, 30)}...` : first;
  return near ? `syntax error near \`${near}\`` : 'syntax error: unexpected end of input';
}
