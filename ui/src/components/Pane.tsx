import { useState } from "react";
import { BackendError, backend } from "../backend";
import type { ConversationView } from "../bindings/ConversationView";
import { Composer } from "./Composer";
import { Transcript } from "./Transcript";

export function Pane({ conversation }: { conversation: ConversationView }) {
  const [error, setError] = useState<string | null>(null);

  const send = async (utterance: string, customData: unknown) => {
    setError(null);
    try {
      await backend.sendMessage(conversation.id, utterance, customData);
    } catch (e) {
      setError(e instanceof BackendError ? e.message : String(e));
      throw e;
    }
  };

  return (
    <section className="pane" data-testid="pane" aria-label={`Conversation ${conversation.conversationId}`}>
      <header className="pane-header">
        <span className="profile">{conversation.profileName}</span>
        <code className="conversation-id" data-testid="conversation-id" title="Conversation id sent to the avatar">
          {conversation.conversationId}
        </code>
        <span className={`pill ${conversation.ended ? "ended" : "live"}`}>
          {conversation.ended ? "ended" : "live"}
        </span>
      </header>
      <Transcript conversation={conversation} onRetry={(u, d) => void send(u, d).catch(() => undefined)} />
      {error && (
        <div className="banner error" role="alert">
          {error}
        </div>
      )}
      <Composer disabled={conversation.ended} onSend={send} />
    </section>
  );
}
