/**
 * Goroutine stacks, read side by side with runtime/stack.go: stackalloc, stackfree, the per-P
 * stack caches (stackcacherefill, stackcacherelease, stackcache_clear), the global stack pool,
 * stackLarge, newstack, copystack and shrinkstack. Every stackDebug >= 1 print of stack.go is
 * here, at the same point of the same function.
 */
import { MHeap, PAGE_SIZE, PageCache } from './mheap.js';
import type { EventSink, StackDest, StackSource } from './events.js';
import { hex } from './print.js';

export const FIXED_STACK = 2048; // _FixedStack / fixedStack
export const NUM_STACK_ORDERS = 4; // _NumStackOrders
export const STACK_CACHE_SIZE = 32768; // _StackCacheSize
export const STACK_SMALL = 128; // _StackSmall / abi.StackSmall
export const STACK_LIMIT = 800; // _StackLimit / stackNosplit: what shrinkstack keeps free
export const MAX_STACK_SIZE = 1_000_000_000; // maxstacksize, set by runtime.main on 64-bit
/** Time a stack copy takes per byte it moves, in the model's clock (see FORCE_PREEMPT_NS, interp.ts). */
export const COPY_NS_PER_BYTE = 0.43;

/** A stack-pool span: 32 KiB of stacks of one order, with its free list (head first). */
interface PoolSpan {
  base: number;
  free: number[]; // manualFreeList, head at the end (push/pop)
  allocCount: number;
  /** Its neighbours in the pool's list, and whether it is in it (mspan.next, prev, list). */
  next: PoolSpan | null;
  prev: PoolSpan | null;
  inList: boolean;
}

/**
 * mSpanList (mheap.go): the pool's spans of one order, doubly linked; insert puts a span first,
 * remove takes one out from anywhere. Both are O(1), as thousands of goroutines need.
 */
class SpanList {
  first: PoolSpan | null = null;

  insert(s: PoolSpan): void {
    s.next = this.first;
    s.prev = null;
    if (this.first) this.first.prev = s;
    this.first = s;
    s.inList = true;
  }

  remove(s: PoolSpan): void {
    if (s.prev) s.prev.next = s.next;
    else this.first = s.next;
    if (s.next) s.next.prev = s.prev;
    s.next = s.prev = null;
    s.inList = false;
  }
}

/** The parts of a G that stack.go reads and writes. */
export interface StackG {
  /** Goroutine id (goid). */
  id: number;
  /** Address of the g struct (printed as gp=). */
  addr: number;
  stack: Stack;
  stackguard0: number;
  /** gp.stack.hi - gp.sched.sp: bytes in use where the goroutine stopped (morestack or park). */
  schedUsed: number;
  isMarkWorker: boolean;
}

export interface StackCache {
  list: number[]; // head at the end
  size: number;
}

export interface Stack {
  lo: number;
  hi: number;
}

/** What stack.go needs from the rest of the runtime. */
export interface StackEnv {
  heap: MHeap;
  print(line: string): void;
  /** The stack cache and page cache of the P the current M holds, or null (no P, or preemptoff). */
  cacheP(): { stackcache: StackCache[]; pcache: PageCache } | null;
  /** The page cache of the current P for heap allocations (even when stack caches are bypassed). */
  pageCache(): PageCache | undefined;
  gcRunning(): boolean;
  /** Time spent outside the program's statements (a stack copy), in the model's clock. */
  spend(ns: number): void;
  /** Structured events beside the trace lines, when someone listens. */
  event?: EventSink;
}

export class Stacks {
  /** stackpool[order]: spans with free stacks, most recently inserted first. */
  private pool: SpanList[] = Array.from({ length: NUM_STACK_ORDERS }, () => new SpanList());
  /**
   * Every pool span by page number, address / PAGE_SIZE (spanOfUnchecked for pool stacks): a
   * small integer, where an address above 2^31 would be a boxed number as a Map key.
   */
  private spanOf = new Map<number, PoolSpan>();
  /** stackLarge.free[log2npages]: freed large spans kept while GC runs. */
  private large = new Map<number, number[]>();
  /** Sizes of large stack spans by base (mspan.npages). */
  private largeSpans = new Map<number, number>();

  constructor(private readonly env: StackEnv) {}

  static newCache(): StackCache[] {
    return Array.from({ length: NUM_STACK_ORDERS }, () => ({ list: [], size: 0 }));
  }

  /** stackpoolalloc: a stack of the order from the global pool; allocates a span when empty. */
  private stackpoolalloc(order: number): number {
    const list = this.pool[order];
    let s = list.first;
    if (!s) {
      const base = this.env.heap.allocPages(STACK_CACHE_SIZE / PAGE_SIZE, this.env.pageCache());
      s = { base, free: [], allocCount: 0, next: null, prev: null, inList: false };
      // The free list is built by pushing base+0, base+n, ...: the head is the highest stack.
      for (let i = 0; i < STACK_CACHE_SIZE; i += FIXED_STACK << order) s.free.push(base + i);
      list.insert(s);
      for (let i = 0; i < STACK_CACHE_SIZE; i += PAGE_SIZE) this.spanOf.set((base + i) / PAGE_SIZE, s);
    }
    const x = s.free.pop()!;
    s.allocCount++;
    // All stacks in s are allocated.
    if (s.free.length === 0) list.remove(s);
    return x;
  }

  /** stackpoolfree: back to its span; an empty span goes back to the heap unless GC runs. */
  private stackpoolfree(x: number, order: number): void {
    const s = this.spanOf.get(Math.floor(x / PAGE_SIZE))!;
    // s will now have a free stack.
    if (s.free.length === 0 && !s.inList) this.pool[order].insert(s);
    s.free.push(x);
    s.allocCount--;
    if (s.allocCount === 0 && !this.env.gcRunning()) this.releasePoolSpan(s, order);
  }

  private releasePoolSpan(s: PoolSpan, order: number): void {
    this.pool[order].remove(s);
    for (let i = 0; i < STACK_CACHE_SIZE; i += PAGE_SIZE) this.spanOf.delete((s.base + i) / PAGE_SIZE);
    this.env.heap.freePages(s.base, STACK_CACHE_SIZE / PAGE_SIZE);
  }

  /** stackcacherefill: half a cache's worth of stacks from the global pool. */
  private stackcacherefill(c: StackCache, order: number): void {
    this.env.print(`stackcacherefill order=${order}`);
    let size = 0;
    while (size < STACK_CACHE_SIZE / 2) {
      // Each stack is pushed onto the list's head: the last one taken comes out first.
      c.list.push(this.stackpoolalloc(order));
      size += FIXED_STACK << order;
    }
    c.size += size;
  }

  /** stackcacherelease: give stacks back to the pool until the cache holds half its limit. */
  private stackcacherelease(c: StackCache, order: number): void {
    this.env.print(`stackcacherelease order=${order}`);
    let size = c.size;
    while (size > STACK_CACHE_SIZE / 2) {
      this.stackpoolfree(c.list.pop()!, order);
      size -= FIXED_STACK << order;
    }
    c.size = size;
  }

  /** stackcache_clear: at GC mark termination every stack in the P's cache goes back to the pool. */
  stackcacheClear(cache: StackCache[], pid: number): void {
    this.env.print('stackcache clear');
    this.env.event?.({ kind: 'stackcache-clear', p: pid });
    for (let order = 0; order < NUM_STACK_ORDERS; order++) {
      const c = cache[order];
      while (c.list.length > 0) this.stackpoolfree(c.list.pop()!, order);
      c.size = 0;
    }
  }

  /** stackalloc: n bytes of stack, a power of two. */
  stackalloc(n: number): Stack {
    this.env.print(`stackalloc ${n}`);
    let v: number;
    let source: StackSource;
    let order: number | null = null;
    if (n < STACK_CACHE_SIZE) {
      order = Math.log2(n / FIXED_STACK);
      const p = this.env.cacheP();
      if (!p) {
        v = this.stackpoolalloc(order);
        source = 'pool';
      } else {
        const c = p.stackcache[order];
        source = 'cache';
        if (c.list.length === 0) {
          this.stackcacherefill(c, order);
          source = 'refill';
        }
        v = c.list.pop()!;
        c.size -= n;
      }
    } else {
      const npage = n / PAGE_SIZE;
      const log2npage = Math.log2(npage);
      const cached = this.large.get(log2npage);
      if (cached && cached.length > 0) {
        v = cached.shift()!;
        source = 'stackLarge';
      } else {
        v = this.env.heap.allocPages(npage, this.env.pageCache());
        this.largeSpans.set(v, npage);
        source = 'heap';
      }
    }
    this.env.print(`  allocated ${hex(v)}`);
    this.env.event?.({ kind: 'stackalloc', size: n, addr: v, source, order });
    return { lo: v, hi: v + n };
  }

  /** stackfree: small stacks to the P's cache (or the pool), large ones to the heap or stackLarge. */
  stackfree(stk: Stack): void {
    const n = stk.hi - stk.lo;
    const v = stk.lo;
    this.env.print(`stackfree ${hex(v)} ${n}`);
    let dest: StackDest;
    let order: number | null = null;
    if (n < STACK_CACHE_SIZE) {
      order = Math.log2(n / FIXED_STACK);
      const p = this.env.cacheP();
      if (!p) {
        this.stackpoolfree(v, order);
        dest = 'pool';
      } else {
        const c = p.stackcache[order];
        dest = 'cache';
        if (c.size >= STACK_CACHE_SIZE) {
          this.stackcacherelease(c, order);
          dest = 'release';
        }
        c.list.push(v);
        c.size += n;
      }
    } else if (!this.env.gcRunning()) {
      // Free the stack immediately if we're sweeping.
      this.largeSpans.delete(v);
      this.env.heap.freePages(v, n / PAGE_SIZE);
      dest = 'heap';
    } else {
      // While GC runs the span may not become a heap span: keep it in stackLarge.
      const log2npage = Math.log2(n / PAGE_SIZE);
      const l = this.large.get(log2npage) ?? [];
      l.unshift(v);
      this.large.set(log2npage, l);
      dest = 'stackLarge';
    }
    this.env.event?.({ kind: 'stackfree', size: n, addr: v, dest, order });
  }

  /** freeStackSpans: between GC cycles, empty pool spans and all of stackLarge go back to the heap. */
  freeStackSpans(): void {
    for (let order = 0; order < NUM_STACK_ORDERS; order++) {
      for (let s = this.pool[order].first; s;) {
        const next = s.next;
        if (s.allocCount === 0) this.releasePoolSpan(s, order);
        s = next;
      }
    }
    for (const [log2npage, spans] of this.large) {
      for (const v of spans) {
        this.largeSpans.delete(v);
        this.env.heap.freePages(v, 2 ** log2npage);
      }
      spans.length = 0;
    }
  }
}

export interface GrowthPolicy {
  growth: 'double' | 'fit-oldsize' | 'fit-used';
  stackGuard: number;
  noShrinkMarkWorker: boolean;
}

export type NewstackResult = { kind: 'grown' } | { kind: 'overflow'; sp: number } | { kind: 'preempted' };

/**
 * stackPreempt: the value sysmon (preemptone) puts in stackguard0 so that the goroutine's next
 * prologue check fails and newstack can preempt it (runtime/stack.go: stackPreempt).
 */
export const STACK_PREEMPT = Number.MAX_SAFE_INTEGER;

/** Where a morestack came from: the function whose prologue failed. */
export interface MorestackSite {
  fnName: string;
  /** gp.stack.hi - the function's entry SP (sched.sp). */
  entryUsed: number;
  /** Its frame size: funcMaxSPDelta. */
  frame: number;
  /** sched.pc (the return address of the function's call to morestack) and morebuf.pc (into its caller). */
  schedPC: number;
  retPC: number;
  /** Source line of the call, for events (null for a goroutine's first function). */
  line: number | null;
  /** For a closure: gp.stack.hi - its context pointer (sched.ctxt); null otherwise. */
  ctxtUsed?: number | null;
  /** For a closure on the heap: its address (sched.ctxt), when known. */
  ctxt?: number;
}

/**
 * newstack (called from morestack): prints where the goroutine stopped (stackDebug >= 1), picks
 * the new size by the version's policy and copies. An overflow is returned to the caller, which
 * owns the fatal error and its traceback.
 */
export function newstack(st: Stacks, env: StackEnv, gp: StackG, site: MorestackSite, pol: GrowthPolicy): NewstackResult {
  gp.schedUsed = site.entryUsed;
  const sp = gp.stack.hi - site.entryUsed;
  // The call to morestack cost a word: the printed sp is sched.sp - 8.
  env.print(`runtime: newstack sp=${hex(sp - 8)} stack=[${hex(gp.stack.lo)}, ${hex(gp.stack.hi)}]`);
  env.print(`\tmorebuf={pc:${hex(site.retPC)} sp:${hex(sp + 8)} lr:0x0}`);
  const ctxt = site.ctxt || (site.ctxtUsed == null ? 0 : gp.stack.hi - site.ctxtUsed);
  env.print(`\tsched={pc:${hex(site.schedPC)} sp:${hex(sp)} lr:0x0 ctxt:${hex(ctxt)}}`);
  if (gp.stackguard0 === STACK_PREEMPT) {
    // A preemption request, not a full stack: act like runtime.Gosched (gopreempt_m). The
    // function re-runs its prologue when the goroutine runs again.
    gp.stackguard0 = gp.stack.lo + pol.stackGuard;
    env.event?.({ kind: 'preempt', g: gp.id, fn: site.fnName, sp, lo: gp.stack.lo, hi: gp.stack.hi, used: site.entryUsed, line: site.line });
    return { kind: 'preempted' };
  }
  env.event?.({
    kind: 'morestack', g: gp.id, fn: site.fnName, frame: site.frame, sp, guard: gp.stackguard0,
    lo: gp.stack.lo, hi: gp.stack.hi, used: site.entryUsed, line: site.line,
  });
  const oldsize = gp.stack.hi - gp.stack.lo;
  let newsize = oldsize * 2;
  let needed: number | null = null;
  if (pol.growth !== 'double') {
    // Make sure we grow at least as much as needed to fit the new frame.
    needed = site.frame + pol.stackGuard;
    const base = pol.growth === 'fit-used' ? gp.schedUsed : oldsize;
    while (newsize - base < needed) newsize *= 2;
  }
  if (newsize > MAX_STACK_SIZE) {
    env.event?.({ kind: 'overflow', g: gp.id, size: oldsize, newSize: newsize });
    return { kind: 'overflow', sp: sp - 8 };
  }
  copystack(st, env, gp, newsize, pol, 'grow', needed);
  env.print('stack grow done');
  return { kind: 'grown' };
}

/** copystack: a new stack of newsize, the used part copied to its top, the old stack freed. */
export function copystack(
  st: Stacks, env: StackEnv, gp: StackG, newsize: number, pol: GrowthPolicy,
  reason: 'grow' | 'shrink', needed: number | null = null,
): void {
  const old = gp.stack;
  const used = gp.schedUsed;
  const nw = st.stackalloc(newsize);
  env.print(
    `copystack gp=${hex(gp.addr)} [${hex(old.lo)} ${hex(old.hi - used)} ${hex(old.hi)}]` +
      ` -> [${hex(nw.lo)} ${hex(nw.hi - used)} ${hex(nw.hi)}]/${newsize}`,
  );
  env.event?.({
    kind: 'copystack', g: gp.id, reason, oldSize: old.hi - old.lo, newSize: newsize, used,
    oldLo: old.lo, newLo: nw.lo, policy: reason === 'shrink' ? 'half' : pol.growth, needed,
  });
  // Frames and pointers into the stack are kept relative to stack.hi, so swapping the bounds is
  // the pointer adjustment (adjustframe/adjustpointers move everything by new.hi - old.hi).
  gp.stack = nw;
  gp.stackguard0 = nw.lo + pol.stackGuard;
  st.stackfree(old);
  // Whole nanoseconds: the clock stays a small integer, which V8 keeps unboxed.
  env.spend(Math.round(used * COPY_NS_PER_BYTE));
}

/** shrinkstack: at a GC stack scan, halve a stack that uses less than a quarter of itself. */
export function shrinkstack(st: Stacks, env: StackEnv, gp: StackG, pol: GrowthPolicy): void {
  if (pol.noShrinkMarkWorker && gp.isMarkWorker) return;
  // isShrinkStackSafe (1.19+) always holds here: goroutines stop only at synchronous safe points.
  const oldsize = gp.stack.hi - gp.stack.lo;
  const newsize = oldsize / 2;
  if (newsize < FIXED_STACK) return;
  if (gp.schedUsed + STACK_LIMIT >= oldsize / 4) return;
  env.print(`shrinking stack ${oldsize}->${newsize}`);
  env.event?.({ kind: 'shrink', g: gp.id, oldSize: oldsize, newSize: newsize, used: gp.schedUsed, limit: oldsize / 4 });
  copystack(st, env, gp, newsize, pol, 'shrink');
}
