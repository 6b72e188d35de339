import { Dialog } from "./Dialog";

export const SHORTCUTS: [string, string][] = [
  ["Enter", "Send the message"],
  ["Shift+Enter", "New line in the message"],
  ["↑ / ↓", "Recall earlier messages of the pane"],
  ["Tab to a transcript, then ↑ ↓ PgUp PgDn Home End", "Scroll that transcript"],
  ["Ctrl+Shift+N", "New pane"],
  ["Ctrl+Shift+B", "Show or hide the broadcast bar"],
  ["Ctrl+Shift+P", "Presentation mode on or off"],
  ["F1", "This help"],
  ["Esc", "Close the inspector, a dialog, a pane's More menu or this help"],
];

export function HelpOverlay({ onClose }: { onClose: () => void }) {
  return (
    <Dialog
      label="Keyboard shortcuts"
      onClose={onClose}
      actions={
        <button type="button" onClick={onClose}>
          Close
        </button>
      }
    >
      <h2>Keyboard shortcuts</h2>
      <table>
        <tbody>
          {SHORTCUTS.map(([keys, what]) => (
            <tr key={keys}>
              <td>
                <kbd>{keys}</kbd>
              </td>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">
        Double-click a conversation id to change it. Click “inspect” on a message to see the request, every callback and
        the customData diff.
      </p>
    </Dialog>
  );
}
