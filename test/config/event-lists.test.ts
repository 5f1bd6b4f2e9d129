import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/load-config.js';

const SOURCE = 'source.demo.type = "demo"\n';

describe('event list parsing', () => {
  it('turns names and wildcards into patterns', () => {
    const c = parseConfig(SOURCE + '[tracer.c]\ntype = "console"\ndisabled-events = ["*-error", "auth.*", "auth.success", " smtp.* "]\n', 'mailtel.toml');
    expect(c.tracers[0]!.events).toEqual({
      policy: 'exclude',
      patterns: [
        { kind: 'suffix', text: '-error' },
        { kind: 'prefix', text: 'auth.' },
        { kind: 'exact', text: 'auth.success' },
        { kind: 'prefix', text: 'smtp.' },
      ],
    });
    const all = parseConfig(SOURCE + '[webhook.w]\nurl = "http://h/"\nevents = "*"\n', 'mailtel.toml');
    expect(all.webhooks[0]!.events).toEqual({ policy: 'include', patterns: [{ kind: 'all' }] });
  });

  it('knows v0.16-only names as well as v0.15-only names', () => {
    const c = parseConfig(SOURCE + '[tracer.c]\ntype = "console"\ndisabled-events = ["queue.queue-message", "queue.message-queued"]\n', 'mailtel.toml');
    expect(c.tracers[0]!.events.patterns.map((p) => (p.kind === 'exact' ? p.text : ''))).toEqual(['queue.queue-message', 'queue.message-queued']);
  });
});
