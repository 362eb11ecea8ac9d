/**
 * Heap objects the program's go statements allocate (runtime/malloc.go mallocgc, as far as it
 * takes spans): the closure that carries a go statement's arguments, and the heap copy of an
 * array it captures by reference. An object of a size class takes a span of that class when the
 * P's mcache has none with room: a span class the start-up never used (Profile.startupSpanClasses,
 * read from runtimes printing their allocSpan calls), or one whose span these objects filled.
 * Objects over 32 KiB take a span of their own, as do the locals too large for the stack
 * (newobject at a function's start; mgc.ts frees those). Start-up spans are taken to have room,
 * and freeing small objects by GC is not modelled.
 */
import type { Runtime } from './proc.js';
import { PAGE_SIZE } from './mheap.js';

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

/** The size class an object of size bytes is rounded up to. */
export function sizeClass(size: number): number {
  let c = 1;
  while (CLASS_SIZE[c] < size) c++;
  return c;
}

/** A span the mcache holds for a span class: its base (0: not known) and objects taken so far. */
interface CachedSpan {
  base: number;
  used: number;
  capacity: number;
}

/** Objects of each span class taken from the span the mcache holds, and how many it can hold. */
export class SmallObjects {
  private readonly spans = new Map<number, CachedSpan>();

  /**
   * startup: the span classes the start-up has a span of; fill: for some of them, where that span
   * is and how many objects the start-up took from it (known for the environment it was read in).
   */
  constructor(private readonly startup: ReadonlySet<number>, fill: Record<number, [number, number]> = {}) {
    for (const [spanClass, [base, used]] of Object.entries(fill)) this.spans.set(Number(spanClass), { base, used, capacity: Infinity });
  }

  /** mallocgc(size, noscan): a new span when the object needs one. Returns the object's address (0: not known). */
  alloc(rt: Runtime, size: number, noscan: boolean): number {
    if (size > MAX_SMALL_SIZE) return rt.heap.allocPages(largeObjectPages(size), rt.curP?.pcache);
    const c = sizeClass(size);
    const spanClass = c * 2 + (noscan ? 1 : 0); // makeSpanClass
    // Its span is in the mcache when marking ends: not one sweepone finds (mgcsweep.ts).
    if (this.startup.has(spanClass)) rt.mcacheClasses.allocated(spanClass);
    let span = this.spans.get(spanClass);
    if (!span && this.startup.has(spanClass)) return 0; // a start-up span, with room, somewhere
    if (!span || span.used >= span.capacity) {
      span = { base: rt.heap.allocPages(CLASS_PAGES[c], rt.curP?.pcache), used: 0, capacity: Math.floor((CLASS_PAGES[c] * PAGE_SIZE) / CLASS_SIZE[c]) };
      this.spans.set(spanClass, span);
    }
    // nextFreeFast: the span's objects in address order.
    return span.base + CLASS_SIZE[c] * span.used++;
  }
}
