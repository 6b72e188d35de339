// Template variables in customData, filled at send time:
// {{uuid}} a fresh UUID, {{now}} the ISO time, {{turn}} the turn number,
// {{conversationId}} the pane's conversation id, {{userId}} the pane's customer.

export interface TemplateContext {
  uuid: () => string;
  now: () => string;
  turn: number;
  conversationId: string;
  userId: string;
}

export const TEMPLATE_VARIABLES = ["uuid", "now", "turn", "conversationId", "userId"] as const;

const VARIABLE = /\{\{\s*(\w+)\s*\}\}/g;

function valueOf(name: string, ctx: TemplateContext): string | number | undefined {
  switch (name) {
    case "uuid":
      return ctx.uuid();
    case "now":
      return ctx.now();
    case "turn":
      return ctx.turn;
    case "conversationId":
      return ctx.conversationId;
    case "userId":
      return ctx.userId;
    default:
      return undefined;
  }
}

function fillString(text: string, ctx: TemplateContext): string | number {
  // A string that is exactly `{{turn}}` becomes a number, so the avatar sees 3, not "3".
  const whole = /^\{\{\s*(\w+)\s*\}\}$/.exec(text);
  if (whole?.[1] === "turn") return ctx.turn;
  return text.replace(VARIABLE, (match, name: string) => {
    const value = valueOf(name, ctx);
    return value === undefined ? match : String(value);
  });
}

/** A deep copy of `value` with every template variable in its strings filled. */
export function fillTemplate(value: unknown, ctx: TemplateContext): unknown {
  if (typeof value === "string") return fillString(value, ctx);
  if (Array.isArray(value)) return value.map((v) => fillTemplate(v, ctx));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, fillTemplate(v, ctx)]),
    );
  }
  return value;
}

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
