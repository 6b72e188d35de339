// The Profiles dialog's avatar rows (id + label) and their validation. The
// backend keeps avatars as `AvatarEntry { id, label }` with a UUID id; a
// row left without a label is saved labelled with its id, as the old
// "uuid label" text lines were.
import type { AvatarEntry } from "../bindings/AvatarEntry";

export interface AvatarRow {
  /** A key for React: rows have no identity of their own while edited. */
  key: number;
  id: string;
  label: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Why the row's id cannot be saved, or null when it can. */
export function avatarIdError(id: string): string | null {
  const trimmed = id.trim();
  if (trimmed === "") return "Enter the avatar's id (a UUID).";
  if (!UUID.test(trimmed)) return "Not a UUID: 8-4-4-4-12 hexadecimal digits.";
  return null;
}

let nextKey = 0;

export function newAvatarRow(entry: AvatarEntry = { id: "", label: "" }): AvatarRow {
  nextKey += 1;
  return { key: nextKey, id: entry.id, label: entry.label === entry.id ? "" : entry.label };
}

export function avatarRows(entries: AvatarEntry[]): AvatarRow[] {
  return entries.map((e) => newAvatarRow(e));
}

/** The rows as the backend saves them; null while any row is invalid. */
export function avatarEntries(rows: AvatarRow[]): AvatarEntry[] | null {
  if (rows.some((r) => avatarIdError(r.id) !== null)) return null;
  return rows.map((r) => {
    const id = r.id.trim();
    return { id, label: r.label.trim() || id };
  });
}
