import { type FormEvent, type ReactNode, useEffect, useRef } from "react";

/**
 * A modal dialog in the app's style, on the browser's own `<dialog>`: shown with `showModal`, the page behind
 * is inert (focus stays inside), Escape closes it, a click on the backdrop closes it, and focus goes back to
 * where it was when the dialog opened. With `onSubmit`, the dialog's content is a form.
 */
export function Dialog({
  title,
  onClose,
  children,
  wide,
  testId,
  className,
  onSubmit,
  showTitle = true,
}: {
  title: string;
  onClose(): void;
  children: ReactNode;
  wide?: boolean;
  testId?: string;
  className?: string;
  onSubmit?(event: FormEvent): void;
  /** False when the content brings its own heading (the title still names the dialog for screen readers). */
  showTitle?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    // Escape: the browser would close the element itself; the owner decides, by unmounting it.
    const onCancel = (event: Event) => {
      event.preventDefault();
      close.current();
    };
    dialog.addEventListener("cancel", onCancel);
    return () => {
      dialog.removeEventListener("cancel", onCancel);
      if (dialog.open) dialog.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);
  const body = (
    <>
      {showTitle && <h2>{title}</h2>}
      {children}
    </>
  );
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: the keyboard's way out is Escape (the dialog's cancel event)
    <dialog
      ref={ref}
      className={`dialog${wide ? " dialog-wide" : ""}${className ? ` ${className}` : ""}`}
      aria-label={title}
      data-testid={testId}
      // A click on the backdrop lands on the <dialog> element itself; one on its content does not.
      onClick={(event) => event.target === ref.current && onClose()}
    >
      {onSubmit ? (
        <form method="dialog" className="dialog-inner" onSubmit={onSubmit}>
          {body}
        </form>
      ) : (
        <div className="dialog-inner">{body}</div>
      )}
    </dialog>
  );
}

/** A form dialog's buttons: Cancel, and the submit button that names its action and says when it is busy. */
export function FormActions({
  onCancel,
  label,
  busyLabel,
  busy,
  disabled = false,
  testId,
}: {
  onCancel(): void;
  label: string;
  busyLabel: string;
  busy: boolean;
  disabled?: boolean;
  testId: string;
}) {
  return (
    <div className="dialog-actions">
      <button type="button" className="btn" onClick={onCancel}>
        Cancel
      </button>
      <button type="submit" className="btn btn-primary" disabled={disabled || busy} data-testid={testId}>
        {busy ? busyLabel : label}
      </button>
    </div>
  );
}
