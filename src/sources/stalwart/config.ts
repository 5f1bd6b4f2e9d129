import { readUrl } from '../../config/http-values.js';
import type { Path, Reader } from '../../config/reader.js';
import type { KeyPlace } from '../../config/types.js';
import type { FlatEntry } from '../../config/flat-toml.js';
import { readAuth, type SourceAuth } from '../auth-config.js';
import { isLoopback } from '../webhook-intake/config.js';

export type ApiGeneration = 'v0.15' | 'v0.16';

export interface StalwartSourceConfig {
  id: string;
  type: 'stalwart';
  /** Base URL without credentials: `https://mail.example.com`. */
  url: string;
  /** Basic (username + secret) or Bearer (token); from `auth.*` or the URL's `user:pass@`. */
  auth?: SourceAuth;
  /** `auto` tries v0.16's routes, then v0.15's on 404, and remembers what worked. */
  api: 'auto' | ApiGeneration;
  /** `filter`: substring over any key's value (Stalwart's own live filter). */
  filter?: string;
  /** `filters.<key-id> = "text"`: per-key filters, passed as `<key-id>=text` query parameters. */
  filters: Record<string, string>;
  /** Also stream the server's own metrics (`metrics`, default true) every `metrics-interval`. */
  metrics: boolean;
  metricsIntervalMs: number;
  allowInvalidCerts: boolean;
  /** Token request and stream connect time limit (`timeout`, default 10s). */
  timeoutMs: number;
  /** Largest SSE frame accepted (`max-frame`, default 32 MiB); a larger one reconnects. */
  maxFrameBytes: number;
  place: KeyPlace;
}

const APIS = ['auto', 'v0.15', 'v0.16'] as const;
const KEY_ID = /^[a-z][a-z0-9-]*$/;

/** `source.<id>.*` of `type = "stalwart"`: the Enterprise live tracing and metrics API (docs/stalwart.md §4). */
export function readStalwartSource(r: Reader, id: string, typeEntry: FlatEntry, place: KeyPlace): StalwartSourceConfig {
  const base = ['source', id];
  const k = (...rest: string[]): Path => [...base, ...rest];
  const raw = readUrl(r, k('url'));
  if (!r.has(k('url'))) r.missing(typeEntry, k('url'), 'required for stalwart sources (the server base URL, such as "https://mail.example.com")');
  let url = raw ?? '';
  let fromUrl: SourceAuth | undefined;
  if (raw !== undefined) {
    const u = new URL(raw);
    if (u.username !== '') {
      fromUrl = { username: decodeURIComponent(u.username), secret: decodeURIComponent(u.password) };
      u.username = '';
      u.password = '';
    }
    url = u.toString().replace(/\/+$/, '');
    const host = u.hostname.replace(/^\[|\]$/g, '');
    if (u.protocol === 'http:' && !isLoopback(host)) {
      r.warn(r.get(k('url'))!, `plain http to ${host}: the credentials and the token travel unencrypted; use https://`);
    }
  }
  const auth = readAuth(r, base) ?? fromUrl;
  if (auth === undefined && raw !== undefined) {
    r.missing(typeEntry, k('auth'), 'required for stalwart sources: auth.username + auth.secret (Basic) or auth.token (Bearer) of an account with the tracing-live permission');
  }
  const api = r.choice(k('api'), APIS) ?? 'auto';
  const filter = r.string(k('filter'));
  const filters: Record<string, string> = {};
  for (const e of r.under(k('filters'))) {
    const name = e.path.slice(base.length + 1).join('.');
    const value = r.string(e.path);
    if (value === undefined) continue;
    if (!KEY_ID.test(name)) {
      r.error(e, `a live filter names one event key in kebab-case, such as filters.remote-ip; got ${JSON.stringify(name)}`);
      continue;
    }
    filters[name] = value;
    // v0.16 lower-cases the name, then looks it up among camelCase keys (telemetry.rs:59).
    if (name.includes('-') && api !== 'v0.15') {
      const why = 'a v0.16 server cannot filter on a key of more than one word: it lower-cases the name, finds no such key and ignores the filter, so the stream is not filtered by it (use filter = "...", or a one-word key such as filters.domain)';
      r.warn(e, api === 'v0.16' ? why : `if the server is v0.16 (api = "auto"): ${why}`);
    }
  }
  const intervalEntry = r.get(k('metrics-interval'));
  let metricsIntervalMs = r.duration(k('metrics-interval'), 30_000, { positive: true });
  if (intervalEntry && metricsIntervalMs % 1000 !== 0) {
    r.error(intervalEntry, 'Stalwart sends live metrics in whole seconds (at least 1s)');
    metricsIntervalMs = 30_000;
  }
  const source: StalwartSourceConfig = {
    id,
    type: 'stalwart',
    url,
    api,
    filters,
    metrics: r.bool(k('metrics'), true),
    metricsIntervalMs,
    allowInvalidCerts: r.bool(k('allow-invalid-certs'), false),
    timeoutMs: r.duration(k('timeout'), 10_000, { positive: true }),
    maxFrameBytes: r.number(k('max-frame'), 32 * 1024 * 1024, { integer: true, min: 1024 }),
    place,
  };
  if (auth) source.auth = auth;
  if (filter !== undefined) source.filter = filter;
  r.warnUnread(base, 'stalwart source');
  return source;
}
