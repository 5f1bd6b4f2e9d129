import { Box, Transform } from 'ink';
import { memo } from 'react';

/**
 * One screen line: pre-styled, pre-fitted text. Ink lays out a constant one-space text node and
 * the line itself goes in at output time through <Transform>. Ink keeps a never-emptied cache
 * of every text it ever measured (a leak on a screen whose lines change ten times a second)
 * and measures non-ASCII lines slowly; a constant node avoids both. Memoised: unchanged lines
 * cost React nothing.
 */
const Line = memo(function Line({ text }: { text: string }) {
  return <Transform transform={() => text}>{' '}</Transform>;
});

/** Exactly `height` lines of at most `width` columns (the caller fits them), whatever `lines` holds. */
export function Block({ lines, width, height }: { lines: readonly string[]; width: number; height: number }) {
  const rows = [];
  for (let i = 0; i < height; i++) rows.push(<Line key={i} text={lines[i] ?? ''} />);
  return (
    <Box flexDirection="column" width={width} height={height} flexShrink={0}>
      {rows}
    </Box>
  );
}
