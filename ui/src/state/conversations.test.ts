import { describe, expect, it } from "vitest";
import type { ConversationView } from "../bindings/ConversationView";
import { applyEvent, emptyState, parseCustomData } from "./conversations";

function conversation(id: string, turns = 0): ConversationView {
  return {
    id,
    profileName: "Local simulator",
    avatarId: "a",
    conversationId: `conv-${id}`,
    ended: false,
    turns: Array.from({ length: turns }, (_, i) => ({
      id: `${id}-${i}`,
      seq: i + 1,
      utterance: `u${i}`,
      customData: {},
      callbackUri: "http://127.0.0.1/cb/x",
      sentAt: 0,
      state: { kind: "sent" },
      replies: [],
      severalReplies: false,
      exchanges: [],
    })),
    unpairedReplies: [],
  };
}

describe("applyEvent", () => {
  it("appends a new conversation and replaces a known one in place", () => {
    let state = applyEvent(emptyState, { kind: "conversationUpdated", conversation: conversation("a") });
    state = applyEvent(state, { kind: "conversationUpdated", conversation: conversation("b") });
    state = applyEvent(state, { kind: "conversationUpdated", conversation: conversation("a", 2) });
    expect(state.conversations.map((c) => c.id)).toEqual(["a", "b"]);
    expect(state.conversations[0]?.turns).toHaveLength(2);
  });

  it("tracks the inbox count", () => {
    expect(applyEvent(emptyState, { kind: "inboxChanged", count: 3 }).inboxCount).toBe(3);
  });
});

describe("parseCustomData", () => {
  it("treats empty text as an empty object", () => {
    expect(parseCustomData("  ")).toEqual({ ok: true, value: {} });
  });
  it("parses JSON and reports errors", () => {
    expect(parseCustomData('{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseCustomData("{a:1}").ok).toBe(false);
  });
});
