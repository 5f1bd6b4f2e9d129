import { Box, Text } from 'ink';
import { memo } from 'react';

/** One screen line: pre-styled, pre-fitted text. Memoised: unchanged lines cost nothing. */
const Line = memo(function Line({ text }: { text: string }) {
  return <Text wrap="truncate-end">{text || ' '}</Text>;
});

/** Exactly `height` lines of at most `width` columns, whatever `lines` holds. */
export function Block({ lines, width, height }: { lines: readonly string[]; width: number; height: number }) {
  const rows = [];
  for (let i = 0; i < height; i++) rows.push(<Line key={i} text={lines[i] ?? ''} />);
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden" flexShrink={0}>
      {rows}
    </Box>
  );
}
