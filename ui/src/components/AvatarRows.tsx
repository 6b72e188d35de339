import { avatarIdError, newAvatarRow, type AvatarRow } from "../logic/avatarRows";

/** A profile's avatars as rows of id + label, each id checked as it is typed. */
export function AvatarRows({
  rows,
  onChange,
  disabled,
}: {
  rows: AvatarRow[];
  onChange: (rows: AvatarRow[]) => void;
  disabled: boolean;
}) {
  const update = (key: number, patch: Partial<AvatarRow>) => onChange(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  return (
    <fieldset className="avatar-rows" data-testid="avatar-rows">
      <legend>Avatars</legend>
      {rows.length === 0 && <p className="muted">No avatar yet: add the id of one from the Voximplant control panel.</p>}
      {rows.map((row, i) => {
        const error = disabled ? null : avatarIdError(row.id);
        const errorId = `avatar-error-${row.key}`;
        return (
          <div className="avatar-row" key={row.key} data-testid="avatar-row">
            <input
              className="avatar-id"
              value={row.id}
              placeholder="00000000-0000-0000-0000-000000000000"
              aria-label={`Avatar ${i + 1} id`}
              aria-invalid={error !== null}
              aria-describedby={error ? errorId : undefined}
              spellCheck={false}
              disabled={disabled}
              onChange={(e) => update(row.key, { id: e.target.value })}
              data-testid="avatar-id"
            />
            <input
              className="avatar-label"
              value={row.label}
              placeholder="Label (optional)"
              aria-label={`Avatar ${i + 1} label`}
              disabled={disabled}
              onChange={(e) => update(row.key, { label: e.target.value })}
              data-testid="avatar-label"
            />
            {!disabled && (
              <button
                type="button"
                className="icon"
                title="Remove this avatar"
                aria-label={`Remove avatar ${i + 1}`}
                onClick={() => onChange(rows.filter((r) => r.key !== row.key))}
                data-testid="remove-avatar"
              >
                ✕
              </button>
            )}
            {error && (
              <span className="field-error" id={errorId} role="alert" data-testid="avatar-error">
                {error}
              </span>
            )}
          </div>
        );
      })}
      {!disabled && (
        <button type="button" className="secondary small" onClick={() => onChange([...rows, newAvatarRow()])} data-testid="add-avatar">
          + Add avatar
        </button>
      )}
    </fieldset>
  );
}
