// Views for UI unit tests: every required field filled, override what a test is about.
import type { ConversationView } from "../bindings/ConversationView";
import type { ReplyView } from "../bindings/ReplyView";
import type { TurnView } from "../bindings/TurnView";

export function replyView(patch: Partial<ReplyView> = {}): ReplyView {
  return {
    id: 1,
    response: "1",
    isFinal: false,
    customData: {},
    receivedAt: 0,
    latencyMs: 0,
    dialect: "camelCase",
    flags: [],
    rawBody: "{}",
    rawHeaders: "content-type: application/json",
    ...patch,
  };
}

export function turnView(patch: Partial<TurnView> = {}): TurnView {
  return {
    id: "t1",
    seq: 1,
    utterance: "hi",
    customData: {},
    callbackUri: "http://127.0.0.1:1/cb/secret",
    sentAt: 0,
    state: { kind: "sent" },
    replies: [],
    severalReplies: false,
    exchanges: [],
    ...patch,
  };
}

export function conversationView(patch: Partial<ConversationView> = {}): ConversationView {
  return {
    id: "p1",
    profileId: "p",
    profileName: "Local simulator",
    avatarId: "a",
    conversationId: "conv-1",
    userId: "user-1",
    customDataTemplate: "{}",
    ended: false,
    readOnly: false,
    turns: [],
    unpairedReplies: [],
    olderUnpaired: 0,
    ...patch,
  };
}
