import { useState, type KeyboardEvent } from "react";
import { parseCustomData } from "../state/conversations";

export function Composer({
  disabled,
  onSend,
}: {
  disabled: boolean;
  onSend: (utterance: string, customData: unknown) => Promise<void>;
}) {
  const [text, setText] = useState("");
  const [customData, setCustomData] = useState("{}");
  const [showData, setShowData] = useState(false);
  const parsed = parseCustomData(customData);

  const submit = async () => {
    const utterance = text.trim();
    if (!utterance || !parsed.ok || disabled) return;
    setText("");
    try {
      await onSend(utterance, parsed.value);
    } catch {
      // Keep what the user typed when the backend refused it.
      setText(utterance);
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void submit();
    }
  };

  return (
    <div className="composer">
      {showData && (
        <label className="custom-data">
          <span>customData (JSON)</span>
          <textarea
            value={customData}
            onChange={(e) => setCustomData(e.target.value)}
            spellCheck={false}
            rows={3}
            aria-invalid={!parsed.ok}
          />
          {!parsed.ok && <span className="field-error">{parsed.error}</span>}
        </label>
      )}
      <div className="composer-row">
        <textarea
          data-testid="composer-input"
          value={text}
          placeholder={disabled ? "The conversation has ended" : "Message the avatar (Enter to send, Shift+Enter for a new line)"}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKeyDown}
          disabled={disabled}
          rows={1}
        />
        <button
          type="button"
          className="secondary"
          onClick={() => setShowData((v) => !v)}
          aria-pressed={showData}
          title="Edit the customData sent with each message"
        >
          {"{ }"}
        </button>
        <button
          type="button"
          data-testid="send-button"
          onClick={() => void submit()}
          disabled={disabled || !parsed.ok || text.trim() === ""}
        >
          Send
        </button>
      </div>
    </div>
  );
}
