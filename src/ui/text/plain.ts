/**
 * Terminal text helpers: display width, control-character escaping (event data must never
 * reach the terminal raw: an ESC in a sender address would otherwise restyle or move the
 * screen), and fitting text to a column width with an ellipsis. Pure functions.
 */

const PLAIN = /^[\x20-\x7e]*$/;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** Columns one code point takes: 0 for combining marks, 2 for East Asian wide and emoji. */
export function charWidth(cp: number): number {
  if (cp < 0x300) return 1;
  if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0xfe00 && cp <= 0xfe0f)) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

/** Display width of text without escape sequences. */
export function textWidth(text: string): number {
  if (PLAIN.test(text)) return text.length;
  let w = 0;
  for (const ch of text) w += charWidth(ch.codePointAt(0) ?? 0);
  return w;
}

/** Replaces control characters with visible escapes (`\n`, `\t`, `\x1b`...). */
export function clean(text: string): string {
  if (PLAIN.test(text)) return text;
  return text.replace(CONTROL, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\t') return '\\t';
    if (c === '\r') return '\\r';
    return '\\x' + c.charCodeAt(0).toString(16).padStart(2, '0');
  });
}

export const ELLIPSIS = '…';

/** Cuts text to at most `width` columns, ending with `…` when something was cut. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  if (PLAIN.test(text)) return text.length <= width ? text : text.slice(0, width - 1) + ELLIPSIS;
  if (textWidth(text) <= width) return text;
  let out = '';
  let w = 0;
  for (const ch of text) {
    const cw = charWidth(ch.codePointAt(0) ?? 0);
    if (w + cw > width - 1) break;
    out += ch;
    w += cw;
  }
  return out + ELLIPSIS;
}

/** Exactly `width` columns: truncated with `…` or padded with spaces. */
export function fit(text: string, width: number): string {
  const t = truncate(text, width);
  const w = textWidth(t);
  return w < width ? t + ' '.repeat(width - w) : t;
}

/** Exactly `width` columns, right-aligned. */
export function fitRight(text: string, width: number): string {
  const t = truncate(text, width);
  const w = textWidth(t);
  return w < width ? ' '.repeat(width - w) + t : t;
}

/**
 * Breaks text into lines of at most `width` columns (at spaces when it can), for detail
 * views that show a full error message. Newlines in the text start new lines.
 */
export function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  if (width <= 0) return out;
  for (const para of text.split('\n')) {
    let rest = clean(para);
    while (textWidth(rest) > width) {
      let cut = '';
      let w = 0;
      for (const ch of rest) {
        const cw = charWidth(ch.codePointAt(0) ?? 0);
        if (w + cw > width) break;
        cut += ch;
        w += cw;
      }
      const space = cut.lastIndexOf(' ');
      if (space > width / 3) cut = cut.slice(0, space + 1);
      out.push(cut.trimEnd());
      rest = rest.slice(cut.length);
    }
    out.push(rest);
  }
  return out;
}
