// Pure state of the conversation panes, updated from backend events and
// command results. Panes render in `order`; `byId` may hold views of panes
// that are not (or not yet) open.
import type { ConversationView } from "../bindings/ConversationView";
import type { HubEvent } from "../bindings/HubEvent";
import type { TurnView } from "../bindings/TurnView";

export interface ConsoleState {
  byId: Record<string, ConversationView>;
  order: string[];
  inboxCount: number;
  /** An `inboxChanged` event has set the count (newer than the one read at start). */
  inboxCountSeen: boolean;
}

export const emptyState: ConsoleState = { byId: {}, order: [], inboxCount: 0, inboxCountSeen: false };

/** The inbox count read at start-up, unless an event has already told a newer one. */
export function startInboxCount(state: ConsoleState, count: number): ConsoleState {
  return state.inboxCountSeen ? state : { ...state, inboxCount: count };
}

/** Store a newer view of a conversation; does not change which panes are open. */
export function upsertConversation(state: ConsoleState, view: ConversationView): ConsoleState {
  return { ...state, byId: { ...state.byId, [view.id]: view } };
}

/** Open panes, in order, that have a view. */
export function openConversations(state: ConsoleState): ConversationView[] {
  return state.order.flatMap((id) => {
    const view = state.byId[id];
    return view ? [view] : [];
  });
}

/** Replace everything with a fresh list from the backend. */
export function loadConversations(state: ConsoleState, views: ConversationView[]): ConsoleState {
  const byId = { ...state.byId };
  for (const v of views) byId[v.id] = v;
  return { ...state, byId, order: views.map((v) => v.id) };
}

/** Open `view` after `afterId` (or at the end), as a command's result does. */
export function openConversation(state: ConsoleState, view: ConversationView, afterId?: string): ConsoleState {
  const next = upsertConversation(state, view);
  if (next.order.includes(view.id)) return next;
  const at = afterId === undefined ? -1 : next.order.indexOf(afterId);
  const order = [...next.order];
  order.splice(at === -1 ? order.length : at + 1, 0, view.id);
  return { ...next, order };
}

/** Put a newer view of one turn into its conversation (appending a new turn). */
export function upsertTurn(state: ConsoleState, paneId: string, ended: boolean, turn: TurnView): ConsoleState {
  const view = state.byId[paneId];
  if (!view) return state;
  const at = view.turns.findIndex((t) => t.id === turn.id);
  const turns = at === -1 ? [...view.turns, turn] : view.turns.map((t, i) => (i === at ? turn : t));
  return upsertConversation(state, { ...view, ended, turns });
}

/** Append a reply to its turn; a reply already there (same id) is not added twice. */
export function addReply(state: ConsoleState, event: Extract<HubEvent, { kind: "replyAdded" }>): ConsoleState {
  const view = state.byId[event.paneId];
  if (!view) return state;
  const at = view.turns.findIndex((t) => t.id === event.turnId);
  const turn = view.turns[at];
  if (!turn || turn.replies.some((r) => r.id === event.reply.id)) return state;
  const updated = { ...turn, severalReplies: event.severalReplies, replies: [...turn.replies, event.reply] };
  return upsertTurn(state, event.paneId, event.ended, updated);
}

/**
 * Unpaired replies a view keeps; older ones are paged in from the backend
 * when their rows scroll into view. The backend's views carry as many
 * (`hub::UNPAIRED_WINDOW`), so the web view holds a bounded number whatever
 * an avatar sends.
 */
export const UNPAIRED_WINDOW = 100;

/** Append an unpaired reply, keeping only the newest `UNPAIRED_WINDOW` in the view. */
export function addUnpairedReply(
  state: ConsoleState,
  event: Extract<HubEvent, { kind: "unpairedReplyAdded" }>,
): ConsoleState {
  const view = state.byId[event.paneId];
  if (!view || view.unpairedReplies.some((r) => r.id === event.reply.id)) return state;
  const all = [...view.unpairedReplies, event.reply];
  const unpairedReplies = all.length > UNPAIRED_WINDOW ? all.slice(all.length - UNPAIRED_WINDOW) : all;
  // The backend's count is the truth: a reply missed here still gets its row.
  const olderUnpaired = Math.max(0, event.unpairedTotal - unpairedReplies.length);
  return upsertConversation(state, { ...view, ended: event.ended, unpairedReplies, olderUnpaired });
}

export function applyEvent(state: ConsoleState, event: HubEvent): ConsoleState {
  switch (event.kind) {
    case "conversationUpdated":
      return upsertConversation(state, event.conversation);
    case "turnUpdated":
      return upsertTurn(state, event.paneId, event.ended, event.turn);
    case "replyAdded":
      return addReply(state, event);
    case "unpairedReplyAdded":
      return addUnpairedReply(state, event);
    case "layoutChanged":
      return { ...state, order: event.order };
    case "inboxChanged":
      return { ...state, inboxCount: event.count, inboxCountSeen: true };
    case "profilesChanged":
      // Profiles live in the backend info, which App asks for again.
      return state;
  }
}

/** Grid columns for n panes: 1, 2, 2×2, 3×2, 3×3, 4×3, 4×4. */
export function gridColumns(n: number): number {
  if (n <= 1) return 1;
  if (n <= 4) return 2;
  if (n <= 9) return 3;
  return 4;
}

export const MAX_PANES = 16;

const NIL_UUID = "00000000-0000-0000-0000-000000000000";

/** The profile a pane sends with; the nil id means the default (first) profile. */
export function profileOf<P extends { id: string }>(conversation: { profileId: string }, profiles: P[]): P | undefined {
  if (conversation.profileId === NIL_UUID) return profiles[0];
  return profiles.find((p) => p.id === conversation.profileId);
}
