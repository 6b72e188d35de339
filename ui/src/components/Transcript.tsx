import { useEffect, useRef } from "react";
import type { ConversationView } from "../bindings/ConversationView";
import type { TurnView } from "../bindings/TurnView";

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

export function Transcript({
  conversation,
  onRetry,
}: {
  conversation: ConversationView;
  onRetry: (utterance: string, customData: unknown) => void;
}) {
  const end = useRef<HTMLDivElement>(null);
  const replyCount = conversation.turns.reduce((n, t) => n + t.replies.length, 0);
  useEffect(() => {
    end.current?.scrollIntoView({ block: "end" });
  }, [conversation.turns.length, replyCount]);

  if (conversation.turns.length === 0) {
    return (
      <div className="transcript empty" data-testid="transcript">
        <p>Type a message below and press Enter. The avatar answers here.</p>
      </div>
    );
  }
  return (
    <div className="transcript" data-testid="transcript">
      {conversation.turns.map((turn) => (
        <div className="turn" key={turn.id} data-testid="turn">
          <div className="bubble user">{turn.utterance}</div>
          <TurnStatus turn={turn} onRetry={() => onRetry(turn.utterance, turn.customData)} />
          {turn.replies.map((reply, i) => (
            <div className="reply" key={i} data-testid="reply">
              <div className="bubble avatar" data-testid="reply-text">
                {reply.response ?? <em>(no text)</em>}
              </div>
              <span className="badge" title="From sending the utterance to receiving this reply">
                {reply.latencyMs} ms
              </span>
              {reply.isFinal && <span className="badge final">final</span>}
            </div>
          ))}
        </div>
      ))}
      <div ref={end} />
    </div>
  );
}
