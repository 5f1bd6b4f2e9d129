/** The pending list: a FIFO with O(1) push and take-all, put-back at the front, oldest first. */
export class PendingList<T> {
  private items: T[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  peek(): T | undefined {
    return this.items[this.head];
  }

  /** The whole list, which is left empty. */
  takeAll(): T[] {
    const out = this.head === 0 ? this.items : this.items.slice(this.head);
    this.items = [];
    this.head = 0;
    return out;
  }

  /** Puts a failed batch back in front of what arrived since. */
  unshiftAll(batch: readonly T[]): void {
    if (batch.length === 0) return;
    this.items = batch.concat(this.head === 0 ? this.items : this.items.slice(this.head));
    this.head = 0;
  }

  /** Removes every item `drop` accepts, keeping order; returns how many went. */
  removeWhere(drop: (item: T) => boolean): number {
    const before = this.length;
    this.items = this.items.slice(this.head).filter((x) => !drop(x));
    this.head = 0;
    return before - this.items.length;
  }

  /**
   * Removes the `n` oldest items `first` accepts, then, if that was not enough, the oldest of the
   * rest; returns how many went (at most `n`).
   */
  removeOldest(n: number, first: (item: T) => boolean): number {
    if (n <= 0) return 0;
    let left = n;
    const pass = (pick: (item: T) => boolean) => {
      if (left === 0) return;
      const kept: T[] = [];
      for (let i = this.head; i < this.items.length; i++) {
        const x = this.items[i]!;
        if (left > 0 && pick(x)) left--;
        else kept.push(x);
      }
      this.items = kept;
      this.head = 0;
    };
    pass(first);
    pass(() => true);
    return n - left;
  }
}
