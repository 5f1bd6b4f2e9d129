import { describe, expect, it } from 'vitest';
import { clean, fit, fitRight, textWidth, truncate, wrap } from '../../../src/ui/text/plain.js';

describe('text', () => {
  it('measures wide characters and escapes control characters from event data', () => {
    expect(textWidth('abc')).toBe(3);
    expect(textWidth('日本')).toBe(4);
    expect(textWidth('e\u0301')).toBe(1);
    expect(clean('a\x1b[31mred\nb\tc\x07')).toBe('a\\x1b[31mred\\nb\\tc\\x07');
  });

  it('truncates with an ellipsis and pads to exact widths', () => {
    expect(truncate('hello world', 8)).toBe('hello w…');
    expect(truncate('hello', 5)).toBe('hello');
    expect(truncate('日本語テキスト', 6)).toBe('日本…');
    expect(fit('ab', 4)).toBe('ab  ');
    expect(fitRight('12', 4)).toBe('  12');
    expect(fit('abcdef', 4)).toBe('abc…');
  });

  it('wraps long text at spaces, hard-breaking words longer than the width', () => {
    expect(wrap('connection refused by peer', 12)).toEqual(['connection', 'refused by', 'peer']);
    expect(wrap('aaaaaaaaaaaaaaa', 6)).toEqual(['aaaaaa', 'aaaaaa', 'aaa']);
    expect(wrap('a\nb', 10)).toEqual(['a', 'b']);
  });
});
