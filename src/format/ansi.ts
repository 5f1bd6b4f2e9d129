import type { Level } from '../catalogue/types.js';

/** docs/stalwart.md §7 ANSI colours, the same escape codes Stalwart's text writer uses. */
export const RESET = '\x1b[0m';
export const WHITE = '\x1b[37m';
export const WHITE_BOLD = '\x1b[37;1m';
export const CYAN = '\x1b[36m';

export const LEVEL_COLOR_BOLD: Readonly<Record<Level, string>> = {
  error: '\x1b[31;1m',
  warn: '\x1b[33;1m',
  info: '\x1b[32;1m',
  debug: '\x1b[34;1m',
  trace: '\x1b[35;1m',
};
