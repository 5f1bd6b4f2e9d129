/**
 * The docs/stalwart.md §6 snapshot as OpenTelemetry metric data. Loaded lazily (with the SDK) by the pusher.
 *
 * A custom MetricProducer, not SDK instruments: the SDK's Histogram aggregates raw values and
 * cannot carry Stalwart's pre-aggregated buckets, so every metric is emitted as data directly.
 * Counters: monotonic Sums (unit `events`, no attributes). Gauges: Gauges with their own unit.
 * Histograms: explicit bounds, per-bucket counts, sum, count, min, max. Everything is labelled
 * Cumulative, as Stalwart does, with the process start as start time.
 */
import { ValueType, type HrTime } from '@opentelemetry/api';
import { millisToHrTime } from '@opentelemetry/core';
import {
  AggregationTemporality,
  DataPointType,
  type CollectionResult,
  type MetricData,
  type MetricProducer,
} from '@opentelemetry/sdk-metrics';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { Metrics, MetricsSnapshot } from './types.js';

/** docs/stalwart.md §0: the instrumentation scope is `stalwart`, with version = the service version, as Stalwart's. */
export function metricScope(serviceVersion: string): { name: string; version: string } {
  return { name: 'stalwart', version: serviceVersion };
}

export function metricResource(serviceVersion: string) {
  return resourceFromAttributes({ 'service.name': 'stalwart', 'service.version': serviceVersion });
}

export function toMetricData(snap: MetricsSnapshot): MetricData[] {
  const startTime: HrTime = millisToHrTime(snap.since);
  const endTime: HrTime = millisToHrTime(snap.at);
  const point = <T>(value: T) => ({ startTime, endTime, attributes: {}, value });
  const out: MetricData[] = [];
  for (const c of snap.counters) {
    out.push({
      descriptor: { name: c.name, description: c.description, unit: 'events', valueType: ValueType.INT },
      aggregationTemporality: AggregationTemporality.CUMULATIVE,
      dataPointType: DataPointType.SUM,
      isMonotonic: true,
      dataPoints: [point(c.value)],
    });
  }
  for (const g of snap.gauges) {
    out.push({
      descriptor: { name: g.name, description: g.description, unit: g.unit, valueType: ValueType.INT },
      aggregationTemporality: AggregationTemporality.CUMULATIVE,
      dataPointType: DataPointType.GAUGE,
      dataPoints: [point(g.value)],
    });
  }
  for (const h of snap.histograms) {
    out.push({
      descriptor: { name: h.name, description: h.description, unit: h.unit, valueType: ValueType.DOUBLE },
      aggregationTemporality: AggregationTemporality.CUMULATIVE,
      dataPointType: DataPointType.HISTOGRAM,
      dataPoints: [
        point({ buckets: { boundaries: [...h.bounds], counts: [...h.buckets] }, count: h.count, sum: h.sum, min: h.min, max: h.max }),
      ],
    });
  }
  return out;
}

/** Emits the current cumulative snapshot; `lastDataPoints` tells the pusher what was sent. */
export class SnapshotProducer implements MetricProducer {
  lastDataPoints = 0;
  private readonly scope: { name: string; version: string };
  constructor(
    private readonly metrics: Metrics,
    serviceVersion: string,
  ) {
    this.scope = metricScope(serviceVersion);
  }

  async collect(): Promise<CollectionResult> {
    const metrics = toMetricData(this.metrics.snapshot('total'));
    this.lastDataPoints = metrics.length;
    return {
      resourceMetrics: { resource: resourceFromAttributes({}), scopeMetrics: metrics.length ? [{ scope: this.scope, metrics }] : [] },
      errors: [],
    };
  }
}
