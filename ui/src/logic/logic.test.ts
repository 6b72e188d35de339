import { describe, expect, it } from "vitest";
import { diffJson } from "./diff";
import { historyDown, historyUp, newHistory } from "./history";
import { fillTemplate, unknownVariables } from "./template";

const ctx = { uuid: () => "U-1", now: () => "2026-11-25T00:00:00.000Z", turn: 3, conversationId: "conv-1", userId: "user-1" };

describe("fillTemplate", () => {
  it("fills variables deep inside objects and arrays", () => {
    const filled = fillTemplate(
      { id: "{{uuid}}", at: "{{ now }}", meta: { turn: "{{turn}}", label: "turn {{turn}} of {{conversationId}} by {{userId}}" }, list: ["{{uuid}}"] },
      ctx,
    );
    expect(filled).toEqual({
      id: "U-1",
      at: "2026-11-25T00:00:00.000Z",
      meta: { turn: 3, label: "turn 3 of conv-1 by user-1" },
      list: ["U-1"],
    });
  });

  it("leaves unknown variables and non-strings alone", () => {
    expect(fillTemplate({ a: "{{nope}}", b: 1, c: null, d: true }, ctx)).toEqual({ a: "{{nope}}", b: 1, c: null, d: true });
    expect(unknownVariables('{"a":"{{nope}}","b":"{{uuid}}"}')).toEqual(["nope"]);
  });

  it("calls uuid once per occurrence", () => {
    let n = 0;
    const filled = fillTemplate(["{{uuid}}", "{{uuid}}"], { ...ctx, uuid: () => `u${++n}` });
    expect(filled).toEqual(["u1", "u2"]);
  });
});

describe("diffJson", () => {
  it("reports added, removed and changed keys with paths", () => {
    const sent = { a: 1, b: { c: 2, d: [1, 2] }, gone: true };
    const received = { a: 1, b: { c: 3, d: [1] }, "new key": "x" };
    expect(diffJson(sent, received)).toEqual([
      { path: "b.c", kind: "changed", before: 2, after: 3 },
      { path: "b.d[1]", kind: "removed", before: 2 },
      { path: "gone", kind: "removed", before: true },
      { path: '["new key"]', kind: "added", after: "x" },
    ]);
  });

  it("is empty for equal values and reports a changed root otherwise", () => {
    expect(diffJson({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toEqual([]);
    expect(diffJson(null, { a: 1 })).toEqual([{ path: "", kind: "changed", before: null, after: { a: 1 } }]);
  });
});

describe("composer history", () => {
  it("walks back through entries and returns to the draft", () => {
    let h = newHistory(["one", "two"]);
    let r = historyUp(h, "draft");
    expect(r.text).toBe("two");
    h = r.history;
    r = historyUp(h, r.text);
    expect(r.text).toBe("one");
    h = r.history;
    r = historyUp(h, r.text);
    expect(r.text).toBe("one");
    h = r.history;
    r = historyDown(h, r.text);
    expect(r.text).toBe("two");
    r = historyDown(r.history, r.text);
    expect(r.text).toBe("draft");
  });
});
