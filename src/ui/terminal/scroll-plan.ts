/**
 * When a block of screen lines moved up (the event stream scrolling), the terminal can scroll
 * that block itself and only the new lines need writing: over SSH a 30-line events pane at a
 * few events per second costs a few lines per frame instead of all 30. Pure.
 */
export interface ScrollPlan {
  /** First and last row (0-based, inclusive) of the scrolling region. */
  top: number;
  bottom: number;
  /** Lines the region moves up. */
  by: number;
}

/** Fewer saved lines than this are not worth the extra escapes. */
const MIN_SAVED = 3;

/**
 * The scroll that saves the most line writes turning `prev` into `next`: the longest run of
 * rows `i` where `next[i]` is `prev[i + by]` (and was not already in place).
 */
export function scrollPlan(prev: readonly string[], next: readonly string[]): ScrollPlan | undefined {
  const rows = Math.min(prev.length, next.length);
  let best: ScrollPlan | undefined;
  let bestSaved = MIN_SAVED - 1;
  for (let by = 1; by < rows - 1; by++) {
    let runStart = -1;
    let saved = 0;
    for (let i = 0; i <= rows - by; i++) {
      const moved = i < rows - by && next[i] === prev[i + by] && next[i] !== prev[i];
      if (moved) {
        if (runStart < 0) {
          runStart = i;
          saved = 0;
        }
        saved++;
        continue;
      }
      if (runStart >= 0 && saved > bestSaved) {
        bestSaved = saved;
        best = { top: runStart, bottom: runStart + saved + by - 1, by };
      }
      runStart = -1;
    }
  }
  return best;
}

/** The screen after the terminal scrolled `p`: the block moved up, blank lines below it. */
export function applyScroll(screen: readonly string[], p: ScrollPlan): string[] {
  const out = screen.slice();
  for (let i = p.top; i <= p.bottom; i++) out[i] = i + p.by <= p.bottom ? screen[i + p.by]! : '';
  return out;
}

/**
 * The escapes (VT100: set the scrolling region, line feeds at its bottom, reset the region).
 * Styles are reset first so the new blank lines take the default background.
 */
export function scrollEscapes(p: ScrollPlan): string {
  return `\x1b[0m\x1b[${p.top + 1};${p.bottom + 1}r\x1b[${p.bottom + 1};1H${'\n'.repeat(p.by)}\x1b[r`;
}
