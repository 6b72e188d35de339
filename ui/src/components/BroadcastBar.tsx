import { Composer } from "./Composer";

/** Sends one utterance to every selected pane, each with its own customData. */
export function BroadcastBar({
  selectedCount,
  previous,
  onSend,
  onSelectAll,
}: {
  selectedCount: number;
  previous: string[];
  onSend: (utterance: string) => Promise<boolean>;
  onSelectAll: (all: boolean) => void;
}) {
  return (
    <div className="broadcast" data-testid="broadcast-bar">
      <span className="label">
        Broadcast to <strong>{selectedCount}</strong> pane{selectedCount === 1 ? "" : "s"}
      </span>
      <button type="button" className="secondary small" onClick={() => onSelectAll(true)}>
        All
      </button>
      <button type="button" className="secondary small" onClick={() => onSelectAll(false)}>
        None
      </button>
      <Composer
        disabled={selectedCount === 0}
        placeholder={selectedCount === 0 ? "Tick the panes to broadcast to" : "Message every selected pane (Enter sends)"}
        previous={previous}
        onSend={onSend}
        testId="broadcast-input"
      />
    </div>
  );
}
