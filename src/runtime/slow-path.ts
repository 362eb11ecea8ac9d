/**
 * mallocgc's slow path (malloc.go nextFree -> mcache.refill -> mcentral.cacheSpan): the conditions
 * its frames carry in the call tree (src/profiles/tree-changes.ts), which the interpreter enters
 * where they hold for the object being allocated (malloc.ts SmallObjects.slowPath).
 */
export const REFILL = "mallocgc's slow path: the P's mcache has no span with room for the object's span class (none since the last mark termination flushed it, or the one it has is full)";
export const REFILL_FULL = `${REFILL}, and the span it had is full: refill gives it back first`;
export const REFILL_NEW = `${REFILL}, and no span of that class has room: cacheSpan takes a new one from the heap`;

/** How an allocation takes the slow path: full, the mcache's span of its class was full; fresh, a new span. */
export interface SlowPath {
  full: boolean;
  fresh: boolean;
}
