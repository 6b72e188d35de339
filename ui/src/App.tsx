import { useEffect, useState } from "react";
import { backend } from "./backend";
import type { ReplayReport } from "./bindings/ReplayReport";
import { AboutDialog } from "./components/AboutDialog";
import { BroadcastBar } from "./components/BroadcastBar";
import { HelpOverlay } from "./components/HelpOverlay";
import { InboxDialog } from "./components/InboxDialog";
import { Inspector, UnpairedInspector } from "./components/Inspector";
import { Pane } from "./components/Pane";
import { ProfilesDialog } from "./components/ProfilesDialog";
import { PublicUrlDialog } from "./components/PublicUrlDialog";
import { ReplayReportDialog } from "./components/ReplayReportDialog";
import { SimulatorDialog } from "./components/SimulatorDialog";
import { StatusBar } from "./components/StatusBar";
import { useRawCopy } from "./hooks/useRawCopy";
import { useShortcuts } from "./hooks/useShortcuts";
import {
  addPane,
  broadcast,
  checkCallbackPath,
  closeInspector,
  connectBackend,
  exportAll,
  importFromFile,
  pollTokens,
  refreshInfo,
  run,
  selectAllPanes,
} from "./state/actions";
import {
  setUi,
  useCanAddPane,
  useError,
  useInboxCount,
  useInfo,
  useInspected,
  useOpenConversations,
  usePane,
  usePaneOrder,
  usePresenting,
  useSelected,
  useSelfTest,
  useTokens,
} from "./state/console";
import { gridColumns } from "./state/conversations";

const SELF_TEST_EVERY_MS = 60_000;
const TOKEN_POLL_MS = 5_000;

type DialogName = "help" | "about" | "profiles" | "inbox" | "publicUrl" | "simulator";

/**
 * The window: toolbar, pane grid, inspector, status bar and dialogs. The
 * panes' state lives in the store (`state/console.ts`); App renders the grid
 * from the pane order only, so a reply does not re-render it or the other panes.
 */
export function App() {
  const [dialog, setDialog] = useState<DialogName | null>(null);
  const [broadcasting, setBroadcasting] = useState(false);
  const [replayReport, setReplayReport] = useState<ReplayReport | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const order = usePaneOrder();
  const presenting = usePresenting();
  const error = useError();
  const canAdd = useCanAddPane();

  useRawCopy();
  useEffect(connectBackend, []);
  useEffect(() => {
    pollTokens();
    const timer = window.setInterval(pollTokens, TOKEN_POLL_MS);
    return () => window.clearInterval(timer);
  }, []);
  // Check the callback path now and then: a tunnel can drop at any time.
  useEffect(() => {
    checkCallbackPath();
    const timer = window.setInterval(checkCallbackPath, SELF_TEST_EVERY_MS);
    return () => window.clearInterval(timer);
  }, []);

  const togglePresenting = () => setUi("presenting", (p) => !p);
  const replayFromFile = () =>
    run(async () => {
      const path = await backend.pickOpenPath();
      if (!path) return;
      setBusy("Replaying…");
      try {
        setReplayReport(await backend.replayFile(path));
      } finally {
        setBusy(null);
      }
    });

  useShortcuts({
    newPane: () => void addPane(),
    toggleBroadcast: () => setBroadcasting((b) => !b),
    togglePresentation: togglePresenting,
    help: () => setDialog("help"),
    escape: () => {
      setDialog(null);
      closeInspector();
    },
  });

  const columns = gridColumns(order.length);
  const rows = Math.max(1, Math.ceil(order.length / columns));
  const close = () => setDialog(null);

  return (
    <div className={`app${presenting ? " presenting" : ""}`}>
      <header className="toolbar">
        <h1>Avatar Console</h1>
        {!presenting && (
          <>
            <button type="button" onClick={() => void addPane()} disabled={!canAdd} title="New pane (Ctrl+Shift+N)" data-testid="new-pane">
              + New pane
            </button>
            <button
              type="button"
              className="secondary"
              aria-pressed={broadcasting}
              onClick={() => setBroadcasting((b) => !b)}
              title="Broadcast one message to the selected panes (Ctrl+Shift+B)"
              data-testid="toggle-broadcast"
            >
              Broadcast
            </button>
          </>
        )}
        <button
          type="button"
          className="secondary"
          aria-pressed={presenting}
          onClick={togglePresenting}
          title="Presentation mode hides ids, JSON and technical details (Ctrl+Shift+P)"
          data-testid="toggle-presentation"
        >
          {presenting ? "Exit presentation" : "Present"}
        </button>
        {!presenting && (
          <>
            <button type="button" className="secondary" onClick={() => void exportAll()} title="Export every open pane (JSON, or Markdown with a .md name)">
              Export…
            </button>
            <button type="button" className="secondary" onClick={() => void importFromFile()} title="Open a saved transcript as read-only panes">
              Import…
            </button>
            <button type="button" className="secondary" onClick={() => void replayFromFile()} disabled={busy !== null} title="Replay a saved conversation or test file in a new pane and compare the replies">
              {busy ?? "Replay…"}
            </button>
            <button type="button" className="secondary" onClick={() => setDialog("simulator")} title="The local simulator's bots and faults" data-testid="open-simulator">
              Simulator
            </button>
            <button type="button" className="secondary" onClick={() => setDialog("profiles")} title="Accounts, API keys and avatars" data-testid="open-profiles">
              Profiles
            </button>
            <button type="button" className="secondary" onClick={() => setDialog("help")} title="Keyboard shortcuts (F1)">
              ?
            </button>
            <button type="button" className="secondary" onClick={() => setDialog("about")} title="Version, commit, data and log folders" data-testid="open-about">
              About
            </button>
          </>
        )}
      </header>
      {broadcasting && !presenting && <Broadcast />}
      {error && (
        <div className="banner error" role="alert">
          {error}{" "}
          <button type="button" className="link" onClick={() => setUi("error", null)}>
            dismiss
          </button>
        </div>
      )}
      <div className="workspace">
        <main
          // Three or more columns: panes narrow enough for the compact header.
          className={columns >= 3 ? "grid dense" : "grid"}
          style={{
            gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))`,
            // Below ~240 px a pane has no room for its transcript: the grid scrolls instead.
            gridTemplateRows: `repeat(${rows}, minmax(${rows > 2 ? 240 : 0}px, 1fr))`,
          }}
        >
          {order.map((id) => (
            <Pane key={id} id={id} />
          ))}
          {order.length === 0 && !error && (
            <div className="empty">
              <p>No conversation is open.</p>
              <button type="button" onClick={() => void addPane()}>
                Open a conversation
              </button>
            </div>
          )}
        </main>
        {!presenting && <InspectorSlot />}
      </div>
      {!presenting && <Status onOpenInbox={() => setDialog("inbox")} onOpenPublicUrl={() => setDialog("publicUrl")} />}
      {dialog === "publicUrl" && (
        <PublicUrlDialog
          onClose={close}
          onChanged={(report) => {
            setUi("selfTest", report);
            refreshInfo();
          }}
        />
      )}
      {dialog === "inbox" && <Inbox onClose={close} />}
      {dialog === "simulator" && <SimulatorDialog onClose={close} />}
      {dialog === "help" && <HelpOverlay onClose={close} />}
      {dialog === "about" && <AboutDialog onClose={close} />}
      {dialog === "profiles" && <ProfilesDialog onClose={close} />}
      {replayReport && <ReplayReportDialog report={replayReport} onClose={() => setReplayReport(null)} />}
    </div>
  );
}

/** The broadcast bar, with the count of ticked open panes. */
function Broadcast() {
  const order = usePaneOrder();
  const selected = useSelected();
  return (
    <BroadcastBar
      selectedCount={order.filter((id) => selected.has(id)).length}
      previous={[]}
      onSend={broadcast}
      onSelectAll={selectAllPanes}
    />
  );
}

/** The inspector, following the inspected pane's view (it alone re-renders on that pane's replies). */
function InspectorSlot() {
  const inspected = useInspected();
  const pane = usePane(inspected?.pane ?? "");
  if (!inspected || !pane) return null;
  if ("reply" in inspected) return <UnpairedInspector conversation={pane} reply={inspected.reply} onClose={closeInspector} />;
  const turn = pane.turns.find((t) => t.id === inspected.turn);
  return turn ? <Inspector conversation={pane} turn={turn} onClose={closeInspector} /> : null;
}

function Status({ onOpenInbox, onOpenPublicUrl }: { onOpenInbox: () => void; onOpenPublicUrl: () => void }) {
  return (
    <StatusBar
      info={useInfo()}
      inboxCount={useInboxCount()}
      onOpenInbox={onOpenInbox}
      selfTest={useSelfTest()}
      onOpenPublicUrl={onOpenPublicUrl}
      tokens={useTokens()}
    />
  );
}

function Inbox({ onClose }: { onClose: () => void }) {
  return <InboxDialog panes={useOpenConversations()} onClose={onClose} />;
}
