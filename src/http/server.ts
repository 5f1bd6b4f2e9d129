/**
 * mailtel's own HTTP listener (`http.listen = "host:port"`): a small node:http server with a
 * route table other parts extend (`addRoute`). Unknown paths answer 404, a known path with
 * another method 405; a handler that throws answers 500 and the server goes on. Headers over
 * 16 KiB answer 431, a URL over 8 KiB 414, and a request must send its headers within 10 s.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type RouteHandler = (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => void | Promise<void>;

export interface HttpServer {
  /** Where it really listens (the port is resolved when 0 was asked). */
  readonly address: { host: string; port: number };
  /** `http://host:port` (IPv6 hosts in brackets). */
  readonly url: string;
  /**
   * Adds a route. `path` is exact (`/metrics/prometheus`), or a prefix when it ends with `/*`
   * (`/api/telemetry/*`). Exact routes win over prefixes, longer prefixes over shorter.
   * Adding the same method and path again replaces the handler.
   */
  addRoute(method: string, path: string, handler: RouteHandler): void;
  removeRoute(method: string, path: string): void;
  /** Stops listening and drops open connections (SSE streams too); bounded in time. */
  close(): Promise<void>;
}

/** `host:port`, `[v6]:port`, `:port` or `port` (host defaults to 127.0.0.1). */
export function parseListen(listen: string): { host: string; port: number } {
  const s = listen.trim();
  const colon = s.lastIndexOf(':');
  let host = colon < 0 ? '' : s.slice(0, colon);
  const portText = colon < 0 ? s : s.slice(colon + 1);
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 0 && port <= 65535) || (colon < 0 && s !== portText) || /[[\]]/.test(host)) throw new Error(`http.listen "${listen}": expected host:port`);
  return { host: host || '127.0.0.1', port };
}

export const MAX_HEADER_BYTES = 16 * 1024;
export const MAX_URL_BYTES = 8 * 1024;

export async function startHttpServer(listen: string): Promise<HttpServer> {
  const { host, port } = parseListen(listen);
  const exact = new Map<string, Map<string, RouteHandler>>();
  const prefixes = new Map<string, Map<string, RouteHandler>>();
  const sockets = new Set<Socket>();

  function find(path: string): Map<string, RouteHandler> | undefined {
    const hit = exact.get(path);
    if (hit) return hit;
    let best: string | undefined;
    for (const p of prefixes.keys()) if (path.startsWith(p) && (!best || p.length > best.length)) best = p;
    return best === undefined ? undefined : prefixes.get(best);
  }

  const server = http.createServer({ maxHeaderSize: MAX_HEADER_BYTES, headersTimeout: 10_000, requestTimeout: 0 }, (req, res) => {
    if ((req.url ?? '').length > MAX_URL_BYTES) {
      res.writeHead(414, { 'content-type': 'text/plain', connection: 'close' }).end('URI too long\n');
      return;
    }
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://mailtel.invalid');
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('bad request\n');
      return;
    }
    const methods = find(url.pathname);
    const method = (req.method ?? 'GET').toUpperCase();
    const handler = methods?.get(method) ?? (method === 'HEAD' ? methods?.get('GET') : undefined);
    if (!methods || methods.size === 0) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    if (!handler) {
      res.writeHead(405, { 'content-type': 'text/plain', allow: [...methods.keys()].join(', ') }).end('method not allowed\n');
      return;
    }
    const fail = (e: unknown): void => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end(`internal error: ${(e as Error)?.message ?? e}\n`);
      else res.destroy();
    };
    try {
      const r = handler(req, res, url);
      if (r && typeof r.then === 'function') r.then(undefined, fail);
    } catch (e) {
      fail(e);
    }
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
    if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\n${status.slice(4)}\n`);
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const address = { host: addr.address, port: addr.port };

  const table = (path: string): [Map<string, Map<string, RouteHandler>>, string] =>
    path.endsWith('/*') ? [prefixes, path.slice(0, -1)] : [exact, path];

  return {
    address,
    url: `http://${address.host.includes(':') ? `[${address.host}]` : address.host}:${address.port}`,
    addRoute(method, path, handler) {
      const [t, key] = table(path);
      const methods = t.get(key) ?? new Map<string, RouteHandler>();
      methods.set(method.toUpperCase(), handler);
      t.set(key, methods);
    },
    removeRoute(method, path) {
      const [t, key] = table(path);
      const methods = t.get(key);
      methods?.delete(method.toUpperCase());
      if (methods?.size === 0) t.delete(key);
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      for (const s of sockets) s.destroy();
      await Promise.race([closed, new Promise((r) => setTimeout(r, 2_000).unref())]);
    },
  };
}
