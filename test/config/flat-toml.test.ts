import { describe, expect, it } from 'vitest';
import { readFlatToml } from '../../src/config/flat-toml.js';

describe('an unterminated string', () => {
  it('is reported as such, at the opening quote, not as a control character', () => {
    for (const [text, col, quote] of [
      ['[tracer.log]\ntype = "log\npath = "/tmp/x"\n', 8, '"'],
      ["[tracer.log]\ntype = 'log\n", 8, "'"],
      ['a.b = 1\nc = "x\r\n', 5, '"'],
    ] as const) {
      const { issues } = readFlatToml(text, 'm.toml');
      expect(issues).toEqual([expect.objectContaining({ line: 2, col, severity: 'error', message: `unterminated string: no closing ${quote} before the end of the line` })]);
    }
  });

  it('a real control character inside a string is still called one', () => {
    const { issues } = readFlatToml('a = "x\u0001y"\n', 'm.toml');
    expect(issues[0]!.message).toMatch(/control characters/);
  });
});
