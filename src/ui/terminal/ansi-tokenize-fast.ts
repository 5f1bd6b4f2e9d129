/**
 * @alcalzone/ansi-tokenize for Ink's output.js, swapped in by the bundler
 * (scripts/esbuild-shared.mjs). Ink tokenizes every line of every frame again, and the real
 * tokenizer walks each line grapheme by grapheme with Intl.Segmenter: the largest single cost
 * of a console frame. Three changes, same tokens:
 * - a line made only of SGR sequences and the characters of FAST_CHARS (printable ASCII,
 *   Latin-1, punctuation, box drawing and blocks: each one code unit, one grapheme, one column)
 *   is walked code unit by code unit; each SGR sequence is tokenized once (sgr-tokens.ts: as
 *   the real tokenizer does, without its Intl.Segmenter, and remembered there). Anything else
 *   (links, wide or combining characters) goes to the real one.
 * - lines repeat from frame to frame, so line → tokens and tokens → styled characters are
 *   remembered across frames (two generations bound the memory). Ink only reads them.
 * - characters in one style run share one `styles` array, so turning a row back into text
 *   skips the style diff between neighbours of the same run (the real one diffs every pair).
 * - a row that is one remembered line's characters followed by blank cells (what Ink's grid
 *   holds for a pre-rendered line written at column 0: most rows of the console) is turned
 *   into text once per line, not once per frame: the text of the line, then the blanks.
 * How the swap is wired, in the bundle and in the tests: src/ui/terminal/README.md.
 * test/ui/terminal/ansi-tokenize-fast.test.ts compares it with the real tokenizer on generated lines.
 */
import {
  ansiCodesToString,
  diffAnsiCodes,
  reduceAnsiCodesIncremental,
  tokenize as realTokenize,
  type AnsiCode,
  type StyledChar,
  type Token,
} from '@alcalzone/ansi-tokenize';
import { sgrTokens } from './sgr-tokens.js';

export * from '@alcalzone/ansi-tokenize';

const FAST_LINE = /^[\u001B\u0020-\u007E\u00A0-\u00AC\u00AE-\u00FF\u2010-\u2027\u2030-\u205E\u2190-\u2193\u2500-\u25FC]*$/;
// A screen shows at most a few hundred lines: two generations of 128 hold the last frames.
const GENERATION = 128;
let current = new Map<string, Token[]>();
let previous = new Map<string, Token[]>();
const styled = new WeakMap<Token[], StyledChar[]>();
/** The remembered characters each first character starts, and their text once asked for. */
const lineOf = new WeakMap<StyledChar, StyledChar[]>();
const textOf = new WeakMap<StyledChar[], string>();

/** Tokens of one line, or undefined when it needs the real tokenizer. */
export function fastTokenize(str: string): Token[] | undefined {
  if (!FAST_LINE.test(str)) return undefined;
  const out: Token[] = [];
  const n = str.length;
  for (let i = 0; i < n; i++) {
    const c = str.charCodeAt(i);
    if (c === 27) {
      const next = str.charCodeAt(i + 1);
      if (next === 93 /* ] OSC, e.g. links */) return undefined;
      if (next === 91 /* [ CSI */) {
        let j = i + 2;
        for (; j < n; j++) {
          const d = str.charCodeAt(j);
          if (d !== 59 && (d < 48 || d > 57)) break;
        }
        if (str.charCodeAt(j) === 109 /* m */) {
          for (const t of sgrTokens(str.slice(i, j + 1))) out.push(t);
          i = j;
          continue;
        }
      }
    }
    out.push({ type: 'char', value: str[i]!, fullWidth: false });
  }
  return out;
}

export function tokenize(str: string, endChar?: number): Token[] {
  if (endChar !== undefined) return realTokenize(str, endChar);
  let tokens = current.get(str);
  if (tokens === undefined) {
    tokens = previous.get(str) ?? fastTokenize(str) ?? realTokenize(str);
    if (current.size >= GENERATION) {
      previous = current;
      current = new Map();
    }
    current.set(str, tokens);
  }
  return tokens;
}

export function styledCharsFromTokens(tokens: Token[]): StyledChar[] {
  let chars = styled.get(tokens);
  if (chars === undefined) {
    chars = [];
    let codes: AnsiCode[] = [];
    let run: AnsiCode[] | undefined;
    for (const t of tokens) {
      if (t.type === 'ansi') {
        codes = reduceAnsiCodesIncremental(codes, [t]);
        run = undefined;
      } else {
        chars.push({ ...t, styles: (run ??= [...codes]) });
      }
    }
    styled.set(tokens, chars);
    if (chars.length > 0) lineOf.set(chars[0]!, chars);
  }
  return chars;
}

/** As the real one, but neighbours with the same `styles` array (one run) need no diff. */
export function styledCharsToString(chars: StyledChar[]): string {
  const line = chars.length > 0 ? lineOf.get(chars[0]!) : undefined;
  if (line !== undefined && line !== chars && isLineThenBlanks(chars, line)) {
    let text = textOf.get(line);
    if (text === undefined) textOf.set(line, (text = charsToString(line)));
    return chars.length === line.length ? text : text + ' '.repeat(chars.length - line.length);
  }
  return charsToString(chars);
}

/**
 * `row` is `line`'s characters (the same objects) then unstyled one-column spaces. Its text is
 * then the line's text and the spaces: after the line's last character both close its styles
 * the same way, and a space without styles adds no code.
 */
function isLineThenBlanks(row: StyledChar[], line: StyledChar[]): boolean {
  if (row.length < line.length) return false;
  for (let i = 0; i < line.length; i++) if (row[i] !== line[i]) return false;
  for (let i = line.length; i < row.length; i++) {
    const c = row[i]!;
    if (c.value !== ' ' || c.styles.length !== 0 || c.fullWidth) return false;
  }
  return true;
}

function charsToString(chars: StyledChar[]): string {
  let out = '';
  const last = chars.length - 1;
  for (let i = 0; i <= last; i++) {
    const ch = chars[i]!;
    const styles = ch.styles;
    if (i === 0) {
      if (styles.length > 0) out += ansiCodesToString(styles);
    } else {
      const prev = chars[i - 1]!.styles;
      if (prev !== styles && (prev.length > 0 || styles.length > 0)) out += ansiCodesToString(diffAnsiCodes(prev, styles));
    }
    out += ch.value;
    if (i === last && styles.length > 0) out += ansiCodesToString(diffAnsiCodes(styles, []));
  }
  return out;
}
