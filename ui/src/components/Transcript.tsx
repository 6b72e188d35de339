import { useVirtualizer } from "@tanstack/react-virtual";
import { useCallback, useEffect, useRef } from "react";
import type { ConversationView } from "../bindings/ConversationView";
import type { ReplyView } from "../bindings/ReplyView";
import type { TurnView } from "../bindings/TurnView";
import { useRowHeights } from "../hooks/useRowHeights";
import { useUnpairedPages } from "../hooks/useUnpairedPages";
import { keyboardScrollTarget } from "../logic/keyboardScroll";
import { pagesFor } from "../logic/pageCache";
import { rowAt, rowCount, unpairedTotal } from "../logic/transcriptRows";
import { useStableCallback } from "../hooks/useStableCallback";
import { TurnRow, rowShape, unpairedRowShape } from "./TurnRow";
import { UnpairedRow } from "./UnpairedRow";

export { FLAG_LABELS } from "./TurnRow";

/** Rows rendered beyond each edge of the viewport. */
const OVERSCAN = 4;

/**
 * The conversation's rows (unpaired replies, then turns: `transcriptRows`),
 * virtualized so panes with thousands of them stay smooth and small.
 */
export function Transcript({
  conversation,
  presenting,
  avatarName,
  selectedTurn,
  selectedReply,
  onInspect,
  onInspectUnpaired,
  onRetry,
}: {
  conversation: ConversationView;
  presenting: boolean;
  avatarName: string;
  selectedTurn: string | null;
  selectedReply: number | null;
  onInspect: (turn: TurnView) => void;
  onInspectUnpaired: (reply: ReplyView) => void;
  onRetry: (turn: TurnView) => void;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const turns = conversation.turns;
  const count = rowCount(conversation);
  // Filled in below, once the virtualizer says which rows are in view.
  const older = useRef<(index: number) => ReplyView | undefined>(() => undefined);
  const unpaired = unpairedTotal(conversation);
  const { estimateSize, measureElement } = useRowHeights((index) => {
    // Called for every row whenever the count changes: no allocation for
    // the (possibly 10,000) unpaired rows, which all have one shape.
    if (index < unpaired) return unpairedRowShape(presenting);
    const turn = turns[index - unpaired];
    return turn ? rowShape(turn, presenting) : { key: "", lines: 2 };
  });
  const virtualizer = useVirtualizer({
    count,
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
  const items = virtualizer.getVirtualItems();
  older.current = useUnpairedPages(
    conversation.id,
    pagesFor(
      items.map((i) => i.index),
      conversation.olderUnpaired,
    ),
  );
  const inspect = useStableCallback(onInspect);
  const inspectUnpaired = useStableCallback(onInspectUnpaired);
  const retry = useStableCallback(onRetry);
  const replyCount = turns.reduce((n, t) => n + t.replies.length, 0);
  const stickToEnd = useRef(true);

  const scrollToEnd = useCallback(() => {
    if (stickToEnd.current && count > 0) virtualizer.scrollToIndex(count - 1, { align: "end" });
  }, [count, virtualizer]);

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

  if (count === 0) {
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
      // Every row, rendered or not (tests wait on it).
      data-rows={count}
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
        {items.map((item) => {
          const row = rowAt(conversation, item.index, older.current);
          if (!row) return null;
          if (row.kind === "unpaired") {
            return (
              <UnpairedRow
                key={`u${row.index}`}
                reply={row.reply}
                index={item.index}
                presenting={presenting}
                avatarName={avatarName}
                selected={row.reply !== undefined && selectedReply === row.reply.id}
                measureRef={virtualizer.measureElement}
                onInspect={inspectUnpaired}
              />
            );
          }
          const turn = row.turn;
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
