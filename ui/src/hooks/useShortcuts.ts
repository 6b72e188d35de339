import { useEffect, useRef } from "react";

export interface ShortcutHandlers {
  newPane: () => void;
  toggleBroadcast: () => void;
  togglePresentation: () => void;
  help: () => void;
  escape: () => void;
}

/** App-wide keyboard shortcuts (listed in the help overlay). */
export function useShortcuts(handlers: ShortcutHandlers) {
  const ref = useRef(handlers);
  ref.current = handlers;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const h = ref.current;
      const chord = (e.ctrlKey || e.metaKey) && e.shiftKey;
      const key = e.key.toLowerCase();
      let handled = true;
      if (chord && key === "n") h.newPane();
      else if (chord && key === "b") h.toggleBroadcast();
      else if (chord && key === "p") h.togglePresentation();
      else if (e.key === "F1") h.help();
      else if (e.key === "Escape") h.escape();
      else handled = false;
      if (handled) e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
}
