import { useEffect, useState } from "react";
import { backend, errorMessage } from "../backend";
import type { SimAvatar } from "../bindings/SimAvatar";
import type { SimConfig } from "../bindings/SimConfig";
import type { SimFaults } from "../bindings/SimFaults";
import { Dialog } from "./Dialog";

type Toggle = "duplicate" | "outOfOrder" | "malformed" | "typing" | "dropCallbacks" | "wrongConversationId";

const TOGGLES: [Toggle, string][] = [
  ["duplicate", "Duplicate every callback"],
  ["outOfOrder", "Reverse the callbacks of a burst"],
  ["malformed", "Cut callback bodies mid-JSON"],
  ["typing", "Send a non-final “typing…” before each answer"],
  ["dropCallbacks", "Never call back"],
  ["wrongConversationId", "Call back with another conversation's id"],
];

function NumberField({ label, value, onChange }: { label: string; value: number; onChange: (n: number) => void }) {
  return (
    <label>
      {label}
      <input type="number" min={0} value={value} onChange={(e) => onChange(Math.max(0, Number(e.target.value) || 0))} />
    </label>
  );
}

function botOf(avatar: SimAvatar): string {
  return avatar.bot.kind === "counting" ? (avatar.bot.forgetsState ? "forgetful" : "counting") : avatar.bot.kind;
}

/** The embedded simulator's bots and faults, changed while it runs. */
export function SimulatorDialog({ onClose }: { onClose: () => void }) {
  const [config, setConfig] = useState<SimConfig | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    backend.simulatorConfig().then(setConfig, (e: unknown) => setError(errorMessage(e)));
  }, []);
  if (!config) return null;

  const faults = config.faults;
  const setFaults = (patch: Partial<SimFaults>) => setConfig({ ...config, faults: { ...faults, ...patch } });
  const setAvatar = (index: number, patch: Partial<SimAvatar>) =>
    setConfig({ ...config, avatars: config.avatars.map((a, i) => (i === index ? { ...a, ...patch } : a)) });

  const apply = async () => {
    setError(null);
    try {
      setConfig(await backend.setSimulatorConfig(config));
      setNote("Applied: the next utterances use these settings.");
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <Dialog
      label="Simulator"
      className="replay profile-form"
      testId="simulator-dialog"
      onClose={onClose}
      actions={
        <>
          <button type="button" onClick={() => void apply()} data-testid="apply-simulator">
            Apply
          </button>
          <button
            type="button"
            className="secondary"
            onClick={() => void backend.resetSimulatorConversations().then(() => setNote("Every conversation starts over."), (e: unknown) => setError(errorMessage(e)))}
          >
            Forget all conversations
          </button>
          <button type="button" className="secondary" onClick={onClose}>
            Close
          </button>
        </>
      }
    >
      <h2>Local simulator</h2>
      <h3>Avatars</h3>
      {config.avatars.map((avatar, i) => (
        <div className="row" key={avatar.id}>
          <span className="sim-avatar">{avatar.name}</span>
          {avatar.bot.kind === "scenario" && <span className="sim-scenario">Scenario {avatar.bot.path}</span>}
          {avatar.bot.kind !== "scripted" && avatar.bot.kind !== "scenario" && (
            <select
              value={botOf(avatar)}
              aria-label={`Bot of ${avatar.name}`}
              onChange={(e) =>
                setAvatar(i, {
                  bot: e.target.value === "echo" ? { kind: "echo" } : { kind: "counting", forgetsState: e.target.value === "forgetful" },
                })
              }
            >
              <option value="counting">Counting bot</option>
              <option value="forgetful">Counting bot that forgets its state (the classic bug)</option>
              <option value="echo">Echo bot</option>
            </select>
          )}
          <select
            value={avatar.dialect}
            aria-label={`Callback dialect of ${avatar.name}`}
            onChange={(e) => setAvatar(i, { dialect: e.target.value === "snakeCase" ? "snakeCase" : "camelCase" })}
          >
            <option value="camelCase">camelCase callbacks (guide)</option>
            <option value="snakeCase">snake_case callbacks (SDK)</option>
          </select>
        </div>
      ))}
      <h3>Faults (all avatars)</h3>
      <div className="row">
        <NumberField label="Latency ms" value={faults.latencyMs} onChange={(n) => setFaults({ latencyMs: n })} />
        <NumberField label="Jitter ms" value={faults.jitterMs} onChange={(n) => setFaults({ jitterMs: n })} />
        <NumberField label="5xx on % of sends" value={faults.errorPercent} onChange={(n) => setFaults({ errorPercent: Math.min(100, n) })} />
        <NumberField label="5xx on first N sends" value={faults.errorFirstN} onChange={(n) => setFaults({ errorFirstN: n })} />
      </div>
      {TOGGLES.map(([key, label]) => (
        <label key={key}>
          <span>
            <input type="checkbox" checked={faults[key]} onChange={(e) => setFaults({ [key]: e.target.checked })} data-testid={`fault-${key}`} /> {label}
          </span>
        </label>
      ))}
      <NumberField
        label="Token lifetime (seconds)"
        value={config.tokenLifetimeSecs}
        onChange={(n) => setConfig({ ...config, tokenLifetimeSecs: Math.max(1, n) })}
      />
      {error && <p className="banner error">{error}</p>}
      {note && <p className="banner ok">{note}</p>}
    </Dialog>
  );
}
