import { Queue } from '../../runtime/queue.js';

/**
 * The pending list: the runtime's FIFO (O(1) push, put-back at the front, oldest first) with
 * what the delivery loop also needs: a look at the oldest, take-all and removing the oldest.
 */
export class PendingList<T> extends Queue<T> {
  peek(): T | undefined {
    return this.items[this.head];
  }

  /** The items, oldest first, without taking them. */
  toArray(): T[] {
    return this.items.slice(this.head);
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
    this.unshift(batch);
  }

  /** Removes every item `drop` accepts, keeping order; returns how many went. */
  removeWhere(drop: (item: T) => boolean): number {
    return this.retain((x) => !drop(x));
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
