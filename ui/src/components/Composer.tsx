import { useRef, useState, type KeyboardEvent } from "react";
import { historyDown, historyUp, newHistory, type History } from "../logic/history";

/** Message box: Enter sends, Shift+Enter adds a line, Up/Down recall earlier utterances. */
export function Composer({
  disabled,
  placeholder,
  previous,
  onSend,
  testId = "composer-input",
}: {
  disabled: boolean;
  placeholder: string;
  /** Earlier utterances, oldest first, for Up/Down. */
  previous: string[];
  onSend: (utterance: string) => Promise<boolean>;
  testId?: string;
}) {
  const [text, setText] = useState("");
  const history = useRef<History | null>(null);

  const submit = async () => {
    const utterance = text.trim();
    if (!utterance || disabled) return;
    setText("");
    history.current = null;
    // Keep what the user typed when it could not be sent.
    if (!(await onSend(utterance))) setText(utterance);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.nativeEvent.isComposing) return;
    if (e.key === "Enter" && !e.shiftKey) {
      e.preventDefault();
      void submit();
      return;
    }
    const caretAtStart = e.currentTarget.selectionStart === 0 && e.currentTarget.selectionEnd === 0;
    const singleLine = !text.includes("\n");
    if (e.key === "ArrowUp" && (singleLine || caretAtStart)) {
      history.current ??= newHistory(previous);
      const r = historyUp(history.current, text);
      history.current = r.history;
      if (r.text !== text) {
        e.preventDefault();
        setText(r.text);
      }
    } else if (e.key === "ArrowDown" && history.current && singleLine) {
      const r = historyDown(history.current, text);
      history.current = r.history;
      e.preventDefault();
      setText(r.text);
    }
  };

  return (
    <div className="composer-row">
      <textarea
        data-testid={testId}
        value={text}
        placeholder={placeholder}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
        disabled={disabled}
        rows={1}
        aria-label="Message"
      />
      <button type="button" onClick={() => void submit()} disabled={disabled || text.trim() === ""}>
        Send
      </button>
    </div>
  );
}
