import { eventInfo, SPAN_ENDS, SPAN_START_TO_END } from '../catalogue/index.js';
import { effectiveLevel } from '../catalogue/selection.js';
import type { EventInfo, Level, LevelSetting } from '../catalogue/types.js';
import type { EventData, IncomingEvent, TelemetryEvent } from './event.js';
import { History } from './history.js';
import { RateCounter } from './rate.js';
import type { SubscriberLike } from './types.js';

/** Most open spans remembered; the oldest is forgotten past this (a lost span-end). */
const MAX_OPEN_SPANS = 50_000;

/** What the collector needs to know about one event name, looked up once per name. */
interface TypeRule {
  info: EventInfo | undefined;
  /** The catalogue level after `tracing.level.*` (known names only). */
  effective: LevelSetting | undefined;
  spanStart: boolean;
  spanEnd: boolean;
}

/** Names remembered with their rule; past this (a source inventing names) they are looked up each time. */
const MAX_RULES = 10_000;

export interface CollectorStats {
  events: number;
  /** Names not in the v0.15/v0.16 catalogue: still delivered, counted here. */
  unknownTypes: number;
  /** Set to `tracing.level.<event> = "disable"`: no tracer takes them (metrics and webhooks still do). */
  disabled: number;
}

/**
 * Stamps incoming events (sequence, effective level, time, span keys), updates the observers
 * (metrics, history) and fans each event out to the subscribers that select it.
 */
export class Collector {
  readonly stats: CollectorStats = { events: 0, unknownTypes: 0, disabled: 0 };
  readonly rate = new RateCounter();
  readonly history: History;
  subscribers: SubscriberLike[] = [];
  private readonly spans = new Map<string, { data: EventData; at: number }>();
  private readonly observers: ((ev: TelemetryEvent) => void)[] = [];
  private readonly rules = new Map<string, TypeRule>();

  constructor(
    private readonly overrides: ReadonlyMap<string, LevelSetting>,
    historySize: number,
    private readonly now: () => number,
  ) {
    this.history = new History(historySize);
  }

  observe(fn: (ev: TelemetryEvent) => void): void {
    this.observers.push(fn);
  }

  /** True while some enabled non-lossy subscriber is full. */
  get full(): boolean {
    for (const s of this.subscribers) if (s.full) return true;
    return false;
  }

  /** Collects one event. Returns false when a non-lossy subscriber is now full. */
  ingest(inc: IncomingEvent): boolean {
    const rule = this.rule(inc.type);
    const info = rule.info;
    const own: Level = info?.level ?? inc.level ?? 'info';
    const effective = rule.effective ?? effectiveLevel(inc.type, own, this.overrides);
    // docs/stalwart.md §0: "disable" only takes the event away from tracers (and the level they print): it is
    // still counted in metrics, kept in history and sent to webhooks and streams, at its own level.
    const disabled = effective === 'disable';
    if (disabled) this.stats.disabled++;
    if (!info) this.stats.unknownTypes++;
    const now = this.now();
    const spanId = inc.spanId;
    // Every field present (undefined when absent), in one order: one object shape for all
    // events, so the sinks' property reads stay monomorphic.
    const ev: TelemetryEvent = {
      seq: ++this.stats.events,
      type: inc.type,
      level: effective === 'disable' ? own : effective,
      createdAt: inc.createdAt ?? now,
      data: inc.data,
      spanId,
      spanAt: spanId !== undefined ? inc.spanAt : undefined,
      span: inc.span,
      spanStartedAt: undefined,
      text: info?.description ?? inc.text ?? inc.type,
      source: inc.source,
    };
    if (spanId !== undefined) {
      if (rule.spanStart) {
        if (this.spans.size >= MAX_OPEN_SPANS) this.spans.delete(this.spans.keys().next().value!);
        this.spans.set(spanId, { data: inc.data, at: ev.createdAt });
      } else {
        const span = this.spans.get(spanId);
        if (span !== undefined) {
          ev.span = span.data;
          ev.spanStartedAt = span.at;
        }
        if (rule.spanEnd) this.spans.delete(spanId);
      }
    }
    this.rate.add(1, now);
    this.history.push(ev);
    for (const fn of this.observers) fn(ev);
    let ok = true;
    for (const s of this.subscribers) {
      if (disabled && s.opts.id.startsWith('t_')) continue;
      if (s.filter(ev.type, ev.level) && s.offer(ev)) ok = false;
    }
    return ok;
  }

  private rule(type: string): TypeRule {
    let r = this.rules.get(type);
    if (r === undefined) {
      const info = eventInfo(type);
      r = {
        info,
        effective: info ? effectiveLevel(type, info.level, this.overrides) : undefined,
        spanStart: SPAN_START_TO_END[type] !== undefined,
        spanEnd: SPAN_ENDS.has(type),
      };
      if (this.rules.size < MAX_RULES) this.rules.set(type, r);
    }
    return r;
  }
}
