import { DECIMAL_PATTERN } from "@pricegraph/shared";
import { useEffect, useState } from "react";

export interface DecimalInputProps {
  value: string | null | undefined;
  onCommit(value: string): void;
  testId?: string;
  ariaLabel?: string;
  placeholder?: string;
  readOnly?: boolean;
  /** A problem found elsewhere (tier order, the compiler) shown under the field. */
  error?: string;
  /** Allow committing an empty field (an optional value cleared). */
  allowEmpty?: boolean;
}

/**
 * A decimal typed as text and kept as the exact string typed ("1.50" stays "1.50"): never parsed to a float.
 * Text that is not a decimal yet stays local, marked invalid, and is not committed.
 */
export function DecimalInput(props: DecimalInputProps) {
  const { value, onCommit, testId, ariaLabel, placeholder, readOnly, error, allowEmpty } = props;
  const [text, setText] = useState(value ?? "");
  useEffect(() => {
    setText((current) => (current === (value ?? "") ? current : (value ?? "")));
  }, [value]);
  const trimmed = text.trim();
  const invalid = trimmed !== "" && !DECIMAL_PATTERN.test(trimmed);
  const missing = trimmed === "" && !allowEmpty;
  const message = invalid ? "Enter a decimal such as 12.50" : missing ? "Required" : error;
  return (
    <span className="decimal-input">
      <input
        type="text"
        inputMode="decimal"
        spellCheck={false}
        className={message ? "is-invalid" : undefined}
        value={text}
        readOnly={readOnly}
        placeholder={placeholder}
        aria-label={ariaLabel}
        aria-invalid={message ? true : undefined}
        data-testid={testId}
        onChange={(event) => {
          const next = event.target.value;
          setText(next);
          const t = next.trim();
          if (DECIMAL_PATTERN.test(t) || (allowEmpty && t === "")) onCommit(t);
        }}
      />
      {message && (
        <span className="field-error" data-testid={testId ? `${testId}-error` : undefined}>
          {message}
        </span>
      )}
    </span>
  );
}
