/**
 * Paging as the research protocols do it (private to src/sim): a page is the
 * items from an offset, and the key of the next page is the offset after it
 * as a decimal string, or the protocol's end marker ("" or "-1") after the
 * last. Each protocol family checks its own request fields (names, ranges and
 * messages differ between them) and pages with these.
 *
 * @module
 */

/** The key of the page after `[offset, offset + size)` of `total` items: its offset, or `end` after the last. */
export function nextKeyOf(offset: number, size: number, total: number, end: string): string {
  return offset + size < total ? String(offset + size) : end;
}

/** One page of a list: `size` items from `offset`, and the key of the next page (`end` after the last). */
export function pageSlice<T>(
  items: readonly T[],
  offset: number,
  size: number,
  end: string,
): { items: T[]; next: string } {
  return { items: items.slice(offset, offset + size), next: nextKeyOf(offset, size, items.length, end) };
}
