import { useEffect, useState } from "react";
import { backend, errorMessage } from "../backend";
import type { ConnectionTestReport } from "../bindings/ConnectionTestReport";
import type { Profile } from "../bindings/Profile";
import type { ProfileView } from "../bindings/ProfileView";
import { avatarEntries, avatarRows, type AvatarRow } from "../logic/avatarRows";
import { parseCustomData } from "../logic/customData";
import { AvatarRows } from "./AvatarRows";
import { Dialog, DialogActions } from "./Dialog";

function newProfile(): Profile {
  return {
    id: crypto.randomUUID(),
    name: "New profile",
    environment: { kind: "voximplant" },
    accountId: "",
    credential: { kind: "apiKey" },
    avatars: [],
    defaultCustomData: {},
    wire: { credentialSpelling: "platform", customDataEncoding: "object", requestTimeoutMs: 15000 },
  };
}

function TestResult({ report }: { report: ConnectionTestReport }) {
  if (!report.ok) {
    return (
      <span className="banner error connection-result" role="alert" data-testid="connection-result">
        {report.failedStep ? `${report.failedStep}: ` : ""}
        {report.error?.message ?? "failed"}
      </span>
    );
  }
  return (
    <span className="banner ok connection-result" role="status" data-testid="connection-result">
      Connected in {report.elapsedMs} ms · NLU: {report.nluAddresses.join(", ")}
      {report.tokenExpiresInS !== null && ` · token valid for ${Math.round(report.tokenExpiresInS / 60)} min`}
    </span>
  );
}

function ProfileForm({
  view,
  onSaved,
  onClose,
}: {
  view: ProfileView;
  onSaved: (id: string) => void;
  onClose: () => void;
}) {
  const [profile, setProfile] = useState<Profile>(view.profile);
  const [secret, setSecret] = useState("");
  const [avatars, setAvatars] = useState<AvatarRow[]>(() => avatarRows(view.profile.avatars));
  const [customData, setCustomData] = useState(JSON.stringify(view.profile.defaultCustomData, null, 2));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [report, setReport] = useState<ConnectionTestReport | null>(null);
  const simulator = profile.environment.kind === "localSimulator";

  useEffect(() => {
    setProfile(view.profile);
    setSecret("");
    setReport(null);
    setError(null);
    setAvatars(avatarRows(view.profile.avatars));
    setCustomData(JSON.stringify(view.profile.defaultCustomData, null, 2));
    // Only when another profile is shown: a reload after saving keeps the
    // form and the connection test result.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [view.profile.id]);

  const build = (): Profile | null => {
    // The simulator's avatars are its own: saved as they came.
    const entries = simulator ? profile.avatars : avatarEntries(avatars);
    if (!entries) {
      setError("Every avatar needs a valid id (a UUID).");
      return null;
    }
    const data = parseCustomData(customData);
    if (!data.ok || typeof data.value !== "object" || data.value === null || Array.isArray(data.value)) {
      setError("Default customData must be a JSON object.");
      return null;
    }
    return { ...profile, avatars: entries, defaultCustomData: data.value as Record<string, unknown> };
  };

  const act = async (f: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await f();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const save = () =>
    act(async () => {
      const built = build();
      if (!built) return;
      const saved = await backend.saveProfile(built, secret || null);
      setSecret("");
      onSaved(saved.profile.id);
    });

  const test = () =>
    act(async () => {
      setReport(null);
      if (!simulator) {
        const built = build();
        if (!built) return;
        await backend.saveProfile(built, secret || null);
        setSecret("");
        onSaved(built.id);
      }
      setReport(await backend.testConnection(profile.id));
    });

  const env = profile.environment;
  const invalid = !simulator && avatarEntries(avatars) === null;
  return (
    <form className="profile-form" onSubmit={(e) => (e.preventDefault(), void save())}>
      <label>
        Name
        <input value={profile.name} onChange={(e) => setProfile({ ...profile, name: e.target.value })} disabled={simulator} />
      </label>
      {simulator ? (
        <p className="muted">The embedded simulator: no credentials, works offline. Its avatars are listed below.</p>
      ) : (
        <>
          <label>
            Environment
            <select
              value={env.kind}
              onChange={(e) =>
                setProfile({ ...profile, environment: e.target.value === "custom" ? { kind: "custom", logonUrl: "" } : { kind: "voximplant" } })
              }
            >
              <option value="voximplant">Voximplant (api.voximplant.com)</option>
              <option value="custom">Custom Logon URL</option>
            </select>
          </label>
          {env.kind === "custom" && (
            <label>
              Logon URL
              <input value={env.logonUrl} placeholder="https://…/platform_api/Logon" onChange={(e) => setProfile({ ...profile, environment: { kind: "custom", logonUrl: e.target.value } })} />
            </label>
          )}
          <label>
            Account id
            <input value={profile.accountId} onChange={(e) => setProfile({ ...profile, accountId: e.target.value })} />
          </label>
          <label>
            Credential
            <select
              value={profile.credential.kind}
              onChange={(e) => setProfile({ ...profile, credential: e.target.value === "subuser" ? { kind: "subuser", login: "" } : { kind: "apiKey" } })}
            >
              <option value="apiKey">API key</option>
              <option value="subuser">Sub-user login + password</option>
            </select>
          </label>
          {profile.credential.kind === "subuser" && (
            <label>
              Sub-user login
              <input value={profile.credential.login} onChange={(e) => setProfile({ ...profile, credential: { kind: "subuser", login: e.target.value } })} />
            </label>
          )}
          <label>
            {profile.credential.kind === "apiKey" ? "API key" : "Password"}
            <input
              type="password"
              autoComplete="off"
              value={secret}
              data-testid="profile-secret"
              placeholder={view.hasSecret ? (view.sessionOnly ? "kept for this session only" : "saved in the OS keychain") : "not saved yet"}
              onChange={(e) => setSecret(e.target.value)}
            />
          </label>
          {view.keychainError && (
            <div className="banner error" role="alert">
              {view.keychainError.message}{" "}
              <button type="button" className="small" onClick={() => void act(async () => (await backend.keepSecretForSession(profile.id), onSaved(profile.id)))}>
                Keep for this session only
              </button>
            </div>
          )}
          <label>
            Logon parameter names
            <select
              value={profile.wire.credentialSpelling}
              onChange={(e) => setProfile({ ...profile, wire: { ...profile.wire, credentialSpelling: e.target.value === "guide" ? "guide" : "platform" } })}
            >
              <option value="platform">account_id / api_key (platform API)</option>
              <option value="guide">accountId / apiKey (guide)</option>
            </select>
          </label>
          <label>
            customData on the wire
            <select
              value={profile.wire.customDataEncoding}
              onChange={(e) => setProfile({ ...profile, wire: { ...profile.wire, customDataEncoding: e.target.value === "string" ? "string" : "object" } })}
            >
              <option value="object">JSON object (guide)</option>
              <option value="string">JSON-encoded string (Voximplant SDK)</option>
            </select>
          </label>
        </>
      )}
      <AvatarRows rows={avatars} onChange={setAvatars} disabled={simulator} />
      <label>
        Default customData for new panes
        <textarea rows={3} value={customData} onChange={(e) => setCustomData(e.target.value)} spellCheck={false} />
      </label>
      {error && (
        <p className="banner error" role="alert">
          {error}
        </p>
      )}
      <DialogActions>
        <button type="submit" disabled={busy || invalid} title={invalid ? "Fix the avatar ids first" : undefined}>
          Save
        </button>
        <button type="button" className="secondary" disabled={busy} onClick={() => void test()} data-testid="test-connection">
          {busy ? "Working…" : "Test connection"}
        </button>
        {!simulator && (
          <>
            <button type="button" className="secondary" disabled={busy} onClick={() => void act(async () => onSaved((await backend.duplicateProfile(profile.id)).profile.id))}>
              Duplicate
            </button>
            <button
              type="button"
              className="secondary danger"
              disabled={busy}
              onClick={() => void act(async () => (await backend.deleteProfile(profile.id), onClose()))}
            >
              Delete
            </button>
          </>
        )}
        {/* In the sticky action row, after the buttons: on a long form a result
            above the row would scroll out of sight. */}
        {report && <TestResult report={report} />}
      </DialogActions>
    </form>
  );
}

/** Create, edit, duplicate, delete and test profiles; secrets go to the OS keychain. */
export function ProfilesDialog({ onClose }: { onClose: () => void }) {
  const [views, setViews] = useState<ProfileView[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [draft, setDraft] = useState<ProfileView | null>(null);

  const load = () =>
    backend
      .listProfiles()
      .then(setViews)
      .catch((e: unknown) => setError(errorMessage(e)));
  // After a save or delete: the fresh list, showing `select` (or the first).
  const reload = (select?: string) =>
    load().then(() => {
      setDraft(null);
      setSelected(select ?? null);
    });
  // The first load only fills the list: listing asks the keychain, which may
  // answer after the user has already clicked "+ New profile", and that
  // draft must not be thrown away (seen as a flaky profile_switch e2e run).
  useEffect(() => void load(), []);

  const current = draft ?? views.find((v) => v.profile.id === selected) ?? views[0] ?? null;
  return (
    <Dialog label="Profiles" className="profiles" testId="profiles-dialog" onClose={onClose}>
      <header className="row">
        <h2>Profiles</h2>
        <button type="button" className="icon" onClick={onClose} title="Close (Esc)">
          ✕
        </button>
      </header>
      {error && <p className="banner error">{error}</p>}
      <div className="profiles-body">
        <ul className="profile-list">
          {views.map((v) => (
            <li key={v.profile.id}>
              <button
                type="button"
                className={`link-row${current?.profile.id === v.profile.id && !draft ? " active" : ""}`}
                onClick={() => {
                  setDraft(null);
                  setSelected(v.profile.id);
                }}
              >
                {v.profile.name}
                <span className="muted"> {v.profile.environment.kind === "localSimulator" ? "simulator" : v.hasSecret ? "key saved" : "no key"}</span>
              </button>
            </li>
          ))}
          <li>
            <button type="button" className="link-row" onClick={() => setDraft({ profile: newProfile(), hasSecret: false, sessionOnly: false, keychainError: null })}>
              + New profile
            </button>
          </li>
        </ul>
        {current && <ProfileForm view={current} onSaved={(id) => void reload(id)} onClose={() => void reload()} />}
      </div>
    </Dialog>
  );
}
