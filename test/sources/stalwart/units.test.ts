import { describe, expect, it } from 'vitest';
import { Backoff } from '../../../src/sources/stalwart/backoff.js';
import { FrameGuard } from '../../../src/sources/stalwart/frame-guard.js';
import { LiveSpanFolder } from '../../../src/sources/stalwart/live-spans.js';
import { parseToken, ROUTES } from '../../../src/sources/stalwart/routes.js';
import type { IncomingEvent } from '../../../src/runtime/event.js';
import { traffic } from './live-env.js';

const feedAll = (g: FrameGuard, text: string, cuts: number[]) => {
  const buf = Buffer.from(text);
  let last = 0;
  for (const c of [...cuts, buf.length]) {
    g.feed(buf.subarray(last, c));
    last = c;
  }
};

describe('FrameGuard', () => {
  const stream = 'event: trace\ndata: [1]\n\nevent: ping\ndata: {}\n\n\nevent: trace\ndata: [2,3]\n\n';
  it('counts frames wherever the chunks are cut, LF and CRLF alike, and knows when it stopped inside one', () => {
    for (const text of [stream, stream.replace(/\n/g, '\r\n')]) {
      for (let cut = 1; cut < text.length; cut += 3) {
        const g = new FrameGuard(1 << 20);
        feedAll(g, text, [cut, Math.min(text.length, cut + 7)]);
        expect(g.frames, `${JSON.stringify(text.slice(0, 4))} cut at ${cut}`).toBe(3);
        expect(g.cut).toBe(false);
      }
      const g = new FrameGuard(1 << 20);
      feedAll(g, text + 'event: trace\ndata: [4', []);
      expect(g.frames).toBe(3);
      expect(g.cut).toBe(true);
      expect(g.pending).toBeGreaterThanOrEqual('event: trace\ndata: [4'.length);
    }
  });

  it('refuses a frame over the limit before its end arrives', () => {
    const g = new FrameGuard(100);
    expect(g.feed(Buffer.from('event: trace\ndata: ' + 'x'.repeat(80)))).toBe(true);
    expect(g.feed(Buffer.from('x'.repeat(20)))).toBe(false);
  });
});

describe('LiveSpanFolder', () => {
  it('gives every event of the generated traffic back its own keys and its span, as the collector had them', () => {
    const events = traffic(3000, 5, 0);
    const folder = new LiveSpanFolder();
    let folded = 0;
    for (const ev of events) {
      // The wire shape: own keys, then span keys not already present, no spanId.
      const data: Record<string, unknown> = {};
      for (const part of [ev.data, ev.span ?? {}]) for (const k in part) if (k !== 'spanId' && !(k in data)) data[k] = part[k];
      const inc = { type: ev.type, data } as IncomingEvent;
      folder.fold(inc);
      const own = Object.fromEntries(Object.entries(ev.data).filter(([k]) => k !== 'spanId'));
      if (ev.span !== undefined && Object.keys(ev.span).some((k) => k !== 'spanId' && !(k in ev.data))) {
        expect(inc.data).toEqual(own);
        expect(Object.fromEntries(Object.entries(inc.span!).filter(([k]) => k !== 'spanId'))).toEqual(
          Object.fromEntries(Object.entries(ev.span).filter(([k]) => k !== 'spanId')),
        );
        folded++;
      } else expect(inc.data).toEqual(own);
    }
    expect(folded).toBeGreaterThan(1500);
  });

  it('forgets the oldest span starts: the index stays bounded over a long session', () => {
    const f = new LiveSpanFolder();
    let folded = 0;
    for (let i = 0; i < 100_000; i++) {
      f.fold({ type: 'smtp.connection-start', data: { listenerId: 'smtp', remoteIp: `10.0.${i >> 8 & 255}.${i & 255}`, remotePort: 1024 + i } });
      const end: IncomingEvent = { type: 'smtp.connection-end', data: { elapsed: 5, listenerId: 'smtp', remoteIp: `10.0.${i >> 8 & 255}.${i & 255}`, remotePort: 1024 + i } };
      f.fold(end);
      if (Object.keys(end.data).join() === 'elapsed' && end.span?.remotePort === 1024 + i) folded++;
    }
    expect(folded).toBe(100_000);
    expect(f.indexed).toBeLessThanOrEqual(2 * 20_000);
    expect(f.indexed).toBeGreaterThan(20_000);
  });

  it('leaves alone a suffix that matches no span start', () => {
    const f = new LiveSpanFolder();
    const ev: IncomingEvent = { type: 'smtp.ehlo', data: { domain: 'a', remoteIp: '192.0.2.1' } };
    f.fold(ev);
    expect(ev).toEqual({ type: 'smtp.ehlo', data: { domain: 'a', remoteIp: '192.0.2.1' } });
  });
});

describe('Backoff and tokens', () => {
  it('doubles from 500 ms with jitter between half and all, capped at 30 s, and starts over after reset', () => {
    const b = new Backoff(() => 1);
    expect(Array.from({ length: 9 }, () => b.next())).toEqual([500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    const low = new Backoff(() => 0);
    expect([low.next(), low.next()]).toEqual([250, 500]);
    b.reset();
    expect(b.next()).toBe(500);
  });

  it('v0.15 tokens come as {"data":...}, v0.16 tokens as plain text', () => {
    expect(parseToken('{"data":"abc"}', ROUTES['v0.15'])).toBe('abc');
    expect(parseToken('abc\n', ROUTES['v0.16'])).toBe('abc');
    expect(parseToken('{"data":""}', ROUTES['v0.15'])).toBeUndefined();
    expect(parseToken('<html>', ROUTES['v0.15'])).toBeUndefined();
  });
});

describe('stalwart source config', () => {
  it('keys are checked with line and key; plain http to another host is a warning', async () => {
    const { parseConfig } = await import('../../../src/load-config.js');
    const errors = (body: string) => {
      try {
        parseConfig(`[source.s]\ntype = "stalwart"\n${body}`, 'm.toml');
        return [];
      } catch (e) {
        return (e as { issues: { line: number; key: string; message: string }[] }).issues.map((i) => `${i.line} ${i.key}: ${i.message}`);
      }
    };
    expect(errors('url = "https://m.example"\napi = "v0.14"\nmetrics-interval = "1500ms"\nfilters.Remote_IP = "x"\nauth.token = "t"\nauth.username = "u"\n')).toEqual([
      '4 source.s.api: expected one of auto, v0.15, v0.16; got "v0.14"',
      '5 source.s.metrics-interval: Stalwart sends live metrics in whole seconds (at least 1s)',
      '6 source.s.filters.Remote_IP: a live filter names one event key in kebab-case, such as filters.remote-ip; got "Remote_IP"',
      '7 source.s.auth.token: give either auth.username + auth.secret (Basic) or auth.token (Bearer), not both',
      '8 source.s.auth.secret: auth.username needs auth.secret',
    ]);
    expect(errors('url = "https://m.example"\n')).toEqual([
      '2 source.s.auth: required for stalwart sources: auth.username + auth.secret (Basic) or auth.token (Bearer) of an account with the tracing-live permission',
    ]);
    const c = parseConfig('[source.s]\ntype = "stalwart"\nurl = "http://m.example:8080/"\nauth.token = "t"\nfilter = "alice"\nfilters.remote-ip = "10.0."\n', 'm.toml');
    expect(c.warnings.map((w) => `${w.key}: ${w.message}`)).toEqual([
      'source.s.url: plain http to m.example: the credentials and the token travel unencrypted; use https://',
      'source.s.filters.remote-ip: if the server is v0.16 (api = "auto"): a v0.16 server cannot filter on a key of more than one word: it lower-cases the name, finds no such key and ignores the filter, so the stream is not filtered by it (use filter = "...", or a one-word key such as filters.domain)',
    ]);
    expect(c.sources[0]).toMatchObject({ url: 'http://m.example:8080', filter: 'alice', filters: { 'remote-ip': '10.0.' } });
  });
});
