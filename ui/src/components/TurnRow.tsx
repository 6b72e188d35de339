import { memo } from "react";
import type { ReplyFlag } from "../bindings/ReplyFlag";
import type { TurnView } from "../bindings/TurnView";
import type { RowShape } from "../hooks/useRowHeights";
import { withRemedy } from "../logic/remedy";

/** How each anomaly flag reads on a badge, and what it means. */
export const FLAG_LABELS: Record<ReplyFlag, [string, string]> = {
  late: ["late", "Arrived after a newer utterance was sent"],
  duplicate: ["duplicate", "The same payload arrived again"],
  outOfOrder: ["out of order", "Answers an older utterance than a reply that came before it"],
  afterFinal: ["after final", "Arrived after the avatar had ended the conversation"],
  extraReply: ["several replies", "Another reply to an utterance that was already answered"],
  unpaired: ["unpaired", "Matches no utterance of this conversation"],
};

/** The status line under an utterance, if it has one (see `TurnStatus`). */
function statusOf(turn: TurnView): "sending" | "waiting" | "failed" | null {
  switch (turn.state.kind) {
    case "sending":
      return "sending";
    case "sent":
      return turn.replies.length === 0 ? "waiting" : null;
    case "failed":
      return "failed";
  }
}

/** What the row's height depends on, for the virtualizer's estimates. */
export function rowShape(turn: TurnView, presenting: boolean): RowShape {
  const status = presenting ? null : statusOf(turn);
  return {
    key: `${presenting ? "present" : "full"}:${turn.replies.length}:${status ?? "-"}`,
    lines: 1 + turn.replies.length + (status ? 1 : 0),
  };
}

function TurnStatus({ turn, onRetry }: { turn: TurnView; onRetry: (turn: TurnView) => void }) {
  switch (statusOf(turn)) {
    case "sending":
      return <span className="turn-status">sending…</span>;
    case "waiting":
      return <span className="turn-status">waiting for the avatar…</span>;
    case "failed":
      return (
        <span className="turn-status failed" role="alert">
          Not delivered: {turn.state.kind === "failed" ? withRemedy(turn.state.code, turn.state.message) : ""}{" "}
          <button type="button" onClick={() => onRetry(turn)}>
            Retry
          </button>
        </span>
      );
    case null:
      return null;
  }
}

interface TurnRowProps {
  turn: TurnView;
  /** Position in the transcript, read by the virtualizer from `data-index`. */
  index: number;
  presenting: boolean;
  avatarName: string;
  selected: boolean;
  /** The virtualizer's measuring ref; it also writes the row's `top`. */
  measureRef: (element: HTMLDivElement | null) => void;
  onInspect: (turn: TurnView) => void;
  onRetry: (turn: TurnView) => void;
}

/**
 * One utterance and its replies. Memoized, and all props are stable while a
 * transcript scrolls, so a scroll frame only renders rows that come into
 * view. The row is its own positioned element (no wrapper) to keep the DOM
 * per visible turn small.
 */
export const TurnRow = memo(function TurnRow({
  turn,
  index,
  presenting,
  avatarName,
  selected,
  measureRef,
  onInspect,
  onRetry,
}: TurnRowProps) {
  return (
    <div ref={measureRef} data-index={index} className={`turn${selected ? " selected" : ""}`} data-testid="turn">
      <div className="user-line">
        {!presenting && (
          <button
            type="button"
            className="link inspect"
            onClick={() => onInspect(turn)}
            title="Inspect this turn (request, callbacks, customData diff)"
          >
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
              {reply.flags.map((f) => (
                <span key={f} className="badge flag" title={FLAG_LABELS[f][1]} data-testid="flag">
                  {FLAG_LABELS[f][0]}
                </span>
              ))}
            </>
          )}
        </div>
      ))}
    </div>
  );
});
