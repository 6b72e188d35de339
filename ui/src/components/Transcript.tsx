import { useVirtualizer } from "@tanstack/react-virtual";
import { useCallback, useEffect, useRef } from "react";
import type { ConversationView } from "../bindings/ConversationView";
import type { TurnView } from "../bindings/TurnView";
import { useRowHeights } from "../hooks/useRowHeights";
import { keyboardScrollTarget } from "../logic/keyboardScroll";
import { useStableCallback } from "../hooks/useStableCallback";
import { TurnRow, rowShape } from "./TurnRow";

export { FLAG_LABELS } from "./TurnRow";

/** Rows rendered beyond each edge of the viewport. */
const OVERSCAN = 4;

/** The conversation's turns, virtualized so panes with thousands of turns stay smooth. */
export function Transcript({
  conversation,
  presenting,
  avatarName,
  selectedTurn,
  onInspect,
  onRetry,
}: {
  conversation: ConversationView;
  presenting: boolean;
  avatarName: string;
  selectedTurn: string | null;
  onInspect: (turn: TurnView) => void;
  onRetry: (turn: TurnView) => void;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const turns = conversation.turns;
  const { estimateSize, measureElement } = useRowHeights((index) => {
    const turn = turns[index];
    return turn ? rowShape(turn, presenting) : { key: "", lines: 2 };
  });
  const virtualizer = useVirtualizer({
    count: turns.length,
    getScrollElement: () => scroller.current,
    estimateSize,
    measureElement,
    overscan: OVERSCAN,
    // Scrolling moves the rows with the scroll container; the virtualizer
    // only needs React when rows enter or leave the rendered range, not on
    // every scroll event.
    directDomUpdates: true,
    directDomUpdatesMode: "position",
  });
  const inspect = useStableCallback(onInspect);
  const retry = useStableCallback(onRetry);
  const replyCount = turns.reduce((n, t) => n + t.replies.length, 0);
  const stickToEnd = useRef(true);

  const scrollToEnd = useCallback(() => {
    if (stickToEnd.current && turns.length > 0) virtualizer.scrollToIndex(turns.length - 1, { align: "end" });
  }, [turns.length, virtualizer]);

  // Entering or leaving presentation mode resizes every bubble: stay at the end.
  useEffect(() => {
    stickToEnd.current = true;
  }, [presenting]);

  useEffect(scrollToEnd, [scrollToEnd, replyCount, presenting]);

  // The pane itself resizes when panes are added or the inspector opens.
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const observer = new ResizeObserver(scrollToEnd);
    observer.observe(el);
    return () => observer.disconnect();
  }, [scrollToEnd]);

  if (turns.length === 0) {
    return (
      <div className="transcript empty" data-testid="transcript">
        <p>{presenting ? "Say hello to the avatar." : "Type a message below and press Enter. The avatar answers here."}</p>
      </div>
    );
  }
  return (
    <div
      className="transcript"
      data-testid="transcript"
      // Focusable, so the keyboard can scroll it (arrows, Page Up/Down) and it
      // stays a scroll container while focused (see .transcript in styles.css).
      tabIndex={0}
      aria-label="Transcript"
      ref={scroller}
      onKeyDown={(e) => {
        // Only when the transcript itself has the focus: keys typed in a
        // row's button or link keep their meaning.
        if (e.target !== e.currentTarget || e.altKey || e.ctrlKey || e.metaKey) return;
        const top = keyboardScrollTarget(e.key, e.currentTarget);
        if (top === null) return;
        e.preventDefault();
        e.currentTarget.scrollTop = top;
      }}
      onScroll={(e) => {
        const el = e.currentTarget;
        // Follow new messages only while the reader is at the bottom.
        stickToEnd.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
      }}
    >
      <div ref={virtualizer.containerRef} className="turn-list">
        {virtualizer.getVirtualItems().map((item) => {
          const turn = turns[item.index];
          if (!turn) return null;
          return (
            <TurnRow
              key={turn.id}
              turn={turn}
              index={item.index}
              presenting={presenting}
              avatarName={avatarName}
              selected={selectedTurn === turn.id}
              measureRef={virtualizer.measureElement}
              onInspect={inspect}
              onRetry={retry}
            />
          );
        })}
      </div>
    </div>
  );
}
