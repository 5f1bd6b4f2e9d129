// Options every mailtel bundle shares: the real one (scripts/build.mjs) and the benchmarks'.
import { fileURLToPath } from 'node:url';

// Ink and its helpers measure text with string-width; give them src/ui/terminal/string-width-fast.ts,
// which answers the console's box-drawing and block characters without the segmenter and
// emoji regex (see that file). The wrapper itself imports the real one.
const FAST_WIDTH = fileURLToPath(new URL('../src/ui/terminal/string-width-fast.ts', import.meta.url));

// Ink's output.js tokenizes every line of every frame with Intl.Segmenter;
// src/ui/terminal/ansi-tokenize-fast.ts gives the same tokens much faster (see that file).
const FAST_TOKENIZE = fileURLToPath(new URL('../src/ui/terminal/ansi-tokenize-fast.ts', import.meta.url));

export const fastTokenize = {
  name: 'fast-ansi-tokenize',
  setup(b) {
    b.onResolve({ filter: /^@alcalzone\/ansi-tokenize$/ }, (args) =>
      /[\\/]ink[\\/]build[\\/]output\.js$/.test(args.importer) ? { path: FAST_TOKENIZE } : undefined,
    );
  },
};

export const fastStringWidth = {
  name: 'fast-string-width',
  setup(b) {
    b.onResolve({ filter: /^string-width$/ }, (args) => (args.importer === FAST_WIDTH ? undefined : { path: FAST_WIDTH }));
  },
};
