import { useCallback, useEffect, useState } from "react";
import { BackendError, backend } from "./backend";
import type { BackendInfo } from "./bindings/BackendInfo";
import { Pane } from "./components/Pane";
import { StatusBar } from "./components/StatusBar";
import { applyEvent, emptyState, upsertConversation, type ConsoleState } from "./state/conversations";

export function App() {
  const [state, setState] = useState<ConsoleState>(emptyState);
  const [info, setInfo] = useState<BackendInfo | null>(null);
  const [startupError, setStartupError] = useState<string | null>(null);

  useEffect(() => {
    let unlisten: (() => void) | undefined;
    let cancelled = false;
    (async () => {
      try {
        // Listen first so no update between the two calls is missed.
        unlisten = await backend.onEvent((event) => setState((s) => applyEvent(s, event)));
        const [conversations, backendInfo] = await Promise.all([backend.listConversations(), backend.info()]);
        if (cancelled) return;
        setState((s) => conversations.reduce(upsertConversation, s));
        setInfo(backendInfo);
      } catch (e) {
        setStartupError(e instanceof BackendError ? e.message : String(e));
      }
    })();
    return () => {
      cancelled = true;
      unlisten?.();
    };
  }, []);

  const addPane = useCallback(async () => {
    const view = await backend.newConversation();
    setState((s) => upsertConversation(s, view));
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.shiftKey && e.key.toLowerCase() === "n") {
        e.preventDefault();
        void addPane();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [addPane]);

  return (
    <div className="app">
      <header className="toolbar">
        <h1>Avatar Console</h1>
        <button type="button" onClick={() => void addPane()} title="New conversation pane (Ctrl+Shift+N)">
          + New pane
        </button>
      </header>
      {startupError && (
        <div className="banner error" role="alert">
          The backend did not start: {startupError}
        </div>
      )}
      <main className={`grid panes-${Math.min(state.conversations.length, 4)}`}>
        {state.conversations.map((c) => (
          <Pane key={c.id} conversation={c} />
        ))}
        {state.conversations.length === 0 && !startupError && <p className="empty">Starting…</p>}
      </main>
      <StatusBar info={info} inboxCount={state.inboxCount} />
    </div>
  );
}
