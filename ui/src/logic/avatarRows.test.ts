import { describe, expect, it } from "vitest";
import { avatarEntries, avatarIdError, avatarRows, newAvatarRow } from "./avatarRows";

const ID = "5e1f0000-0000-4000-8000-000000000001";

describe("avatar rows", () => {
  it("accepts a UUID in either case and refuses anything else", () => {
    expect(avatarIdError(ID)).toBeNull();
    expect(avatarIdError(` ${ID.toUpperCase()} `)).toBeNull();
    expect(avatarIdError("")).not.toBeNull();
    expect(avatarIdError("not-a-uuid")).not.toBeNull();
    expect(avatarIdError(`${ID}0`)).not.toBeNull();
    expect(avatarIdError(`${ID} label`)).not.toBeNull();
  });

  it("saves what the backend keeps: trimmed ids, the id as label when none is given", () => {
    const rows = [newAvatarRow({ id: ` ${ID} `, label: " Staging bot " }), newAvatarRow({ id: ID, label: "" })];
    expect(avatarEntries(rows)).toEqual([
      { id: ID, label: "Staging bot" },
      { id: ID, label: ID },
    ]);
  });

  it("refuses to save while a row is invalid", () => {
    expect(avatarEntries([newAvatarRow({ id: ID, label: "ok" }), newAvatarRow()])).toBeNull();
    expect(avatarEntries([])).toEqual([]);
  });

  it("round-trips saved avatars, showing an id-only label as empty", () => {
    const saved = [
      { id: ID, label: "Bot" },
      { id: ID, label: ID },
    ];
    const rows = avatarRows(saved);
    expect(rows.map((r) => r.label)).toEqual(["Bot", ""]);
    expect(new Set(rows.map((r) => r.key)).size).toBe(2);
    expect(avatarEntries(rows)).toEqual(saved);
  });
});
