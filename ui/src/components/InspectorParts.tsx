// Pieces of the inspector shared by a turn's and an unpaired reply's.
// Every string in them came from outside (the avatar, headers, customData):
// each is shown with `VisibleText` in strict mode, so a bidi control or an
// invisible character shows as a `U+…` token and reorders nothing, and the
// copy buttons copy the raw text.
import { useState } from "react";
import type { ReplyView } from "../bindings/ReplyView";
import { diffJson, type DiffEntry } from "../logic/diff";
import { FLAG_LABELS } from "./ReplyBubble";
import { VisibleText } from "./VisibleText";

export function Json({ value }: { value: unknown }) {
  return (
    <pre className="json">
      <VisibleText text={JSON.stringify(value, null, 2) ?? "undefined"} strict />
    </pre>
  );
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
              <code>
                <VisibleText text={e.path || "(root)"} strict />
              </code>
            </td>
            <td>
              {e.kind !== "added" && (
                <del>
                  <VisibleText text={show(e.before)} strict />
                </del>
              )}{" "}
              {e.kind !== "removed" && (
                <ins>
                  <VisibleText text={show(e.after)} strict />
                </ins>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function CopyButton({ label, text }: { label: string; text: () => string | Promise<string> }) {
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

/**
 * One callback: flags, the parsed reply, the raw request, and (for a reply
 * to a turn) the customData sent → received diff.
 */
export function CallbackDetails({
  reply,
  title,
  sentCustomData,
  latencyKnown,
}: {
  reply: ReplyView;
  title: string;
  /** The turn's customData; undefined for an unpaired reply (nothing was sent). */
  sentCustomData?: unknown;
  latencyKnown: boolean;
}) {
  return (
    <section data-testid="inspector-callback">
      <h3>
        {title}{" "}
        <span className="muted">
          {latencyKnown ? `${reply.latencyMs} ms · ` : `received ${new Date(reply.receivedAt).toLocaleTimeString()} · `}
          {reply.dialect === "camelCase" ? "camelCase (guide)" : "snake_case (SDK)"}
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
      <div className="row">
        {reply.response !== null && <CopyButton label="Copy response text" text={() => reply.response ?? ""} />}
        <CopyButton label="Copy raw body" text={() => reply.rawBody} />
      </div>
      <details>
        <summary>raw callback (headers and body as received)</summary>
        <pre className="json" data-testid="raw-callback">
          <VisibleText text={reply.rawHeaders} strict />
          {"\n\n"}
          <VisibleText text={reply.rawBody} strict />
        </pre>
      </details>
      {sentCustomData !== undefined && (
        <>
          <h4>customData sent → received</h4>
          <Diff entries={diffJson(sentCustomData, reply.customData)} />
        </>
      )}
    </section>
  );
}

export function InspectorHeader({
  title,
  conversationId,
  onClose,
}: {
  title: string;
  conversationId: string;
  onClose: () => void;
}) {
  return (
    <header>
      <h2>
        {title} ·{" "}
        <code>
          <VisibleText text={conversationId} strict />
        </code>
      </h2>
      <button type="button" className="icon" onClick={onClose} title="Close (Esc)">
        ✕
      </button>
    </header>
  );
}
