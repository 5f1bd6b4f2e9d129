import { describe, expect, it } from 'vitest';
import { ENTER, LEAVE, TerminalWriter } from '../../../src/ui/terminal/writer.js';

function setup(rows = 4) {
  const out: string[] = [];
  let now = 0;
  const w = new TerminalWriter({ write: (s: string) => out.push(s) }, () => rows, () => now);
  return { w, out, tick: (ms: number) => (now += ms) };
}

describe('TerminalWriter', () => {
  it('enters and leaves the alternate screen with the cursor hidden and auto-wrap off', () => {
    const { w, out } = setup();
    w.enter();
    w.leave();
    expect(out).toEqual([ENTER, LEAVE]);
    expect(ENTER).toContain('\x1b[?1049h');
    expect(ENTER).toContain('\x1b[?7l');
    expect(LEAVE).toContain('\x1b[?1049l');
    expect(LEAVE).toContain('\x1b[?25h');
  });

  it('rewrites only the lines that changed, each at its row, inside a synchronized update', () => {
    const { w, out } = setup();
    w.frame('a\nb\nc\nd');
    expect(out[0]).toBe('\x1b[?2026h\x1b[1;1H\x1b[2Ka\x1b[2;1H\x1b[2Kb\x1b[3;1H\x1b[2Kc\x1b[4;1H\x1b[2Kd\x1b[?2026l');
    expect(w.frame('a\nB\nc\nd')).toBe('\x1b[?2026h\x1b[2;1H\x1b[2KB\x1b[?2026l'.length);
    expect(out[1]).toBe('\x1b[?2026h\x1b[2;1H\x1b[2KB\x1b[?2026l');
    expect(w.frame('a\nB\nc\nd')).toBe(0);
    expect(out).toHaveLength(2);
  });

  it('never writes past the last row, clears lines a shorter frame left, and repaints all after a resize', () => {
    const { w, out } = setup(2);
    w.frame('1\n2\n3');
    expect(out[0]).not.toContain('3');
    w.frame('1');
    expect(out[1]).toBe('\x1b[?2026h\x1b[2;1H\x1b[2K\x1b[?2026l');
    w.invalidate();
    w.frame('1');
    expect(out[2]).toBe('\x1b[?2026h\x1b[H\x1b[2J\x1b[1;1H\x1b[2K1\x1b[?2026l');
  });

  it('resets styles at the end of a styled line and counts every byte', () => {
    const { w, out, tick } = setup(1);
    w.frame('\x1b[31mé\x1b[0m');
    expect(out[0]).toContain('é\x1b[0m\x1b[0m');
    expect(w.bytes).toBe(Buffer.byteLength(out[0]!));
    tick(1000);
    w.frame('x');
    expect(w.bytesPerSecond()).toBeCloseTo(Buffer.byteLength(out[1]!), 5);
  });
});
