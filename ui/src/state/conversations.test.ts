import { describe, expect, it } from "vitest";
import type { ConversationView } from "../bindings/ConversationView";
import {
  applyEvent,
  emptyState,
  gridColumns,
  loadConversations,
  openConversation,
  openConversations,
  profileOf,
} from "./conversations";
import { conversationView, replyView, turnView } from "../testing/fixtures";

function conversation(id: string, turns = 0): ConversationView {
  return conversationView({
    id,
    conversationId: `conv-${id}`,
    userId: `user-${id}`,
    turns: Array.from({ length: turns }, (_, i) =>
      turnView({ id: `${id}-${i}`, seq: i + 1, utterance: `u${i}`, callbackUri: "http://127.0.0.1/cb/x" }),
    ),
  });
}

describe("conversation state", () => {
  it("updates views in place without opening closed panes", () => {
    let state = loadConversations(emptyState, [conversation("a"), conversation("b")]);
    state = applyEvent(state, { kind: "conversationUpdated", conversation: conversation("a", 2) });
    state = applyEvent(state, { kind: "conversationUpdated", conversation: conversation("closed", 1) });
    expect(openConversations(state).map((c) => c.id)).toEqual(["a", "b"]);
    expect(openConversations(state)[0]?.turns).toHaveLength(2);
  });

  it("follows layout events and opens command results once", () => {
    let state = loadConversations(emptyState, [conversation("a"), conversation("b")]);
    state = openConversation(state, conversation("c"), "a");
    expect(state.order).toEqual(["a", "c", "b"]);
    state = applyEvent(state, { kind: "layoutChanged", order: ["b", "c", "a"] });
    state = openConversation(state, conversation("c"), "a");
    expect(openConversations(state).map((c) => c.id)).toEqual(["b", "c", "a"]);
    // A layout naming a pane whose view has not arrived yet just skips it.
    state = applyEvent(state, { kind: "layoutChanged", order: ["d", "a"] });
    expect(openConversations(state).map((c) => c.id)).toEqual(["a"]);
  });

  it("applies a single turn's update and appends a new turn", () => {
    let state = loadConversations(emptyState, [conversation("a", 2)]);
    const first = state.byId["a"]?.turns[0];
    if (!first) throw new Error("fixture");
    state = applyEvent(state, { kind: "turnUpdated", paneId: "a", ended: false, turn: { ...first, state: { kind: "sent" }, utterance: "changed" } });
    expect(state.byId["a"]?.turns.map((t) => t.utterance)).toEqual(["changed", "u1"]);
    const third = { ...first, id: "a-2", seq: 3, utterance: "u2" };
    state = applyEvent(state, { kind: "turnUpdated", paneId: "a", ended: true, turn: third });
    expect(state.byId["a"]?.turns).toHaveLength(3);
    expect(state.byId["a"]?.ended).toBe(true);
    // An update for a conversation the UI has not loaded is ignored.
    expect(applyEvent(state, { kind: "turnUpdated", paneId: "zz", ended: false, turn: third })).toBe(state);
  });

  it("appends a reply to its turn once, with the turn's flags and the ended state", () => {
    let state = loadConversations(emptyState, [conversation("a", 2)]);
    const reply = replyView({ id: 7, response: "1" });
    const event = { kind: "replyAdded", paneId: "a", turnId: "a-1", ended: true, severalReplies: true, reply } as const;
    state = applyEvent(state, event);
    const turn = state.byId["a"]?.turns[1];
    expect(turn?.replies.map((r) => r.response)).toEqual(["1"]);
    expect(turn?.severalReplies).toBe(true);
    expect(state.byId["a"]?.turns[0]?.replies).toEqual([]);
    expect(state.byId["a"]?.ended).toBe(true);
    // The same reply again (e.g. after a reload raced the event) changes nothing.
    expect(applyEvent(state, event)).toBe(state);
    // A reply for an unknown turn or conversation is ignored.
    expect(applyEvent(state, { ...event, turnId: "nope", reply: replyView({ id: 8 }) })).toBe(state);
    expect(applyEvent(state, { ...event, paneId: "zz" })).toBe(state);
  });

  it("tracks the inbox count", () => {
    expect(applyEvent(emptyState, { kind: "inboxChanged", count: 3 }).inboxCount).toBe(3);
  });
});

describe("profileOf", () => {
  it("finds the pane's profile, the nil id meaning the default one", () => {
    const profiles = [{ id: "default" }, { id: "prod" }];
    expect(profileOf({ profileId: "prod" }, profiles)?.id).toBe("prod");
    expect(profileOf({ profileId: "00000000-0000-0000-0000-000000000000" }, profiles)?.id).toBe("default");
    expect(profileOf({ profileId: "gone" }, profiles)).toBeUndefined();
  });
});

describe("gridColumns", () => {
  it("grows the grid with the pane count", () => {
    expect([1, 2, 3, 4, 5, 9, 10, 16].map(gridColumns)).toEqual([1, 2, 2, 2, 3, 3, 4, 4]);
  });
});
