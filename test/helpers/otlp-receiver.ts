/**
 * A real OTLP receiver for tests: gRPC (MetricsService / LogsService / TraceService `Export`)
 * and HTTP (`/v1/metrics`, `/v1/logs`, `/v1/traces`, protobuf or JSON) on 127.0.0.1 ephemeral
 * ports, decoding with the official .proto files (see otlp-proto.ts). Every request is recorded.
 *
 *   const rx = await startOtlpReceiver();
 *   // exporter url: `${rx.httpUrl}/v1/metrics`, gRPC: rx.grpcUrl
 *   await waitFor(() => rx.requests.some((r) => r.signal === 'metrics'), 2000);
 *   rx.failWith('unavailable'); await rx.stop(); await rx.start(); await rx.close();
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { decodeJson, decodeProtobuf, encodeEmptyResponse, PROTO_DIR, SERVICE_FILES, serviceName, type Signal } from './otlp-proto.js';

export type { Signal };

export interface ReceivedRequest {
  at: number;
  transport: 'grpc' | 'http';
  /** `null` for an HTTP path that is not one of the three OTLP paths. */
  signal: Signal | null;
  /** HTTP path, or the gRPC method path (`/opentelemetry.proto.collector.metrics.v1.MetricsService/Export`). */
  path: string;
  encoding: 'protobuf' | 'json' | 'other';
  /** Lowercase names; gRPC metadata included. */
  headers: Record<string, string>;
  /** The decoded Export*ServiceRequest (see otlp-proto.ts for the shape); undefined when undecodable. */
  body?: Record<string, unknown>;
  /** The parsed JSON exactly as sent (JSON requests only). */
  raw?: unknown;
  /** What the receiver answered: HTTP status or gRPC status code (0 = OK). */
  answered: number;
  decodeError?: string;
}

/** `unavailable`: HTTP 500 / gRPC UNAVAILABLE. `reject`: HTTP 400 / gRPC INVALID_ARGUMENT. */
export type FailMode = 'none' | 'unavailable' | 'reject' | { http: number; grpc: grpc.status; message?: string };

export interface ReceiverOptions {
  /** Serve TLS on both ports (see `selfSignedCert`). */
  tls?: { key: string; cert: string };
  /** Fixed ports (default: ephemeral, kept across stop/start). */
  grpcPort?: number;
  httpPort?: number;
}

export interface OtlpReceiver {
  readonly grpcPort: number;
  readonly httpPort: number;
  /** `http://127.0.0.1:<grpcPort>` (https with tls). */
  readonly grpcUrl: string;
  /** `http://127.0.0.1:<httpPort>` without a path (https with tls). */
  readonly httpUrl: string;
  readonly requests: ReceivedRequest[];
  bodies(signal: Signal): Record<string, unknown>[];
  failWith(mode: FailMode): void;
  clear(): void;
  /** Closes both listeners (connections dropped), keeping the ports for `start()`. */
  stop(): Promise<void>;
  /** Listens again on the same ports. */
  start(): Promise<void>;
  /** Stops for good; bounded in time. */
  close(): Promise<void>;
}

const HTTP_PATHS: Record<string, Signal> = { '/v1/metrics': 'metrics', '/v1/logs': 'logs', '/v1/traces': 'traces' };

function failCodes(mode: FailMode): { http: number; grpc: grpc.status; message: string } | undefined {
  if (mode === 'none') return undefined;
  if (mode === 'unavailable') return { http: 500, grpc: grpc.status.UNAVAILABLE, message: 'receiver told to fail' };
  if (mode === 'reject') return { http: 400, grpc: grpc.status.INVALID_ARGUMENT, message: 'receiver rejects the payload' };
  return { message: 'receiver told to fail', ...mode };
}

function flatHeaders(h: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function grpcServiceDefinitions(): Map<Signal, grpc.ServiceDefinition> {
  const out = new Map<Signal, grpc.ServiceDefinition>();
  for (const signal of Object.keys(SERVICE_FILES) as Signal[]) {
    const def = protoLoader.loadSync(SERVICE_FILES[signal], { includeDirs: [PROTO_DIR] });
    const { pkg, service } = serviceName(signal);
    const svc = def[`${pkg}.${service}`] as grpc.ServiceDefinition;
    const response = Buffer.from(encodeEmptyResponse(signal));
    // Take the raw bytes so gRPC and HTTP/protobuf decode through the same code.
    out.set(signal, {
      Export: { ...svc.Export, requestDeserialize: (b: Buffer) => b, responseSerialize: () => response },
    } as grpc.ServiceDefinition);
  }
  return out;
}

export async function startOtlpReceiver(opts: ReceiverOptions = {}): Promise<OtlpReceiver> {
  const requests: ReceivedRequest[] = [];
  let fail: FailMode = 'none';
  let grpcPort = opts.grpcPort ?? 0;
  let httpPort = opts.httpPort ?? 0;
  let grpcServer: grpc.Server | undefined;
  let httpServer: http.Server | undefined;
  const sockets = new Set<Socket>();
  const defs = grpcServiceDefinitions();
  const scheme = opts.tls ? 'https' : 'http';

  const onHttp = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('error', () => res.destroy());
    req.on('end', () => {
      const urlPath = (req.url ?? '/').split('?')[0]!;
      const signal = HTTP_PATHS[urlPath] ?? null;
      const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
      const encoding = type === 'application/x-protobuf' ? 'protobuf' : type === 'application/json' ? 'json' : 'other';
      const rec: ReceivedRequest = { at: Date.now(), transport: 'http', signal, path: urlPath, encoding, headers: flatHeaders(req.headers), answered: 200 };
      requests.push(rec);
      let body = Buffer.concat(chunks);
      const codes = failCodes(fail);
      try {
        if (req.headers['content-encoding'] === 'gzip') body = zlib.gunzipSync(body);
        if (signal && encoding === 'json') {
          rec.raw = JSON.parse(body.toString('utf8'));
          rec.body = decodeJson(signal, rec.raw);
        } else if (signal && encoding === 'protobuf') rec.body = decodeProtobuf(signal, body);
      } catch (e) {
        rec.decodeError = (e as Error).message;
      }
      const status = !signal ? 404 : encoding === 'other' ? 415 : rec.decodeError ? 400 : codes ? codes.http : 200;
      rec.answered = status;
      if (status !== 200) {
        res.writeHead(status, { 'content-type': 'text/plain' }).end(codes && signal ? codes.message : `status ${status}`);
      } else if (encoding === 'json') {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } else {
        res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end(Buffer.from(encodeEmptyResponse(signal!)));
      }
    });
  };

  const grpcHandler = (signal: Signal): grpc.handleUnaryCall<Buffer, unknown> => (call, callback) => {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(call.metadata.getMap())) headers[k] = Buffer.isBuffer(v) ? v.toString('hex') : String(v);
    const { pkg, service } = serviceName(signal);
    const rec: ReceivedRequest = { at: Date.now(), transport: 'grpc', signal, path: `/${pkg}.${service}/Export`, encoding: 'protobuf', headers, answered: 0 };
    requests.push(rec);
    try {
      rec.body = decodeProtobuf(signal, call.request);
    } catch (e) {
      rec.decodeError = (e as Error).message;
      rec.answered = grpc.status.INVALID_ARGUMENT;
      callback({ code: grpc.status.INVALID_ARGUMENT, details: rec.decodeError });
      return;
    }
    const codes = failCodes(fail);
    if (codes) {
      rec.answered = codes.grpc;
      callback({ code: codes.grpc, details: codes.message });
    } else callback(null, {});
  };

  async function start(): Promise<void> {
    const g = new grpc.Server();
    for (const [signal, def] of defs) g.addService(def, { Export: grpcHandler(signal) });
    const creds = opts.tls
      ? grpc.ServerCredentials.createSsl(null, [{ private_key: Buffer.from(opts.tls.key), cert_chain: Buffer.from(opts.tls.cert) }], false)
      : grpc.ServerCredentials.createInsecure();
    grpcPort = await new Promise<number>((resolve, reject) =>
      g.bindAsync(`127.0.0.1:${grpcPort}`, creds, (err, port) => (err ? reject(err) : resolve(port))),
    );
    grpcServer = g;
    const h = opts.tls ? https.createServer({ key: opts.tls.key, cert: opts.tls.cert }, onHttp) : http.createServer(onHttp);
    h.on('connection', (s: Socket) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    h.on('tlsClientError', () => {});
    await new Promise<void>((resolve, reject) => {
      h.once('error', reject);
      h.listen(httpPort, '127.0.0.1', () => resolve());
    });
    httpPort = (h.address() as AddressInfo).port;
    httpServer = h;
  }

  async function stop(): Promise<void> {
    const g = grpcServer;
    const h = httpServer;
    grpcServer = undefined;
    httpServer = undefined;
    if (g) g.forceShutdown();
    if (h) {
      const closed = new Promise<void>((resolve) => h.close(() => resolve()));
      for (const s of sockets) s.destroy();
      h.closeAllConnections();
      await Promise.race([closed, new Promise((r) => setTimeout(r, 2000))]);
    }
  }

  await start();

  return {
    get grpcPort() {
      return grpcPort;
    },
    get httpPort() {
      return httpPort;
    },
    get grpcUrl() {
      return `${scheme}://127.0.0.1:${grpcPort}`;
    },
    get httpUrl() {
      return `${scheme}://127.0.0.1:${httpPort}`;
    },
    requests,
    bodies: (signal) => requests.filter((r) => r.signal === signal && r.body).map((r) => r.body!),
    failWith(mode) {
      fail = mode;
    },
    clear() {
      requests.length = 0;
    },
    stop,
    start,
    close: stop,
  };
}

/** A throw-away self-signed certificate for 127.0.0.1 / localhost, made with the openssl CLI. */
export function selfSignedCert(): { key: string; cert: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mailtel-cert-'));
  try {
    const key = path.join(dir, 'key.pem');
    const cert = path.join(dir, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert,
      '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'ignore' });
    return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
