/**
 * Go's own orderings, reproduced step for step where a compiler pass depends on them: sort.Slice
 * (pdqsort_func, sort/zsortfunc.go, go1.21) and container/heap (heap.go). Both are deterministic
 * but not stable: with a comparison that leaves pairs unordered (ssa/schedule.go's ValHeap.Less in
 * Go 1.21), the order they give depends on every step, so they are reproduced exactly.
 */

type Less<T> = (a: T, b: T) => boolean;

/** sort.Slice: pdqsort_func over a copy of items. */
export function goSortSlice<T>(items: readonly T[], less: Less<T>): T[] {
  const a = [...items];
  const d = {
    less: (i: number, j: number) => less(a[i], a[j]),
    swap: (i: number, j: number) => { const t = a[i]; a[i] = a[j]; a[j] = t; },
  };
  pdqsort(d, 0, a.length, bitsLen(a.length));
  return a;
}

interface Data { less(i: number, j: number): boolean; swap(i: number, j: number): void }

const bitsLen = (n: number) => (n === 0 ? 0 : Math.floor(Math.log2(n)) + 1);

function insertionSort(d: Data, a: number, b: number) {
  for (let i = a + 1; i < b; i++) for (let j = i; j > a && d.less(j, j - 1); j--) d.swap(j, j - 1);
}

function siftDown(d: Data, lo: number, hi: number, first: number) {
  let root = lo;
  for (;;) {
    let child = 2 * root + 1;
    if (child >= hi) return;
    if (child + 1 < hi && d.less(first + child, first + child + 1)) child++;
    if (!d.less(first + root, first + child)) return;
    d.swap(first + root, first + child);
    root = child;
  }
}

function heapSort(d: Data, a: number, b: number) {
  const hi = b - a;
  for (let i = Math.trunc((hi - 1) / 2); i >= 0; i--) siftDown(d, i, hi, a);
  for (let i = hi - 1; i >= 0; i--) { d.swap(a, a + i); siftDown(d, 0, i, a); }
}

const UNKNOWN = 0, INCREASING = 1, DECREASING = 2;

function pdqsort(d: Data, a: number, b: number, limit: number) {
  let wasBalanced = true, wasPartitioned = true;
  for (;;) {
    const length = b - a;
    if (length <= 12) { insertionSort(d, a, b); return; }
    if (limit === 0) { heapSort(d, a, b); return; }
    if (!wasBalanced) { breakPatterns(d, a, b); limit--; }
    let [pivot, hint] = choosePivot(d, a, b);
    if (hint === DECREASING) {
      reverseRange(d, a, b);
      pivot = (b - 1) - (pivot - a);
      hint = INCREASING;
    }
    if (wasBalanced && wasPartitioned && hint === INCREASING && partialInsertionSort(d, a, b)) return;
    if (a > 0 && !d.less(a - 1, pivot)) { a = partitionEqual(d, a, b, pivot); continue; }
    const [mid, already] = partition(d, a, b, pivot);
    wasPartitioned = already;
    const left = mid - a, right = b - mid, threshold = Math.trunc(length / 8);
    if (left < right) { wasBalanced = left >= threshold; pdqsort(d, a, mid, limit); a = mid + 1; }
    else { wasBalanced = right >= threshold; pdqsort(d, mid + 1, b, limit); b = mid; }
  }
}

function partition(d: Data, a: number, b: number, pivot: number): [number, boolean] {
  d.swap(a, pivot);
  let i = a + 1, j = b - 1;
  while (i <= j && d.less(i, a)) i++;
  while (i <= j && !d.less(j, a)) j--;
  if (i > j) { d.swap(j, a); return [j, true]; }
  d.swap(i, j); i++; j--;
  for (;;) {
    while (i <= j && d.less(i, a)) i++;
    while (i <= j && !d.less(j, a)) j--;
    if (i > j) break;
    d.swap(i, j); i++; j--;
  }
  d.swap(j, a);
  return [j, false];
}

function partitionEqual(d: Data, a: number, b: number, pivot: number): number {
  d.swap(a, pivot);
  let i = a + 1, j = b - 1;
  for (;;) {
    while (i <= j && !d.less(a, i)) i++;
    while (i <= j && d.less(a, j)) j--;
    if (i > j) break;
    d.swap(i, j); i++; j--;
  }
  return i;
}

function partialInsertionSort(d: Data, a: number, b: number): boolean {
  let i = a + 1;
  for (let step = 0; step < 5; step++) {
    while (i < b && !d.less(i, i - 1)) i++;
    if (i === b) return true;
    if (b - a < 50) return false;
    d.swap(i, i - 1);
    // sort/zsortfunc.go stops at index 1, not at a + 1.
    if (i - a >= 2) for (let j = i - 1; j >= 1 && d.less(j, j - 1); j--) d.swap(j, j - 1);
    if (b - i >= 2) for (let j = i + 1; j < b && d.less(j, j - 1); j++) d.swap(j, j - 1);
  }
  return false;
}

function breakPatterns(d: Data, a: number, b: number) {
  const length = b - a;
  if (length < 8) return;
  let r = BigInt(length);
  const mask = (1n << 64n) - 1n;
  const next = () => { r ^= (r << 13n) & mask; r ^= r >> 17n; r ^= (r << 5n) & mask; return r; };
  const modulus = BigInt(1 << bitsLen(length));
  const mid = a + Math.trunc(length / 4) * 2;
  for (let idx = mid - 1; idx <= mid + 1; idx++) {
    let other = Number(next() & (modulus - 1n));
    if (other >= length) other -= length;
    d.swap(idx, a + other);
  }
}

function choosePivot(d: Data, a: number, b: number): [number, number] {
  const l = b - a;
  const swaps = { n: 0 };
  let i = a + Math.trunc(l / 4), j = a + Math.trunc(l / 4) * 2, k = a + Math.trunc(l / 4) * 3;
  if (l >= 8) {
    if (l >= 50) { i = medianAdjacent(d, i, swaps); j = medianAdjacent(d, j, swaps); k = medianAdjacent(d, k, swaps); }
    j = median(d, i, j, k, swaps);
  }
  return [j, swaps.n === 0 ? INCREASING : swaps.n === 12 ? DECREASING : UNKNOWN];
}

function order2(d: Data, a: number, b: number, swaps: { n: number }): [number, number] {
  if (d.less(b, a)) { swaps.n++; return [b, a]; }
  return [a, b];
}

function median(d: Data, a: number, b: number, c: number, swaps: { n: number }): number {
  [a, b] = order2(d, a, b, swaps);
  [b, c] = order2(d, b, c, swaps);
  [a, b] = order2(d, a, b, swaps);
  return b;
}

const medianAdjacent = (d: Data, a: number, swaps: { n: number }) => median(d, a - 1, a, a + 1, swaps);

function reverseRange(d: Data, a: number, b: number) {
  for (let i = a, j = b - 1; i < j; i++, j--) d.swap(i, j);
}

/** container/heap over an array, with Go's up and down. */
export class GoHeap<T> {
  readonly items: T[] = [];
  constructor(private readonly less: Less<T>) {}

  get length() { return this.items.length; }

  push(x: T) {
    this.items.push(x);
    this.up(this.items.length - 1);
  }

  pop(): T {
    const n = this.items.length - 1;
    this.swap(0, n);
    this.down(0, n);
    return this.items.pop()!;
  }

  private swap(i: number, j: number) { const h = this.items; const t = h[i]; h[i] = h[j]; h[j] = t; }

  private up(j: number) {
    for (;;) {
      const i = Math.trunc((j - 1) / 2); // Go's integer division: (0-1)/2 is 0
      if (i === j || !this.less(this.items[j], this.items[i])) break;
      this.swap(i, j);
      j = i;
    }
  }

  private down(i: number, n: number) {
    for (;;) {
      const j1 = 2 * i + 1;
      if (j1 >= n) break;
      let j = j1;
      if (j1 + 1 < n && this.less(this.items[j1 + 1], this.items[j1])) j = j1 + 1;
      if (!this.less(this.items[j], this.items[i])) break;
      this.swap(i, j);
      i = j;
    }
  }
}
