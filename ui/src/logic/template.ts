// Template variables in customData, filled by the backend at send time
// (crates/core/src/template.rs): {{uuid}} a fresh UUID, {{now}} the ISO time,
// {{turn}} the turn number, {{conversationId}} the pane's conversation id,
// {{userId}} the pane's customer.

export const TEMPLATE_VARIABLES = ["uuid", "now", "turn", "conversationId", "userId"] as const;

const VARIABLE = /\{\{\s*(\w+)\s*\}\}/g;

/** Names used in `text` that are not template variables (for a warning). */
export function unknownVariables(text: string): string[] {
  const known = new Set<string>(TEMPLATE_VARIABLES);
  const unknown = new Set<string>();
  for (const match of text.matchAll(VARIABLE)) {
    const name = match[1];
    if (name !== undefined && !known.has(name)) unknown.add(name);
  }
  return [...unknown];
}
