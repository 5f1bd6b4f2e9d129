import type { Level, LevelSetting } from './types.js';

export const LEVELS: readonly Level[] = ['trace', 'debug', 'info', 'warn', 'error'];
const RANK: Record<LevelSetting, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4, disable: 5 };

export function levelRank(level: LevelSetting): number {
  return RANK[level];
}

/** Parses a level setting case-insensitively; undefined when it is not one. */
export function parseLevel(text: string): LevelSetting | undefined {
  const l = text.trim().toLowerCase();
  return l in RANK ? (l as LevelSetting) : undefined;
}

/** docs/stalwart.md §7: a tracer at `min` records an event of `level` when neither side is `disable` and level >= min. */
export function passesLevel(level: LevelSetting, min: LevelSetting): boolean {
  return level !== 'disable' && min !== 'disable' && RANK[level] >= RANK[min];
}

export function levelText(level: Level): string {
  return level.toUpperCase();
}
