/**
 * One sort habit for every table: `o` moves the sort to the next column, `O` reverses it. A
 * table names its columns and how to read each; the view state keeps one `SortState` per table.
 */
export interface SortState {
  col: number;
  desc: boolean;
}

export interface SortColumn<T> {
  name: string;
  value: (row: T) => string | number;
  /** Numbers sort largest first the first time, text A→Z. */
  desc?: boolean;
}

export const nextSort = (s: SortState, columns: number): SortState => ({ col: (s.col + 1) % Math.max(1, columns), desc: false });
export const reverseSort = (s: SortState): SortState => ({ ...s, desc: !s.desc });

/** Rows sorted by the state's column (ties keep their order); a copy, never in place. */
export function sortRows<T>(rows: readonly T[], columns: readonly SortColumn<T>[], s: SortState): T[] {
  const c = columns[s.col % columns.length];
  if (!c) return rows.slice();
  const dir = (c.desc ? -1 : 1) * (s.desc ? -1 : 1);
  return rows
    .map((row, i) => ({ row, i, v: c.value(row) }))
    .sort((a, b) => (a.v < b.v ? -dir : a.v > b.v ? dir : a.i - b.i))
    .map((x) => x.row);
}

/** `name ▲` / `name ▼` for the column the table is sorted by (the arrow shows the order shown). */
export function sortLabel<T>(columns: readonly SortColumn<T>[], s: SortState): string {
  const c = columns[s.col % columns.length];
  if (!c) return '';
  const down = (c.desc ?? false) !== s.desc;
  return `sorted by ${c.name} ${down ? '▼' : '▲'}`;
}
