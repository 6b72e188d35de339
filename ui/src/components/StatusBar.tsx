import type { BackendInfo } from "../bindings/BackendInfo";
import type { SelfTestReport } from "../bindings/SelfTestReport";

/** The callback URL with its secret path segment masked. */
export function maskCallbackUrl(text: string): string {
  return text.replace(/\/cb\/[^/?"\s]+/g, "/cb/••••••");
}

export function StatusBar({
  info,
  inboxCount,
  onOpenInbox,
  selfTest,
  onOpenPublicUrl,
}: {
  info: BackendInfo | null;
  inboxCount: number;
  onOpenInbox: () => void;
  selfTest: SelfTestReport | null;
  onOpenPublicUrl: () => void;
}) {
  return (
    <footer className="statusbar" data-testid="status-bar">
      <span title="Profile">● {info?.profileName ?? "…"}</span>
      <button type="button" className="link" title="Where avatars send their replies: click to set a public URL" onClick={onOpenPublicUrl} data-testid="open-public-url">
        Callbacks: <code>{info ? maskCallbackUrl(info.callbackUrl) : "starting…"}</code>
      </button>
      <span
        className={selfTest ? (selfTest.ok ? "ok" : "attention") : "muted"}
        title={selfTest?.message ?? "The app calls its own /health through the callback URL"}
        data-testid="self-test"
      >
        {selfTest ? (selfTest.ok ? `self-test ok · ${selfTest.latencyMs} ms` : `self-test failed: ${selfTest.failure ?? "error"}`) : "self-test…"}
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
