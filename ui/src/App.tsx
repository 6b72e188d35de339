import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { backend, errorMessage } from "./backend";
import type { ProfileOption } from "./bindings/ProfileOption";
import type { BackendInfo } from "./bindings/BackendInfo";
import type { Restart } from "./bindings/Restart";
import type { TurnView } from "./bindings/TurnView";
import type { ReplyView } from "./bindings/ReplyView";
import { BroadcastBar } from "./components/BroadcastBar";
import { HelpOverlay } from "./components/HelpOverlay";
import { AboutDialog } from "./components/AboutDialog";
import { Inspector, UnpairedInspector } from "./components/Inspector";
import { Pane } from "./components/Pane";
import { InboxDialog } from "./components/InboxDialog";
import { ProfilesDialog } from "./components/ProfilesDialog";
import { PublicUrlDialog } from "./components/PublicUrlDialog";
import { SimulatorDialog } from "./components/SimulatorDialog";
import type { SelfTestReport } from "./bindings/SelfTestReport";
import type { TokenStatus } from "./bindings/TokenStatus";
import { ReplayReportDialog } from "./components/ReplayReportDialog";
import type { ReplayReport } from "./bindings/ReplayReport";
import type { PaneActions } from "./components/PaneHeader";
import { StatusBar } from "./components/StatusBar";
import { useRawCopy } from "./hooks/useRawCopy";
import { useShortcuts } from "./hooks/useShortcuts";
import { prepareCustomData } from "./logic/send";
import {
  MAX_PANES,
  applyEvent,
  emptyState,
  gridColumns,
  loadConversations,
  openConversation,
  openConversations,
  startInboxCount,
  upsertConversation,
  type ConsoleState,
} from "./state/conversations";

const NO_PROFILES: ProfileOption[] = [];
const SELF_TEST_EVERY_MS = 60_000;
const TOKEN_POLL_MS = 5_000;

export function App() {
  const [state, setState] = useState<ConsoleState>(emptyState);
  const [info, setInfo] = useState<BackendInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [broadcasting, setBroadcasting] = useState(false);
  const [presenting, setPresenting] = useState(false);
  const [helpOpen, setHelpOpen] = useState(false);
  const [aboutOpen, setAboutOpen] = useState(false);
  const [profilesOpen, setProfilesOpen] = useState(false);
  const [inboxOpen, setInboxOpen] = useState(false);
  const [publicUrlOpen, setPublicUrlOpen] = useState(false);
  const [simulatorOpen, setSimulatorOpen] = useState(false);
  const [selfTest, setSelfTest] = useState<SelfTestReport | null>(null);
  const [tokens, setTokens] = useState<TokenStatus[]>([]);

  useRawCopy();
  const lastTokenPoll = useRef(0);
  const pollTokens = useCallback(() => {
    lastTokenPoll.current = Date.now();
    void backend.tokenStatuses().then(setTokens, () => undefined);
  }, []);
  useEffect(() => {
    pollTokens();
    const timer = window.setInterval(pollTokens, TOKEN_POLL_MS);
    return () => window.clearInterval(timer);
  }, [pollTokens]);

  // Check the callback path now and then: a tunnel can drop at any time.
  useEffect(() => {
    const check = () => void backend.selfTest().then(setSelfTest, () => undefined);
    check();
    const timer = window.setInterval(check, SELF_TEST_EVERY_MS);
    return () => window.clearInterval(timer);
  }, []);
  const [replayReport, setReplayReport] = useState<ReplayReport | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  // A turn is looked up in the pane's view (it changes as replies arrive);
  // an unpaired reply never changes, and may be paged out of the view.
  const [inspected, setInspected] = useState<{ pane: string; turn: string } | { pane: string; reply: ReplyView } | null>(
    null,
  );

  useEffect(() => {
    let unlisten: (() => void) | undefined;
    let cancelled = false;
    (async () => {
      try {
        // Listen first so no update between the two calls is missed.
        unlisten = await backend.onEvent((event) => {
          setState((s) => applyEvent(s, event));
          // A send may have logged on: show the token soon, at most once a second.
          if (event.kind === "turnUpdated" && Date.now() - lastTokenPoll.current > 1000) pollTokens();
          // Saved, deleted, or registered once the keychain answered: panes offer the new list.
          if (event.kind === "profilesChanged") void backend.backendInfo().then(setInfo, () => undefined);
        });
        const [conversations, backendInfo, inboxCount] = await Promise.all([
          backend.listConversations(),
          backend.backendInfo(),
          backend.inboxCount(),
        ]);
        if (cancelled) return;
        setState((s) => loadConversations(startInboxCount(s, inboxCount), conversations));
        setInfo(backendInfo);
      } catch (e) {
        setError(`The backend did not start: ${errorMessage(e)}`);
      }
    })();
    return () => {
      cancelled = true;
      unlisten?.();
    };
  }, []);

  const panes = useMemo(() => openConversations(state), [state]);
  const canAdd = panes.length < MAX_PANES;

  const run = useCallback(async (action: () => Promise<unknown>) => {
    try {
      setError(null);
      await action();
    } catch (e) {
      setError(errorMessage(e));
    }
  }, []);

  const addPane = useCallback(
    () =>
      run(async () => {
        if (panes.length >= MAX_PANES) throw new Error(`At most ${MAX_PANES} panes fit on the screen.`);
        const view = await backend.newConversation();
        setState((s) => openConversation(s, view));
      }),
    [run, panes.length],
  );

  const actions = useCallback(
    (id: string): PaneActions => ({
      restart: (how: Restart) =>
        void run(async () => {
          const view = await backend.restartConversation(id, how);
          setState((s) => openConversation(s, view, id));
          setSelected((sel) => (sel.has(id) ? new Set([...sel].filter((x) => x !== id).concat(view.id)) : sel));
        }),
      end: () =>
        void run(async () => {
          const view = await backend.endConversation(id);
          setState((s) => upsertConversation(s, view));
        }),
      exportTranscript: () =>
        void run(async () => {
          const path = await backend.pickSavePath(`${state.byId[id]?.conversationId ?? "conversation"}.json`);
          if (path) await backend.exportConversations([id], path);
        }),
      exportTest: () =>
        void run(async () => {
          const path = await backend.pickSavePath(`${state.byId[id]?.conversationId ?? "conversation"}.test.json`);
          if (path) await backend.exportTestFile(id, path);
        }),
      duplicate: () =>
        void run(async () => {
          const view = await backend.duplicateConversation(id);
          setState((s) => openConversation(s, view, id));
        }),
      move: (delta: number) =>
        void run(async () => {
          const index = state.order.indexOf(id) + delta;
          if (index < 0 || index >= state.order.length) return;
          const order = await backend.moveConversation(id, index);
          setState((s) => ({ ...s, order }));
        }),
      close: () =>
        void run(async () => {
          await backend.closeConversation(id);
          setState((s) => ({ ...s, order: s.order.filter((x) => x !== id) }));
          setInspected((i) => (i?.pane === id ? null : i));
        }),
    }),
    [run, state.order, state.byId],
  );

  const exportAll = () =>
    run(async () => {
      const path = await backend.pickSavePath("avatar-console-session.json");
      if (path) await backend.exportConversations([], path);
    });

  const importFromFile = () =>
    run(async () => {
      const path = await backend.pickOpenPath();
      if (!path) return;
      for (const view of await backend.importTranscript(path)) setState((s) => openConversation(s, view));
    });

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

  const onSelect = useCallback((id: string, on: boolean) => {
    setSelected((sel) => {
      const next = new Set(sel);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  }, []);

  const onInspect = useCallback((pane: string, turn: TurnView) => setInspected({ pane, turn: turn.id }), []);
  const onInspectUnpaired = useCallback((pane: string, reply: ReplyView) => setInspected({ pane, reply }), []);

  const broadcast = async (utterance: string): Promise<boolean> => {
    const targets = panes.filter((p) => selected.has(p.id) && !p.ended);
    const results = await Promise.allSettled(
      targets.map((p) => {
        const prepared = prepareCustomData(p.customDataTemplate);
        if (!prepared.ok) return Promise.reject(new Error(`${p.conversationId}: ${prepared.error}`));
        return backend.sendMessage(p.id, utterance, prepared.customData);
      }),
    );
    const failures = results.flatMap((r) => (r.status === "rejected" ? [errorMessage(r.reason)] : []));
    setError(failures.length ? `Broadcast failed for ${failures.length} pane(s): ${failures.join("; ")}` : null);
    return failures.length === 0;
  };

  useShortcuts({
    newPane: () => void addPane(),
    toggleBroadcast: () => setBroadcasting((b) => !b),
    togglePresentation: () => setPresenting((p) => !p),
    help: () => setHelpOpen(true),
    escape: () => {
      setHelpOpen(false);
      setAboutOpen(false);
      setProfilesOpen(false);
      setInboxOpen(false);
      setPublicUrlOpen(false);
      setSimulatorOpen(false);
      setInspected(null);
    },
  });

  const inspectedPane = inspected ? state.byId[inspected.pane] : undefined;
  const inspectedTurn =
    inspected && "turn" in inspected ? inspectedPane?.turns.find((t) => t.id === inspected.turn) : undefined;
  const inspectedReply = inspected && "reply" in inspected ? inspected.reply : undefined;
  const columns = gridColumns(panes.length);
  const rows = Math.max(1, Math.ceil(panes.length / columns));

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
          onClick={() => setPresenting((p) => !p)}
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
            <button type="button" className="secondary" onClick={() => setSimulatorOpen(true)} title="The local simulator's bots and faults" data-testid="open-simulator">
              Simulator
            </button>
            <button type="button" className="secondary" onClick={() => setProfilesOpen(true)} title="Accounts, API keys and avatars" data-testid="open-profiles">
              Profiles
            </button>
            <button type="button" className="secondary" onClick={() => setHelpOpen(true)} title="Keyboard shortcuts (F1)">
              ?
            </button>
            <button type="button" className="secondary" onClick={() => setAboutOpen(true)} title="Version, commit, data and log folders" data-testid="open-about">
              About
            </button>
          </>
        )}
      </header>
      {broadcasting && !presenting && (
        <BroadcastBar
          selectedCount={panes.filter((p) => selected.has(p.id)).length}
          previous={[]}
          onSend={broadcast}
          onSelectAll={(all) => setSelected(all ? new Set(panes.map((p) => p.id)) : new Set())}
        />
      )}
      {error && (
        <div className="banner error" role="alert">
          {error}{" "}
          <button type="button" className="link" onClick={() => setError(null)}>
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
          {panes.map((c) => (
            <Pane
              key={c.id}
              conversation={c}
              presenting={presenting}
              profiles={info?.profiles ?? NO_PROFILES}
              selected={selected.has(c.id)}
              selectedTurn={inspected?.pane === c.id && "turn" in inspected ? inspected.turn : null}
              selectedReply={inspected?.pane === c.id && "reply" in inspected ? inspected.reply.id : null}
              canAdd={canAdd}
              onSelect={onSelect}
              onInspect={onInspect}
              onInspectUnpaired={onInspectUnpaired}
              actions={actions}
            />
          ))}
          {panes.length === 0 && !error && (
            <div className="empty">
              <p>No conversation is open.</p>
              <button type="button" onClick={() => void addPane()}>
                Open a conversation
              </button>
            </div>
          )}
        </main>
        {inspectedPane && inspectedTurn && !presenting && (
          <Inspector conversation={inspectedPane} turn={inspectedTurn} onClose={() => setInspected(null)} />
        )}
        {inspectedPane && inspectedReply && !presenting && (
          <UnpairedInspector conversation={inspectedPane} reply={inspectedReply} onClose={() => setInspected(null)} />
        )}
      </div>
      {!presenting && (
        <StatusBar
          info={info}
          inboxCount={state.inboxCount}
          onOpenInbox={() => setInboxOpen(true)}
          selfTest={selfTest}
          onOpenPublicUrl={() => setPublicUrlOpen(true)}
          tokens={tokens}
        />
      )}
      {publicUrlOpen && (
        <PublicUrlDialog
          onClose={() => setPublicUrlOpen(false)}
          onChanged={(report) => {
            setSelfTest(report);
            void backend.backendInfo().then(setInfo, () => undefined);
          }}
        />
      )}
      {inboxOpen && <InboxDialog panes={panes} onClose={() => setInboxOpen(false)} />}
      {simulatorOpen && <SimulatorDialog onClose={() => setSimulatorOpen(false)} />}
      {helpOpen && <HelpOverlay onClose={() => setHelpOpen(false)} />}
      {aboutOpen && <AboutDialog onClose={() => setAboutOpen(false)} />}
      {profilesOpen && (
        <ProfilesDialog
          onClose={() => setProfilesOpen(false)}
        />
      )}
      {replayReport && <ReplayReportDialog report={replayReport} onClose={() => setReplayReport(null)} />}
    </div>
  );
}
