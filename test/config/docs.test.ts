import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/load-config.js';
import type { ConfigIssue } from '../../src/config/types.js';
import { SINK_KINDS } from '../../src/sinks/registry.js';

/** The only warnings allowed: parts this build cannot run yet say so (the rule of issue 13). */
const notBuilt = SINK_KINDS.map((k) => k.unavailable?.({} as never)).filter((w): w is string => w !== undefined);
const beyondNotBuilt = (ws: ConfigIssue[]) => ws.filter((w) => !notBuilt.some((why) => w.message.startsWith(why)));

const DOC = readFileSync(new URL('../../docs/config.md', import.meta.url), 'utf8');

describe('docs/config.md', () => {
  it('the complete example loads without a warning and uses every section', () => {
    const example = /## A complete example\s+```toml\n([\s\S]*?)```/.exec(DOC)?.[1];
    expect(example).toBeDefined();
    const c = parseConfig(example!, 'config.md');
    expect(beyondNotBuilt(c.warnings)).toEqual([]);
    expect(c.sources.map((s) => s.type)).toEqual(['demo', 'replay']);
    expect(c.tracers.map((t) => `${t.type}:${t.level}`)).toEqual(['log:info', 'console:warn', 'otel:info']);
    expect(c.webhooks.map((w) => [w.id, w.events.policy, w.lossy])).toEqual([['incidents', 'include', true]]);
    expect(c.metrics.otel).toMatchObject({ transport: 'grpc', intervalMs: 60_000 });
    expect(c.metrics.prometheus).toEqual({ enable: true, username: 'prometheus', secret: 'scrape-secret' });
    expect([...c.levelOverrides]).toEqual([
      ['auth.success', 'debug'],
      ['smtp.connection-start', 'info'],
    ]);
    expect(c.http.listen).toBe('127.0.0.1:8080');
  });

  it('the key-styles example is valid TOML for the loader', () => {
    const styles = /## Key styles[\s\S]*?```toml\n([\s\S]*?)```/.exec(DOC)?.[1];
    // The block shows the same tracer twice on purpose; keep one copy of it.
    const once = styles!.replace(/tracer\.log\.type[^\n]*\ntracer\.log\.path[^\n]*\n/, '');
    const c = parseConfig('source.d.type = "demo"\n' + once, 'config.md');
    expect(beyondNotBuilt(c.warnings)).toEqual([]);
    expect(c.tracers).toMatchObject([{ id: 'log', path: '/var/log/mailtel' }]);
    expect(c.webhooks).toMatchObject([{ id: 'ops', url: 'https://ops.example.com/hook' }]);
  });
});
