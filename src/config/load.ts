import type { Config } from './types.js';

// STUB: replaced by the config loader.
/** Parses TOML text; throws ConfigError naming file, line, column and key. */
export function parseConfig(_text: string, _file: string): Config {
  throw new Error('config parser not implemented');
}

/** `--config FILE`, else ./mailtel.toml in `cwd` when present, else the built-in demo config. */
export function loadConfig(_opts: { file?: string; cwd?: string }): Config {
  throw new Error('config loader not implemented');
}
