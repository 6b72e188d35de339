// Pure state of the conversation panes, updated from backend events.
import type { ConversationView } from "../bindings/ConversationView";
import type { HubEvent } from "../bindings/HubEvent";

export interface ConsoleState {
  /** Panes in display order. */
  conversations: ConversationView[];
  inboxCount: number;
}

export const emptyState: ConsoleState = { conversations: [], inboxCount: 0 };

/** Replace a conversation with a newer view, or append it if it is new. */
export function upsertConversation(state: ConsoleState, view: ConversationView): ConsoleState {
  const index = state.conversations.findIndex((c) => c.id === view.id);
  const conversations =
    index === -1
      ? [...state.conversations, view]
      : state.conversations.map((c, i) => (i === index ? view : c));
  return { ...state, conversations };
}

export function applyEvent(state: ConsoleState, event: HubEvent): ConsoleState {
  switch (event.kind) {
    case "conversationUpdated":
      return upsertConversation(state, event.conversation);
    case "inboxChanged":
      return { ...state, inboxCount: event.count };
  }
}

/** Parse the customData editor's text; empty text means `{}`. */
export function parseCustomData(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  if (text.trim() === "") return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}
