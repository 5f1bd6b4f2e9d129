import { describe, expect, it } from 'vitest';
import type { SourceStatus } from '../../../src/runtime/types.js';
import { serverMetricsLines } from '../../../src/ui/overlays/server-metrics-lines.js';
import { sourceSegs, summarySegs } from '../../../src/ui/panes/header.js';
import { renderLine, stripSgr } from '../../../src/ui/text/styled.js';
import { unitValue } from '../../../src/ui/text/metrics-format.js';
import { loadTheme } from '../../../src/ui/theme.js';

const theme = loadTheme('mono', {});
const NOW = Date.UTC(2026, 0, 1, 12);

function source(over: Partial<SourceStatus>): SourceStatus {
  return { id: 'node1', type: 'stalwart', target: 'https://mail.example.com', state: 'running', events: 1200, errors: 0, rate1s: 40, rate10s: 38, startedAt: NOW - 60_000, paused: false, details: {}, ...over };
}
const line = (s: SourceStatus) => stripSgr(renderLine(sourceSegs(s, NOW, 6), 200, theme));

describe('header lines of live sources', () => {
  it('streaming: events, events/s, the last frame age and the API generation', () => {
    expect(line(source({ details: { phase: 'streaming', lastFrameAt: NOW - 2000, api: 'v0.16' } }))).toMatch(/node1\s+stalwart\s+streaming\s+events 1,200\s+40\/s\s+last frame 2s ago\s+v0\.16/);
  });

  it("streaming from a v0.16 server: its repeated events and ignored filters are marked", () => {
    const quirks = { phase: 'streaming', lastFrameAt: NOW - 1000, api: 'v0.16', restarts: 3, repeats: 'Stalwart v0.16 resends every event in every frame: repeats skipped, stream restarted 3 times', filtersIgnored: 'filters.remote-ip: …' };
    expect(line(source({ details: quirks }))).toMatch(/v0\.16\s+server repeats events: skipped, 3 restarts\s+filters ignored by v0\.16/);
    expect(line(source({ details: { phase: 'streaming', lastFrameAt: NOW - 1000, api: 'v0.16', restarts: 0, repeatFrames: 0 } }))).not.toMatch(/repeats|ignored/);
    const { filtersIgnored: _ignored, ...repeatsOnly } = quirks;
    expect(line(source({ details: { ...repeatsOnly, restarts: 1 } }))).toMatch(/skipped, 1 restart\s*$/);
  });

  it('auth failed: the reason and when it tries again', () => {
    const text = line(source({ state: 'failing', details: { phase: 'auth failed', reason: 'HTTP 401 from /api/token/tracing: check auth.username/secret', nextRetryAt: NOW + 12_000 } }));
    expect(text).toMatch(/auth failed .*retry in 12s\s+HTTP 401 from \/api\/token\/tracing: check auth\.username\/secret/);
  });

  it('the webhook intake: batches and refusals by status', () => {
    const text = line(source({ type: 'webhook', target: '127.0.0.1:8686/in', details: { phase: 'listening', requests: 5, accepted: 3, unauthorized: 1, malformed: 1, tooLarge: 0 } }));
    expect(text).toMatch(/listening\s+events 1,200\s+40\/s\s+batches 3\s+refused 401×1 400×1 413×0\s+127\.0\.0\.1:8686\/in/);
  });

  it('the summary line shows REC and the file while recording', () => {
    const snap = { at: NOW, startedAt: NOW - 1000, seq: 0, paused: false, recording: 'mailtel-2026-01-01T12-00-00Z.ndjson', sources: [], sinks: [], collector: { events: 0, malformed: 0, unknownTypes: 0, rate1s: 0, rate10s: 0, backpressured: false }, otlp: { configured: false, transport: 'disable', endpoint: '', intervalMs: 0, state: 'stopped', pushes: [], totalPushes: 0, failedPushes: 0 }, webhooksConfigured: false, deliveries: [], messages: [] } as never;
    expect(stripSgr(renderLine(summarySegs(snap, 100), 200, theme))).toContain(' REC  mailtel-2026-01-01T12-00-00Z.ndjson');
  });
});

describe('server metrics in the metrics view', () => {
  it('per source: gauges with units, counters beside what arrived, the gap marked', () => {
    const lines = serverMetricsLines(
      [
        source({
          serverMetrics: {
            at: NOW - 3000,
            items: [
              { id: 'smtp.connection-start', type: 'counter', value: 9000, delta: 120, received: 100 },
              { id: 'auth.success', type: 'counter', value: 50, delta: 0, received: 0 },
              { id: 'server.memory', type: 'gauge', value: 200 * 1024 * 1024 },
              { id: 'queue.count', type: 'gauge', value: 7 },
            ],
          },
        }),
        source({ id: 'node2' }),
      ],
      NOW,
      100,
      theme,
    ).map(stripSgr);
    expect(lines[1]).toBe('Server node1  its own metrics frame, 3s ago');
    expect(lines.find((l) => l.includes('server.memory'))).toMatch(new RegExp(`server\\.memory\\s+${unitValue(200 * 1024 * 1024, 'bytes')}$`));
    expect(lines.find((l) => l.includes('queue.count'))).toMatch(/queue\.count\s+7/);
    expect(lines.find((l) => l.includes('smtp.connection-start'))).toMatch(/^\s+120\s+100\s+20\s+smtp\.connection-start$/);
    expect(lines.some((l) => l.includes('auth.success'))).toBe(false);
    expect(lines.some((l) => l.includes('node2'))).toBe(false);
  });
});
