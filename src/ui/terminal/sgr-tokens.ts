import type { AnsiCode } from '@alcalzone/ansi-tokenize';
import ansiStyles from 'ansi-styles';

/**
 * The tokens @alcalzone/ansi-tokenize's `tokenize` gives for one SGR sequence (`ESC [ params m`,
 * params digits and semicolons), without going through Intl.Segmenter: that tokenizer walks its
 * input grapheme by grapheme, and the first Intl.Segmenter of a process loads ICU's break data
 * (~15 ms before the console's first frame, whose lines are ASCII, box drawing and SGR codes).
 * Compound sequences are split as it splits them (`38;5;n` and `38;2;r;g;b` stay whole), and each
 * code gets the end code it gives: the code itself when it ends a style, the matching end for a
 * known start, the colour resets for other 38/48 codes, else the end of the number's style, else
 * a full reset. test/ui/terminal/sgr-tokens.test.ts compares both on every kind of sequence.
 */

const END_OF = new Map<string, string>();
const ENDS = new Set<string>();
for (const [start, end] of ansiStyles.codes) {
  ENDS.add(ansiStyles.color.ansi(end));
  END_OF.set(ansiStyles.color.ansi(start), ansiStyles.color.ansi(end));
}

function endCode(code: string): string {
  if (ENDS.has(code)) return code;
  const end = END_OF.get(code);
  if (end !== undefined) return end;
  const params = code.slice(2);
  if (params.startsWith('38')) return ansiStyles.color.close;
  if (params.startsWith('48')) return ansiStyles.bgColor.close;
  const n = ansiStyles.codes.get(parseInt(params, 10));
  return n ? ansiStyles.color.ansi(n) : ansiStyles.reset.open;
}

/** The parts of a compound sequence, each as a sequence of its own. */
function split(seq: string): string[] {
  if (!seq.includes(';')) return [seq];
  const parts = seq.slice(2, -1).split(';');
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if ((p === '38' || p === '48') && i + 2 < parts.length && parts[i + 1] === '5') {
      out.push(`\x1b[${parts.slice(i, i + 3).join(';')}m`);
      i += 2;
    } else if ((p === '38' || p === '48') && i + 4 < parts.length && parts[i + 1] === '2') {
      out.push(`\x1b[${parts.slice(i, i + 5).join(';')}m`);
      i += 4;
    } else out.push(`\x1b[${p}m`);
  }
  return out;
}

/** The sequences tokenized so far: a console uses a few dozen styles. Callers only read the tokens. */
const known = new Map<string, AnsiCode[]>();

/** Tokens of `seq`, which must be one SGR sequence: `\x1b[`, digits and semicolons, `m` (remembered). */
export function sgrTokens(seq: string): AnsiCode[] {
  let t = known.get(seq);
  if (t === undefined) known.set(seq, (t = split(seq).map((code) => ({ type: 'ansi', code, endCode: endCode(code) }))));
  return t;
}
