import { describe, expect, it } from 'vitest';
import { applyScroll, scrollEscapes, scrollPlan } from '../../src/ui/terminal/scroll-plan.js';
import { TerminalWriter } from '../../src/ui/terminal/writer.js';

/**
 * A tiny VT100 model of what the writer emits (cursor position, erase line, scrolling region,
 * line feed, SGR and sync marks ignored), to check that the screen ends up as the frame says.
 */
class Vt {
  grid: string[];
  private row = 0;
  private top = 0;
  private bottom: number;
  constructor(private readonly rows: number) {
    this.grid = Array(rows).fill('');
    this.bottom = rows - 1;
  }
  feed(s: string): void {
    const re = /\x1b\[(\?)?([0-9;]*)([A-Za-z])|\n|([^\x1b\n]+)/g;
    for (const m of s.matchAll(re)) {
      if (m[0] === '\n') {
        if (this.row === this.bottom) {
          for (let i = this.top; i < this.bottom; i++) this.grid[i] = this.grid[i + 1]!;
          this.grid[this.bottom] = '';
        } else this.row++;
      } else if (m[4] !== undefined) this.grid[this.row] += m[4];
      else if (!m[1]) {
        const args = m[2]!.split(';').map(Number);
        if (m[3] === 'H') this.row = (args[0] || 1) - 1;
        else if (m[3] === 'K') this.grid[this.row] = '';
        else if (m[3] === 'J') this.grid.fill('');
        else if (m[3] === 'r') {
          this.top = m[2] ? args[0]! - 1 : 0;
          this.bottom = m[2] ? args[1]! - 1 : this.rows - 1;
          this.row = 0;
        }
      }
    }
  }
}

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
    const vt = new Vt(rows);
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
