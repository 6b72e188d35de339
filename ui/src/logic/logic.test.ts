import { describe, expect, it } from "vitest";
import { diffJson } from "./diff";
import { historyDown, historyUp, newHistory } from "./history";
import { unknownVariables } from "./template";

describe("unknownVariables", () => {
  it("names variables the backend will not fill", () => {
    expect(unknownVariables('{"a":"{{nope}}","b":"{{uuid}}","c":"{{ turn }}"}')).toEqual(["nope"]);
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
