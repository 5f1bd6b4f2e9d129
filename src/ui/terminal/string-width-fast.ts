import { createRequire } from 'node:module';
import type stringWidthType from 'string-width';

/**
 * string-width with a wider fast path, swapped in for Ink's by the bundler
 * (the fastStringWidth plugin of scripts/esbuild-shared.mjs; src/ui/terminal/README.md).
 * The real one answers printable ASCII at once but sends anything else through Intl.Segmenter
 * and an RGI-emoji regex, which every frame of the console would pay on its box-drawing, block
 * and bullet characters. Those characters are one column wide, single code points, neither
 * emoji nor marks, so a line made only of them and printable ASCII is as wide as it is long.
 * Anything else goes to the real function.
 * test/ui/terminal/string-width-fast.test.ts checks every character of the fast set against it.
 *
 * The real module is loaded at its first use, not with the console: its top level builds the
 * RGI-emoji regex (a `v`-flag Unicode set), ~12 ms of the start before the first frame, which
 * a first frame of ASCII and box drawing never needs. In the bundle, esbuild turns the
 * `require` below into the module's deferred initialisation (it stays in the bundle); where
 * there is no bundler's `require` (the tests, which load src/ through vite), Node's loads it.
 */
declare const require: ((id: string) => unknown) | undefined;
let real: typeof stringWidthType | undefined;

function load(): typeof stringWidthType {
  const mod = (typeof require === 'function' ? require('string-width') : createRequire(import.meta.url)('string-width')) as { default: typeof stringWidthType };
  return mod.default;
}

export const FAST_CHARS = /^[\u0020-\u007E\u00A0-\u00AC\u00AE-\u00FF\u2010-\u2027\u2030-\u205E\u2190-\u2193\u2500-\u25FC]*$/;

export default function fastStringWidth(input: string, options?: Parameters<typeof stringWidthType>[1]): number {
  if (typeof input === 'string' && options?.ambiguousIsNarrow !== false && !input.includes('\u001B') && FAST_CHARS.test(input)) {
    return input.length;
  }
  real ??= load();
  return real(input, options);
}
