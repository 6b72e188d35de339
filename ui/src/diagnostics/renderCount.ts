// Always-on pane render counter, read by the e2e measurement
// `tests/e2e/tests/busy_panes.rs` (#17): it checks that one reply re-renders
// only the pane it belongs to. It costs one property increment per pane
// render, so it stays in the shipped build, where the measurement runs.

declare global {
  interface Window {
    /** Renders of each pane's component so far, by pane id (`ConversationView.id`). */
    __paneRenders?: Record<string, number>;
  }
}

/** Count one render of pane `id`. Called from the pane component's body. */
export function countPaneRender(id: string): void {
  const counts = (window.__paneRenders ??= {});
  counts[id] = (counts[id] ?? 0) + 1;
}
