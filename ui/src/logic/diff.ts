// Differences between the customData sent with an utterance and the
// customData the avatar returned, key by key.

export type DiffKind = "added" | "removed" | "changed";

export interface DiffEntry {
  /** JSON-path-like location, e.g. `order.items[0].sku`; empty for the root. */
  path: string;
  kind: DiffKind;
  before?: unknown;
  after?: unknown;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function join(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  const safe = /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
  if (path === "") return safe.startsWith('"') ? `[${safe}]` : safe;
  return safe.startsWith('"') ? `${path}[${safe}]` : `${path}.${safe}`;
}

function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function walk(before: unknown, after: unknown, path: string, out: DiffEntry[]): void {
  if (isObject(before) && isObject(after)) {
    for (const key of Object.keys(before)) {
      if (!(key in after)) out.push({ path: join(path, key), kind: "removed", before: before[key] });
      else walk(before[key], after[key], join(path, key), out);
    }
    for (const key of Object.keys(after)) {
      if (!(key in before)) out.push({ path: join(path, key), kind: "added", after: after[key] });
    }
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const n = Math.max(before.length, after.length);
    for (let i = 0; i < n; i++) {
      if (i >= after.length) out.push({ path: join(path, i), kind: "removed", before: before[i] });
      else if (i >= before.length) out.push({ path: join(path, i), kind: "added", after: after[i] });
      else walk(before[i], after[i], join(path, i), out);
    }
    return;
  }
  if (!equal(before, after)) out.push({ path, kind: "changed", before, after });
}

/** Every key added, removed or changed from `sent` to `received`. */
export function diffJson(sent: unknown, received: unknown): DiffEntry[] {
  const out: DiffEntry[] = [];
  walk(sent, received, "", out);
  return out;
}
