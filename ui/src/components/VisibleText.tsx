import { memo, useMemo } from "react";
import { visibleParts } from "../logic/visibleText";

/**
 * Untrusted text, shown as sent: isolated from the page's direction (`<bdi>`:
 * its own direction, from its first strong character, and nothing inside it
 * can reorder anything outside), with invisible and control characters
 * shown as `U+202E`-style tokens (see `visibleParts`). A token carries its
 * code point in `data-cp`; copying a selection puts the raw characters back
 * (`useRawCopy`), and the inspector's copy buttons copy the raw text.
 */
export const VisibleText = memo(function VisibleText({
  text,
  strict = false,
  className,
  testId,
}: {
  text: string;
  /** Mark every invisible character, the zero-width joiner too (the inspector). */
  strict?: boolean;
  className?: string;
  testId?: string;
}) {
  const parts = useMemo(() => visibleParts(text, strict), [text, strict]);
  return (
    <bdi className={className ? `untrusted ${className}` : "untrusted"} data-testid={testId}>
      {parts.map((p, i) =>
        p.kind === "text" ? (
          p.text
        ) : (
          <span key={i} className="ctl" data-cp={p.label} title={`${p.label} ${p.name}`}>
            {p.label}
          </span>
        ),
      )}
    </bdi>
  );
});
