// The raw text under a DOM node rendered by `VisibleText`: tokens
// (`<span class="ctl" data-cp="U+202E">`) read as the characters they stand
// for, everything else as its text. The e2e tests read the DOM back the same way.

/** The part of a DOM node this needs (so unit tests need no DOM). */
export interface NodeLike {
  nodeType: number;
  nodeValue: string | null;
  childNodes: ArrayLike<NodeLike>;
  getAttribute?: (name: string) => string | null;
  classList?: { contains: (name: string) => boolean };
}

const TEXT_NODE = 3;

/** `U+202E` → the character; null for anything else. */
export function charOfLabel(label: string): string | null {
  const m = /^U\+([0-9A-F]{4,6})$/.exec(label);
  return m?.[1] ? String.fromCodePoint(parseInt(m[1], 16)) : null;
}

export function rawText(node: NodeLike): string {
  if (node.nodeType === TEXT_NODE) return node.nodeValue ?? "";
  if (node.classList?.contains("ctl")) {
    const char = charOfLabel(node.getAttribute?.("data-cp") ?? "");
    if (char !== null) return char;
  }
  let out = "";
  for (let i = 0; i < node.childNodes.length; i++) {
    const child = node.childNodes[i];
    if (child) out += rawText(child);
  }
  return out;
}
