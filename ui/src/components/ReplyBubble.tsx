import type { ReplyFlag } from "../bindings/ReplyFlag";
import type { ReplyView } from "../bindings/ReplyView";
import { hasInvisible } from "../logic/visibleText";
import { VisibleText } from "./VisibleText";

/** How each anomaly flag reads on a badge, and what it means. */
export const FLAG_LABELS: Record<ReplyFlag, [string, string]> = {
  late: ["late", "Arrived after a newer utterance was sent"],
  duplicate: ["duplicate", "The same payload arrived again"],
  outOfOrder: ["out of order", "Answers an older utterance than a reply that came before it"],
  afterFinal: ["after final", "Arrived after the avatar had ended the conversation"],
  extraReply: ["several replies", "Another reply to an utterance that was already answered"],
  unpaired: ["unpaired", "Matches no utterance of this conversation"],
};

/** A badge when a reply holds characters a reader cannot see (shown as `U+…` tokens). */
export function HiddenCharsBadge({ text }: { text: string | null }) {
  if (text === null || !hasInvisible(text, false)) return null;
  return (
    <span className="badge flag" title="Holds invisible or control characters, shown as U+… tokens" data-testid="flag">
      hidden characters
    </span>
  );
}

/**
 * One reply as the transcript shows it: the avatar's bubble (its text as
 * sent, see `VisibleText`) and, outside presentation mode, its badges:
 * latency where known, final, anomaly flags, hidden characters.
 */
export function ReplyBubble({
  reply,
  presenting,
  avatarName,
  testId,
  latencyKnown,
}: {
  reply: ReplyView;
  presenting: boolean;
  avatarName: string;
  testId: string;
  /** False for an unpaired reply: nothing was sent, so there is no latency. */
  latencyKnown: boolean;
}) {
  return (
    <>
      <div className="bubble avatar">
        {presenting && <div className="speaker">{avatarName}</div>}
        <VisibleText text={reply.response ?? ""} testId={testId} />
        {reply.response === null && !presenting && <em className="muted">(no text)</em>}
      </div>
      {!presenting && (
        <>
          {latencyKnown && (
            <span className="badge" title="From sending the utterance to receiving this reply">
              {reply.latencyMs} ms
            </span>
          )}
          {reply.isFinal && <span className="badge final">final</span>}
          {reply.flags.map((f) => (
            <span key={f} className="badge flag" title={FLAG_LABELS[f][1]} data-testid="flag">
              {FLAG_LABELS[f][0]}
            </span>
          ))}
          <HiddenCharsBadge text={reply.response} />
        </>
      )}
    </>
  );
}

/** The faint "inspect" link of a transcript row. */
export function InspectButton({ title, onClick }: { title: string; onClick: () => void }) {
  return (
    <button type="button" className="link inspect" onClick={onClick} title={title}>
      inspect
    </button>
  );
}
