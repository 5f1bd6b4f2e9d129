import type { Level } from '../catalogue/types.js';

/** Where a key was found, for messages: `file:line:col key`. */
export interface KeyPlace {
  file: string;
  line: number;
  col: number;
  key: string;
}

export interface ConfigIssue extends KeyPlace {
  severity: 'error' | 'warning';
  message: string;
}

export type { EventSelection } from '../catalogue/selection.js';

export interface DemoSourceConfig {
  id: string;
  type: 'demo';
  /** Events per second (default 50). */
  rate: number;
  /** PRNG seed for deterministic runs (default: random). */
  seed?: number;
  place: KeyPlace;
}

export interface ReplaySourceConfig {
  id: string;
  type: 'replay';
  path: string;
  /** 1 = original pacing, 0 = as fast as possible (default 1). */
  speed: number;
  /** Re-stamp events to the present instead of keeping their createdAt (default false). */
  restamp: boolean;
  /** Start again from the top at end of file (default false). */
  loop: boolean;
  place: KeyPlace;
}

export class ConfigError extends Error {
  constructor(readonly issues: ConfigIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'ConfigError';
  }
}

/** `file:line:col: severity: key: message`; line 0 (no position) and an empty key are left out. */
export function formatIssue(i: ConfigIssue): string {
  const where = i.line > 0 ? `${i.file}:${i.line}:${i.col}` : i.file;
  return `${where}: ${i.severity}: ${i.key ? `${i.key}: ` : ''}${i.message}`;
}

export type { Level };
