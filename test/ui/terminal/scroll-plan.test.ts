import { describe, expect, it } from 'vitest';
import { applyScroll, scrollEscapes, scrollPlan } from '../../../src/ui/terminal/scroll-plan.js';
import { TerminalWriter } from '../../../src/ui/terminal/writer.js';
import { VtScreen } from '../../helpers/fake-terminal.js';

describe('scrolling the event stream', () => {
  it('finds the block that moved up and where the new lines go', () => {
    const prev = ['head', 'e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'foot'];
    const next = ['head', 'e3', 'e4', 'e5', 'e6', 'e7', 'e8', 'foot'];
    expect(scrollPlan(prev, next)).toEqual({ top: 1, bottom: 6, by: 2 });
    expect(applyScroll(prev, { top: 1, bottom: 6, by: 2 })).toEqual(['head', 'e3', 'e4', 'e5', 'e6', '', '', 'foot']);
    expect(scrollEscapes({ top: 1, bottom: 6, by: 2 })).toBe('\x1b[0m\x1b[2;7r\x1b[7;1H\n\n\x1b[r');
  });

  it('does not scroll for small or no moves', () => {
    expect(scrollPlan(['a', 'b', 'c', 'd'], ['a', 'b', 'c', 'd'])).toBeUndefined();
    expect(scrollPlan(['a', 'b', 'c', 'd', 'e'], ['b', 'c', 'x', 'y', 'z'])).toBeUndefined();
  });

  it('the terminal ends up showing exactly each frame, over many scrolling frames', () => {
    const rows = 12;
    let seq = 0;
    let stream: string[] = [];
    const vt = new VtScreen(rows);
    const w = new TerminalWriter({ write: (s: string) => vt.feed(s) }, () => rows);
    let rng = 7;
    const rand = (n: number) => ((rng = (rng * 1103515245 + 12345) % 2 ** 31), rng % n);
    for (let f = 0; f < 300; f++) {
      for (let n = rand(5); n > 0; n--) stream.push(`event ${++seq}`);
      stream = stream.slice(-8);
      const sel = rand(3) === 0 ? stream.length - 1 : -1;
      const frame = [`header ${Math.floor(f / 10)}`, ...stream.map((l, i) => (i === sel ? `[${l}]` : l))];
      while (frame.length < rows - 2) frame.push('');
      frame.push(`sinks ${f % 4}`, 'footer');
      w.frame(frame.join('\n'));
      expect(vt.grid, `frame ${f}`).toEqual(frame);
    }
    expect(w.scrolls).toBeGreaterThan(50);
  });
});
