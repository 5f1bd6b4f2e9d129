import { useMemo } from 'react';
import { renderLine } from '../text/styled.js';
import type { Theme } from '../theme.js';
import { Block } from '../panes/block.js';
import { titleLine } from '../panes/common.js';

/**
 * A full-body overlay (help, details, messages): a title bar and a scrollable window over
 * the content lines, with a position marker when the content is longer than the window.
 */
export interface OverlayProps {
  title: string;
  content: readonly string[];
  scroll: number;
  width: number;
  height: number;
  theme: Theme;
}

export function overlayLines(p: OverlayProps): string[] {
  const rows = Math.max(0, p.height - 1);
  const max = Math.max(0, p.content.length - rows);
  const first = Math.min(p.scroll, max);
  const pos = p.content.length > rows ? [[`lines ${first + 1}-${Math.min(first + rows, p.content.length)} of ${p.content.length} `, 'muted'] as const] : [];
  const lines = [titleLine(p.title, true, pos, p.width, p.theme)];
  for (const l of p.content.slice(first, first + rows)) lines.push(l);
  if (p.content.length === 0) lines.push(renderLine([['  (empty)', 'muted']], p.width, p.theme));
  return lines;
}

export function Overlay(p: OverlayProps) {
  const { title, content, scroll, width, height, theme } = p;
  const lines = useMemo(() => overlayLines({ title, content, scroll, width, height, theme }), [title, content, scroll, width, height, theme]);
  return <Block lines={lines} width={width} height={height} />;
}
