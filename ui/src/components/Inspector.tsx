import { backend } from "../backend";
import type { ConversationView } from "../bindings/ConversationView";
import type { ReplyView } from "../bindings/ReplyView";
import type { TurnView } from "../bindings/TurnView";
import { curlForTurn } from "../logic/curl";
import { CallbackDetails, CopyButton, InspectorHeader, Json } from "./InspectorParts";
import { maskCallbackUrl } from "./StatusBar";
import { VisibleText } from "./VisibleText";

/** One turn in detail: what was sent, every callback, and the customData round trip. */
export function Inspector({
  conversation,
  turn,
  onClose,
}: {
  conversation: ConversationView;
  turn: TurnView;
  onClose: () => void;
}) {
  const request = { callbackUri: maskCallbackUrl(turn.callbackUri), utterance: turn.utterance, customData: turn.customData };
  return (
    <aside className="inspector" data-testid="inspector" aria-label="Turn inspector">
      <InspectorHeader title={`Turn ${turn.seq}`} conversationId={conversation.conversationId} onClose={onClose} />
      <section>
        <h3>
          Request{" "}
          <span className="muted">
            POST /api/v1/chats/{conversation.avatarId}/<VisibleText text={conversation.conversationId} strict />
          </span>
        </h3>
        <p className="muted">
          Sent {new Date(turn.sentAt).toLocaleTimeString()} · state: {turn.state.kind}
          {turn.state.kind === "failed" && (
            <>
              {" "}
              (<VisibleText text={`${turn.state.code}: ${turn.state.message}`} strict />)
            </>
          )}
        </p>
        <Json value={request} />
        <div className="row">
          <CopyButton label="Copy as curl" text={() => curlForTurn(conversation, turn)} />
          <CopyButton label="Copy JSON" text={() => JSON.stringify(request, null, 2)} />
          <CopyButton label="Copy bug report" text={() => backend.bugReportForTurn(conversation.id, turn.seq)} />
        </div>
      </section>
      {turn.exchanges.length > 0 && (
        <section data-testid="inspector-exchanges">
          <h3>Avatar API answer{turn.exchanges.length > 1 ? `s (${turn.exchanges.length} attempts)` : ""}</h3>
          {turn.exchanges.map((x, i) => (
            <div key={i}>
              <p className="muted">
                {x.method} {maskCallbackUrl(x.url)} → {x.status ?? x.error ?? "no answer"} · {x.durationMs} ms
              </p>
              <details>
                <summary>request as sent (headers and body)</summary>
                <pre className="json">
                  <VisibleText text={x.requestHeaders.map(([k, v]) => `${k}: ${v}`).join("\n")} strict />
                  {"\n\n"}
                  <VisibleText text={maskCallbackUrl(x.requestBody)} strict />
                </pre>
              </details>
              {x.responseBody !== null && (
                <pre className="json">
                  <VisibleText text={x.responseBody} strict />
                </pre>
              )}
            </div>
          ))}
        </section>
      )}
      {turn.replies.length === 0 && (
        <section>
          <h3>Callbacks</h3>
          <p className="muted">No callback has arrived for this turn yet.</p>
        </section>
      )}
      {turn.replies.map((reply, i) => (
        <CallbackDetails key={reply.id} reply={reply} title={`Callback ${i + 1}`} sentCustomData={turn.customData} latencyKnown />
      ))}
    </aside>
  );
}

/** A reply that answers no utterance: the callback alone (no request, no diff). */
export function UnpairedInspector({
  conversation,
  reply,
  onClose,
}: {
  conversation: ConversationView;
  reply: ReplyView;
  onClose: () => void;
}) {
  return (
    <aside className="inspector" data-testid="inspector" aria-label="Reply inspector">
      <InspectorHeader title="Unpaired reply" conversationId={conversation.conversationId} onClose={onClose} />
      <p className="muted">
        It matched no utterance of this conversation: none had been sent when it arrived (or it repeats one that did
        not). Its latency is unknown.
      </p>
      <CallbackDetails reply={reply} title="Callback" latencyKnown={false} />
    </aside>
  );
}
