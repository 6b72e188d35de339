import { describe, expect, it } from "vitest";
import { parseCustomData } from "./customData";

describe("parseCustomData", () => {
  it("treats empty text as an empty object", () => {
    expect(parseCustomData("  ")).toEqual({ ok: true, value: {} });
  });
  it("parses JSON and reports errors", () => {
    expect(parseCustomData('{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseCustomData("{a:1}").ok).toBe(false);
  });
});
