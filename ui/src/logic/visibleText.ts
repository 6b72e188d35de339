// Untrusted text (what an avatar, or anyone holding the callback URL, sent)
// split into plain runs and the characters a reader cannot see: bidi
// controls (which reorder what follows them: "Trojan Source"), zero-width
// and other format characters, NUL and the other C0/C1 controls, line and
// paragraph separators, Unicode tag characters (invisible ASCII look-alikes).
// Each becomes a marked `U+202E`-style token, so the text reads in its
// logical order and nothing in it can hide or reorder anything.

export type Part = { kind: "text"; text: string } | { kind: "mark"; char: string; label: string; name: string };

/**
 * `strict` (the inspector) marks every such character. Otherwise (transcript
 * bubbles) the zero-width joiner is kept as sent: it only glues emoji
 * sequences (👨‍👩‍👧) and cannot reorder or hide text. Tab and line feed
 * are never marked: bubbles and raw views show them as layout.
 */
const STRICT = /[\0-\x08\x0B-\x1F\x7F-\x9F\xAD\u061C\u180E\u200B-\u200F\u2028-\u202E\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB\u{E0000}-\u{E007F}]/gu;
const RELAXED = /[\0-\x08\x0B-\x1F\x7F-\x9F\xAD\u061C\u180E\u200B\u200C\u200E\u200F\u2028-\u202E\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB\u{E0000}-\u{E007F}]/gu;

const NAMES: Record<number, string> = {
  0x00: "NULL",
  0x07: "BELL",
  0x08: "BACKSPACE",
  0x0d: "CARRIAGE RETURN",
  0x1b: "ESCAPE",
  0x7f: "DELETE",
  0x85: "NEXT LINE",
  0xad: "SOFT HYPHEN",
  0x061c: "ARABIC LETTER MARK",
  0x180e: "MONGOLIAN VOWEL SEPARATOR",
  0x200b: "ZERO WIDTH SPACE",
  0x200c: "ZERO WIDTH NON-JOINER",
  0x200d: "ZERO WIDTH JOINER",
  0x200e: "LEFT-TO-RIGHT MARK",
  0x200f: "RIGHT-TO-LEFT MARK",
  0x2028: "LINE SEPARATOR",
  0x2029: "PARAGRAPH SEPARATOR",
  0x202a: "LEFT-TO-RIGHT EMBEDDING",
  0x202b: "RIGHT-TO-LEFT EMBEDDING",
  0x202c: "POP DIRECTIONAL FORMATTING",
  0x202d: "LEFT-TO-RIGHT OVERRIDE",
  0x202e: "RIGHT-TO-LEFT OVERRIDE",
  0x2060: "WORD JOINER",
  0x2066: "LEFT-TO-RIGHT ISOLATE",
  0x2067: "RIGHT-TO-LEFT ISOLATE",
  0x2068: "FIRST STRONG ISOLATE",
  0x2069: "POP DIRECTIONAL ISOLATE",
  0xfeff: "ZERO WIDTH NO-BREAK SPACE (BOM)",
};

/** `U+202E` for a code point. */
export function codeLabel(codePoint: number): string {
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, "0")}`;
}

function nameOf(codePoint: number): string {
  const known = NAMES[codePoint];
  if (known) return known;
  if (codePoint < 0x20 || (codePoint >= 0x7f && codePoint <= 0x9f)) return "control character";
  if (codePoint >= 0xe0000) return "tag character (invisible)";
  return "invisible format character";
}

/** `text` as plain runs and marked characters, in logical order. */
export function visibleParts(text: string, strict: boolean): Part[] {
  const pattern = strict ? STRICT : RELAXED;
  const parts: Part[] = [];
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    const at = match.index;
    if (at > last) parts.push({ kind: "text", text: text.slice(last, at) });
    const char = match[0];
    const codePoint = char.codePointAt(0) ?? 0;
    parts.push({ kind: "mark", char, label: codeLabel(codePoint), name: nameOf(codePoint) });
    last = at + char.length;
  }
  if (last < text.length) parts.push({ kind: "text", text: text.slice(last) });
  return parts;
}

/** Whether `text` holds anything `visibleParts` would mark. */
export function hasInvisible(text: string, strict: boolean): boolean {
  const pattern = strict ? STRICT : RELAXED;
  pattern.lastIndex = 0;
  const found = pattern.test(text);
  pattern.lastIndex = 0;
  return found;
}

/**
 * `text` with each marked character written as `⟨U+202E⟩`, for places that
 * take a plain string only (an `<option>`, a `title`), where no token can be
 * drawn. Such places are their own paragraph, so nothing else is needed to
 * keep them from reordering their surroundings.
 */
export function visibleString(text: string, strict = true): string {
  return visibleParts(text, strict)
    .map((p) => (p.kind === "text" ? p.text : `⟨${p.label}⟩`))
    .join("");
}
