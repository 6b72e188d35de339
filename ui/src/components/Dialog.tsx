import { useEffect, useRef, type ReactNode } from "react";

const FOCUSABLE =
  'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';

/**
 * The one dialog shell: a modal card over a dimmed window. A click outside
 * the card or Escape closes it; Tab and Shift+Tab stay inside it; it focuses
 * its first field (or `[data-autofocus]`) when it opens and gives the focus
 * back to what had it when it closes. Put the buttons in `actions` (or a
 * `DialogActions` of your own inside a form): they stay in view at the
 * bottom of a long, scrolling card.
 */
export function Dialog({
  label,
  className,
  testId,
  onClose,
  actions,
  children,
}: {
  /** The accessible name (`aria-label`). */
  label: string;
  /** Extra classes of the card (its width). */
  className?: string;
  testId?: string;
  onClose: () => void;
  actions?: ReactNode;
  children: ReactNode;
}) {
  const card = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const root = card.current;
    const first =
      root?.querySelector<HTMLElement>("[data-autofocus]") ??
      Array.from(root?.querySelectorAll<HTMLElement>("input:not([disabled]), select:not([disabled]), textarea:not([disabled])") ?? [])[0] ??
      root?.querySelector<HTMLElement>(FOCUSABLE) ??
      root;
    first?.focus();
    return () => before?.focus();
  }, []);

  const onKeyDown = (e: React.KeyboardEvent<HTMLDivElement>) => {
    if (e.key === "Escape") {
      e.stopPropagation();
      onClose();
      return;
    }
    if (e.key !== "Tab" || !card.current) return;
    const items = Array.from(card.current.querySelectorAll<HTMLElement>(FOCUSABLE)).filter((el) => el.offsetParent !== null);
    const first = items[0];
    const last = items[items.length - 1];
    if (!first || !last) return;
    const active = document.activeElement;
    if (e.shiftKey && (active === first || active === card.current)) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && active === last) {
      e.preventDefault();
      first.focus();
    }
  };

  return (
    <div className="overlay" onClick={onClose}>
      <div
        ref={card}
        className={`overlay-card dialog${className ? ` ${className}` : ""}`}
        role="dialog"
        aria-modal="true"
        aria-label={label}
        tabIndex={-1}
        onClick={(e) => e.stopPropagation()}
        onKeyDown={onKeyDown}
        data-testid={testId}
      >
        {children}
        {actions !== undefined && <DialogActions>{actions}</DialogActions>}
      </div>
    </div>
  );
}

/** A dialog's row of buttons, kept in view at the bottom of a scrolling card. */
export function DialogActions({ children }: { children: ReactNode }) {
  return <div className="row dialog-actions">{children}</div>;
}
