// Types of esbuild-shared.mjs for the tests that import it.
import type { Plugin } from 'esbuild';

export const FAST_WIDTH: string;
export const FAST_TOKENIZE: string;
export const FAST_OUTPUT: string;
export const INK_OUTPUT: RegExp;
export const INK_RENDERER: RegExp;
export const fastTokenize: Plugin;
export const fastStringWidth: Plugin;
export const fastOutput: Plugin;
export const lazySegmenter: Plugin;
/** `source` with its top-level Intl.Segmenter made at first use; throws (naming `path`) without one. */
export function deferSegmenter(source: string, path: string): string;
