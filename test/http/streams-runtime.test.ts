import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/load-config.js';
import { STREAM_ROUTES } from '../../src/http/stream-routes.js';
import { Runtime } from '../../src/runtime/runtime.js';
import { rawGet, traceFrames } from '../helpers/stream-peer.js';
import { waitFor } from '../helpers/wait.js';
import { screen, type Screen } from '../helpers/ui-screen.js';

let dir = '';
let rt: Runtime | undefined;
const closers: (() => void)[] = [];

let view: Screen | undefined;
afterEach(async () => {
  view?.unmount();
  view = undefined;
  for (const c of closers.splice(0)) c();
  await rt?.stop(2_000);
  rt = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function runtime(extra = '', listen = '127.0.0.1:0'): Promise<Runtime> {
  dir = mkdtempSync(join(tmpdir(), 'mailtel-streams-'));
  const toml = `[tracer.file]\ntype = "log"\npath = "${dir}"\nlevel = "info"\n\n[http]\nlisten = "${listen}"\nclient-buffer = 65536\n${extra}`;
  rt = new Runtime(parseConfig(toml, 'streams.toml'));
  await rt.start();
  return rt;
}

function logLines(): string[] {
  return readdirSync(dir).flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean));
}

describe('event streams in the runtime', () => {
  it('a client that stops reading is cut while the log tracer keeps every event', async () => {
    const r = await runtime();
    const url = r.http!.url;
    const sock = net.connect(r.http!.address.port, '127.0.0.1');
    closers.push(() => sock.destroy());
    await new Promise<void>((res) => sock.once('connect', () => res()));
    sock.write(`GET ${STREAM_ROUTES.streams016.tracing} HTTP/1.1\r\nHost: x\r\n\r\n`);
    sock.pause();
    await waitFor(() => r.streams!.clientCount === 1, 5_000, 'client registered');
    const big = 'y'.repeat(1_000);
    let sent = 0;
    const end = Date.now() + 20_000;
    while (r.streams!.status().details.clientsDropped === 0 && Date.now() < end) {
      for (let i = 0; i < 100; i++) r.collector.ingest({ type: 'auth.success', data: { accountName: big, id: sent + i } });
      sent += 100;
      await new Promise((res) => setTimeout(res, 20));
    }
    expect(r.streams!.status().details.clientsDropped).toBe(1);
    await r.idle();
    expect(logLines().filter((l) => l.includes('auth.success'))).toHaveLength(sent);
    const row = r.snapshot().sinks.find((s) => s.id === 'streams')!;
    expect(row).toMatchObject({ type: 'stream', enabled: true, droppedIntentional: 1, queueDepth: 0 });
    expect(row.target).toContain(url);
    expect(r.snapshot().messages.map((m) => m.text).join('\n')).toMatch(/stopped reading/);
  });

  it('streams see every ingested event, also those no tracer selects; the toggle closes them and tokens keep working', async () => {
    const r = await runtime();
    const client = await rawGet(r.http!.url + STREAM_ROUTES.streams015.tracing);
    closers.push(() => client.req.destroy());
    await waitFor(() => r.streams!.clientCount === 1, 5_000, 'client registered');
    // The log tracer is at info: a trace-level raw input reaches the stream only.
    r.collector.ingest({ type: 'smtp.raw-input', data: { contents: 'EHLO x' } });
    r.collector.ingest({ type: 'auth.success', data: { accountName: 'a' } });
    await client.next((b) => b.includes('\n\n'));
    expect(traceFrames(client.body()).flat().map((e) => (e as { type: string }).type)).toEqual(['smtp.raw-input', 'auth.success']);
    await r.idle();
    expect(logLines().some((l) => l.includes('raw-input'))).toBe(false);

    const ended = new Promise<void>((res) => client.res.on('end', () => res()));
    r.command({ kind: 'toggle-sink', id: 'streams' });
    await ended;
    expect(r.snapshot().sinks.find((s) => s.id === 'streams')).toMatchObject({ enabled: false, state: 'disabled' });
    const token = await fetch(r.http!.url + STREAM_ROUTES.tokens016.tracing);
    expect(token.status).toBe(200);
    expect((await fetch(r.http!.url + STREAM_ROUTES.streams016.tracing)).status).toBe(503);
    r.command({ kind: 'toggle-sink', id: 'streams' });
    expect(r.snapshot().sinks.find((s) => s.id === 'streams')!.enabled).toBe(true);
  });

  it('in the console the streams row\'s digit closes the streams and opens them again', async () => {
    const r = await runtime();
    const n = r.snapshot().sinks.findIndex((s) => s.id === 'streams') + 1;
    expect(n).toBeGreaterThan(0);
    view = screen(r, { cols: 120, rows: 30 });
    await view.waitForFrame((t) => new RegExp(`${n} streams +stream +on `).test(t), 'the streams row');
    const client = await rawGet(r.http!.url + STREAM_ROUTES.streams016.tracing);
    closers.push(() => client.req.destroy());
    await waitFor(() => r.streams!.clientCount === 1, 5_000, 'client registered');
    const ended = new Promise<void>((res) => client.res.on('end', () => res()));
    await view.press(String(n));
    await ended;
    await view.waitForFrame((t) => new RegExp(`${n} streams +stream +off +disabled`).test(t), 'the row off');
    expect((await fetch(r.http!.url + STREAM_ROUTES.streams016.tracing)).status).toBe(503);
    expect((await fetch(r.http!.url + STREAM_ROUTES.tokens016.tracing)).status).toBe(200);
    await view.press(String(n));
    await view.waitForFrame((t) => new RegExp(`${n} streams +stream +on `).test(t), 'the row on again');
    const again = await rawGet(r.http!.url + STREAM_ROUTES.streams016.tracing);
    closers.push(() => again.req.destroy());
    expect(again.res.statusCode).toBe(200);
    r.collector.ingest({ type: 'auth.success', data: { accountName: 'back' } });
    await again.next((b) => b.includes('"back"'));
  });

  it('a listener that cannot open stays a failing streams row with the reason', async () => {
    const busy = net.createServer();
    await new Promise<void>((res) => busy.listen(0, '127.0.0.1', () => res()));
    closers.push(() => busy.close());
    const port = (busy.address() as net.AddressInfo).port;
    const r = await runtime('', `127.0.0.1:${port}`);
    const snap = r.snapshot();
    expect(snap.sinks.find((s) => s.id === 'streams')).toMatchObject({ state: 'failing', lastError: { message: expect.stringContaining('EADDRINUSE') } });
    expect(snap.http).toMatchObject({ listen: `127.0.0.1:${port}`, error: expect.stringContaining('EADDRINUSE') });
  });
});
