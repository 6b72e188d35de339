// A few pages of a long list, fetched on demand and the least recently used
// dropped: how the transcript shows thousands of unpaired replies while the
// web view holds only a bounded number of them (see `useUnpairedPages`).

export const PAGE_SIZE = 50;
/** Enough for the rows on screen plus the overscan of a tall pane, twice over. */
export const MAX_PAGES = 6;

export class PageCache<T> {
  private readonly pages = new Map<number, T[]>();

  constructor(
    readonly pageSize = PAGE_SIZE,
    readonly maxPages = MAX_PAGES,
  ) {}

  pageOf(index: number): number {
    return Math.floor(index / this.pageSize);
  }

  has(page: number): boolean {
    return this.pages.has(page);
  }

  /** The item at `index`, if its page is here. */
  get(index: number): T | undefined {
    return this.pages.get(this.pageOf(index))?.[index % this.pageSize];
  }

  /** Mark pages as just used (a Map keeps insertion order: oldest first). */
  touch(pages: Iterable<number>): void {
    for (const p of pages) {
      const items = this.pages.get(p);
      if (!items) continue;
      this.pages.delete(p);
      this.pages.set(p, items);
    }
  }

  /** Store a page, then drop the least recently used beyond `maxPages`, never one in `keep`. */
  put(page: number, items: T[], keep: ReadonlySet<number> = new Set()): void {
    this.pages.delete(page);
    this.pages.set(page, items);
    for (const p of this.pages.keys()) {
      if (this.pages.size <= this.maxPages) break;
      if (p !== page && !keep.has(p)) this.pages.delete(p);
    }
  }

  get size(): number {
    return this.pages.size;
  }
}

/** Pages holding those of `indices` that are below `limit`, ascending. */
export function pagesFor(indices: Iterable<number>, limit: number, pageSize = PAGE_SIZE): number[] {
  const pages = new Set<number>();
  for (const i of indices) if (i >= 0 && i < limit) pages.add(Math.floor(i / pageSize));
  return [...pages].sort((a, b) => a - b);
}
