// Turns a pane's customData template into the customData sent with one utterance.
import type { ConversationView } from "../bindings/ConversationView";
import { parseCustomData } from "../state/conversations";
import { fillTemplate } from "./template";

export type Prepared = { ok: true; customData: unknown } | { ok: false; error: string };

export function prepareCustomData(conversation: ConversationView, template: string, now = new Date()): Prepared {
  const parsed = parseCustomData(template);
  if (!parsed.ok) return { ok: false, error: `customData is not valid JSON: ${parsed.error}` };
  const customData = fillTemplate(parsed.value, {
    uuid: () => crypto.randomUUID(),
    now: () => now.toISOString(),
    turn: conversation.turns.length + 1,
    conversationId: conversation.conversationId,
    userId: conversation.userId,
  });
  return { ok: true, customData };
}
