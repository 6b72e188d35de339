import { useCallback, useLayoutEffect, useRef } from "react";

/**
 * A function whose identity never changes but that always calls the latest
 * `fn`: memoized children (transcript rows) then skip re-rendering when their
 * parent passes a fresh arrow function on every render.
 */
export function useStableCallback<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  const latest = useRef(fn);
  useLayoutEffect(() => {
    latest.current = fn;
  });
  return useCallback((...args: A) => latest.current(...args), []);
}
