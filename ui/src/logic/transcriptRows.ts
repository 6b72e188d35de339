// The rows of a pane's transcript: first its unpaired replies (they answer
// no utterance; nearly all arrive before the first one is sent), oldest
// first, then its turns. A view carries only the newest unpaired replies
// (`unpairedReplies`, after `olderUnpaired` older ones); rows of the older
// ones are paged in from the backend.
import type { ConversationView } from "../bindings/ConversationView";
import type { ReplyView } from "../bindings/ReplyView";
import type { TurnView } from "../bindings/TurnView";

export type Row =
  | { kind: "turn"; turn: TurnView }
  /** `reply` is undefined while its page is being fetched. */
  | { kind: "unpaired"; index: number; reply: ReplyView | undefined };

type View = Pick<ConversationView, "turns" | "unpairedReplies" | "olderUnpaired">;

export function unpairedTotal(view: View): number {
  return view.olderUnpaired + view.unpairedReplies.length;
}

export function rowCount(view: View): number {
  return unpairedTotal(view) + view.turns.length;
}

/** Row `index`, or undefined past the end; `older` looks up a paged-in reply by its arrival index. */
export function rowAt(view: View, index: number, older: (index: number) => ReplyView | undefined): Row | undefined {
  const unpaired = unpairedTotal(view);
  if (index < 0) return undefined;
  if (index < view.olderUnpaired) return { kind: "unpaired", index, reply: older(index) };
  if (index < unpaired) return { kind: "unpaired", index, reply: view.unpairedReplies[index - view.olderUnpaired] };
  const turn = view.turns[index - unpaired];
  return turn ? { kind: "turn", turn } : undefined;
}
