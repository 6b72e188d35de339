// Composer history: Up recalls earlier utterances, Down goes back towards the
// draft being typed.

export interface History {
  entries: string[];
  /** Position while browsing; `entries.length` means "the draft". */
  index: number;
  draft: string;
}

export function newHistory(entries: string[]): History {
  return { entries, index: entries.length, draft: "" };
}

export function historyUp(h: History, current: string): { history: History; text: string } {
  if (h.index === 0 || h.entries.length === 0) return { history: h, text: current };
  const draft = h.index === h.entries.length ? current : h.draft;
  const index = h.index - 1;
  return { history: { ...h, index, draft }, text: h.entries[index] ?? current };
}

export function historyDown(h: History, current: string): { history: History; text: string } {
  if (h.index >= h.entries.length) return { history: h, text: current };
  const index = h.index + 1;
  const text = index === h.entries.length ? h.draft : (h.entries[index] ?? current);
  return { history: { ...h, index }, text };
}
