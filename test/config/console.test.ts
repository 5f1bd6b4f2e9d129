import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/load-config.js';
import { ConfigError } from '../../src/config/types.js';
import { parseArgs } from '../../src/cli-args.js';

const SRC = '[source.demo]\ntype = "demo"\n\n';

describe('[console] and --read-only', () => {
  it('reads the banner and its colour through the shared Reader', () => {
    const c = parseConfig(SRC + '[console]\nbanner = "PRODUCTION"\nbanner-color = "#aa0000"\n', 'm.toml');
    expect(c.console).toEqual({ banner: 'PRODUCTION', bannerColor: '#aa0000' });
    expect(c.warnings).toEqual([]);
    expect(parseConfig(SRC, 'm.toml').console).toEqual({});
  });

  it('a bad colour is an error naming file, line and key; an unknown console key a warning', () => {
    let err: unknown;
    try {
      parseConfig(SRC + '[console]\nbanner-color = "puce"\n', 'm.toml');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/m\.toml:5:\d+: error: console\.banner-color: expected a colour name/);
    const c = parseConfig(SRC + '[console]\nbaner = "x"\n', 'm.toml');
    expect(c.warnings.map((w) => `${w.key}: ${w.message}`)).toEqual(['console.baner: unknown key; ignored']);
  });

  it('--read-only is a flag of the console', () => {
    expect((parseArgs(['--read-only']) as { readOnly: boolean }).readOnly).toBe(true);
    expect((parseArgs([]) as { readOnly: boolean }).readOnly).toBe(false);
  });
});
