import { useEffect, useState } from "react";
import { backend, errorMessage } from "../backend";
import type { ConversationView } from "../bindings/ConversationView";
import type { InboxItemView } from "../bindings/InboxItemView";
import { visibleString } from "../logic/visibleText";
import { Dialog } from "./Dialog";
import { VisibleText } from "./VisibleText";

const REASONS: Record<string, string> = {
  orphan: "no conversation uses its conversation id",
  malformed: "not a valid callback body",
  wrong_secret: "wrong secret in the callback path",
  wrong_method: "not a POST",
  unknown_path: "not a callback path",
  too_large: "body over the size limit",
  timeout: "body too slow to arrive",
};

/** Everything the callback server kept aside, with the raw request. */
export function InboxDialog({ panes, onClose }: { panes: ConversationView[]; onClose: () => void }) {
  const [items, setItems] = useState<InboxItemView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = () =>
    backend
      .listInbox()
      .then(setItems)
      .catch((e: unknown) => setError(errorMessage(e)));
  useEffect(() => void reload(), []);
  const assign = (item: number, pane: string) =>
    backend.assignInboxItem(item, pane).then(
      () => reload(),
      (e: unknown) => setError(errorMessage(e)),
    );
  return (
    <Dialog
      label="Inbox"
      className="replay"
      testId="inbox-dialog"
      onClose={onClose}
      actions={
        <button type="button" onClick={onClose}>
          Close
        </button>
      }
    >
      <h2>Inbox</h2>
      <p className="muted">
        Requests to the callback server that are not a valid reply for an open conversation. They were answered 4xx (or
        202 for an unknown conversation) and kept here byte for byte.
      </p>
      {error && <p className="banner error">{error}</p>}
      {items?.length === 0 && <p className="empty">Nothing here: every callback matched a conversation.</p>}
      {items?.map((item) => (
        <details key={item.id} className="inbox-item" data-testid="inbox-item">
          <summary>
            <strong>{item.reason}</strong> · {REASONS[item.reason] ?? <VisibleText text={item.detail} strict />} ·{" "}
            <span className="muted">
              <VisibleText text={item.method} strict /> <VisibleText text={item.path} strict /> · {item.bodySize} bytes ·{" "}
              {new Date(item.receivedAt).toLocaleTimeString()}
            </span>
          </summary>
          <p className="muted">
            <VisibleText text={item.detail} strict />
          </p>
          {item.reason === "orphan" && panes.length > 0 && (
            <label className="row">
              Assign to a pane:{" "}
              <select defaultValue="" onChange={(e) => e.target.value && void assign(item.id, e.target.value)} data-testid="assign-inbox">
                <option value="" disabled>
                  choose…
                </option>
                {panes.map((p) => (
                  <option key={p.id} value={p.id}>
                    {visibleString(p.conversationId)}
                  </option>
                ))}
              </select>
            </label>
          )}
          <pre className="json">
            <VisibleText text={item.rawHeaders} strict />
            {"\n\n"}
            <VisibleText text={item.bodyText} strict />
          </pre>
        </details>
      ))}
    </Dialog>
  );
}
