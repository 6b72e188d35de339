import { describe, expect, it } from "vitest";
import { UNPAIRED_WINDOW, applyEvent, emptyState, loadConversations, startInboxCount } from "./conversations";
import { conversationView, replyView } from "../testing/fixtures";
import { rowAt, rowCount } from "../logic/transcriptRows";

function unpaired(state: ReturnType<typeof loadConversations>, n: number, from = 0) {
  let s = state;
  for (let i = from; i < from + n; i++) {
    s = applyEvent(s, {
      kind: "unpairedReplyAdded",
      paneId: "p1",
      ended: false,
      unpairedTotal: i + 1,
      reply: replyView({ id: i, response: `r${i}`, flags: ["unpaired"] }),
    });
  }
  return s;
}

describe("unpaired replies", () => {
  it("are appended one event at a time, once each", () => {
    let state = loadConversations(emptyState, [conversationView()]);
    state = unpaired(state, 3);
    state = unpaired(state, 1, 2); // the same reply again
    const view = state.byId.p1;
    expect(view?.unpairedReplies.map((r) => r.response)).toEqual(["r0", "r1", "r2"]);
    expect(view?.olderUnpaired).toBe(0);
  });

  it("keep only the newest window in the view and count the older ones", () => {
    let state = loadConversations(emptyState, [conversationView()]);
    state = unpaired(state, UNPAIRED_WINDOW + 25);
    const view = state.byId.p1;
    expect(view?.unpairedReplies).toHaveLength(UNPAIRED_WINDOW);
    expect(view?.olderUnpaired).toBe(25);
    expect(view?.unpairedReplies[0]?.response).toBe("r25");
    expect(view && rowCount(view)).toBe(UNPAIRED_WINDOW + 25);
  });

  it("take the backend's total when an event was missed", () => {
    let state = loadConversations(emptyState, [conversationView()]);
    state = applyEvent(state, {
      kind: "unpairedReplyAdded",
      paneId: "p1",
      ended: true,
      unpairedTotal: 7,
      reply: replyView({ id: 6 }),
    });
    expect(state.byId.p1?.olderUnpaired).toBe(6);
    expect(state.byId.p1?.ended).toBe(true);
  });

  it("ignore conversations the state does not know", () => {
    const state = unpaired(emptyState, 1);
    expect(state).toBe(emptyState);
  });
});

describe("transcript rows", () => {
  const view = conversationView({
    olderUnpaired: 2,
    unpairedReplies: [replyView({ id: 12, response: "w0" }), replyView({ id: 13, response: "w1" })],
    turns: [],
  });

  it("put older unpaired replies first, then the window, then the turns", () => {
    const older = (i: number) => (i === 1 ? replyView({ id: 11, response: "o1" }) : undefined);
    expect(rowCount(view)).toBe(4);
    expect(rowAt(view, 0, older)).toEqual({ kind: "unpaired", index: 0, reply: undefined });
    expect(rowAt(view, 1, older)).toMatchObject({ kind: "unpaired", index: 1, reply: { response: "o1" } });
    expect(rowAt(view, 2, older)).toMatchObject({ kind: "unpaired", index: 2, reply: { response: "w0" } });
    expect(rowAt(view, 3, older)).toMatchObject({ kind: "unpaired", index: 3, reply: { response: "w1" } });
    expect(rowAt(view, 4, older)).toBeUndefined();
    expect(rowAt(view, -1, older)).toBeUndefined();
  });
});

describe("inbox count at start-up", () => {
  it("is taken unless an event already told a newer one", () => {
    expect(startInboxCount(emptyState, 65).inboxCount).toBe(65);
    const afterEvent = applyEvent(emptyState, { kind: "inboxChanged", count: 66 });
    expect(startInboxCount(afterEvent, 65).inboxCount).toBe(66);
  });
});
