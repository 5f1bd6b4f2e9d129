import { describe, expect, it } from 'vitest';
import { renderLine, stripSgr } from '../../../src/ui/text/styled.js';
import { compileTheme } from '../../../src/ui/theme.js';

const theme = compileTheme({ styles: { key: { fg: 'cyan' }, selected: { inverse: true } } }, '256', 'test');

describe('styled runs', () => {
  it('renders styled runs never wider than the line, cutting with …', () => {
    const line = renderLine([['key', 'key'], ['=value that is long', undefined]], 12, theme);
    expect(stripSgr(line)).toBe('key=value t…');
    expect(line).toContain('\x1b[36mkey\x1b[0m');
    const sel = renderLine([['key', 'key'], ['=v', undefined]], 8, theme, 'selected');
    expect(sel).toBe('\x1b[7mkey=v   \x1b[0m');
    expect(stripSgr(renderLine([['evil\x1b[2J', 'key']], 20, theme))).toBe('evil\\x1b[2J');
  });
});
