import { describe, expect, it } from "vitest";
import { conversationView, replyView, turnView } from "../testing/fixtures";
import { initialUiState, setConversations, consoleStore } from "./console";
import { applyEvent, loadConversations } from "./conversations";
import { createStore } from "./store";

describe("createStore", () => {
  it("notifies listeners only when the state changes", () => {
    const store = createStore({ n: 0 });
    let calls = 0;
    const stop = store.subscribe(() => (calls += 1));
    store.set((s) => s);
    expect(calls).toBe(0);
    store.set((s) => ({ n: s.n + 1 }));
    expect(calls).toBe(1);
    expect(store.get().n).toBe(1);
    stop();
    store.set((s) => ({ n: s.n + 1 }));
    expect(calls).toBe(1);
  });
});

describe("per-pane selection", () => {
  it("a reply to one pane leaves every other pane's view (what its selector returns) the same object", () => {
    consoleStore.set(() => initialUiState);
    const pane = (id: string) => conversationView({ id, conversationId: `c-${id}`, turns: [turnView({ id: `${id}-t` })] });
    setConversations((s) => loadConversations(s, [pane("a"), pane("b"), pane("c")]));
    const before = consoleStore.get().conversations.byId;
    const order = consoleStore.get().conversations.order;
    setConversations((s) =>
      applyEvent(s, { kind: "replyAdded", paneId: "b", turnId: "b-t", ended: false, severalReplies: false, reply: replyView() }),
    );
    const after = consoleStore.get().conversations.byId;
    expect(after["b"]).not.toBe(before["b"]);
    expect(after["a"]).toBe(before["a"]);
    expect(after["c"]).toBe(before["c"]);
    // The grid selects the order: it stays the same array, so App does not re-render.
    expect(consoleStore.get().conversations.order).toBe(order);
  });
});
