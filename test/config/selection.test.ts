import { describe, expect, it } from 'vitest';
import { EVENTS } from '../../src/catalogue/index.js';
import { parseConfig } from '../../src/load-config.js';
import { enabledCounters, selectedEvents } from '../../src/catalogue/selection.js';
import type { Config } from '../../src/load-config.js';
import { stalwartTsv } from '../helpers/stalwart-data.js';

/** name → level over the v0.15 and v0.16 catalogues, read straight from the TSVs. */
function tsvCatalogue(): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of ['events-v0.15.tsv', 'events-v0.16.tsv']) {
    for (const [name, level] of stalwartTsv(file)) out.set(name!, level!);
  }
  return out;
}

const TSV = tsvCatalogue();
const RANK: Record<string, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4 };
const atLeast = (min: string, levels: Map<string, string> = TSV) => [...levels].filter(([, l]) => RANK[l]! >= RANK[min]!).map(([n]) => n);

const load = (text: string): Config => parseConfig('source.demo.type = "demo"\n' + text, 'mailtel.toml');
const count = (c: Config, i = 0) => {
  const t = c.tracers[i]!;
  return selectedEvents(t.events, t.level, t.type, c.levelOverrides).size;
};
const hookCount = (c: Config, i = 0) => selectedEvents(c.webhooks[i]!.events, undefined, 'webhook', c.levelOverrides).size;

describe('selected events per sink (selection, own error event, level, overrides)', () => {
  it('the TSV union is the catalogue the selection runs over', () => {
    expect(TSV.size).toBe(688);
    expect(EVENTS.length).toBe(TSV.size);
  });

  it('an info log tracer takes the info/warn/error events minus telemetry.log-error', () => {
    const expected = atLeast('info').filter((n) => n !== 'telemetry.log-error').length;
    expect(expected).toBe(atLeast('info').length - 1);
    expect(count(load('[tracer.f]\ntype = "log"\npath = "/x"\n'))).toBe(expected);
  });

  it('a console tracer has no own error event; otel and journal drop theirs', () => {
    expect(count(load('[tracer.c]\ntype = "console"\nlevel = "warn"\n'))).toBe(atLeast('warn').length);
    expect(count(load('[tracer.o]\ntype = "otel"\ntransport = "grpc"\nlevel = "debug"\n'))).toBe(atLeast('debug').length - 1);
    expect(count(load('[tracer.j]\ntype = "journal"\nlevel = "trace"\n'))).toBe(TSV.size - 1);
  });

  it('tracing.level overrides move events across the level line', () => {
    expect(TSV.get('auth.success')).toBe('info');
    expect(TSV.get('smtp.connection-start')).toBe('debug');
    const base = atLeast('info').length;
    const lowered = load('tracing.level."auth.success" = "debug"\n[tracer.c]\ntype = "console"\n');
    expect(count(lowered)).toBe(base - 1);
    const raised = load('tracing.level.smtp.connection-start = "error"\ntracing.level."auth.failed" = "warn"\n[tracer.c]\ntype = "console"\n');
    expect(count(raised)).toBe(base + 2);
    const errorOnly = load('tracing.level."smtp.connection-start" = "error"\n[tracer.c]\ntype = "console"\nlevel = "error"\n');
    expect(count(errorOnly)).toBe(atLeast('error').length + 1);
  });

  it('v0.15 disabled-events with wildcards', () => {
    const auth = atLeast('info').filter((n) => n.startsWith('auth.'));
    const errs = atLeast('info').filter((n) => n.endsWith('-error') && !n.startsWith('auth.'));
    expect(auth.length).toBeGreaterThan(0);
    expect(count(load('[tracer.c]\ntype = "console"\ndisabled-events = ["auth.*"]\n'))).toBe(atLeast('info').length - auth.length);
    expect(count(load('[tracer.c]\ntype = "console"\ndisabled-events = ["auth.*", "*-error"]\n'))).toBe(atLeast('info').length - auth.length - errs.length);
    const none = load('[tracer.c]\ntype = "console"\ndisabled-events = "*"\n');
    expect(none.tracers.map((t) => t.id)).toEqual(['default']); // nothing survives: Stalwart's implicit console tracer
    expect(none.warnings.map((w) => w.message)).toEqual(['No events enabled for tracer; tracer skipped']);
  });

  it('v0.16 events + events-policy on tracers', () => {
    const smtp = [...TSV.keys()].filter((n) => n.startsWith('smtp.'));
    const inc = load('[tracer.c]\ntype = "console"\nlevel = "trace"\nevents = ["smtp.*"]\nevents-policy = "include"\n');
    expect(inc.tracers[0]!.events.policy).toBe('include');
    expect(count(inc)).toBe(smtp.length);
    const exc = load('[tracer.c]\ntype = "console"\nlevel = "trace"\nevents = ["smtp.*"]\n');
    expect(exc.tracers[0]!.events.policy).toBe('exclude');
    expect(count(exc)).toBe(TSV.size - smtp.length);
  });

  it('webhooks: v0.15 events is an include list; with events-policy the v0.16 meaning; no level filter', () => {
    const errs = [...TSV.keys()].filter((n) => n.endsWith('-error') && n !== 'telemetry.webhook-error');
    expect(hookCount(load('[webhook.w]\nurl = "http://h/"\nevents = ["*-error"]\n'))).toBe(errs.length);
    expect(hookCount(load('[webhook.w]\nurl = "http://h/"\nevents-policy = "exclude"\n'))).toBe(TSV.size - 1);
    expect(hookCount(load('[webhook.w]\nurl = "http://h/"\nevents-policy = "exclude"\nevents = ["smtp.*"]\n'))).toBe(
      TSV.size - 1 - [...TSV.keys()].filter((n) => n.startsWith('smtp.')).length,
    );
    const traceOnly = [...TSV].filter(([, l]) => l === 'trace').map(([n]) => n);
    const hook = load('tracing.level."auth.success" = "disable"\n[webhook.w]\nurl = "http://h/"\nevents = ["auth.success", "smtp.raw-input"]\n');
    expect(traceOnly).toContain('smtp.raw-input');
    expect([...selectedEvents(hook.webhooks[0]!.events, undefined, 'webhook', hook.levelOverrides)]).toEqual(['auth.success', 'smtp.raw-input']);
  });

  it('an override to disable removes the event from every tracer level', () => {
    const c = load('tracing.level."telemetry.log-error" = "disable"\n[tracer.c]\ntype = "console"\nlevel = "trace"\n');
    expect(count(c)).toBe(TSV.size - 1);
  });

  it('metrics.disabled-events removes counters', () => {
    const all = EVENTS.filter((e) => e.counter).map((e) => e.name);
    const c = load('metrics.disabled-events = ["smtp.*", "auth.failed"]\n');
    const kept = enabledCounters(c.metrics.disabledEvents);
    expect(kept.length).toBe(all.filter((n) => !n.startsWith('smtp.') && n !== 'auth.failed').length);
    expect(kept.length).toBeLessThan(all.length);
    expect(kept.some((n) => n.startsWith('smtp.'))).toBe(false);
  });
});
