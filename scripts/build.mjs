#!/usr/bin/env node
// Bundles src/cli.ts into dist/ with esbuild: one ESM entry plus lazily loaded chunks
// (OpenTelemetry and gRPC load only when a config uses them), React in production mode.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fastTokenize, fastStringWidth, fastOutput, lazySegmenter } from './esbuild-shared.mjs';

// Ink's ink.js imports terminal-size, which loads node:child_process before the first frame for
// a fallback the console never reaches (src/ui/terminal/terminal-size-env.ts says why).
const TERMINAL_SIZE = fileURLToPath(new URL('../src/ui/terminal/terminal-size-env.ts', import.meta.url));
const noChildProcessForInk = {
  name: 'terminal-size-env',
  setup(b) {
    b.onResolve({ filter: /^terminal-size$/ }, (args) => (/[\\/]ink[\\/]build[\\/]ink\.js$/.test(args.importer) ? { path: TERMINAL_SIZE } : undefined));
  },
};

// node:crypto loads on first use (scripts/lazy-crypto.mjs says why); a name the shim lacks fails the build.
const LAZY_CRYPTO = fileURLToPath(new URL('./lazy-crypto.mjs', import.meta.url));
const SRC = fileURLToPath(new URL('../src/', import.meta.url));
const lazyCrypto = {
  name: 'lazy-crypto',
  setup(b) {
    b.onResolve({ filter: /^(node:)?crypto$/ }, (args) => (args.importer.startsWith(SRC) ? { path: LAZY_CRYPTO } : undefined));
  },
};

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: { cli: 'src/cli.ts', 'sse-worker': 'src/sources/stalwart/sse-worker.ts', 'replay-worker': 'src/sources/replay-worker.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  jsx: 'automatic',
  define: { 'process.env.NODE_ENV': '"production"' },
  external: ['react-devtools-core', 'koffi'],
  banner: {
    js: "import { createRequire as __mailtelCreateRequire } from 'node:module'; const require = __mailtelCreateRequire(import.meta.url);",
  },
  plugins: [fastStringWidth, fastTokenize, fastOutput, lazySegmenter, noChildProcessForInk, lazyCrypto],
  logLevel: 'warning',
});
