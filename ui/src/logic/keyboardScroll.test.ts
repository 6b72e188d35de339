import { describe, expect, it } from "vitest";
import { keyboardScrollTarget } from "./keyboardScroll";

const box = { scrollTop: 500, scrollHeight: 2000, clientHeight: 200 };

describe("keyboardScrollTarget", () => {
  it("moves by a line, by most of a page, or to either end", () => {
    expect(keyboardScrollTarget("ArrowUp", box)).toBe(460);
    expect(keyboardScrollTarget("ArrowDown", box)).toBe(540);
    expect(keyboardScrollTarget("PageUp", box)).toBe(320);
    expect(keyboardScrollTarget("PageDown", box)).toBe(680);
    expect(keyboardScrollTarget("Home", box)).toBe(0);
    expect(keyboardScrollTarget("End", box)).toBe(1800);
  });

  it("stays inside the content, pages at least a line, and ignores other keys", () => {
    expect(keyboardScrollTarget("PageUp", { ...box, scrollTop: 10 })).toBe(0);
    expect(keyboardScrollTarget("PageDown", { ...box, scrollTop: 1790 })).toBe(1800);
    expect(keyboardScrollTarget("PageUp", { scrollTop: 100, scrollHeight: 500, clientHeight: 20 })).toBe(60);
    expect(keyboardScrollTarget("a", box)).toBeNull();
  });
});
