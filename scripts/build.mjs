#!/usr/bin/env node
// Bundles src/cli.ts into dist/ with esbuild: one ESM entry plus lazily loaded chunks
// (OpenTelemetry and gRPC load only when a config uses them), React in production mode.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { fastTokenize, fastStringWidth } from './esbuild-shared.mjs';

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: { cli: 'src/cli.ts' },
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
  plugins: [fastStringWidth, fastTokenize],
  logLevel: 'warning',
});
