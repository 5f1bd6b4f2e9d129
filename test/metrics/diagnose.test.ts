import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics, createOtlpPusher, type MetricsConfig, type PushRecord } from '../../src/metrics/index.js';
import { describeOtlpError } from '../../src/otlp/errors.js';
import { checkOtlpTarget, diagnoseOtlp, type OtlpTarget } from '../../src/otlp/hints.js';
import { selfSignedCert, startOtlpReceiver, type OtlpReceiver } from '../helpers/otlp-receiver.js';

// Each mistake is made for real against a real receiver; the hint comes from the exporter's
// actual error, through the pusher's status.

let plain: OtlpReceiver;
let tls: OtlpReceiver;
beforeAll(async () => {
  plain = await startOtlpReceiver();
  tls = await startOtlpReceiver({ tls: selfSignedCert() });
});
afterAll(async () => {
  await Promise.all([plain.close(), tls.close()]);
});

async function pushOnce(t: OtlpTarget, timeoutMs = 1000): Promise<PushRecord> {
  const cfg: MetricsConfig = {
    otel: { transport: t.transport, protocol: t.protocol ?? 'protobuf', endpoint: t.endpoint, headers: {}, timeoutMs, intervalMs: 3_600_000 },
    prometheus: { enable: false },
    disabledEvents: [],
  };
  const p = (await createOtlpPusher(cfg, createMetrics({ disabledEvents: [] }), { raise: () => {}, serviceVersion: 'test' }))!;
  try {
    await p.pushNow();
    return p.status().pushes[0]!;
  } finally {
    await p.stop();
  }
}

const https = (url: string) => url.replace(/^http:/, 'https:');
const http = (url: string) => url.replace(/^https:/, 'http:');

describe('diagnosing OTLP mistakes from real failed pushes', () => {
  it('HTTP transport aimed at the gRPC port', async () => {
    for (const protocol of ['protobuf', 'json'] as const) {
      const rec = await pushOnce({ transport: 'http', protocol, endpoint: `${plain.grpcUrl}/v1/metrics` });
      expect(rec.ok).toBe(false);
      expect(rec.error).toMatch(/Parse Error/);
      expect(rec.hint).toBe('the endpoint answers with gRPC (HTTP/2), not OTLP/HTTP: use transport = "grpc", or the OTLP/HTTP port (4318) with /v1/metrics');
    }
  });

  it('gRPC transport aimed at the HTTP port', async () => {
    const rec = await pushOnce({ transport: 'grpc', endpoint: plain.httpUrl });
    expect(rec.error).toMatch(/^14 UNAVAILABLE: .*Protocol error/);
    expect(rec.hint).toBe('the endpoint is not a gRPC server (likely OTLP/HTTP on 4318): use transport = "http" with /v1/metrics, or the gRPC port 4317');
  });

  it('HTTP endpoint without /v1/metrics', async () => {
    const rec = await pushOnce({ transport: 'http', endpoint: plain.httpUrl });
    expect(rec.error).toBe('HTTP 404 Not Found: status 404');
    expect(rec.hint).toBe(`the OTLP/HTTP endpoint must include the path /v1/metrics: ${plain.httpUrl}/v1/metrics`);
  });

  it('https:// against a plain-text collector (http and grpc)', async () => {
    const a = await pushOnce({ transport: 'http', endpoint: `${https(plain.httpUrl)}/v1/metrics` });
    expect(a.error).toMatch(/wrong version number/);
    expect(a.hint).toBe('the collector speaks plain text, not TLS: use http:// instead of https://');
    const b = await pushOnce({ transport: 'grpc', endpoint: https(plain.grpcUrl) });
    expect(b.error).toMatch(/^14 UNAVAILABLE/);
    expect(b.hint).toBe(a.hint);
  });

  it('http:// against a TLS collector (http and grpc)', async () => {
    const a = await pushOnce({ transport: 'http', endpoint: `${http(tls.httpUrl)}/v1/metrics` });
    expect(a.error).toMatch(/socket hang up|ECONNRESET/);
    expect(a.hint).toBe('the collector dropped the plain-text connection; if it expects TLS, use https://');
    const b = await pushOnce({ transport: 'grpc', endpoint: http(tls.grpcUrl) });
    expect(b.error).toMatch(/^14 UNAVAILABLE/);
    expect(b.hint).toBe(a.hint);
  });

  it('TLS collector with an untrusted certificate', async () => {
    const rec = await pushOnce({ transport: 'http', endpoint: `${tls.httpUrl}/v1/metrics` });
    expect(rec.error).toMatch(/self-signed certificate/);
    expect(rec.hint).toMatch(/certificate is not trusted/);
  });

  it('a collector that answers but rejects the payload (HTTP 400, gRPC INVALID_ARGUMENT)', async () => {
    plain.failWith('reject');
    try {
      const a = await pushOnce({ transport: 'http', endpoint: `${plain.httpUrl}/v1/metrics` });
      const b = await pushOnce({ transport: 'grpc', endpoint: plain.grpcUrl });
      expect(a.error).toBe('HTTP 400 Bad Request: receiver rejects the payload');
      expect(b.error).toBe('3 INVALID_ARGUMENT: receiver rejects the payload');
      for (const r of [a, b]) expect(r.hint).toBe('the collector answered but rejected the payload: check its logs (limits, temporality, schema) and the endpoint path');
    } finally {
      plain.failWith('none');
    }
  });
});

describe('diagnoseOtlp from the settings alone (mailtel check)', () => {
  it('names the usual mistakes', () => {
    expect(checkOtlpTarget({ transport: 'http', endpoint: 'http://otel:4317/v1/metrics' })).toMatch(/^port 4317 is the OTLP\/gRPC port: use transport = "grpc"/);
    expect(checkOtlpTarget({ transport: 'grpc', endpoint: 'http://otel:4318' })).toMatch(/^port 4318 is the OTLP\/HTTP port/);
    expect(checkOtlpTarget({ transport: 'http', endpoint: 'https://otel.example.com:4318/' })).toBe(
      'the OTLP/HTTP endpoint must include the path /v1/metrics: https://otel.example.com:4318/v1/metrics',
    );
    expect(checkOtlpTarget({ transport: 'http' })).toMatch(/needs an endpoint/);
    expect(checkOtlpTarget({ transport: 'http', endpoint: 'otel:4318/v1/metrics' })).toMatch(/not an http:\/\/ or https:\/\/ URL/);
    expect(diagnoseOtlp({ transport: 'http', endpoint: 'http://otel:4318/v1/metrics' })).toBeUndefined();
    expect(diagnoseOtlp({ transport: 'grpc' })).toBeUndefined();
    expect(diagnoseOtlp({ transport: 'grpc', endpoint: 'https://otel.example.com' })).toBeUndefined();
  });

  it('prefers the settings hint when the error alone is vague', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:4317'), { code: 'ECONNREFUSED' });
    expect(diagnoseOtlp({ transport: 'http', endpoint: 'http://otel:4317/v1/metrics' }, refused)).toMatch(/^port 4317/);
    expect(diagnoseOtlp({ transport: 'http', endpoint: 'http://otel:4318/v1/metrics' }, refused)).toMatch(/nothing listens/);
    expect(diagnoseOtlp({ transport: 'http', protocol: 'json', endpoint: 'http://otel:4318/v1/metrics' }, Object.assign(new Error('Unsupported Media Type'), { code: 415, name: 'OTLPExporterError' }))).toBe(
      'the collector does not accept OTLP/HTTP json: set protocol = "protobuf"',
    );
    expect(describeOtlpError(Object.assign(new Error('Unauthorized'), { code: 401, data: 'bad token\n' }))).toBe('HTTP 401 Unauthorized: bad token');
  });
});
