// An esbuild plugin for the bundle: yargs guesses the program's version when it starts, from the
// package.json it finds walking up from its own package root, which its ES-module shim takes to
// be the path before `node_modules` in its file's URL. In the bundle that URL has none, so yargs
// walked up from the current directory instead: every run read each directory from there to the
// root (2 to 3 ms from one without a package.json), and then another package's package.json if it
// found one. The plugin makes the walk start at the bundle, which finds stackdebug's own.
import { readFile } from 'node:fs/promises';

const ROOT_LINE = "const mainFilename = __dirname.substring(0, __dirname.lastIndexOf('node_modules'));";

export const yargsPackageRoot = {
  name: 'yargs-package-root',
  setup(build) {
    build.onLoad({ filter: /[\\/]yargs[\\/]lib[\\/]platform-shims[\\/]esm\.mjs$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!source.includes(ROOT_LINE)) {
        return { errors: [{ text: `yargs-package-root: yargs's shim changed; ${args.path} no longer has: ${ROOT_LINE}` }] };
      }
      // __dirname is the shim's file path (the bundle's): yargs starts from its directory.
      return { contents: source.replace(ROOT_LINE, 'const mainFilename = __dirname;'), loader: 'js' };
    });
  },
};
