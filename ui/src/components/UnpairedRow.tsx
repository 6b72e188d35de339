import { memo } from "react";
import type { ReplyView } from "../bindings/ReplyView";
import { InspectButton, ReplyBubble } from "./ReplyBubble";

/**
 * A reply that answers no utterance, as a row of the transcript: its text,
 * flags (`unpaired` and any other) and an inspector like any reply. Its
 * latency is unknown (nothing was sent), so none is shown. `reply` is
 * undefined while its page is fetched.
 */
export const UnpairedRow = memo(function UnpairedRow({
  reply,
  index,
  presenting,
  avatarName,
  selected,
  measureRef,
  onInspect,
}: {
  reply: ReplyView | undefined;
  index: number;
  presenting: boolean;
  avatarName: string;
  selected: boolean;
  measureRef: (element: HTMLDivElement | null) => void;
  onInspect: (reply: ReplyView) => void;
}) {
  if (!reply) {
    return (
      <div ref={measureRef} data-index={index} className="turn unpaired-row" data-testid="unpaired-loading">
        <div className="reply">
          <div className="bubble avatar muted">…</div>
        </div>
      </div>
    );
  }
  return (
    <div
      ref={measureRef}
      data-index={index}
      className={`turn unpaired-row${selected ? " selected" : ""}`}
      data-testid="unpaired"
      data-reply-id={reply.id}
    >
      <div className="reply">
        <ReplyBubble reply={reply} presenting={presenting} avatarName={avatarName} testId="unpaired-text" latencyKnown={false} />
        {!presenting && (
          <InspectButton title="Inspect this callback (headers, body, customData)" onClick={() => onInspect(reply)} />
        )}
      </div>
    </div>
  );
});
