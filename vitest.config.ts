import { readFileSync } from 'node:fs';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import { FAST_OUTPUT, FAST_TOKENIZE, FAST_WIDTH, INK_OUTPUT, INK_RENDERER } from './scripts/esbuild-shared.mjs';

/**
 * The bundle gives Ink two faster modules (scripts/esbuild-shared.mjs, src/ui/terminal/README.md);
 * the tests get the same ones, so every screen test draws through the code users run.
 * vitest loads node_modules with Node itself unless a package is inlined, so Ink, the helpers
 * of Ink that import string-width, and ink-testing-library (it must share the one Ink) go
 * through vite's resolver, where this plugin swaps. Only imports from node_modules are
 * swapped: a test that compares a fast module with the real one imports the real one.
 * test/ui/terminal/ink-swaps.test.tsx fails if the swap is not in place.
 */
const inkSwaps: Plugin = {
  name: 'mailtel-ink-swaps',
  enforce: 'pre',
  resolveId(id, importer) {
    if (!importer || !/[\\/]node_modules[\\/]/.test(importer)) return null;
    if (id === 'string-width') return FAST_WIDTH;
    if (id === '@alcalzone/ansi-tokenize' && INK_OUTPUT.test(importer)) return FAST_TOKENIZE;
    if (id === './output.js' && INK_RENDERER.test(importer)) return FAST_OUTPUT;
    return null;
  },
  // Ink and ink-testing-library name source maps to sources they do not ship; vite would warn.
  // Inlined Ink is loaded without its maps (stack traces point into ink/build, as without inlining).
  load(id) {
    if (!/[\\/]node_modules[\\/]ink(-testing-library)?[\\/]build[\\/].*\.js$/.test(id)) return null;
    return readFileSync(id, 'utf8').replace(/^\/\/# sourceMappingURL=.*$/m, '');
  },
};

export default defineConfig({
  plugins: [inkSwaps],
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    reporters: ['default'],
    server: { deps: { inline: ['ink', 'ink-testing-library', 'cli-truncate', 'widest-line', 'wrap-ansi'] } },
  },
});
