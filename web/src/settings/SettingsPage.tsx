import { type InvoiceConsolidation, type Role, roles } from "@pricegraph/shared";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useState } from "react";
import { type ApiKey, apiKeysApi, billingSettingsApi, type CreatedApiKey } from "../api/apiKeys.ts";
import { useCan, useSession } from "../app/session.tsx";
import { RenewalSettings } from "../contracts/RenewalSettings.tsx";
import { CompanySettings } from "../receivables/CompanySettings.tsx";
import { DunningSettings } from "../receivables/DunningSettings.tsx";
import { Dialog, FormActions } from "../ui/Dialog.tsx";
import { instant } from "../ui/format.ts";
import { PageHeader } from "../ui/Page.tsx";
import { ErrorBox, Loading, StatusBadge } from "../ui/states.tsx";
import "./settings.css";

function NewKeyDialog({ onClose }: { onClose(): void }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("admin");
  const [copied, setCopied] = useState(false);
  const isOwner = useSession()?.role === "owner";
  const create = useMutation({
    mutationFn: () => apiKeysApi.create(name.trim(), role),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["api-keys"] }),
  });
  const created: CreatedApiKey | undefined = create.data;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (name.trim()) create.mutate();
  };
  const copy = async () => {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.secret);
    } catch {
      // Clipboard refused (insecure origin): select the text so Ctrl+C works.
      (document.getElementById("new-key-secret") as HTMLInputElement | null)?.select();
    }
    setCopied(true);
  };
  return (
    <Dialog title={created ? "Your new API key" : "New API key"} onClose={onClose} testId="new-key-dialog">
      {created ? (
        <div>
          <p className="muted small">
            This is the only time the key is shown. Store it now; only its prefix is kept visible here.
          </p>
          <div className="secret-row">
            <input
              id="new-key-secret"
              type="text"
              readOnly
              value={created.secret}
              onFocus={(e) => e.target.select()}
              data-testid="new-key-secret"
            />
            <button type="button" className="btn" onClick={copy} data-testid="copy-key">
              {copied ? "Copied" : "Copy"}
            </button>
          </div>
          <div className="dialog-actions">
            <button type="button" className="btn btn-primary" onClick={onClose} data-testid="new-key-done">
              I stored it
            </button>
          </div>
        </div>
      ) : (
        <form onSubmit={submit}>
          <label className="field">
            <span>Name</span>
            <input
              type="text"
              autoFocus
              value={name}
              placeholder="e.g. Ingest service (production)"
              onChange={(e) => setName(e.target.value)}
              data-testid="new-key-name"
            />
          </label>
          <label className="field">
            <span>Role</span>
            <select value={role} onChange={(e) => setRole(e.target.value as Role)} data-testid="new-key-role">
              {roles
                .filter((r) => r !== "owner" || isOwner)
                .map((r) => (
                  <option key={r} value={r}>
                    {r}
                  </option>
                ))}
            </select>
          </label>
          {create.isError && <ErrorBox error={create.error} title="Not created." />}
          <FormActions
            onCancel={onClose}
            label="Create key"
            busyLabel="Creating…"
            busy={create.isPending}
            disabled={!name.trim()}
            testId="create-key"
          />
        </form>
      )}
    </Dialog>
  );
}

function ApiKeys() {
  const can = useCan();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const keys = useQuery({ queryKey: ["api-keys"], queryFn: () => apiKeysApi.list() });
  const revoke = useMutation({
    mutationFn: (key: ApiKey) => apiKeysApi.revoke(key.id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["api-keys"] }),
  });
  return (
    <section className="ops-card">
      <div className="ops-card-head">
        <div>
          <h2>API keys</h2>
          <p className="muted small" style={{ margin: 0 }}>
            Keys sign in to this app and call the API as this tenant. A revoked key is refused from then on.
          </p>
        </div>
        {can("POST /v1/api-keys") && (
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => setCreating(true)}
            data-testid="new-key"
          >
            New key
          </button>
        )}
      </div>
      {keys.isError && <ErrorBox error={keys.error} title="Could not load API keys." />}
      {keys.isLoading && <Loading what="API keys" />}
      {revoke.isError && <ErrorBox error={revoke.error} title="Not revoked." testId="revoke-error" />}
      {keys.data && (
        <table className="data-table compact" data-testid="api-keys">
          <thead>
            <tr>
              <th>Name</th>
              <th>Key</th>
              <th>Role</th>
              <th>Created</th>
              <th>Status</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {keys.data.data.map((k) => (
              <tr key={k.id} data-testid={`api-key-${k.name}`}>
                <td>{k.name}</td>
                <td className="ops-mono">{k.prefix}…</td>
                <td>{k.role}</td>
                <td>{instant(k.createdAt)}</td>
                <td>
                  <StatusBadge status={k.revokedAt ? "revoked" : "active"} />
                  {k.revokedAt && <span className="muted small"> {instant(k.revokedAt)}</span>}
                </td>
                <td className="num">
                  {!k.revokedAt && can("DELETE /v1/api-keys/:id") && (
                    <button
                      type="button"
                      className="btn btn-small btn-danger"
                      onClick={() => setRevoking(k)}
                      data-testid={`revoke-${k.name}`}
                    >
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {creating && <NewKeyDialog onClose={() => setCreating(false)} />}
      {revoking && (
        <Dialog title="Revoke API key" onClose={() => setRevoking(null)} testId="revoke-dialog">
          <p>
            Revoke <strong>{revoking.name}</strong> (<code>{revoking.prefix}…</code>)? Anything using it stops
            working at once. The key you are signed in with cannot be revoked.
          </p>
          <div className="dialog-actions">
            <button type="button" className="btn" onClick={() => setRevoking(null)}>
              Cancel
            </button>
            <button
              type="button"
              className="btn btn-danger"
              onClick={() => {
                revoke.mutate(revoking);
                setRevoking(null);
              }}
              data-testid="confirm-revoke"
            >
              Revoke key
            </button>
          </div>
        </Dialog>
      )}
    </section>
  );
}

function BillingSettings() {
  const can = useCan();
  const queryClient = useQueryClient();
  const settings = useQuery({ queryKey: ["billing-settings"], queryFn: () => billingSettingsApi.get() });
  const [hours, setHours] = useState("");
  useEffect(() => {
    if (settings.data) setHours(String(settings.data.gracePeriodHours));
  }, [settings.data]);
  const save = useMutation({
    mutationFn: (value: number) => billingSettingsApi.set(value),
    onSuccess: (data) => queryClient.setQueryData(["billing-settings"], data),
  });
  const valid = /^\d+$/.test(hours) && Number(hours) <= 2160;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (valid) save.mutate(Number(hours));
  };
  return (
    <section className="ops-card">
      <h2>Billing</h2>
      {settings.isError && <ErrorBox error={settings.error} />}
      <form className="grace-form" onSubmit={submit}>
        <label className="field">
          <span>Grace period (hours)</span>
          <input
            type="text"
            inputMode="numeric"
            value={hours}
            className={hours && !valid ? "is-invalid" : undefined}
            onChange={(e) => setHours(e.target.value)}
            data-testid="grace-hours"
          />
          {hours && !valid && <span className="field-error">Whole hours, 0 to 2160</span>}
        </label>
        <button
          type="submit"
          className="btn"
          hidden={!can("PUT /v1/billing/settings")}
          disabled={!valid || save.isPending || String(settings.data?.gracePeriodHours) === hours}
          data-testid="save-grace"
        >
          {save.isPending ? "Saving…" : "Save"}
        </button>
        {save.isSuccess && String(save.data.gracePeriodHours) === hours && (
          <span className="muted small" data-testid="grace-saved">
            Saved
          </span>
        )}
      </form>
      <p className="muted small">
        After a period ends, its draft invoice can still take late events and be refreshed; once the grace
        period has passed, drafts finalize themselves.
      </p>
      {save.isError && <ErrorBox error={save.error} />}
      {settings.data && <ScheduledRuns key={String(settings.dataUpdatedAt)} current={settings.data} />}
      {settings.data && (
        <Consolidation key={`c${settings.dataUpdatedAt}`} current={settings.data.invoiceConsolidation} />
      )}
    </section>
  );
}

/** Whether a customer's contracts whose periods coincide share one invoice per period. */
function Consolidation({ current }: { current: InvoiceConsolidation }) {
  const can = useCan();
  const queryClient = useQueryClient();
  const [value, setValue] = useState(current);
  const save = useMutation({
    mutationFn: () => billingSettingsApi.setConsolidation(value),
    onSuccess: (data) => queryClient.setQueryData(["billing-settings"], data),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <form className="grace-form" onSubmit={submit}>
      <label className="field">
        <span>Invoices</span>
        <select
          value={value}
          onChange={(e) => setValue(e.target.value as InvoiceConsolidation)}
          data-testid="invoice-consolidation"
        >
          <option value="per_contract">One invoice per contract</option>
          <option value="per_customer">One consolidated invoice per customer and period</option>
        </select>
      </label>
      <button
        type="submit"
        className="btn"
        hidden={!can("PUT /v1/billing/settings")}
        disabled={value === current || save.isPending}
        data-testid="save-consolidation"
      >
        {save.isPending ? "Saving…" : "Save"}
      </button>
      {save.isError && <ErrorBox error={save.error} />}
      <p className="muted small">
        Consolidated: a customer's contracts whose periods coincide (same start, end and currency) are billed
        on one invoice, its lines grouped per contract. Applies to invoices created from now on; drafts
        already made keep their contracts.
      </p>
    </form>
  );
}

const hoursOfDay = Array.from({ length: 24 }, (_, hour) => hour);

/** Whether billing runs start by themselves once a day after a period closes, and at which UTC hour. */
function ScheduledRuns({ current }: { current: { scheduledRuns: boolean; scheduledRunHour: number } }) {
  const can = useCan();
  const queryClient = useQueryClient();
  const [enabled, setEnabled] = useState(current.scheduledRuns);
  const [hour, setHour] = useState(current.scheduledRunHour);
  const save = useMutation({
    mutationFn: () => billingSettingsApi.setSchedule(enabled, hour),
    onSuccess: (data) => queryClient.setQueryData(["billing-settings"], data),
  });
  const unchanged = enabled === current.scheduledRuns && hour === current.scheduledRunHour;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <form className="grace-form" onSubmit={submit}>
      <label className="check">
        <input
          type="checkbox"
          checked={enabled}
          onChange={(e) => setEnabled(e.target.checked)}
          data-testid="scheduled-runs"
        />
        <span>Start billing runs by themselves after a period closes</span>
      </label>
      <label className="field">
        <span>Each day at (UTC)</span>
        <select
          value={hour}
          disabled={!enabled}
          onChange={(e) => setHour(Number(e.target.value))}
          data-testid="scheduled-run-hour"
        >
          {hoursOfDay.map((h) => (
            <option key={h} value={h}>
              {String(h).padStart(2, "0")}:00
            </option>
          ))}
        </select>
      </label>
      <button
        type="submit"
        className="btn"
        hidden={!can("PUT /v1/billing/settings")}
        disabled={unchanged || save.isPending}
        data-testid="save-schedule"
      >
        {save.isPending ? "Saving…" : "Save"}
      </button>
      {save.isError && <ErrorBox error={save.error} />}
      <p className="muted small">
        Once a day at that hour, a run starts if a period has closed since the last run; a period is never
        billed twice, whoever starts the run.
      </p>
    </form>
  );
}

/** Tenant settings: API keys (created with the secret shown once, revoked) and billing's grace period. */
export function SettingsPage() {
  const can = useCan();
  return (
    <div className="page ops-page">
      <PageHeader title="Settings" subtitle="Access to this tenant and how billing closes periods." />
      {can("GET /v1/api-keys") && <ApiKeys />}
      <BillingSettings />
      <RenewalSettings />
      <CompanySettings />
      <DunningSettings />
    </div>
  );
}
