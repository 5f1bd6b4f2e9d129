import type { LevelSetting } from '../catalogue/types.js';
import type { Reader } from '../config/reader.js';
import type { ReadContext, SinkConfig, SinkReader } from '../config/sinks.js';
import type { Sink, SubscribeContext, SubscriberLike, SubscriberOptions } from '../runtime/types.js';

/** What a sink needs from the process that it cannot make itself. */
export interface SinkDeps {
  /** Where the console tracer writes: stderr headless, a capture buffer under the screen. */
  consoleOut: NodeJS.WritableStream;
  serviceVersion: string;
}

/**
 * How the runtime's subscriber feeds one sink of a kind (src/runtime/subscriber.ts): batch size,
 * throttle, discard-after, lossy, queue size and own error event, plus the level filter.
 */
export interface SinkPolicy extends Omit<SubscriberOptions, 'id'> {
  /** Subscriber id prefix: `t_` for tracers, `w_` for webhooks. */
  idPrefix: 't_' | 'w_';
  /** The level filter; undefined for sinks without one (webhooks take every selected event). */
  level: LevelSetting | undefined;
}

/** How `mailtel check` shows one sink: its target, then the settings worth seeing. */
export interface SinkDescription {
  target: string;
  extra: string[];
}

/**
 * One sink kind: everything about it lives in src/sinks/<kind>/ and is listed once in
 * src/sinks/registry.ts. `read` (from SinkReader) turns its config keys into `C`; the others
 * take that `C`.
 */
export interface SinkKind<C extends SinkConfig = SinkConfig> extends SinkReader {
  /** Reads this kind's keys through the shared Reader; undefined after `ctx.skip`. */
  read(r: Reader, ctx: ReadContext): C | undefined;
  /** Builds the sink. May throw (or be a kind not built yet): the runtime then shows a failing row with the reason. */
  build(cfg: C, deps: SinkDeps): Promise<Sink>;
  /** For `mailtel check`, secrets masked. */
  describe(cfg: C): SinkDescription;
  policy(cfg: C): SinkPolicy;
  /**
   * A kind whose queueing and retry rules are not the generic subscriber's (webhooks follow
   * Stalwart's delivery loop) builds its own subscriber here; the runtime then skips `build`.
   */
  subscribe?(cfg: C, ctx: SubscribeContext): SubscriberLike;
  /** Loads the code `subscribe` needs (awaited by the runtime first): kept off the start-up path. */
  load?(): Promise<void>;
}

/** Events per write for sinks that are not throttled (Stalwart's tracers write as events come). */
export const DEFAULT_BATCH = 1024;
