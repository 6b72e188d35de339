import { describe, expect, it } from "vitest";
import { type NodeLike, charOfLabel, rawText } from "./rawText";
import { codeLabel, hasInvisible, visibleParts, visibleString } from "./visibleText";

const RLO = "\u202E";

/** What a reader sees: text runs as they are, marks as their labels. */
function shown(text: string, strict: boolean): string {
  return visibleParts(text, strict)
    .map((p) => (p.kind === "text" ? p.text : `[${p.label}]`))
    .join("");
}

describe("visibleParts", () => {
  it("marks bidi controls so they reorder nothing", () => {
    expect(shown(`flood ${RLO}duplicate me`, false)).toBe("flood [U+202E]duplicate me");
    for (const c of ["\u202A", "\u202B", "\u202C", "\u202D", "\u2066", "\u2067", "\u2068", "\u2069", "\u200E", "\u200F", "\u061C"]) {
      expect(shown(`a${c}b`, false)).toBe(`a[${codeLabel(c.codePointAt(0) ?? 0)}]b`);
    }
  });

  it("marks NUL, C0 and C1 controls but keeps tab and line feed", () => {
    expect(shown("a\0b\x07c\x1bd\x7fe\x85f\x9fg", false)).toBe("a[U+0000]b[U+0007]c[U+001B]d[U+007F]e[U+0085]f[U+009F]g");
    expect(shown("a\tb\nc\r\n", false)).toBe("a\tb\nc[U+000D]\n");
  });

  it("marks zero-width characters; the joiner only in strict mode", () => {
    expect(shown("pay\u200Bpal\uFEFF\u2060", false)).toBe("pay[U+200B]pal[U+FEFF][U+2060]");
    const family = "👨\u200D👩\u200D👧";
    expect(shown(family, false)).toBe(family);
    expect(shown(family, true)).toBe("👨[U+200D]👩[U+200D]👧");
  });

  it("marks tag characters (invisible ASCII look-alikes) as one code point each", () => {
    const tagged = `ok${String.fromCodePoint(0xe0041, 0xe007f)}`;
    expect(shown(tagged, false)).toBe("ok[U+E0041][U+E007F]");
  });

  it("names what it marks", () => {
    const mark = visibleParts(RLO, true)[0];
    expect(mark).toEqual({ kind: "mark", char: RLO, label: "U+202E", name: "RIGHT-TO-LEFT OVERRIDE" });
  });

  it("leaves ordinary text, right-to-left scripts included, as one run", () => {
    const text = "שלום مرحبا hello 123 ";
    expect(visibleParts(text, true)).toEqual([{ kind: "text", text }]);
    expect(visibleParts("", true)).toEqual([]);
    expect(hasInvisible(text, true)).toBe(false);
    expect(hasInvisible(`x${RLO}`, false)).toBe(true);
    // The shared pattern keeps no state between calls.
    expect(hasInvisible(`x${RLO}`, false)).toBe(true);
  });

  it("keeps a 100,000-character line whole", () => {
    const line = "x".repeat(100_000);
    const parts = visibleParts(line + RLO + line, false);
    expect(parts.map((p) => p.kind)).toEqual(["text", "mark", "text"]);
    expect(parts.map((p) => (p.kind === "text" ? p.text.length : 1))).toEqual([100_000, 1, 100_000]);
  });

  it("writes marks as ⟨U+…⟩ in plain strings", () => {
    expect(visibleString(`id${RLO}x`)).toBe("id⟨U+202E⟩x");
    expect(visibleString("conv-1")).toBe("conv-1");
  });
});

/** A DOM-like tree as VisibleText renders one, for `rawText`. */
function rendered(text: string): NodeLike {
  const childNodes: NodeLike[] = visibleParts(text, true).map((p) =>
    p.kind === "text"
      ? { nodeType: 3, nodeValue: p.text, childNodes: [] }
      : {
          nodeType: 1,
          nodeValue: null,
          childNodes: [{ nodeType: 3, nodeValue: p.label, childNodes: [] }],
          getAttribute: (name: string) => (name === "data-cp" ? p.label : null),
          classList: { contains: (name: string) => name === "ctl" },
        },
  );
  return { nodeType: 1, nodeValue: null, childNodes, classList: { contains: () => false } };
}

describe("rawText", () => {
  it("reads tokens back as the characters they stand for", () => {
    const sent = `a${RLO}b\0c\u200D${String.fromCodePoint(0xe0041)}d`;
    expect(rawText(rendered(sent))).toBe(sent);
  });

  it("parses only well-formed labels", () => {
    expect(charOfLabel("U+202E")).toBe(RLO);
    expect(charOfLabel("U+E0041")).toBe(String.fromCodePoint(0xe0041));
    expect(charOfLabel("202E")).toBeNull();
    expect(charOfLabel("U+12")).toBeNull();
  });
});
