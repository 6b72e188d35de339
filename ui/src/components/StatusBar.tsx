import type { BackendInfo } from "../bindings/BackendInfo";
import type { SelfTestReport } from "../bindings/SelfTestReport";
import type { TokenStatus } from "../bindings/TokenStatus";

/** "valid 59 min", "expired", "not fetched yet" for one profile's token. */
export function describeToken(token: TokenStatus, now: number): string {
  if (!token.hasToken) return "no token yet";
  if (token.expiresAt === null) return "token without expiry";
  const minutes = Math.floor((token.expiresAt - now) / 60_000);
  if (minutes < 0) return "token expired";
  return minutes < 1 ? "token valid < 1 min" : `token valid ${minutes} min`;
}

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
  tokens,
}: {
  tokens: TokenStatus[];
  info: BackendInfo | null;
  inboxCount: number;
  onOpenInbox: () => void;
  selfTest: SelfTestReport | null;
  onOpenPublicUrl: () => void;
}) {
  return (
    <footer className="statusbar" data-testid="status-bar">
      <span className="tokens" title="Each profile's avatar API token (a JWT fetched at the first send)" data-testid="token-status">
        {tokens.length === 0
          ? `● ${info?.profileName ?? "…"}`
          : tokens.map((t) => (
              <span key={t.profileId} className={t.hasToken ? "token live" : "token"}>
                <span className="dot">●</span> {t.profileName} · {describeToken(t, Date.now())}
              </span>
            ))}
      </span>
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
