// A minimal external store: state outside React, read by components through
// selectors (`useSelector`), so a change re-renders only the components whose
// selected value changed. React's `useSyncExternalStore` does the subscribing;
// no library needed for this much (see docs/developer/ui.md).
import { useSyncExternalStore } from "react";

export interface Store<S> {
  get(): S;
  /** Replace the state with `update(state)`; listeners run only if it changed (by identity). */
  set(update: (state: S) => S): void;
  subscribe(listener: () => void): () => void;
}

export function createStore<S>(initial: S): Store<S> {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => state,
    set(update) {
      const next = update(state);
      if (Object.is(next, state)) return;
      state = next;
      for (const listener of [...listeners]) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}

/**
 * The part of the store `select` picks, re-rendering the caller only when
 * that part changes (compared by identity). `select` must return a value
 * already in the state or a primitive, not a new object or array each call.
 */
export function useSelector<S, T>(store: Store<S>, select: (state: S) => T): T {
  return useSyncExternalStore(store.subscribe, () => select(store.get()));
}
