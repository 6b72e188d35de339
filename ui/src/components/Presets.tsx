import { useEffect, useState } from "react";
import { backend, errorMessage } from "../backend";
import type { Preset } from "../bindings/Preset";

/** Named customData templates saved per profile: apply one, or save the current text. */
export function Presets({
  profileId,
  template,
  onApply,
  onError,
}: {
  profileId: string;
  template: string;
  onApply: (template: string) => void;
  onError: (message: string) => void;
}) {
  const [presets, setPresets] = useState<Preset[]>([]);
  const [name, setName] = useState("");
  useEffect(() => {
    backend.listPresets(profileId).then(setPresets, (e: unknown) => onError(errorMessage(e)));
  }, [profileId, onError]);

  const save = () =>
    backend.savePreset(profileId, name, template).then(
      (list) => {
        setPresets(list);
        setName("");
      },
      (e: unknown) => onError(errorMessage(e)),
    );

  return (
    <div className="presets row">
      <select
        value=""
        aria-label="Apply a preset"
        data-testid="preset-select"
        onChange={(e) => {
          const chosen = presets.find((p) => p.name === e.target.value);
          if (chosen) onApply(chosen.template);
        }}
        disabled={presets.length === 0}
      >
        <option value="">{presets.length === 0 ? "No presets yet" : "Apply a preset…"}</option>
        {presets.map((p) => (
          <option key={p.name} value={p.name}>
            {p.name}
          </option>
        ))}
      </select>
      <input
        value={name}
        placeholder="Preset name"
        aria-label="Preset name"
        data-testid="preset-name"
        onChange={(e) => setName(e.target.value)}
        onKeyDown={(e) => e.key === "Enter" && name.trim() && void save()}
      />
      <button type="button" className="secondary small" disabled={!name.trim()} onClick={() => void save()} data-testid="preset-save">
        Save preset
      </button>
    </div>
  );
}
