import { describe, expect, it } from "vitest";
import type { ConversationView } from "../bindings/ConversationView";
import type { TurnView } from "../bindings/TurnView";
import { conversationView, turnView } from "../testing/fixtures";
import { connectionState } from "./PaneHeader";

function pane(patch: Partial<ConversationView>, turns: Partial<TurnView>[] = []): ConversationView {
  return conversationView({ ...patch, turns: turns.map((t, i) => turnView({ id: `t${i}`, seq: i + 1, ...t })) });
}

describe("connectionState", () => {
  it("names what the pane can do now", () => {
    expect(connectionState(pane({}), true)[0]).toBe("live");
    expect(connectionState(pane({}), false)[0]).toBe("not ready");
    expect(connectionState(pane({ ended: true }), true)[0]).toBe("ended");
    expect(connectionState(pane({ readOnly: true }), false)[0]).toBe("imported");
    expect(connectionState(pane({}, [{ state: { kind: "sending" } }]), true)[0]).toBe("sending");
    expect(connectionState(pane({}, [{}]), true)[0]).toBe("waiting");
    const failed = connectionState(pane({}, [{ state: { kind: "failed", code: "network", message: "no route" } }]), true);
    expect(failed).toEqual(["send failed", "failed", "no route"]);
  });
});
