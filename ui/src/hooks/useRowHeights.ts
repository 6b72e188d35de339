import { measureElement as measureDom, type Virtualizer } from "@tanstack/react-virtual";
import { useCallback, useRef } from "react";

/** What a row's height depends on, as far as it can be known before it renders. */
export interface RowShape {
  /** Rows with equal keys have equal heights while their texts fit one line. */
  key: string;
  /** Lines of bubbles and status, for a first guess before any row of the shape was measured. */
  lines: number;
}

const FIRST_LINE_PX = 76;
const EXTRA_LINE_PX = 36;

/**
 * Row height estimates that learn from the rows already measured.
 *
 * The virtualizer positions unmeasured rows by their estimate and corrects
 * them once they mount. When a row above the viewport comes out taller or
 * shorter than estimated it shifts the scroll position to compensate: one
 * more scroll event, React render and layout in that frame, and a jump of
 * the scrollbar. Rows of one shape are equally tall while their texts fit
 * one line, so the shortest measured row of a shape is an exact estimate
 * for most of the others (rows whose text wraps are still measured).
 */
export function useRowHeights(shapeOf: (index: number) => RowShape) {
  const heights = useRef(new Map<string, number>());
  const shape = useRef(shapeOf);
  shape.current = shapeOf;

  const estimateSize = useCallback((index: number): number => {
    const { key, lines } = shape.current(index);
    return heights.current.get(key) ?? FIRST_LINE_PX + Math.max(0, lines - 2) * EXTRA_LINE_PX;
  }, []);

  const measureElement = useCallback(
    (element: Element, entry: ResizeObserverEntry | undefined, instance: Virtualizer<HTMLDivElement, Element>) => {
      const size = measureDom(element, entry, instance);
      const { key } = shape.current(instance.indexFromElement(element));
      const known = heights.current.get(key);
      if (size > 0 && (known === undefined || size < known)) heights.current.set(key, size);
      return size;
    },
    [],
  );

  return { estimateSize, measureElement };
}
