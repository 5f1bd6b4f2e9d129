import stringWidth from 'string-width';

/**
 * string-width with a wider fast path, swapped in for Ink's by the bundler
 * (the fastStringWidth plugin of scripts/esbuild-shared.mjs; src/ui/terminal/README.md).
 * The real one answers printable ASCII at once but sends anything else through Intl.Segmenter
 * and an RGI-emoji regex whose first use costs ~20 ms of start-up, and which every frame of the
 * console pays on its box-drawing, block and bullet characters. Those characters are one column
 * wide, single code points, neither emoji nor marks, so a line made only of them and printable
 * ASCII is as wide as it is long. Anything else goes to the real function.
 * test/ui/terminal/string-width-fast.test.ts checks every character of the fast set against it.
 */
export const FAST_CHARS = /^[\u0020-\u007E\u00A0-\u00AC\u00AE-\u00FF\u2010-\u2027\u2030-\u205E\u2190-\u2193\u2500-\u25FC]*$/;

export default function fastStringWidth(input: string, options?: Parameters<typeof stringWidth>[1]): number {
  if (typeof input === 'string' && options?.ambiguousIsNarrow !== false && !input.includes('\u001B') && FAST_CHARS.test(input)) {
    return input.length;
  }
  return stringWidth(input, options);
}
