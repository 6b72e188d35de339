// Where a key moves a scrolled box. The transcript scrolls itself on these
// keys rather than leaving them to the browser: WebKitGTK does not always
// take a box that became scrollable on focus (see .transcript in
// styles.css) as the keyboard's scroll target, and then Page Up did nothing.

const LINE_PX = 40;

/** The new scrollTop for `key`, or null when the key does not scroll. */
export function keyboardScrollTarget(
  key: string,
  box: { scrollTop: number; scrollHeight: number; clientHeight: number },
): number | null {
  const page = Math.max(LINE_PX, box.clientHeight * 0.9);
  const max = Math.max(0, box.scrollHeight - box.clientHeight);
  const to = (top: number) => Math.min(max, Math.max(0, top));
  switch (key) {
    case "ArrowUp":
      return to(box.scrollTop - LINE_PX);
    case "ArrowDown":
      return to(box.scrollTop + LINE_PX);
    case "PageUp":
      return to(box.scrollTop - page);
    case "PageDown":
    case " ":
      return to(box.scrollTop + page);
    case "Home":
      return 0;
    case "End":
      return max;
    default:
      return null;
  }
}
