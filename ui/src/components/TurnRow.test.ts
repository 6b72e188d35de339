import { describe, expect, it } from "vitest";
import type { ReplyView } from "../bindings/ReplyView";
import { turnView } from "../testing/fixtures";
import { rowShape } from "./TurnRow";

const reply = { response: "1" } as ReplyView;

describe("rowShape", () => {
  it("gives rows that render the same lines the same key", () => {
    const a = rowShape(turnView({ id: "a", utterance: "one", replies: [reply] }), false);
    const b = rowShape(turnView({ id: "b", utterance: "another", replies: [reply] }), false);
    expect(a).toEqual(b);
    expect(a.lines).toBe(2);
  });

  it("tells apart what changes the height", () => {
    const answered = rowShape(turnView({ replies: [reply] }), false);
    expect(rowShape(turnView({ replies: [reply, reply] }), false).key).not.toBe(answered.key);
    expect(rowShape(turnView({ replies: [reply] }), true).key).not.toBe(answered.key);
    // A sent turn with no reply shows "waiting for the avatar…".
    const waiting = rowShape(turnView({ replies: [] }), false);
    expect(waiting.lines).toBe(2);
    expect(waiting.key).not.toBe(rowShape(turnView({ state: { kind: "failed", code: "network", message: "x" } }), false).key);
    // Presentation mode hides the status line.
    expect(rowShape(turnView({ replies: [] }), true).lines).toBe(1);
  });
});
