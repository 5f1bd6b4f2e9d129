import { describe, expect, it, vi } from 'vitest';
import InkOutput from '../../../node_modules/ink/build/output.js';
import FastOutput from '../../../src/ui/terminal/output-fast.js';

// A seeded generator: the same frames on every run.
function rng(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

const CODES = ['\x1b[0m', '\x1b[1m', '\x1b[2m', '\x1b[22m', '\x1b[7m', '\x1b[27m', '\x1b[31m', '\x1b[39m', '\x1b[38;5;214m', '\x1b[48;5;236m', '\x1b[49m', '\x1b[38;2;10;200;30m', '\x1b[4m', '\x1b[24m', '\x1b[m'];
const CHARS = 'abcXYZ 019.:-_│─┌┐└┘█▁▂▃·—→é×';
const OTHER = ['界', '👍', '\x1b]8;;http://x\x07l\x1b]8;;\x07', '\u0301', '\x1b[2K'];

function line(r: (n: number) => number, odd: boolean): string {
  let s = '';
  const parts = 1 + r(odd ? 6 : 3);
  for (let p = 0; p < parts; p++) {
    if (r(2)) s += CODES[r(CODES.length)];
    const n = r(odd ? 12 : 5);
    for (let i = 0; i < n; i++) s += CHARS[r(CHARS.length)];
    if (r(3) === 0) s += '\x1b[0m';
  }
  if (odd && r(8) === 0) s += OTHER[r(OTHER.length)];
  return s;
}

type Out = { write: InkOutput['write']; clip: InkOutput['clip']; unclip: InkOutput['unclip']; get: InkOutput['get'] };

/** The same operations on both outputs: lines side by side, sometimes overlapping or clipped. */
function frame(seed: number, width: number, height: number, odd: boolean): [string, string] {
  const outs: Out[] = [new InkOutput({ width, height }), new FastOutput({ width, height })];
  const r = rng(seed);
  const ops: (() => void)[] = [];
  const writes = 1 + r(8);
  for (let w = 0; w < writes; w++) {
    // Lines of up to 12 cells in columns 13 apart (sometimes touching, 12 apart), or anywhere.
    const x = odd ? (r(10) === 0 ? width - 2 : r(Math.max(1, width - 10))) : Math.min(r(8) * (12 + r(2)), width - 12);
    const y = odd && r(12) === 0 ? -1 : r(height + 1);
    const lines = Array.from({ length: 1 + r(height) }, () => line(r, odd));
    const text = lines.map(() => ' ').join('\n');
    const transformers = [(_s: string, i: number) => lines[i] ?? ''];
    if (odd && r(10) === 0) ops.push(() => outs.forEach((o) => o.clip({ x1: 0, x2: width - 3, y1: undefined, y2: undefined })));
    ops.push(() => outs.forEach((o) => o.write(x, y, text, { transformers })));
  }
  for (const op of ops) op();
  return [outs[0]!.get().output, outs[1]!.get().output];
}

describe('output-fast', () => {
  it('gives Ink frames exactly, on lines side by side and on everything else', () => {
    const spy = vi.spyOn(InkOutput.prototype, 'get');
    for (let seed = 1; seed <= 600; seed++) {
      const [ink, fast] = frame(seed, 20 + (seed % 100), 1 + (seed % 12), seed % 3 === 0);
      expect(fast, `seed ${seed}`).toBe(ink);
    }
    // Each frame calls Ink's get() once for the reference, and once more where it fell back.
    const fellBack = spy.mock.calls.length - 600;
    spy.mockRestore();
    expect(fellBack).toBeGreaterThan(150);
    expect(fellBack).toBeLessThan(450);
  });

  it('joins styled lines that touch as Ink does, without its grid', () => {
    const spy = vi.spyOn(InkOutput.prototype, 'get');
    for (let seed = 1; seed <= 300; seed++) {
      const r = rng(seed);
      const width = 60;
      const outs = [new InkOutput({ width, height: 3 }), new FastOutput({ width, height: 3 })];
      // Panes packed edge to edge, each line exactly its pane's width, styles changing anywhere.
      let x = 0;
      while (x < width - 4) {
        const w = Math.min(width - x, 1 + r(15));
        const lines = Array.from({ length: 3 }, () => {
          let s = r(2) ? CODES[r(CODES.length)]! : '';
          for (let i = 0; i < w; i++) s += CHARS[r(CHARS.length)]! + (r(4) ? '' : CODES[r(CODES.length)]!);
          return s;
        });
        const at = x;
        outs.forEach((o) => o.write(at, 0, ' \n \n ', { transformers: [(_s: string, i: number) => lines[i]!] }));
        x += w;
      }
      const ink = outs[0]!.get().output;
      const calls = spy.mock.calls.length;
      expect(outs[1]!.get().output, `seed ${seed}`).toBe(ink);
      expect(spy.mock.calls.length).toBe(calls);
    }
    spy.mockRestore();
  });

  it('builds a frame of panes side by side without Ink grid', () => {
    const spy = vi.spyOn(InkOutput.prototype, 'get');
    const o = new FastOutput({ width: 30, height: 3 });
    const left = ['\x1b[1mhead\x1b[0m', 'a │ b', ''];
    const right = ['\x1b[38;5;214m▁▂▃\x1b[0m ok', 'x', '\x1b[7msel\x1b[0m'];
    o.write(0, 0, ' \n \n ', { transformers: [(_s, i) => left[i]!] });
    o.write(12, 0, ' \n \n ', { transformers: [(_s, i) => right[i]!] });
    const fast = o.get().output;
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
    const ink = new InkOutput({ width: 30, height: 3 });
    ink.write(0, 0, ' \n \n ', { transformers: [(_s, i) => left[i]!] });
    ink.write(12, 0, ' \n \n ', { transformers: [(_s, i) => right[i]!] });
    expect(fast).toBe(ink.get().output);
    expect(fast.split('\n')[2]).toBe(' '.repeat(12) + '\x1b[7msel\x1b[27m');
  });
});
