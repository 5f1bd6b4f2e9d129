/**
 * `GET /metrics/prometheus` (docs/stalwart.md §2): served only when `metrics.prometheus.enable`; with
 * `auth.username` and `auth.secret` set, the scrape must send exactly that HTTP Basic pair.
 */
import type { MetricsConfig } from '../metrics/config.js';
import { PROMETHEUS_CONTENT_TYPE, renderPrometheus } from '../metrics/prometheus.js';
import type { Metrics } from '../metrics/types.js';
import { basicAuthMatches } from './auth.js';
import type { HttpServer } from './server.js';

export { basicAuthMatches };

export const PROMETHEUS_PATH = '/metrics/prometheus';

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
