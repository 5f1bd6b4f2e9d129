import { Box, Text } from 'ink';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import InkOutput from '../../../node_modules/ink/build/output.js';

/**
 * vitest.config.ts gives Ink the same two modules the bundle does (string-width-fast and
 * ansi-tokenize-fast, see src/ui/terminal/README.md), so every screen test runs the code
 * users run. The real string-width and tokenizer go through Intl.Segmenter for any character
 * beyond ASCII; the swapped ones answer box drawing, blocks and Latin-1 without it. So a frame
 * made of those characters is drawn without one segment() call only when the swap is in place
 * (without it this frame costs dozens). Truncation is left out: slice-ansi segments on its own.
 */
const segment = Intl.Segmenter.prototype.segment;
afterEach(() => {
  Intl.Segmenter.prototype.segment = segment;
});

describe('Ink module swaps under vitest', () => {
  it('draws a frame of box-drawing, block and Latin-1 characters without Intl.Segmenter', () => {
    let calls = 0;
    Intl.Segmenter.prototype.segment = function (this: Intl.Segmenter, input: string) {
      calls++;
      return segment.call(this, input);
    };
    const app = render(
      <Box borderStyle="single" width={32} flexDirection="column">
        <Text>{'▁▂▃█ café · naïve — 12 → 34'}</Text>
        <Text color="green">{'│ ok ─ ▼ live ─────'}</Text>
      </Box>,
    );
    const frame = app.lastFrame() ?? '';
    app.unmount();
    expect(frame).toContain('▁▂▃█ café');
    expect(frame).toContain('┌──');
    expect(calls).toBe(0);
  });

  it("builds plain frames without Ink's grid (src/ui/terminal/output-fast.ts)", () => {
    const grid = vi.spyOn(InkOutput.prototype, 'get');
    const app = render(
      <Box width={40}>
        <Text color="green">{'left ─ ▁▂▃'}</Text>
        <Text>{' right'}</Text>
      </Box>,
    );
    const frame = app.lastFrame() ?? '';
    app.unmount();
    grid.mockRestore();
    expect(frame).toContain('right');
    expect(grid).not.toHaveBeenCalled();
  });
});
