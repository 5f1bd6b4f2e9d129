import { afterEach, describe, expect, it } from 'vitest';
import { TraceJournal } from '../../src/http/journal.js';
import { STREAM_ROUTES } from '../../src/http/stream-routes.js';
import { rawGet, startStreamPeer, tev, traceFrames, type StreamPeer } from '../helpers/stream-peer.js';
import { waitFor } from '../helpers/wait.js';

const types = (frame: { parts: Buffer[] } | undefined) =>
  frame ? (JSON.parse(Buffer.concat(frame.parts).toString().replace(/^event: trace\ndata: /, '')) as { data: { n: number } }[]).map((e) => e.data.n) : [];

describe('TraceJournal', () => {
  it('gives each cursor the events after it, from shared segments, and forgets what all have passed', () => {
    const j = new TraceJournal();
    const a = j.seal();
    j.push(tev('auth.success', { n: 1 }));
    j.push(tev('auth.success', { n: 2 }));
    const b = j.seal();
    j.push(tev('auth.success', { n: 3 }));
    const end = j.seal();
    expect([a, b, end]).toEqual([0, 2, 3]);
    expect(types(j.frameFrom(a))).toEqual([1, 2, 3]);
    expect(types(j.frameFrom(b))).toEqual([3]);
    expect(j.frameFrom(end)).toBeUndefined();
    j.trim(b);
    expect(types(j.frameFrom(b))).toEqual([3]);
    j.trim(end);
    j.push(tev('auth.success', { n: 4 }));
    expect(j.seal()).toBe(4);
    expect(types(j.frameFrom(end))).toEqual([4]);
  });
});

let peer: StreamPeer | undefined;
const closers: (() => void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) c();
  await peer?.close();
  peer = undefined;
});

describe('clients joining at different times', () => {
  it('each receives every event after it joined, once and in order, across frames', async () => {
    peer = await startStreamPeer();
    const first = await rawGet(peer.http.url + STREAM_ROUTES.streams015.tracing);
    closers.push(() => first.req.destroy());
    await waitFor(() => peer!.streams.clientCount === 1, 5_000, 'first client');
    let n = 0;
    const burst = (k: number) => {
      for (let i = 0; i < k; i++) peer!.emit(tev('auth.success', { n: ++n }));
    };
    burst(50);
    await first.next((b) => b.includes('\n\n'));
    burst(30);
    const second = await rawGet(peer.http.url + STREAM_ROUTES.streams015.tracing);
    closers.push(() => second.req.destroy());
    await waitFor(() => peer!.streams.clientCount === 2, 5_000, 'second client');
    const joinedAt = n;
    for (let round = 0; round < 3; round++) {
      burst(40);
      await new Promise((r) => setTimeout(r, 400));
    }
    const seen = (b: string) => traceFrames(b).flat().map((e) => (e as { data: { n: number } }).data.n);
    await waitFor(() => seen(first.body()).length === n && seen(second.body()).length === n - joinedAt, 10_000, 'every event at both clients');
    expect(seen(first.body())).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    expect(seen(second.body())).toEqual(Array.from({ length: n - joinedAt }, (_, i) => joinedAt + i + 1));
  });
});
