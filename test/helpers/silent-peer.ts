import net from 'node:net';

/**
 * A peer that accepts TCP connections, reads whatever arrives and never answers: the collector
 * that hangs (for gRPC, the HTTP/2 handshake never completes; for HTTP, no response ever comes).
 * On 127.0.0.1, port 0. `close()` drops every connection.
 */
export interface SilentPeer {
  port: number;
  url: string;
  /** Connections accepted so far. */
  connections: () => number;
  close(): Promise<void>;
}

export async function startSilentPeer(): Promise<SilentPeer> {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((s) => {
    accepted++;
    sockets.add(s);
    s.on('data', () => undefined);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    connections: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
