import { describe, expect, it } from "vitest";
import { PageCache, pagesFor } from "./pageCache";

describe("PageCache", () => {
  it("finds items by index once their page is stored", () => {
    const cache = new PageCache<string>(10, 3);
    expect(cache.get(12)).toBeUndefined();
    cache.put(1, Array.from({ length: 10 }, (_, i) => `item ${10 + i}`));
    expect(cache.get(12)).toBe("item 12");
    expect(cache.has(1)).toBe(true);
    expect(cache.has(0)).toBe(false);
  });

  it("keeps at most maxPages, dropping the least recently used but never one still needed", () => {
    const cache = new PageCache<number>(1, 3);
    cache.put(0, [0]);
    cache.put(1, [1]);
    cache.put(2, [2]);
    cache.touch([0]); // 1 is now the least recently used
    cache.put(3, [3]);
    expect([0, 1, 2, 3].filter((p) => cache.has(p))).toEqual([0, 2, 3]);
    cache.put(4, [4], new Set([0, 2]));
    expect([0, 2, 3, 4].filter((p) => cache.has(p))).toEqual([0, 2, 4]);
    expect(cache.size).toBe(3);
  });

  it("stays bounded over a long scroll", () => {
    const cache = new PageCache<number>(50, 6);
    for (let page = 0; page < 200; page++) cache.put(page, [page], new Set([page - 1, page]));
    expect(cache.size).toBe(6);
  });
});

describe("pagesFor", () => {
  it("lists the pages of the indices below the limit, once each", () => {
    expect(pagesFor([48, 49, 50, 51, 120], 100, 50)).toEqual([0, 1]);
    expect(pagesFor([], 100, 50)).toEqual([]);
    expect(pagesFor([-1, 5], 3, 50)).toEqual([]);
  });
});
