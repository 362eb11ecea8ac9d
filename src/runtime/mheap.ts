/**
 * The heap's page allocator, as far as stacks see it (runtime/mheap.go, mpagealloc.go,
 * mpagecache.go). Pages are 8 KiB from the arena at 0xc000000000. The page allocator hands out
 * the lowest free run of pages (first fit by address). A P with a page cache serves requests of
 * fewer than 16 pages from its cache: a 64-page aligned chunk's free pages, taken whole from the
 * allocator (pageAlloc.allocToCache), again lowest address first.
 */
export const PAGE_SIZE = 8192;
export const ARENA_BASE = 0xc000000000;
const PAGE_CACHE_PAGES = 64; // pageCachePages = 8 * sys.PtrSize (mpagecache.go)

/** A P's page cache: a 64-page aligned chunk and which of its pages are still free. */
export class PageCache {
  base = 0; // address of page 0 of the chunk; 0 = empty
  /** 1 for each page of the chunk still free, and how many are. */
  readonly free = new Uint8Array(PAGE_CACHE_PAGES);
  nfree = 0;

  empty(): boolean {
    return this.nfree === 0;
  }

  /** Lowest run of npages free pages in the cache, taken; 0 if none. */
  alloc(npages: number): number {
    if (npages > this.nfree) return 0;
    let run = 0;
    for (let i = 0; i < PAGE_CACHE_PAGES; i++) {
      run = this.free[i] ? run + 1 : 0;
      if (run === npages) {
        const first = i - npages + 1;
        this.free.fill(0, first, i + 1);
        this.nfree -= npages;
        return this.base + first * PAGE_SIZE;
      }
    }
    return 0;
  }
}

export class MHeap {
  /** Free pages of the arena, by page index; grows on demand (the arena is 64 MiB per step). */
  private used: Uint8Array = new Uint8Array(1 << 13);
  /** Lowest page index that might be free: keeps first-fit fast. */
  private searchFrom = 0;
  /**
   * For each run length asked for, the lowest page index where such a run might start: the
   * real allocator finds runs through a radix tree of summaries; without one, a scan from the
   * lowest free page past thousands of used ones for every stack span is quadratic.
   */
  private runFrom = new Map<number, number>();

  private grow(min: number): void {
    let n = this.used.length;
    while (n < min) n *= 2;
    const bigger = new Uint8Array(n);
    bigger.set(this.used);
    this.used = bigger;
  }

  /** pageAlloc.alloc: the lowest run of npages free pages. */
  private allocRun(npages: number): number {
    let run = 0;
    let i = Math.max(this.searchFrom, this.runFrom.get(npages) ?? 0);
    for (;; i++) {
      if (i >= this.used.length) this.grow(i + npages + 1);
      run = this.used[i] ? 0 : run + 1;
      if (run === npages) break;
    }
    const first = i - npages + 1;
    this.used.fill(1, first, first + npages);
    if (first === this.searchFrom) this.searchFrom = first + npages;
    // No run of npages starts below first now; allocating only ever makes runs shorter.
    this.runFrom.set(npages, first + npages);
    return first;
  }

  /**
   * mheap.allocSpan: with a P and fewer than 16 pages, from the P's page cache, refilled (with the
   * chunk holding the lowest free page) only when it is empty; when the cache has no run long
   * enough, from the allocator, and the cache keeps its pages (a stack span then lands above
   * them: reference/shrink-twice, and a Go 1.19 runtime printing its allocSpan calls).
   */
  allocPages(npages: number, cache?: PageCache): number {
    if (cache && npages < PAGE_CACHE_PAGES / 4) {
      if (cache.empty()) this.allocToCache(cache);
      const base = cache.alloc(npages);
      if (base !== 0) return base;
    }
    return ARENA_BASE + this.allocRun(npages) * PAGE_SIZE;
  }

  /** pageAlloc.allocToCache: the aligned 64-page chunk holding the lowest free page, all its free pages. */
  private allocToCache(cache: PageCache): void {
    let i = this.searchFrom;
    for (;; i++) {
      if (i >= this.used.length) this.grow(i + PAGE_CACHE_PAGES + 1);
      if (!this.used[i]) break;
    }
    const chunk = i - (i % PAGE_CACHE_PAGES);
    if (chunk + PAGE_CACHE_PAGES > this.used.length) this.grow(chunk + PAGE_CACHE_PAGES + 1);
    cache.base = ARENA_BASE + chunk * PAGE_SIZE;
    cache.nfree = 0;
    for (let j = 0; j < PAGE_CACHE_PAGES; j++) {
      const free = this.used[chunk + j] ? 0 : 1;
      cache.free[j] = free;
      cache.nfree += free;
      this.used[chunk + j] = 1;
    }
    while (this.searchFrom < this.used.length && this.used[this.searchFrom]) this.searchFrom++;
  }

  /** mheap.freeManual / freeSpan: the pages go back to the allocator. */
  freePages(base: number, npages: number): void {
    const first = (base - ARENA_BASE) / PAGE_SIZE;
    this.used.fill(0, first, first + npages);
    if (first < this.searchFrom) this.searchFrom = first;
    // A run of n pages the free makes includes a freed page, so it starts at first - (n - 1) or above.
    for (const [n, from] of this.runFrom) this.runFrom.set(n, Math.min(from, Math.max(0, first - n + 1)));
  }
}
