// An esbuild plugin for the bundle: string-width (cliui's, wrap-ansi's and yargs's copies) builds
// an Intl.Segmenter and compiles Unicode-property regular expressions when it is loaded, about
// 20 ms of every start, and yargs measures its help text on every command run. The plugin puts a
// small module in front of each copy: a string of printable ASCII and newlines is as wide as its
// printable characters (what string-width computes for it: it counts control characters as
// nothing), and anything else loads the real module on first use.
export const deferStringWidth = {
  name: 'defer-string-width',
  setup(build) {
    build.onResolve({ filter: /^string-width$/ }, async (args) => {
      if (args.pluginData?.real) return undefined;
      const real = await build.resolve('string-width', {
        kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: { real: true },
      });
      if (real.errors.length) return { errors: real.errors };
      return { path: real.path, namespace: 'deferred-string-width' };
    });
    build.onLoad({ filter: /.*/, namespace: 'deferred-string-width' }, (args) => ({
      resolveDir: '.',
      contents: `
const printableAscii = /^[\\x20-\\x7e\\n]*$/;
let real;
export default function stringWidth(string, options) {
  if (typeof string === 'string' && printableAscii.test(string)) {
    let newlines = 0;
    for (let i = string.indexOf('\\n'); i >= 0; i = string.indexOf('\\n', i + 1)) newlines++;
    return string.length - newlines;
  }
  if (!real && process.env.STACKDEBUG_DEBUG) {
    process.stderr.write('stackdebug: string-width loaded for ' + JSON.stringify(String(string).slice(0, 60)) + '\\n');
  }
  real ??= require(${JSON.stringify(args.path)}).default;
  return real(string, options);
}`,
    }));
  },
};
