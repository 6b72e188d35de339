import { useState } from "react";
import { backend, errorMessage } from "../backend";
import type { PublicUrlChoice } from "../bindings/PublicUrlChoice";
import type { SelfTestReport } from "../bindings/SelfTestReport";
import { Dialog } from "./Dialog";

type Kind = PublicUrlChoice["kind"];

/** Choose where a cloud avatar reaches this app, and check it works. */
export function PublicUrlDialog({
  onClose,
  onChanged,
}: {
  onClose: () => void;
  onChanged: (report: SelfTestReport) => void;
}) {
  const [kind, setKind] = useState<Kind>("localOnly");
  const [url, setUrl] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [report, setReport] = useState<SelfTestReport | null>(null);

  const apply = async () => {
    setBusy(true);
    setError(null);
    setReport(null);
    try {
      const choice: PublicUrlChoice =
        kind === "manual" ? { kind, url } : kind === "cloudflaredQuickTunnel" ? { kind } : { kind: "localOnly" };
      await backend.setPublicUrl(choice);
      const result = await backend.selfTest();
      setReport(result);
      onChanged(result);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      label="Callback URL"
      className="replay profile-form"
      testId="public-url-dialog"
      onClose={onClose}
      actions={
        <>
          <button type="button" disabled={busy || (kind === "manual" && url.trim() === "")} onClick={() => void apply()} data-testid="apply-public-url">
            {busy ? "Checking…" : "Use and self-test"}
          </button>
          <button type="button" className="secondary" onClick={onClose}>
            Close
          </button>
        </>
      }
    >
      <h2>Where avatars send their replies</h2>
      <p className="muted">
        A Voximplant avatar in the cloud must reach this app over the internet. The local simulator needs nothing. The next
        message you send carries the new address; replies to earlier messages still go where those said.
      </p>
      <label>
        <span>
          <input type="radio" checked={kind === "localOnly"} onChange={() => setKind("localOnly")} /> Local only (the simulator on this
          machine)
        </span>
      </label>
      <label>
        <span>
          <input type="radio" checked={kind === "manual"} onChange={() => setKind("manual")} /> A URL I run myself (ngrok, cloudflared,
          a reverse proxy) that forwards to this app
        </span>
        {kind === "manual" && (
          <input value={url} placeholder="https://example.ngrok.app" onChange={(e) => setUrl(e.target.value)} data-testid="manual-url" />
        )}
      </label>
      <label>
        <span>
          <input type="radio" checked={kind === "cloudflaredQuickTunnel"} onChange={() => setKind("cloudflaredQuickTunnel")} /> Start a
          cloudflared quick tunnel (needs <code>cloudflared</code> installed; stopped when the app quits)
        </span>
      </label>
      {error && (
        <p className="banner error" role="alert">
          {error}
        </p>
      )}
      {report && (
        <p className={`banner ${report.ok ? "ok" : "error"}`} data-testid="self-test-result">
          {report.ok ? `Self-test passed: this app answered through ${report.url} in ${report.latencyMs} ms.` : `Self-test failed: ${report.message}`}
        </p>
      )}
    </Dialog>
  );
}
