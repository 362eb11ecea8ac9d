/**
 * A FIFO of goroutines (run queues, channel wait queues) with O(1) push and shift: thousands of
 * goroutines wait on one channel in the programs this simulates, and Array.shift is linear.
 */
export class Queue<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(...xs: T[]): void {
    for (const x of xs) this.items.push(x);
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const x = this.items[this.head];
    this.items[this.head++] = undefined;
    // Compact once the consumed prefix dominates, so memory follows what is queued.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return x;
  }

  /** Takes the first n items in order. */
  take(n: number): T[] {
    const out: T[] = [];
    for (let i = 0; i < n && this.length > 0; i++) out.push(this.shift()!);
    return out;
  }
}
