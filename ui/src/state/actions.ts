// What the UI does, as plain functions over the store and the backend: their
// identity never changes, so panes get them without re-rendering (a callback
// that closed over the state changed on every reply and re-rendered every pane).
import { backend, errorMessage } from "../backend";
import type { HubEvent } from "../bindings/HubEvent";
import type { ReplyView } from "../bindings/ReplyView";
import type { Restart } from "../bindings/Restart";
import type { TurnView } from "../bindings/TurnView";
import type { PaneActions } from "../components/PaneHeader";
import { prepareCustomData } from "../logic/send";
import { consoleStore, setConversations, setUi } from "./console";
import {
  MAX_PANES,
  applyEvent,
  loadConversations,
  openConversation,
  openConversations,
  startInboxCount,
  upsertConversation,
} from "./conversations";

/** Run a command, showing its error in the app's banner. */
export async function run(action: () => Promise<unknown>): Promise<void> {
  try {
    setUi("error", null);
    await action();
  } catch (e) {
    setUi("error", errorMessage(e));
  }
}

let lastTokenPoll = 0;

export function pollTokens(): void {
  lastTokenPoll = Date.now();
  void backend.tokenStatuses().then((tokens) => setUi("tokens", tokens), () => undefined);
}

export function checkCallbackPath(): void {
  void backend.selfTest().then((report) => setUi("selfTest", report), () => undefined);
}

export function refreshInfo(): void {
  void backend.backendInfo().then((info) => setUi("info", info), () => undefined);
}

function onBackendEvent(event: HubEvent): void {
  setConversations((s) => applyEvent(s, event));
  // A send may have logged on: show the token soon, at most once a second.
  if (event.kind === "turnUpdated" && Date.now() - lastTokenPoll > 1000) pollTokens();
  // Saved, deleted, or registered once the keychain answered: panes offer the new list.
  if (event.kind === "profilesChanged") refreshInfo();
}

/** Listen to the backend's events and load the panes; returns how to stop listening. */
export function connectBackend(): () => void {
  let unlisten: (() => void) | undefined;
  let cancelled = false;
  void (async () => {
    try {
      // Listen first so no update between the two calls is missed.
      unlisten = await backend.onEvent(onBackendEvent);
      if (cancelled) {
        unlisten();
        return;
      }
      const [conversations, info, inboxCount] = await Promise.all([
        backend.listConversations(),
        backend.backendInfo(),
        backend.inboxCount(),
      ]);
      if (cancelled) return;
      setConversations((s) => loadConversations(startInboxCount(s, inboxCount), conversations));
      setUi("info", info);
    } catch (e) {
      setUi("error", `The backend did not start: ${errorMessage(e)}`);
    }
  })();
  return () => {
    cancelled = true;
    unlisten?.();
  };
}

export function addPane(): Promise<void> {
  return run(async () => {
    if (consoleStore.get().conversations.order.length >= MAX_PANES) {
      throw new Error(`At most ${MAX_PANES} panes fit on the screen.`);
    }
    const view = await backend.newConversation();
    setConversations((s) => openConversation(s, view));
  });
}

function conversationIdOf(id: string): string {
  return consoleStore.get().conversations.byId[id]?.conversationId ?? "conversation";
}

/** The header's actions for pane `id` (make once per pane: the object is stable). */
export function paneActions(id: string): PaneActions {
  return {
    restart: (how: Restart) =>
      void run(async () => {
        const view = await backend.restartConversation(id, how);
        setConversations((s) => openConversation(s, view, id));
        setUi("selected", (sel) => (sel.has(id) ? new Set([...sel].filter((x) => x !== id).concat(view.id)) : sel));
      }),
    end: () =>
      void run(async () => {
        const view = await backend.endConversation(id);
        setConversations((s) => upsertConversation(s, view));
      }),
    exportTranscript: () =>
      void run(async () => {
        const path = await backend.pickSavePath(`${conversationIdOf(id)}.json`);
        if (path) await backend.exportConversations([id], path);
      }),
    exportTest: () =>
      void run(async () => {
        const path = await backend.pickSavePath(`${conversationIdOf(id)}.test.json`);
        if (path) await backend.exportTestFile(id, path);
      }),
    duplicate: () =>
      void run(async () => {
        const view = await backend.duplicateConversation(id);
        setConversations((s) => openConversation(s, view, id));
      }),
    move: (delta: number) =>
      void run(async () => {
        const current = consoleStore.get().conversations.order;
        const index = current.indexOf(id) + delta;
        if (index < 0 || index >= current.length) return;
        const order = await backend.moveConversation(id, index);
        setConversations((s) => ({ ...s, order }));
      }),
    close: () =>
      void run(async () => {
        await backend.closeConversation(id);
        setConversations((s) => ({ ...s, order: s.order.filter((x) => x !== id) }));
        setUi("inspected", (i) => (i?.pane === id ? null : i));
      }),
  };
}

export function selectPane(id: string, on: boolean): void {
  setUi("selected", (sel) => {
    const next = new Set(sel);
    if (on) next.add(id);
    else next.delete(id);
    return next;
  });
}

export function selectAllPanes(all: boolean): void {
  setUi("selected", all ? new Set(consoleStore.get().conversations.order) : new Set());
}

export function inspectTurn(pane: string, turn: TurnView): void {
  setUi("inspected", { pane, turn: turn.id });
}

export function inspectUnpaired(pane: string, reply: ReplyView): void {
  setUi("inspected", { pane, reply });
}

export function closeInspector(): void {
  setUi("inspected", null);
}

/** Send `utterance` to every selected open pane, each with its own customData; true if all went. */
export async function broadcast(utterance: string): Promise<boolean> {
  const { conversations, selected } = consoleStore.get();
  const targets = openConversations(conversations).filter((p) => selected.has(p.id) && !p.ended);
  const results = await Promise.allSettled(
    targets.map((p) => {
      const prepared = prepareCustomData(p.customDataTemplate);
      if (!prepared.ok) return Promise.reject(new Error(`${p.conversationId}: ${prepared.error}`));
      return backend.sendMessage(p.id, utterance, prepared.customData);
    }),
  );
  const failures = results.flatMap((r) => (r.status === "rejected" ? [errorMessage(r.reason)] : []));
  setUi("error", failures.length ? `Broadcast failed for ${failures.length} pane(s): ${failures.join("; ")}` : null);
  return failures.length === 0;
}

export function exportAll(): Promise<void> {
  return run(async () => {
    const path = await backend.pickSavePath("avatar-console-session.json");
    if (path) await backend.exportConversations([], path);
  });
}

export function importFromFile(): Promise<void> {
  return run(async () => {
    const path = await backend.pickOpenPath();
    if (!path) return;
    for (const view of await backend.importTranscript(path)) setConversations((s) => openConversation(s, view));
  });
}
