import { useState } from "react";
import { backend } from "../backend";
import type { ConversationView } from "../bindings/ConversationView";
import type { TurnView } from "../bindings/TurnView";
import { curlForTurn } from "../logic/curl";
import { diffJson, type DiffEntry } from "../logic/diff";
import { maskCallbackUrl } from "./StatusBar";
import { FLAG_LABELS } from "./Transcript";

function Json({ value }: { value: unknown }) {
  return <pre className="json">{JSON.stringify(value, null, 2)}</pre>;
}

function show(value: unknown): string {
  return value === undefined ? "" : JSON.stringify(value);
}

function Diff({ entries }: { entries: DiffEntry[] }) {
  if (entries.length === 0) return <p className="muted">Returned unchanged.</p>;
  return (
    <table className="diff" data-testid="custom-data-diff">
      <tbody>
        {entries.map((e) => (
          <tr key={`${e.kind}:${e.path}`} className={e.kind} data-testid="diff-row">
            <td className="kind">{e.kind}</td>
            <td className="path">
              <code>{e.path || "(root)"}</code>
            </td>
            <td>
              {e.kind !== "added" && <del>{show(e.before)}</del>} {e.kind !== "removed" && <ins>{show(e.after)}</ins>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function CopyButton({ label, text }: { label: string; text: () => string | Promise<string> }) {
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      className="secondary small"
      onClick={() => {
        void Promise.resolve(text())
          .then((t) => navigator.clipboard.writeText(t))
          .then(() => {
            setDone(true);
            window.setTimeout(() => setDone(false), 1200);
          })
          .catch((e: unknown) => window.alert(`Could not copy: ${String(e)}`));
      }}
    >
      {done ? "Copied" : label}
    </button>
  );
}

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
      <header>
        <h2>
          Turn {turn.seq} · <code>{conversation.conversationId}</code>
        </h2>
        <button type="button" className="icon" onClick={onClose} title="Close (Esc)">
          ✕
        </button>
      </header>
      <section>
        <h3>
          Request <span className="muted">POST /api/v1/chats/{conversation.avatarId}/{conversation.conversationId}</span>
        </h3>
        <p className="muted">
          Sent {new Date(turn.sentAt).toLocaleTimeString()} · state: {turn.state.kind}
          {turn.state.kind === "failed" && ` (${turn.state.code}: ${turn.state.message})`}
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
                  {x.requestHeaders.map(([k, v]) => `${k}: ${v}`).join("\n")}
                  {"\n\n"}
                  {maskCallbackUrl(x.requestBody)}
                </pre>
              </details>
              {x.responseBody !== null && <pre className="json">{x.responseBody}</pre>}
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
        <section key={i} data-testid="inspector-callback">
          <h3>
            Callback {i + 1}{" "}
            <span className="muted">
              {reply.latencyMs} ms · {reply.dialect === "camelCase" ? "camelCase (guide)" : "snake_case (SDK)"}
              {reply.isFinal ? " · final" : ""}
            </span>
          </h3>
          {reply.flags.length > 0 && (
            <p className="flags">
              {reply.flags.map((f) => (
                <span key={f} className="badge flag" title={FLAG_LABELS[f][1]}>
                  {FLAG_LABELS[f][0]}
                </span>
              ))}
            </p>
          )}
          <Json value={{ isFinal: reply.isFinal, response: reply.response, customData: reply.customData }} />
          <details>
            <summary>raw callback (headers and body as received)</summary>
            <pre className="json">
              {reply.rawHeaders}
              {"\n\n"}
              {reply.rawBody}
            </pre>
          </details>
          <h4>customData sent → received</h4>
          <Diff entries={diffJson(turn.customData, reply.customData)} />
        </section>
      ))}
    </aside>
  );
}
