import { readTracerCommon, type ReadContext, type TracerConfig } from '../../config/sinks.js';
import { anchorKey, type Reader } from '../../config/reader.js';
import { ROTATE_VALUES, type Rotate } from './rotation.js';

/** `tracer.<id>` with `type = "log"` (docs/stalwart.md §1a). */
export interface LogTracerConfig extends TracerConfig {
  type: 'log';
  /** The log directory (required). */
  path: string;
  prefix: string;
  rotate: Rotate;
  ansi: boolean;
  multiline: boolean;
}

export const LOG_DEFAULTS = { prefix: 'stalwart', rotate: 'daily', ansi: false, multiline: false } as const;

export function readLogTracer(r: Reader, ctx: ReadContext): LogTracerConfig | undefined {
  const base = ctx.base;
  const path = r.string([...base, 'path']);
  const cfg: LogTracerConfig = {
    ...readTracerCommon(r, ctx, 'log'),
    type: 'log',
    path: path ?? '',
    prefix: r.string([...base, 'prefix']) ?? LOG_DEFAULTS.prefix,
    rotate: r.choice([...base, 'rotate'], ROTATE_VALUES) ?? LOG_DEFAULTS.rotate,
    ansi: r.bool([...base, 'ansi'], LOG_DEFAULTS.ansi),
    multiline: r.bool([...base, 'multiline'], LOG_DEFAULTS.multiline),
  };
  if (!path && !r.has([...base, 'path'])) return ctx.skip('log tracers need a path (the log directory)', anchorKey(ctx.anchor, [...base, 'path']));
  if (path === '') return ctx.skip('the log directory is empty', r.get([...base, 'path']));
  return cfg;
}
