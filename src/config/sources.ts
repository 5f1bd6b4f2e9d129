import type { Reader } from './reader.js';

const LISTEN = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;

/** `http.listen = "host:port"`: the event-stream and Prometheus listener. */
export function readHttp(r: Reader): { listen?: string } {
  const listen = r.string(['http', 'listen']);
  if (listen === undefined) return {};
  const m = LISTEN.exec(listen.trim());
  if (m && Number(m[2]) <= 65535) return { listen: listen.trim() };
  r.error(r.get(['http', 'listen'])!, `expected "host:port" such as "127.0.0.1:8080"; got ${JSON.stringify(listen)}`);
  return {};
}
