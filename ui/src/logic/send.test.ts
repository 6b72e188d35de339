import { describe, expect, it } from "vitest";
import type { ConversationView } from "../bindings/ConversationView";
import { curlForTurn } from "./curl";
import { prepareCustomData } from "./send";

const conversation: ConversationView = {
  id: "p1",
  profileId: "p",
  profileName: "Local simulator",
  avatarId: "5e1f0000-0000-4000-8000-000000000001",
  conversationId: "conv-1",
  userId: "user-1",
  customDataTemplate: "{}",
  ended: false,
  readOnly: false,
  turns: [
    {
      id: "t1",
      seq: 1,
      utterance: "it's me",
      customData: { a: 1 },
      callbackUri: "http://127.0.0.1:1/cb/secret",
      sentAt: 0,
      state: { kind: "sent" },
      replies: [],
      severalReplies: false,
      exchanges: [],
    },
  ],
  unpairedReplies: [],
};

describe("prepareCustomData", () => {
  it("fills the template for the next turn", () => {
    const prepared = prepareCustomData(conversation, '{"turn":"{{turn}}","who":"{{userId}}","c":"{{conversationId}}"}');
    expect(prepared).toEqual({ ok: true, customData: { turn: 2, who: "user-1", c: "conv-1" } });
  });
  it("refuses invalid JSON with a message", () => {
    const prepared = prepareCustomData(conversation, "{oops");
    expect(prepared.ok).toBe(false);
    if (!prepared.ok) expect(prepared.error).toMatch(/not valid JSON/);
  });
});

describe("curlForTurn", () => {
  it("keeps secrets out and quotes the body for the shell", () => {
    const [, turn] = [conversation, conversation.turns[0]];
    if (!turn) throw new Error("fixture");
    const curl = curlForTurn(conversation, turn);
    expect(curl).not.toContain("secret");
    expect(curl).toContain("/api/v1/chats/5e1f0000-0000-4000-8000-000000000001/conv-1");
    expect(curl).toContain(`it'"'"'s me`);
    expect(curl).toContain("Bearer $AVATAR_JWT");
  });
});
