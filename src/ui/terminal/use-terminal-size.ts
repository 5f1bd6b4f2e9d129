import { useEffect, useState } from 'react';

/** Anything with a size that emits `resize`: process.stdout, or a test double. */
export interface SizeSource {
  columns?: number;
  rows?: number;
  on(event: 'resize', fn: () => void): unknown;
  off(event: 'resize', fn: () => void): unknown;
}

export interface Size {
  cols: number;
  rows: number;
}

const read = (s: SizeSource): Size => ({ cols: s.columns || 80, rows: s.rows || 24 });

/** The terminal size, updated on every `resize`. */
export function useTerminalSize(src: SizeSource): Size {
  const [size, setSize] = useState(() => read(src));
  useEffect(() => {
    const onResize = () => setSize((old) => {
      const next = read(src);
      return next.cols === old.cols && next.rows === old.rows ? old : next;
    });
    src.on('resize', onResize);
    onResize();
    return () => {
      src.off('resize', onResize);
    };
  }, [src]);
  return size;
}
