import { Box, Transform } from 'ink';

/**
 * `height` screen lines of pre-styled, pre-fitted text, as one Ink text node. Ink lays out a
 * constant placeholder (a space per line) and each line goes in at output time through
 * <Transform>, which Ink calls per line with its index. Why not a <Text> per line: Ink keeps a
 * never-emptied cache of every text it ever measured (a leak on a screen whose lines change
 * ten times a second), measures non-ASCII text slowly, and pays per node on every frame; a
 * constant node per pane avoids all three.
 */
const PLACEHOLDERS: string[] = [];
function placeholder(height: number): string {
  return (PLACEHOLDERS[height] ??= Array(height).fill(' ').join('\n'));
}

export function Block({ lines, width, height }: { lines: readonly string[]; width: number; height: number }) {
  return (
    <Box width={width} height={height} flexShrink={0}>
      {height > 0 && <Transform transform={(_line, i) => lines[i] ?? ''}>{placeholder(height)}</Transform>}
    </Box>
  );
}
