// The UI's state, held outside React in one store (`consoleStore`), and the
// per-pane selectors components read it with. A backend event changes one
// conversation's view; only the pane that selects that view re-renders
// (docs/developer/ui.md: how a hub event reaches one pane).
import { useMemo } from "react";
import type { BackendInfo } from "../bindings/BackendInfo";
import type { ConversationView } from "../bindings/ConversationView";
import type { ProfileOption } from "../bindings/ProfileOption";
import type { ReplyView } from "../bindings/ReplyView";
import type { SelfTestReport } from "../bindings/SelfTestReport";
import type { TokenStatus } from "../bindings/TokenStatus";
import { MAX_PANES, emptyState, openConversations, type ConsoleState } from "./conversations";
import { createStore, useSelector } from "./store";

/** What the inspector shows: a turn by id (its view changes as replies arrive), or an unpaired reply (which never changes, and may be paged out of the view). */
export type Inspected = { pane: string; turn: string } | { pane: string; reply: ReplyView };

export interface UiState {
  /** The panes' conversations (pure updates in `conversations.ts`). */
  conversations: ConsoleState;
  /** Panes ticked for broadcast. */
  selected: ReadonlySet<string>;
  inspected: Inspected | null;
  presenting: boolean;
  info: BackendInfo | null;
  /** The app-wide error banner. */
  error: string | null;
  selfTest: SelfTestReport | null;
  tokens: TokenStatus[];
}

export const initialUiState: UiState = {
  conversations: emptyState,
  selected: new Set(),
  inspected: null,
  presenting: false,
  info: null,
  error: null,
  selfTest: null,
  tokens: [],
};

export const consoleStore = createStore<UiState>(initialUiState);

const NO_PROFILES: ProfileOption[] = [];

export function setConversations(update: (state: ConsoleState) => ConsoleState): void {
  consoleStore.set((s) => {
    const conversations = update(s.conversations);
    return conversations === s.conversations ? s : { ...s, conversations };
  });
}

export function setUi<K extends keyof UiState>(key: K, value: UiState[K] | ((old: UiState[K]) => UiState[K])): void {
  consoleStore.set((s) => {
    const next = typeof value === "function" ? (value as (old: UiState[K]) => UiState[K])(s[key]) : value;
    return Object.is(next, s[key]) ? s : { ...s, [key]: next };
  });
}

// --- Selectors: each returns a value already in the state, or a primitive.

/** One pane's conversation view: changes only when that conversation does. */
export const usePane = (id: string) => useSelector(consoleStore, (s) => s.conversations.byId[id]);
export const usePaneOrder = () => useSelector(consoleStore, (s) => s.conversations.order);
export const useCanAddPane = () => useSelector(consoleStore, (s) => s.conversations.order.length < MAX_PANES);
export const useIsSelected = (id: string) => useSelector(consoleStore, (s) => s.selected.has(id));
export const useSelected = () => useSelector(consoleStore, (s) => s.selected);
export const usePresenting = () => useSelector(consoleStore, (s) => s.presenting);
export const useInfo = () => useSelector(consoleStore, (s) => s.info);
export const useProfiles = () => useSelector(consoleStore, (s) => s.info?.profiles ?? NO_PROFILES);
export const useError = () => useSelector(consoleStore, (s) => s.error);
export const useInboxCount = () => useSelector(consoleStore, (s) => s.conversations.inboxCount);
export const useSelfTest = () => useSelector(consoleStore, (s) => s.selfTest);
export const useTokens = () => useSelector(consoleStore, (s) => s.tokens);
export const useInspected = () => useSelector(consoleStore, (s) => s.inspected);

/** The turn id the inspector shows, if it is one of pane `id`'s. */
export const useInspectedTurn = (id: string) =>
  useSelector(consoleStore, (s) => (s.inspected?.pane === id && "turn" in s.inspected ? s.inspected.turn : null));

/** The unpaired reply id the inspector shows, if it is one of pane `id`'s. */
export const useInspectedReply = (id: string) =>
  useSelector(consoleStore, (s) => (s.inspected?.pane === id && "reply" in s.inspected ? s.inspected.reply.id : null));

/** Open panes' views, in order (re-renders on any conversation change: for dialogs, not panes). */
export function useOpenConversations(): ConversationView[] {
  const conversations = useSelector(consoleStore, (s) => s.conversations);
  return useMemo(() => openConversations(conversations), [conversations]);
}
