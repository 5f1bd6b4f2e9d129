export type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error';
export type LevelSetting = Level | 'disable';

/** [name, level, description, versions bitmask (1 = v0.15, 2 = v0.16), metric counter (1/0)] */
export type CatalogueRow = readonly [string, Level, string, number, number];
/** [name, type, unit, description, edition] */
export type MetricRow = readonly [string, 'gauge' | 'histogram', string, string, string];

export interface EventInfo {
  name: string;
  /** Position in v0.15 declaration order (then v0.16-only names): the numeric type id. */
  id: number;
  level: Level;
  description: string;
  inV15: boolean;
  inV16: boolean;
  /** Counted as a metric (v0.15 counter set, span-end events excluded). */
  counter: boolean;
}
