import type { ReactNode } from "react";

/** A modal dialog in the app's style; Escape or a click outside closes it. */
export function Dialog({
  title,
  onClose,
  children,
  wide,
  testId,
}: {
  title: string;
  onClose(): void;
  children: ReactNode;
  wide?: boolean;
  testId?: string;
}) {
  return (
    <div className="dialog-backdrop" role="presentation" onClick={onClose}>
      <div
        className={`dialog${wide ? " dialog-wide" : ""}`}
        role="dialog"
        aria-label={title}
        data-testid={testId}
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => e.key === "Escape" && onClose()}
      >
        <h2>{title}</h2>
        {children}
      </div>
    </div>
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
