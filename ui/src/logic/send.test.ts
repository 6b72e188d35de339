import { describe, expect, it } from "vitest";
import { conversationView, turnView } from "../testing/fixtures";
import { curlForTurn } from "./curl";
import { prepareCustomData } from "./send";

const conversation = conversationView({
  avatarId: "5e1f0000-0000-4000-8000-000000000001",
  turns: [turnView({ utterance: "it's me", customData: { a: 1 } })],
});

describe("prepareCustomData", () => {
  it("passes the template's variables through for the backend to fill", () => {
    const prepared = prepareCustomData('{"turn":"{{turn}}","who":"{{userId}}"}');
    expect(prepared).toEqual({ ok: true, customData: { turn: "{{turn}}", who: "{{userId}}" } });
  });
  it("refuses invalid JSON with a message", () => {
    const prepared = prepareCustomData("{oops");
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
