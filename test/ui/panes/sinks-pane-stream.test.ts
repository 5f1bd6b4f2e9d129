import { afterEach, describe, expect, it } from 'vitest';
import { STREAM_ROUTES } from '../../../src/http/stream-routes.js';
import { sinkDetailLines } from '../../../src/ui/overlays/detail-lines.js';
import { sinksLines } from '../../../src/ui/panes/sinks-pane.js';
import { stripSgr } from '../../../src/ui/text/styled.js';
import { loadTheme } from '../../../src/ui/theme.js';
import { rawGet, startStreamPeer, tev, type StreamPeer } from '../../helpers/stream-peer.js';
import { waitFor } from '../../helpers/wait.js';

let peer: StreamPeer | undefined;
const closers: (() => void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) c();
  await peer?.close();
  peer = undefined;
});

describe('the event-stream server row in the sinks pane', () => {
  it('shows clients/max in the queue column, clients cut in the drop column, then clients, frames/s and bytes/s', async () => {
    peer = await startStreamPeer({ maxClients: 8 });
    const a = await rawGet(peer.http.url + STREAM_ROUTES.streams016.tracing);
    const b = await rawGet(peer.http.url + STREAM_ROUTES.streams015.metrics);
    closers.push(() => a.req.destroy(), () => b.req.destroy());
    await waitFor(() => peer!.streams.clientCount === 2, 5_000, 'two clients');
    peer.emit(tev('auth.success', { accountName: 'a' }));
    await a.next((t) => t.includes('event: trace'));
    const status = peer.streams.status();
    const lines = sinksLines({ sinks: [status], cursor: 0, focused: false, width: 140, height: 4, theme: loadTheme('mono', {}) }).map(stripSgr);
    const row = lines.find((l) => l.includes('streams'))!;
    expect(row).toMatch(/^ 1 streams +stream +on +ok +\S+ +1 +0 cut +2\/8 /);
    expect(row).toContain(`2 cl ${status.details.framesPerSec} fr/s`);
    expect(row).toContain(peer.http.url);

    // Enter on the row: clients and frames, not a queue.
    const detail = sinkDetailLines(status, Date.now(), 100, loadTheme('mono', {})).map(stripSgr).join('\n');
    expect(detail).toMatch(/connected +2 of 8 \(1 tracing, 1 metrics\)/);
    expect(detail).toMatch(/events sent +1 \(summed over clients\)/);
    expect(detail).toMatch(/sees +every ingested event/);
    expect(detail).not.toContain('backpressure');
  });
});
