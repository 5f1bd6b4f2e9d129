import type { StalwartSourceConfig, ApiGeneration } from './config.js';
import { getText, isTlsError } from './http-client.js';
import { parseToken, ROUTES, type Routes } from './routes.js';
import { authHeader } from '../auth-config.js';

export type TokenResult =
  | { kind: 'ok'; token: string; routes: Routes }
  | { kind: 'auth'; status: number; path: string }
  | { kind: 'not-found'; paths: string[] }
  | { kind: 'tls'; reason: string }
  | { kind: 'error'; reason: string };

/**
 * Asks for a live token (docs/stalwart.md §4: valid 60 s, one per connection). With `api = "auto"` the v0.16
 * route is tried first and the v0.15 one on 404; `remember` keeps what worked so later tokens
 * go straight there (a 404 on the remembered route forgets it again).
 */
export class TokenClient {
  generation: ApiGeneration | undefined;

  constructor(private readonly cfg: StalwartSourceConfig) {
    if (cfg.api !== 'auto') this.generation = cfg.api;
  }

  async fetch(kind: 'tracing' | 'metrics', signal: AbortSignal): Promise<TokenResult> {
    const gens: ApiGeneration[] = this.generation ? [this.generation] : ['v0.16', 'v0.15'];
    const tried: string[] = [];
    for (const g of gens) {
      const routes = ROUTES[g];
      const path = kind === 'tracing' ? routes.tracingToken : routes.metricsToken;
      tried.push(`${path} (${g})`);
      let reply;
      try {
        reply = await getText(new URL(this.cfg.url + path), {
          allowInvalidCerts: this.cfg.allowInvalidCerts,
          timeoutMs: this.cfg.timeoutMs,
          signal,
          headers: this.cfg.auth ? { Authorization: authHeader(this.cfg.auth), Accept: 'application/json, text/plain' } : {},
        });
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        if (isTlsError(err)) return { kind: 'tls', reason: `${err.code ?? 'TLS'}: ${err.message}` };
        return { kind: 'error', reason: `${path}: ${err.code && !err.message.includes(err.code) ? `${err.code} ` : ''}${err.message}` };
      }
      if (reply.status === 404) continue;
      if (reply.status === 401 || reply.status === 403) return { kind: 'auth', status: reply.status, path };
      if (reply.status < 200 || reply.status > 299) return { kind: 'error', reason: `${path} answered HTTP ${reply.status}` };
      const token = parseToken(reply.body, routes);
      if (token === undefined) return { kind: 'error', reason: `${path} answered without a token` };
      if (this.cfg.api === 'auto') this.generation = g;
      return { kind: 'ok', token, routes };
    }
    if (this.cfg.api === 'auto') this.generation = undefined;
    return { kind: 'not-found', paths: tried };
  }
}
