import type { Config } from './config/types.js';

// STUB: replaced by the config engineer's renderer.
export function renderCheck(config: Config): string {
  return `config ${config.file}\n`;
}
