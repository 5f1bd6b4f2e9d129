export type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error';
export type LevelSetting = Level | 'disable';

/** [name, level, description, metric counter (1/0), v0.15 type id, v0.16 type id] (null: not in that version) */
export type CatalogueRow = readonly [string, Level, string, number, number | null, number | null];
/** [name, type, unit, description, edition] */
export type MetricRow = readonly [string, 'gauge' | 'histogram', string, string, string];

export interface EventInfo {
  name: string;
  /**
   * Stalwart v0.15's numeric type id: the event's position in declaration order in the source,
   * the number at the end of a webhook `id` (`auth.success` 551). Undefined for v0.16-only names.
   */
  v15Id: number | undefined;
  /** Stalwart v0.16's explicit type id. Undefined for names v0.16 removed. */
  v16Id: number | undefined;
  level: Level;
  description: string;
  inV15: boolean;
  inV16: boolean;
  /** Counted as a metric (v0.15 counter set, span-end events excluded). */
  counter: boolean;
}
