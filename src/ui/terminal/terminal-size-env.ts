/**
 * `terminal-size` for Ink's ink.js, swapped in by scripts/build.mjs. Ink asks it for the width
 * only when its stdout has no `columns`; the console's stream (ui/run.tsx) always has them, so
 * it is never asked there. The real module imports node:child_process at load (for `tput` and
 * `resize`), which costs start-up time before the first frame; this one reads the environment
 * as the real one's last resort does, and otherwise answers Ink's own default of 80x24.
 */
export default function terminalSize(): { columns: number; rows: number } {
  const columns = Number.parseInt(process.env.COLUMNS ?? '', 10);
  const rows = Number.parseInt(process.env.LINES ?? '', 10);
  return { columns: columns > 0 ? columns : 80, rows: rows > 0 ? rows : 24 };
}
