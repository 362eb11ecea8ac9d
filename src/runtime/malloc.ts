/**
 * Heap objects the program's go statements allocate (runtime/malloc.go mallocgc, as far as it
 * takes spans): the closure that carries a go statement's arguments, and the heap copy of an
 * array it captures by reference. An object of a size class takes a span of that class when the
 * P's mcache has none with room: a span class the start-up never used (Profile.startupSpanClasses,
 * read from runtimes printing their allocSpan calls), or one whose span these objects filled.
 * Objects over 32 KiB take a span of their own, as do the locals too large for the stack
 * (newobject at a function's start; mgc.ts frees those). Start-up spans are taken to have room.
 * Which classes the P's mcache holds decides whether mallocgc takes its slow path (nextFree ->
 * refill -> cacheSpan, whose frames can grow the stack): the start-up's until the first mark
 * termination flushes them, then each as it is used again. A span whose objects were all for
 * goroutines that have run is given back to the heap when a cycle ends; other frees of small
 * objects are not modelled.
 */
import type { G, Runtime } from './proc.js';
import { PAGE_SIZE } from './mheap.js';
import type { SlowPath } from './slow-path.js';

/** sizeclasses.go class_to_size and class_to_allocnpages (the same in Go 1.19 and 1.21 to 1.24). */
const CLASS_SIZE = [0, 8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240, 256, 288, 320, 352, 384,
  416, 448, 480, 512, 576, 640, 704, 768, 896, 1024, 1152, 1280, 1408, 1536, 1792, 2048, 2304, 2688, 3072, 3200, 3456, 4096,
  4864, 5376, 6144, 6528, 6784, 6912, 8192, 9472, 9728, 10240, 10880, 12288, 13568, 14336, 16384, 18432, 19072, 20480, 21760,
  24576, 27264, 28672, 32768];
const CLASS_PAGES = [0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2,
  1, 2, 1, 2, 1, 3, 2, 3, 1, 3, 2, 3, 4, 5, 6, 1, 7, 6, 5, 4, 3, 5, 7, 2, 9, 7, 5, 8, 3, 10, 7, 4];
/** malloc.go maxSmallSize. */
const MAX_SMALL_SIZE = 32768;

/** The pages of a large object's span of its own (mcache.allocLarge: over 32 KiB). */
export const largeObjectPages = (size: number): number => Math.ceil(size / PAGE_SIZE);

/**
 * A sudog's span class: 96-byte objects with pointers (runtime2.go sudog, 88 bytes, in Go 1.19
 * and 1.21 to 1.24). Every start-up takes one (gcenable's channel receive), so the class has a
 * start-up span with room.
 */
export const SUDOG_SIZE = 88;
const SUDOG_SPAN_CLASS = 16;

/** makeSpanClass: the size class an object of size bytes takes, and whether it holds pointers. */
const spanClassOf = (size: number, noscan: boolean): number => sizeClass(size) * 2 + (noscan ? 1 : 0);

/** The pages of a span of the size class of size-byte objects (class_to_allocnpages). */
export const spanPages = (size: number): number => CLASS_PAGES[sizeClass(size)];

/** The size class an object of size bytes is rounded up to. */
export function sizeClass(size: number): number {
  let c = 1;
  while (CLASS_SIZE[c] < size) c++;
  return c;
}

/**
 * A span the mcache holds for a span class: its base (0: not known), objects taken so far, and
 * the goroutines whose go statements took them (null: the start-up's, or not known).
 */
interface CachedSpan {
  base: number;
  used: number;
  capacity: number;
  owners: GoObjectOwner[] | null;
}

/** The goroutine a go statement's object was allocated for, once newproc has made it. */
export interface GoObjectOwner {
  g: G | null;
}

/** Objects of each span class taken from the span the mcache holds, and how many it can hold. */
export class SmallObjects {
  private readonly spans = new Map<number, CachedSpan>();
  private readonly startup: ReadonlySet<number>;
  /** The span classes the P's mcache holds a span of: the start-up's, until mark termination flushes them. */
  private readonly cached: Set<number>;

  /**
   * startup: the span classes the start-up has a span of; fill: for some of them, where that span
   * is and how many objects the start-up took from it (known for the environment it was read in).
   */
  constructor(startup: ReadonlySet<number>, fill: Record<number, [number, number]> = {}) {
    this.startup = new Set([...startup, SUDOG_SPAN_CLASS]);
    this.cached = new Set(this.startup);
    for (const [spanClass, [base, used]] of Object.entries(fill)) this.spans.set(Number(spanClass), { base, used, capacity: Infinity, owners: null });
  }

  /** Mark termination: each P's mcache gives its spans back (mcache.prepareForSweep -> releaseAll). */
  flush(): void {
    this.cached.clear();
  }

  /**
   * Whether mallocgc(size, noscan) now takes its slow path (nextFreeFast finds no room in the
   * mcache's span: nextFree -> refill -> cacheSpan), and how; null: the fast path, or a large
   * object (mcache.allocLarge, not modelled). Call before alloc.
   */
  slowPath(size: number, noscan: boolean): SlowPath | null {
    if (size > MAX_SMALL_SIZE) return null;
    const spanClass = spanClassOf(size, noscan);
    const span = this.spans.get(spanClass);
    const full = !!span && span.used >= span.capacity;
    if (this.cached.has(spanClass) && !full) return null;
    return { full: full && this.cached.has(spanClass), fresh: full || (!span && !this.startup.has(spanClass)) };
  }

  /** new(sudog) (acquireSudog found none cached): its class is in the mcache from now on; its address is not needed. */
  sudog(): void {
    this.cached.add(SUDOG_SPAN_CLASS);
  }

  /**
   * Sweeping after mark termination: a span these objects filled whose every object is garbage
   * (each goroutine it was allocated for has run: its wrapper has copied the arguments out) goes
   * back to the heap, and the class's next object takes a new span (mspan.sweep: nalloc == 0 ->
   * mheap.freeSpan). recorded/go-big-arrays-gc: the 320-byte copies of go statements before
   * runtime.GC leave their page free for a stack after it.
   */
  freeGarbageSpans(rt: Runtime): void {
    for (const [spanClass, span] of this.spans) {
      if (!span.base || !span.owners || span.owners.some((o) => !o.g?.started)) continue;
      rt.heap.freePages(span.base, CLASS_PAGES[spanClass >> 1]);
      this.spans.delete(spanClass);
      this.cached.delete(spanClass);
    }
  }

  /** mcentral.grow -> mheap.alloc: a new span for the class of mallocgc(size, noscan), taken before its first object. */
  newSpan(rt: Runtime, size: number, noscan: boolean): void {
    const c = sizeClass(size);
    const span = { base: rt.heap.allocPages(CLASS_PAGES[c], rt.curP?.pcache), used: 0, capacity: Math.floor((CLASS_PAGES[c] * PAGE_SIZE) / CLASS_SIZE[c]), owners: [] };
    this.spans.set(spanClassOf(size, noscan), span);
  }

  /**
   * mallocgc(size, noscan) for a go statement of owner's (null: not known): a new span when the
   * object needs one. Returns the object's address (0: not known).
   */
  alloc(rt: Runtime, size: number, noscan: boolean, owner: GoObjectOwner = { g: null }): number {
    if (size > MAX_SMALL_SIZE) return rt.heap.allocPages(largeObjectPages(size), rt.curP?.pcache);
    const spanClass = spanClassOf(size, noscan);
    // Its span is in the mcache when marking ends: not one sweepone finds (mgcsweep.ts).
    if (this.startup.has(spanClass)) rt.mcacheClasses.allocated(spanClass);
    this.cached.add(spanClass);
    let span = this.spans.get(spanClass);
    if (!span && this.startup.has(spanClass)) return 0; // a start-up span, with room, somewhere
    if (!span || span.used >= span.capacity) {
      this.newSpan(rt, size, noscan);
      span = this.spans.get(spanClass)!;
    }
    span.owners?.push(owner);
    // nextFreeFast: the span's objects in address order.
    return span.base + CLASS_SIZE[spanClass >> 1] * span.used++;
  }
}
