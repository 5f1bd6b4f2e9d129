import { EventEmitter } from 'node:events';

/** A terminal size that can be changed like a real resize (App's `terminal` prop). */
export class FakeTerminal extends EventEmitter {
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
  }
  resize(columns: number, rows: number): void {
    this.columns = columns;
    this.rows = rows;
    this.emit('resize');
  }
}

/** A TTY stdout for runConsole: records every byte written. */
export class FakeTty extends EventEmitter {
  columns = 100;
  rows = 30;
  isTTY = true;
  out = '';
  write(s: string): boolean {
    this.out += s;
    return true;
  }
}

/** A TTY stdin for runConsole (raw mode accepted); `type` delivers keys as Ink reads them. */
export class FakeStdin extends EventEmitter {
  isTTY = true;
  data: string | null = null;
  setRawMode() {}
  setEncoding() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
  read() {
    const d = this.data;
    this.data = null;
    return d;
  }
  type(s: string) {
    this.data = s;
    this.emit('readable');
    this.emit('data', s);
  }
}

/**
 * A tiny VT100 model of what the writer emits (cursor position, erase line, scrolling region,
 * line feed, SGR and sync marks ignored), to check that the screen ends up as the frame says.
 */
export class VtScreen {
  grid: string[];
  private row = 0;
  private top = 0;
  private bottom: number;
  constructor(private readonly rows: number) {
    this.grid = Array(rows).fill('');
    this.bottom = rows - 1;
  }
  feed(s: string): void {
    const re = /\x1b\[(\?)?([0-9;]*)([A-Za-z])|\n|([^\x1b\n]+)/g;
    for (const m of s.matchAll(re)) {
      if (m[0] === '\n') {
        if (this.row === this.bottom) {
          for (let i = this.top; i < this.bottom; i++) this.grid[i] = this.grid[i + 1]!;
          this.grid[this.bottom] = '';
        } else this.row++;
      } else if (m[4] !== undefined) this.grid[this.row] += m[4];
      else if (!m[1]) {
        const args = m[2]!.split(';').map(Number);
        if (m[3] === 'H') this.row = (args[0] || 1) - 1;
        else if (m[3] === 'K') this.grid[this.row] = '';
        else if (m[3] === 'J') this.grid.fill('');
        else if (m[3] === 'r') {
          this.top = m[2] ? args[0]! - 1 : 0;
          this.bottom = m[2] ? args[1]! - 1 : this.rows - 1;
          this.row = 0;
        }
      }
    }
  }
}
