import { useVirtualizer } from "@tanstack/react-virtual";
import { memo, useCallback, useEffect, useRef } from "react";
import type { ConversationView } from "../bindings/ConversationView";
import type { ReplyFlag } from "../bindings/ReplyFlag";
import type { TurnView } from "../bindings/TurnView";

/** How each anomaly flag reads on a badge, and what it means. */
export const FLAG_LABELS: Record<ReplyFlag, [string, string]> = {
  late: ["late", "Arrived after a newer utterance was sent"],
  duplicate: ["duplicate", "The same payload arrived again"],
  outOfOrder: ["out of order", "Answers an older utterance than a reply that came before it"],
  afterFinal: ["after final", "Arrived after the avatar had ended the conversation"],
  extraReply: ["several replies", "Another reply to an utterance that was already answered"],
  unpaired: ["unpaired", "Matches no utterance of this conversation"],
};

function FlagBadges({ flags }: { flags: ReplyFlag[] }) {
  return (
    <>
      {flags.map((f) => (
        <span key={f} className="badge flag" title={FLAG_LABELS[f][1]} data-testid="flag">
          {FLAG_LABELS[f][0]}
        </span>
      ))}
    </>
  );
}

function TurnStatus({ turn, onRetry }: { turn: TurnView; onRetry: () => void }) {
  switch (turn.state.kind) {
    case "sending":
      return <span className="turn-status">sending…</span>;
    case "sent":
      return turn.replies.length === 0 ? <span className="turn-status">waiting for the avatar…</span> : null;
    case "failed":
      return (
        <span className="turn-status failed" role="alert">
          Not delivered: {turn.state.message}{" "}
          <button type="button" onClick={onRetry}>
            Retry
          </button>
        </span>
      );
  }
}

interface TurnProps {
  turn: TurnView;
  presenting: boolean;
  avatarName: string;
  selected: boolean;
  onInspect: () => void;
  onRetry: () => void;
}

const Turn = memo(function Turn({ turn, presenting, avatarName, selected, onInspect, onRetry }: TurnProps) {
  return (
    <div className={`turn${selected ? " selected" : ""}`} data-testid="turn">
      <div className="user-line">
        {!presenting && (
          <button type="button" className="link inspect" onClick={onInspect} title="Inspect this turn (request, callbacks, customData diff)">
            inspect
          </button>
        )}
        <div className="bubble user">{turn.utterance}</div>
      </div>
      {!presenting && <TurnStatus turn={turn} onRetry={onRetry} />}
      {turn.replies.map((reply, i) => (
        <div className="reply" key={i} data-testid="reply">
          <div className="bubble avatar">
            {presenting && <div className="speaker">{avatarName}</div>}
            <span data-testid="reply-text">{reply.response ?? ""}</span>
            {reply.response === null && !presenting && <em className="muted">(no text)</em>}
          </div>
          {!presenting && (
            <>
              <span className="badge" title="From sending the utterance to receiving this reply">
                {reply.latencyMs} ms
              </span>
              {reply.isFinal && <span className="badge final">final</span>}
              <FlagBadges flags={reply.flags} />
            </>
          )}
        </div>
      ))}
    </div>
  );
});

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
  const virtualizer = useVirtualizer({
    count: turns.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => 72,
    overscan: 6,
  });
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
      ref={scroller}
      onScroll={(e) => {
        const el = e.currentTarget;
        // Follow new messages only while the reader is at the bottom.
        stickToEnd.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
      }}
    >
      <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
        {virtualizer.getVirtualItems().map((item) => {
          const turn = turns[item.index];
          if (!turn) return null;
          return (
            <div
              key={turn.id}
              data-index={item.index}
              ref={virtualizer.measureElement}
              className="turn-slot"
              style={{ transform: `translateY(${item.start}px)` }}
            >
              <Turn
                turn={turn}
                presenting={presenting}
                avatarName={avatarName}
                selected={selectedTurn === turn.id}
                onInspect={() => onInspect(turn)}
                onRetry={() => onRetry(turn)}
              />
            </div>
          );
        })}
      </div>
    </div>
  );
}
