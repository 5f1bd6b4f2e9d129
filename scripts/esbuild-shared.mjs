// Options every mailtel bundle shares: the real one (scripts/build.mjs) and the benchmarks'.
// vitest.config.ts gives the tests the same two module swaps from the paths below.
// How the swaps work and why: src/ui/terminal/README.md.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

// Ink and its helpers measure text with string-width; give them src/ui/terminal/string-width-fast.ts,
// which answers the console's box-drawing and block characters without the segmenter and
// emoji regex (see that file). The wrapper itself imports the real one.
export const FAST_WIDTH = fileURLToPath(new URL('../src/ui/terminal/string-width-fast.ts', import.meta.url));

// Ink's output.js tokenizes every line of every frame with Intl.Segmenter;
// src/ui/terminal/ansi-tokenize-fast.ts gives the same tokens much faster (see that file).
export const FAST_TOKENIZE = fileURLToPath(new URL('../src/ui/terminal/ansi-tokenize-fast.ts', import.meta.url));

/** The one importer whose @alcalzone/ansi-tokenize is swapped: Ink's frame assembly. */
export const INK_OUTPUT = /[\\/]ink[\\/]build[\\/]output\.js$/;

export const fastTokenize = {
  name: 'fast-ansi-tokenize',
  setup(b) {
    b.onResolve({ filter: /^@alcalzone\/ansi-tokenize$/ }, (args) =>
      INK_OUTPUT.test(args.importer) ? { path: FAST_TOKENIZE } : undefined,
    );
  },
};

export const fastStringWidth = {
  name: 'fast-string-width',
  setup(b) {
    b.onResolve({ filter: /^string-width$/ }, (args) => (args.importer === FAST_WIDTH ? undefined : { path: FAST_WIDTH }));
  },
};

// Ink's renderer builds each frame in an Output; src/ui/terminal/output-fast.ts gives the same
// frames without Ink's grid of one object per cell (see that file).
export const FAST_OUTPUT = fileURLToPath(new URL('../src/ui/terminal/output-fast.ts', import.meta.url));

/** The one importer whose ./output.js is swapped: Ink's renderer. */
export const INK_RENDERER = /[\\/]ink[\\/]build[\\/]renderer\.js$/;

export const fastOutput = {
  name: 'fast-output',
  setup(b) {
    b.onResolve({ filter: /^\.\/output\.js$/ }, (args) => (INK_RENDERER.test(args.importer) ? { path: FAST_OUTPUT } : undefined));
  },
};

// slice-ansi and @alcalzone/ansi-tokenize each make an Intl.Segmenter as they load, and the first
// one a process makes loads ICU's break data: ~15 ms before the console's first frame, which
// needs none (its lines are ASCII, box drawing and SGR codes: src/ui/terminal/sgr-tokens.ts).
// Here each is made at its first use instead (both only call its segment()). A version of either
// without that line fails the build rather than loading the data again unnoticed.
const LAZY_SEGMENTER = /[\\/]node_modules[\\/](slice-ansi[\\/]tokenize-ansi|@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]tokenize)\.js$/;
const SEGMENTER_LINE = /^const (\w+) = new Intl\.Segmenter\(([^)]*)\);$/m;

export function deferSegmenter(source, path) {
  if (!SEGMENTER_LINE.test(source)) throw new Error(`${path}: no top-level Intl.Segmenter to defer; see scripts/esbuild-shared.mjs`);
  return source.replace(SEGMENTER_LINE, (_, name, args) => `const ${name} = { made: undefined, segment(s) { return (this.made ??= new Intl.Segmenter(${args})).segment(s); } };`);
}

export const lazySegmenter = {
  name: 'lazy-segmenter',
  setup(b) {
    b.onLoad({ filter: LAZY_SEGMENTER }, async (args) => ({ contents: deferSegmenter(await readFile(args.path, 'utf8'), args.path), loader: 'js' }));
  },
};
