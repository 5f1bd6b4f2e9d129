import type { FlatEntry } from '../../config/flat-toml.js';
import type { Path, Reader } from '../../config/reader.js';
import type { KeyPlace } from '../../config/types.js';
import { readAuth, type SourceAuth } from '../auth-config.js';

export interface WebhookSourceConfig {
  id: string;
  type: 'webhook';
  /** `host:port` as written; `host` without brackets. */
  listen: string;
  host: string;
  port: number;
  /** Request path the intake answers (default `/`). */
  path: string;
  /** When set, `X-Signature` (base64 HMAC-SHA256 of the raw body) is required. */
  signatureKey?: string;
  auth?: SourceAuth;
  /** Largest body accepted (`max-body`, default 10 MiB); beyond it: 413. */
  maxBodyBytes: number;
  place: KeyPlace;
}

const LISTEN = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;
const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1000, kib: 1024, m: 1024 ** 2, mb: 1000 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1000 ** 3, gib: 1024 ** 3 };

/** `10485760`, `"10MiB"`, `"10 mb"`, `"512k"` → bytes; undefined when not a size. */
export function parseSize(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const m = /^(\d+)\s*([a-z]*)$/i.exec(value.trim());
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) return undefined;
  const n = Number(m[1]) * unit;
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** `source.<id>.*` of `type = "webhook"`: an HTTP intake for Stalwart's webhook POSTs (docs/stalwart.md §3). */
export function readWebhookSource(r: Reader, id: string, typeEntry: FlatEntry, place: KeyPlace): WebhookSourceConfig {
  const base = ['source', id];
  const k = (...rest: string[]): Path => [...base, ...rest];
  const listen = r.string(k('listen'))?.trim();
  let host = '';
  let port = 0;
  if (listen === undefined) {
    if (!r.has(k('listen'))) r.missing(typeEntry, k('listen'), 'required for webhook sources: "host:port" to listen on, such as "127.0.0.1:8686"');
  } else {
    const m = LISTEN.exec(listen);
    if (m && Number(m[2]) <= 65535) {
      host = m[1]!.replace(/^\[|\]$/g, '');
      port = Number(m[2]);
    } else r.error(r.get(k('listen'))!, `expected "host:port" such as "127.0.0.1:8686"; got ${JSON.stringify(listen)}`);
  }
  let path = r.string(k('path')) ?? '/';
  if (!path.startsWith('/')) {
    r.error(r.get(k('path'))!, `a request path starts with "/"; got ${JSON.stringify(path)}`);
    path = '/';
  }
  const signatureKey = r.string(k('signature-key'));
  if (signatureKey === '') r.error(r.get(k('signature-key'))!, 'signature-key is empty');
  const auth = readAuth(r, base);
  let maxBodyBytes = 10 * 1024 * 1024;
  const mb = r.get(k('max-body'));
  if (mb) {
    const n = parseSize(mb.value);
    if (n === undefined) r.error(mb, `expected a size such as 10485760, "10MiB" or "512kb"; got ${JSON.stringify(mb.value)}`);
    else maxBodyBytes = n;
  }
  if (host !== '' && !isLoopback(host) && !signatureKey && !auth) {
    r.error(
      r.get(k('listen'))!,
      `listening on ${host} (not loopback) needs signature-key or auth.*: anyone who reaches the port could inject events`,
    );
  }
  const source: WebhookSourceConfig = { id, type: 'webhook', listen: listen ?? '', host, port, path, maxBodyBytes, place };
  if (signatureKey) source.signatureKey = signatureKey;
  if (auth) source.auth = auth;
  r.warnUnread(base, 'webhook source');
  return source;
}
