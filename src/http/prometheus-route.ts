/**
 * `GET /metrics/prometheus` (§2): served only when `metrics.prometheus.enable`; with
 * `auth.username` and `auth.secret` set, the scrape must send exactly that HTTP Basic pair.
 */
import { timingSafeEqual } from 'node:crypto';
import type { MetricsConfig } from '../metrics/config.js';
import { PROMETHEUS_CONTENT_TYPE, renderPrometheus } from '../metrics/prometheus.js';
import type { Metrics } from '../metrics/types.js';
import type { HttpServer } from './server.js';

export const PROMETHEUS_PATH = '/metrics/prometheus';

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** True when the Authorization header carries exactly `username:secret` as HTTP Basic. */
export function basicAuthMatches(header: string | undefined, username: string, secret: string): boolean {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!m) return false;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  // Evaluate both halves so the time taken does not tell which one was wrong.
  const userOk = same(decoded.slice(0, colon), username);
  const secretOk = same(decoded.slice(colon + 1), secret);
  return userOk && secretOk;
}

/** Adds the route when enabled; returns whether it did (disabled → the path stays 404). */
export function addPrometheusRoute(server: HttpServer, metrics: Metrics, cfg: MetricsConfig['prometheus']): boolean {
  if (!cfg.enable) return false;
  const { username, secret } = cfg;
  server.addRoute('GET', PROMETHEUS_PATH, (req, res) => {
    if (username !== undefined && secret !== undefined && !basicAuthMatches(req.headers.authorization, username, secret)) {
      res.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Basic realm="mailtel", charset="UTF-8"' }).end('auth.failed: authentication required\n');
      return;
    }
    const body = renderPrometheus(metrics.snapshot('total'));
    res.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE, 'content-length': Buffer.byteLength(body) });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  return true;
}
