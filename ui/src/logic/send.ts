// Turns a pane's customData template into what `send_message` takes: the
// parsed JSON. The backend fills the template's variables ({{turn}},
// {{uuid}}, …) for the turn it journals, so they are filled in one place.
import { parseCustomData } from "./customData";

export type Prepared = { ok: true; customData: unknown } | { ok: false; error: string };

export function prepareCustomData(template: string): Prepared {
  const parsed = parseCustomData(template);
  if (!parsed.ok) return { ok: false, error: `customData is not valid JSON: ${parsed.error}` };
  return { ok: true, customData: parsed.value };
}
