/** A FIFO array with O(1) amortised shift; compacts itself when the consumed head grows. */
export class Queue<T> {
  protected items: T[] = [];
  protected head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  /** Removes and returns up to `n` items from the front. */
  take(n: number): T[] {
    const end = Math.min(this.items.length, this.head + n);
    const out = this.items.slice(this.head, end);
    this.head = end;
    this.compact();
    return out;
  }

  /** Removes and returns the front item (undefined when empty). */
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head++];
    this.compact();
    return item;
  }

  /** Drops the consumed head once it is large and at least half the array. */
  private compact(): void {
    if (this.head >= 4096 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  /** Puts items back at the front (a batch whose delivery must be retried). */
  unshift(batch: readonly T[]): void {
    if (batch.length === 0) return;
    if (this.head >= batch.length) {
      this.head -= batch.length;
      for (let i = 0; i < batch.length; i++) this.items[this.head + i] = batch[i]!;
    } else {
      this.items = [...batch, ...this.items.slice(this.head)];
      this.head = 0;
    }
  }

  /** Keeps only the items `keep` accepts; returns how many were removed. */
  retain(keep: (item: T) => boolean): number {
    const before = this.length;
    this.items = this.items.slice(this.head).filter(keep);
    this.head = 0;
    return before - this.items.length;
  }

  /** Drops everything after the first `n` items; returns how many were removed. */
  truncate(n: number): number {
    const removed = Math.max(0, this.length - n);
    if (removed > 0) this.items.length = this.head + n;
    return removed;
  }
}
