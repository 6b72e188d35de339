import { memo } from "react";
import type { TurnView } from "../bindings/TurnView";
import type { RowShape } from "../hooks/useRowHeights";
import { withRemedy } from "../logic/remedy";
import { InspectButton, ReplyBubble } from "./ReplyBubble";
import { VisibleText } from "./VisibleText";

export { FLAG_LABELS } from "./ReplyBubble";

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

const UNPAIRED_SHAPES: Record<"present" | "full", RowShape> = {
  present: { key: "unpaired:present", lines: 1 },
  full: { key: "unpaired:full", lines: 1 },
};

/** The shape of an unpaired reply's row (`UnpairedRow`: one bubble); a row still loading has the same. */
export function unpairedRowShape(presenting: boolean): RowShape {
  return UNPAIRED_SHAPES[presenting ? "present" : "full"];
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
          <InspectButton title="Inspect this turn (request, callbacks, customData diff)" onClick={() => onInspect(turn)} />
        )}
        <div className="bubble user">
          <VisibleText text={turn.utterance} />
        </div>
      </div>
      {!presenting && <TurnStatus turn={turn} onRetry={onRetry} />}
      {turn.replies.map((reply, i) => (
        <div className="reply" key={i} data-testid="reply">
          <ReplyBubble reply={reply} presenting={presenting} avatarName={avatarName} testId="reply-text" latencyKnown />
        </div>
      ))}
    </div>
  );
});
