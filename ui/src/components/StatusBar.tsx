import type { BackendInfo } from "../bindings/BackendInfo";

/** The callback URL with its secret path segment masked. */
export function maskCallbackUrl(text: string): string {
  return text.replace(/\/cb\/[^/?"\s]+/g, "/cb/••••••");
}

export function StatusBar({
  info,
  inboxCount,
  onOpenInbox,
}: {
  info: BackendInfo | null;
  inboxCount: number;
  onOpenInbox: () => void;
}) {
  return (
    <footer className="statusbar" data-testid="status-bar">
      <span title="Profile">● {info?.profileName ?? "…"}</span>
      <span title="Where avatars send their replies">
        Callbacks: <code>{info ? maskCallbackUrl(info.callbackUrl) : "starting…"}</code>
      </span>
      <button
        type="button"
        className={`link${inboxCount > 0 ? " attention" : ""}`}
        title="Requests that matched no conversation or were rejected, kept with their raw bytes"
        onClick={onOpenInbox}
        data-testid="open-inbox"
      >
        Inbox: {inboxCount}
      </button>
    </footer>
  );
}
