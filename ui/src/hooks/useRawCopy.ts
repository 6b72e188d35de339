import { useEffect } from "react";
import { rawText } from "../logic/rawText";

/**
 * Copying a selection that holds `U+202E`-style tokens (`VisibleText`)
 * copies the characters they stand for, so what lands on the clipboard is
 * what the avatar sent, not the labels.
 */
export function useRawCopy() {
  useEffect(() => {
    const onCopy = (e: ClipboardEvent) => {
      const selection = window.getSelection();
      if (!selection || selection.rangeCount === 0 || !e.clipboardData) return;
      const fragment = selection.getRangeAt(0).cloneContents();
      if (!fragment.querySelector(".ctl[data-cp]")) return;
      e.clipboardData.setData("text/plain", rawText(fragment));
      e.preventDefault();
    };
    document.addEventListener("copy", onCopy);
    return () => document.removeEventListener("copy", onCopy);
  }, []);
}
