import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/load-config.js';
import { ConfigError } from '../../src/config/types.js';
import { renderCheck } from '../../src/check.js';

const SOURCE = 'source.d.type = "demo"\n';
const parse = (text: string) => parseConfig(SOURCE + text, 'mailtel.toml');

function errorOf(text: string): string {
  try {
    parse(text);
  } catch (e) {
    if (e instanceof ConfigError) return e.message;
    throw e;
  }
  throw new Error('no error');
}

describe('http.* config', () => {
  it('defaults: no listener, no auth, 64 clients, 16 MiB per client', () => {
    expect(parse('').http).toEqual({ auth: {}, maxClients: 64, clientBufferBytes: 16 * 1024 * 1024 });
  });

  it('a non-loopback listen without auth is an error naming the listen line', () => {
    expect(errorOf('[http]\nmax-clients = 3\nlisten = "0.0.0.0:8080"\n')).toBe(
      'mailtel.toml:4:1: error: http.listen: 0.0.0.0 is reachable from other machines: set http.auth.token or http.auth.username + http.auth.secret, or listen on 127.0.0.1',
    );
    expect(errorOf('http.listen = "[::]:8080"\n')).toMatch(/^mailtel\.toml:2:1: error: http\.listen: \[::\] is reachable/);
    for (const host of ['127.0.0.1', '127.9.8.7', 'localhost', '[::1]']) expect(parse(`http.listen = "${host}:0"\n`).http.listen).toBe(`${host}:0`);
  });

  it('with a token or a Basic pair any address is allowed', () => {
    const c = parse('[http]\nlisten = "0.0.0.0:8080"\nauth.token = "t0ken-value"\nauth.username = "admin"\nauth.secret = "s3cret-value"\nmax-clients = 5\n').http;
    expect(c).toMatchObject({ listen: '0.0.0.0:8080', auth: { token: 't0ken-value', basic: { username: 'admin', secret: 's3cret-value' } }, maxClients: 5 });
  });

  it('a username without a secret skips Basic with a warning, as Stalwart does; the secret never shows', () => {
    const c = parse('[http]\nlisten = "127.0.0.1:0"\nauth.username = "admin"\nauth.token = "t0ken-value"\n');
    expect(c.http.auth).toEqual({ token: 't0ken-value' });
    expect(c.warnings.map((w) => w.message)).toContain('http.auth.secret is not set: Basic auth is skipped (as Stalwart does); http.auth.token is used');
    expect(errorOf('http.max-clients = 0\n')).toMatch(/http\.max-clients: expected an integer at least 1; got 0/);
    expect(errorOf('http.auth.token = ""\n')).toMatch(/http\.auth\.token: an empty token/);
  });

  it('check shows the listener, the routes and the auth kind with secrets masked', () => {
    const out = renderCheck(parse('[http]\nlisten = "127.0.0.1:8080"\nauth.token = "t0ken-value"\n\n[metrics.prometheus]\nenable = true\n'));
    expect(out).toContain('HTTP listener: http://127.0.0.1:8080');
    expect(out).toContain('auth         bearer t0****; ?token= accepted on the two stream routes');
    for (const r of ['/metrics/prometheus', '/api/telemetry/live/tracing-token', '/api/token/metrics', '/api/telemetry/traces/live', '/api/live/metrics']) expect(out).toContain(r);
    expect(out).not.toContain('t0ken-value');
  });
});
