import type { BackendInfo } from "../bindings/BackendInfo";

/** The callback URL with its secret path segment masked. */
export function maskCallbackUrl(url: string): string {
  return url.replace(/\/cb\/[^/]+/, "/cb/••••••");
}

export function StatusBar({ info, inboxCount }: { info: BackendInfo | null; inboxCount: number }) {
  return (
    <footer className="statusbar" data-testid="status-bar">
      <span title="Profile">● {info?.profileName ?? "…"}</span>
      <span title="Where avatars send their replies">
        Callbacks: <code>{info ? maskCallbackUrl(info.callbackUrl) : "starting…"}</code>
      </span>
      <span title="Requests that matched no conversation or were rejected">Inbox: {inboxCount}</span>
    </footer>
  );
}
