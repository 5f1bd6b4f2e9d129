import { describe, expect, it } from 'vitest';
import { count, countdown, duration, exact, rate, sparkline, uptime, clock } from '../../src/ui/text/format.js';
import { renderLine, stripSgr } from '../../src/ui/text/styled.js';
import { clean, fit, fitRight, textWidth, truncate, wrap } from '../../src/ui/text/plain.js';
import { compileTheme } from '../../src/ui/theme.js';

const theme = compileTheme({ styles: { key: { fg: 'cyan' }, selected: { inverse: true } } }, '256', 'test');

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

  it('renders styled runs never wider than the line, cutting with …', () => {
    const line = renderLine([['key', 'key'], ['=value that is long', undefined]], 12, theme);
    expect(stripSgr(line)).toBe('key=value t…');
    expect(line).toContain('\x1b[36mkey\x1b[0m');
    const sel = renderLine([['key', 'key'], ['=v', undefined]], 8, theme, 'selected');
    expect(sel).toBe('\x1b[7mkey=v   \x1b[0m');
    expect(stripSgr(renderLine([['evil\x1b[2J', 'key']], 20, theme))).toBe('evil\\x1b[2J');
  });
});

describe('format', () => {
  it('formats counts, rates and durations', () => {
    expect(exact(1234567)).toBe('1,234,567');
    expect(count(99_999)).toBe('99,999');
    expect(count(123_456)).toBe('123.5k');
    expect(count(12_345_678)).toBe('12.35M');
    expect(count(2_500_000_000)).toBe('2.50G');
    expect(rate(0)).toBe('0');
    expect(rate(2.5)).toBe('2.5');
    expect(rate(250.4)).toBe('250');
    expect(rate(50_000)).toBe('50.0k');
    expect(duration(850)).toBe('850ms');
    expect(duration(12_300)).toBe('12.3s');
    expect(duration(312_000)).toBe('5m12s');
    expect(duration(7_500_000)).toBe('2h05m');
    expect(uptime(3_723_000)).toBe('01:02:03');
    expect(uptime(90_061_000)).toBe('1d 01:01:01');
    expect(clock(Date.UTC(2025, 5, 15, 18, 2, 57))).toBe('18:02:57');
    expect(countdown(undefined, 0)).toBeUndefined();
    expect(countdown(10_000, 9_000)).toBe('in 1s');
    expect(countdown(10_000, 10_500)).toBe('now');
  });

  it('draws a sparkline scaled to its maximum, zero as the lowest bar', () => {
    expect(sparkline([0, 1, 2, 4, 8], 5)).toBe('▁▂▃▅█');
    expect(sparkline([0, 0], 4)).toBe('  ▁▁');
    expect(sparkline([5, 0, 5, 5, 5, 5, 5, 5], 3)).toBe('███');
    expect(sparkline([1, 1000], 2)).toBe('▂█');
  });
});
