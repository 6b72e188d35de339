import { useCallback, useEffect, useRef, useState } from "react";
import { backend } from "../backend";
import type { ReplyView } from "../bindings/ReplyView";
import { PAGE_SIZE, PageCache } from "../logic/pageCache";

/**
 * The older unpaired replies of one conversation (those its view leaves
 * out), fetched a page at a time for the rows in view; a few pages are kept
 * (`MAX_PAGES`), so scrolling through 10,000 of them holds as many in memory
 * as scrolling through 300.
 */
export function useUnpairedPages(conversationId: string, needed: number[]) {
  const cache = useRef(new PageCache<ReplyView>());
  const pending = useRef(new Set<number>());
  const [, setLoaded] = useState(0);
  const key = needed.join(",");

  useEffect(() => {
    const keep = new Set(needed);
    cache.current.touch(needed);
    for (const page of needed) {
      if (cache.current.has(page) || pending.current.has(page)) continue;
      pending.current.add(page);
      backend
        .unpairedReplies(conversationId, page * PAGE_SIZE, PAGE_SIZE)
        .then((items) => {
          cache.current.put(page, items, keep);
          setLoaded((n) => n + 1);
        })
        // A failed page stays a placeholder row; scrolling asks again.
        .catch(() => undefined)
        .finally(() => pending.current.delete(page));
    }
    // `key` stands for `needed` (a new array each render, the same pages).
  }, [conversationId, key]);

  return useCallback((index: number) => cache.current.get(index), []);
}
