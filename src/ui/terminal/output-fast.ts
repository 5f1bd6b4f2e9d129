/**
 * Ink's Output (build/output.js) for Ink's renderer, swapped in by the bundler
 * (scripts/esbuild-shared.mjs): the same frames, built without Ink's grid of one object per cell.
 * Ink fills a width x height grid of styled characters every frame, writes each line's
 * characters into it, and turns every row back into text by diffing styles cell by cell: the
 * largest cost of a console frame, and most of its garbage. The console's rows are pre-styled
 * lines side by side (src/ui/panes/block.tsx) over blanks, so here a row is the lines' texts
 * and the spaces between them, each line turned into text once (then remembered for a while).
 *
 * Why that is the same text: a line made of SGR sequences and the one-column characters of
 * ansi-tokenize-fast's FAST_LINE becomes one cell per character, and its text here is what Ink
 * writes for those cells (style runs, the same code diffs). Next to a blank (no styles) or
 * the row's edge, a line's text starts with its opening codes and ends closing them, as Ink's
 * diff against no styles does; where two lines touch, the diff between their styles joins
 * them, as in Ink. Any frame outside that (a clip, overlapping or out-of-row lines, other
 * characters or escapes) goes to Ink's own get().
 * test/ui/terminal/output-fast.test.ts compares both on generated frames.
 */
import { ansiCodesToString, diffAnsiCodes, reduceAnsiCodesIncremental, type AnsiCode } from '@alcalzone/ansi-tokenize';
import { sgrTokens } from './sgr-tokens.js';
// Ink's exports map hides build/output.js; the path is the one its renderer imports.
import InkOutput from '../../../node_modules/ink/build/output.js';

type Transformer = (s: string, index: number) => string;
type Operation =
  | { type: 'write'; x: number; y: number; text: string; transformers: Transformer[] }
  | { type: 'clip'; clip: { x1?: number; x2?: number; y1?: number; y2?: number } }
  | { type: 'unclip' };

/**
 * One line as Ink writes its cells alone: `open + inner + close`, `open` being the first cell's
 * codes and `close` what ends the last cell's styles (`first`, `last`), in `cells` columns.
 */
interface Line {
  open: string;
  inner: string;
  close: string;
  first: AnsiCode[];
  last: AnsiCode[];
  cells: number;
}

const FAST_LINE = /^[\u001B\u0020-\u007E\u00A0-\u00AC\u00AE-\u00FF\u2010-\u2027\u2030-\u205E\u2190-\u2193\u2500-\u25FC]*$/;
// A screen shows at most a few hundred lines: two generations of 256 hold the last frames.
const GENERATION = 256;
let current = new Map<string, Line | null>();
let previous = new Map<string, Line | null>();

const NONE: AnsiCode[] = [];

/** What Ink's styledCharsToString gives for the cells of `str` alone, or null if not a fast line. */
function parseLine(str: string): Line | null {
  if (!FAST_LINE.test(str)) return null;
  let inner = '';
  let cells = 0;
  let codes: AnsiCode[] = NONE;
  let prev: AnsiCode[] = NONE;
  let first: AnsiCode[] = NONE;
  let changed = false;
  const n = str.length;
  let runStart = -1;
  for (let i = 0; i < n; i++) {
    const c = str.charCodeAt(i);
    if (c === 27) {
      if (str.charCodeAt(i + 1) !== 91 /* [ */) return null;
      let j = i + 2;
      for (; j < n; j++) {
        const d = str.charCodeAt(j);
        if (d !== 59 && (d < 48 || d > 57)) break;
      }
      if (str.charCodeAt(j) !== 109 /* m */) return null;
      const tokens = sgrTokens(str.slice(i, j + 1));
      if (runStart >= 0) inner += str.slice(runStart, i);
      runStart = -1;
      codes = reduceAnsiCodesIncremental(codes, tokens);
      changed = true;
      i = j;
      continue;
    }
    if (changed) {
      // A new run of cells: Ink writes the codes from the previous cell's styles to these.
      if (cells === 0) first = codes;
      else if (prev.length > 0 || codes.length > 0) inner += ansiCodesToString(diffAnsiCodes(prev, codes));
      prev = codes;
      changed = false;
    }
    if (runStart < 0) runStart = i;
    cells++;
  }
  // Codes after the last character style no cell.
  if (runStart >= 0) inner += str.slice(runStart);
  if (cells === 0) return { open: '', inner: '', close: '', first: NONE, last: NONE, cells };
  const close = prev.length > 0 ? ansiCodesToString(diffAnsiCodes(prev, NONE)) : '';
  return { open: first.length > 0 ? ansiCodesToString(first) : '', inner, close, first, last: prev, cells };
}

/** Ink's codes between two touching cells of different lines (remembered per pair of styles). */
const seams = new Map<string, string>();
function seam(a: Line, b: Line): string {
  if (a.last.length === 0 || b.first.length === 0) return a.close + b.open;
  const key = ansiCodesToString(a.last) + '|' + b.open;
  let s = seams.get(key);
  if (s === undefined) {
    s = ansiCodesToString(diffAnsiCodes(a.last, b.first));
    if (seams.size > 1024) seams.clear();
    seams.set(key, s);
  }
  return s;
}

function lineOf(str: string): Line | null {
  let line = current.get(str);
  if (line === undefined) {
    line = previous.get(str);
    if (line === undefined) line = parseLine(str);
    if (current.size >= GENERATION) {
      previous = current;
      current = new Map();
    }
    current.set(str, line);
  }
  return line;
}

interface Placed {
  x: number;
  line: Line;
}

export default class Output extends InkOutput {
  override get(): { output: string; height: number } {
    return this.fast() ?? super.get();
  }

  /** The frame from rows of lines side by side, or undefined when Ink's grid is needed. */
  private fast(): { output: string; height: number } | undefined {
    const { width, height } = this;
    const rows: (Placed[] | undefined)[] = [];
    for (const op of (this as unknown as { operations: Operation[] }).operations) {
      if (op.type === 'clip') {
        const c = op.clip;
        if (typeof c.x1 === 'number' && typeof c.x2 === 'number') return undefined;
        if (typeof c.y1 === 'number' && typeof c.y2 === 'number') return undefined;
        continue;
      }
      if (op.type === 'unclip') continue;
      const { x, y, text, transformers } = op;
      if (!Number.isInteger(x) || x < 0) return undefined;
      // As Ink: a line outside the rows is skipped, and the next goes to the same row.
      let offsetY = 0;
      const lines = text.split('\n');
      for (let index = 0; index < lines.length; index++) {
        const r = y + offsetY;
        if (!(r >= 0 && r < height && Number.isInteger(r))) continue;
        let s = lines[index]!;
        for (const t of transformers) s = t(s, index);
        const line = lineOf(s);
        if (line === null) return undefined;
        if (line.cells > 0) {
          if (x + line.cells > width) return undefined;
          (rows[r] ??= []).push({ x, line });
        }
        offsetY++;
      }
    }
    let output = '';
    for (let r = 0; r < height; r++) {
      if (r > 0) output += '\n';
      const row = rows[r];
      if (row === undefined) continue;
      if (row.length > 1) row.sort((a, b) => a.x - b.x);
      let s = '';
      let at = 0;
      let before: Line | undefined;
      for (const { x, line } of row) {
        if (x < at) return undefined; // overlapping lines: Ink's grid decides which cells win
        if (before !== undefined && x === at) s += seam(before, line);
        else {
          if (before !== undefined) s += before.close;
          if (x > at) s += ' '.repeat(x - at);
          s += line.open;
        }
        s += line.inner;
        at = x + line.cells;
        before = line;
      }
      if (before !== undefined) s += before.close;
      output += s.trimEnd();
    }
    return { output, height };
  }
}
