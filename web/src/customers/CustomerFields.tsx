import { timezones } from "./timezones.ts";

/** The fields a customer is created and edited with; the external id only when creating (it never changes). */
export interface CustomerFieldValues {
  name: string;
  externalId?: string;
  email: string;
  currency: string;
  timezone: string;
}

type FieldKey = keyof CustomerFieldValues;

/**
 * Name, external id (when given), billing email, currency and time zone in a form grid. `testIdPrefix` keeps the
 * create and edit dialogs' fields apart for tests (`customer-name`, `edit-customer-name`).
 */
export function CustomerFields({
  values,
  onChange,
  testIdPrefix,
}: {
  values: CustomerFieldValues;
  onChange(key: FieldKey, value: string): void;
  testIdPrefix: string;
}) {
  const set = (key: FieldKey) => (e: { target: { value: string } }) => onChange(key, e.target.value);
  const testId = (field: string) => `${testIdPrefix}customer-${field}`;
  return (
    <div className="form-grid">
      <label className="field">
        <span>Name</span>
        <input
          type="text"
          // biome-ignore lint/a11y/noAutofocus: these fields only ever sit in a modal dialog, whose first field takes focus when it opens
          autoFocus
          required
          value={values.name}
          onChange={set("name")}
          data-testid={testId("name")}
        />
      </label>
      {values.externalId !== undefined && (
        <label className="field">
          <span>External id</span>
          <input
            type="text"
            required
            value={values.externalId}
            placeholder="acme-inc"
            onChange={set("externalId")}
            data-testid={testId("external-id")}
          />
        </label>
      )}
      <label className="field">
        <span>Billing email</span>
        <input type="email" value={values.email} onChange={set("email")} data-testid={testId("email")} />
      </label>
      <label className="field">
        <span>Currency</span>
        <input
          type="text"
          value={values.currency}
          placeholder="plan's"
          maxLength={3}
          onChange={set("currency")}
          data-testid={testId("currency")}
        />
      </label>
      <label className="field">
        <span>Time zone</span>
        <select value={values.timezone} onChange={set("timezone")} data-testid={testId("timezone")}>
          {timezones.map((tz) => (
            <option key={tz}>{tz}</option>
          ))}
        </select>
      </label>
    </div>
  );
}
