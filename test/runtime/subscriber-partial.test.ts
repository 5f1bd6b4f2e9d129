import { describe, expect, it } from 'vitest';
import type { TelemetryEvent } from '../../src/runtime/event.js';
import { Subscriber } from '../../src/runtime/subscriber.js';
import type { Sink, WriteResult } from '../../src/runtime/types.js';

// A sink that sends event by event (journal) reports how many of a failed batch got through:
// those count as written, the rest is retried or dropped.

function ev(seq: number): TelemetryEvent {
  return { seq, type: 'smtp.ehlo', level: 'info', createdAt: Date.now(), data: { n: seq }, text: 'EHLO' };
}

class ScriptedSink implements Sink {
  readonly id = 's';
  readonly type = 'journal';
  readonly target = 'test';
  readonly seen: number[][] = [];
  constructor(private readonly results: WriteResult[]) {}
  async write(batch: readonly TelemetryEvent[]): Promise<WriteResult> {
    this.seen.push(batch.map((e) => e.seq));
    return this.results.shift() ?? { ok: true };
  }
}

function run(sink: Sink) {
  const errors: string[] = [];
  const sub = new Subscriber(sink, { id: 't_s', lossy: false, queueSize: 100, batchSize: 5, throttleMs: 0, discardAfterMs: 0 }, () => true, 1, {
    onError: (_s, m) => errors.push(m),
    onDrain: () => {},
    now: Date.now,
  });
  return { sub, errors };
}

describe('subscriber with partly delivered batches', () => {
  it('counts delivered events as written and the rest as dropped when not retried', async () => {
    const sink = new ScriptedSink([{ ok: false, retry: false, delivered: 2, error: 'gone: 3 events lost' }]);
    const { sub, errors } = run(sink);
    await sub.start();
    for (let i = 1; i <= 5; i++) sub.offer(ev(i));
    await sub.idle();
    expect(sub.status(Date.now())).toMatchObject({ written: 2, droppedError: 3, state: 'failing', failures: 1 });
    expect(errors).toEqual(['gone: 3 events lost']);
    for (let i = 6; i <= 7; i++) sub.offer(ev(i));
    await sub.idle();
    expect(sub.status(Date.now())).toMatchObject({ written: 4, droppedError: 3, state: 'ok' });
    await sub.stop(Date.now() + 1000);
  });

  it('retries only what was not delivered', async () => {
    const sink = new ScriptedSink([{ ok: false, retry: true, retryAfterMs: 1, delivered: 3, error: 'busy' }]);
    const { sub } = run(sink);
    await sub.start();
    for (let i = 1; i <= 5; i++) sub.offer(ev(i));
    await sub.idle();
    expect(sink.seen).toEqual([[1, 2, 3, 4, 5], [4, 5]]);
    expect(sub.status(Date.now())).toMatchObject({ written: 5, droppedError: 0, state: 'ok' });
    await sub.stop(Date.now() + 1000);
  });
});
