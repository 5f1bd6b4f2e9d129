// Options every mailtel bundle shares: the real one (scripts/build.mjs) and the benchmarks'.
import { fileURLToPath } from 'node:url';

// Ink and its helpers measure text with string-width; give them src/ui/string-width-fast.ts,
// which answers the console's box-drawing and block characters without the segmenter and
// emoji regex (see that file). The wrapper itself imports the real one.
const FAST_WIDTH = fileURLToPath(new URL('../src/ui/string-width-fast.ts', import.meta.url));

export const fastStringWidth = {
  name: 'fast-string-width',
  setup(b) {
    b.onResolve({ filter: /^string-width$/ }, (args) => (args.importer === FAST_WIDTH ? undefined : { path: FAST_WIDTH }));
  },
};
