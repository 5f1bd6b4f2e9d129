import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import fastStringWidth, { FAST_CHARS } from '../../../src/ui/terminal/string-width-fast.js';

describe('fast string width', () => {
  it('agrees with string-width on every character of its fast set', () => {
    let checked = 0;
    for (let cp = 0x20; cp <= 0xffff; cp++) {
      const ch = String.fromCharCode(cp);
      if (!FAST_CHARS.test(ch)) continue;
      expect(stringWidth(ch), `U+${cp.toString(16)}`).toBe(1);
      expect(fastStringWidth(ch)).toBe(1);
      checked++;
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('leaves everything else to string-width', () => {
    for (const s of ['日本語', '👍 ok', 'e\u0301', '\u00AD', 'tab\there', '\u001B[31mred\u001B[0m ─', '◽', '▶️']) {
      expect(fastStringWidth(s), JSON.stringify(s)).toBe(stringWidth(s));
    }
    expect(fastStringWidth('─', { ambiguousIsNarrow: false })).toBe(2);
    expect(fastStringWidth(' Events ── ▼ live ● …')).toBe(21);
  });
});
