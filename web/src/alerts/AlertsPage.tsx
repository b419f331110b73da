import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Link } from "react-router";
import { type Alert, type AlertKind, alertsApi } from "../api/alerts.ts";
import { metricsApi } from "../api/events.ts";
import { Dialog, FormActions } from "../ui/Dialog.tsx";
import { instant } from "../ui/format.ts";
import { useCustomerIndex } from "../ui/lookups.ts";
import { LoadMore, PageHeader } from "../ui/Page.tsx";
import { EmptyState, ErrorBox, Loading } from "../ui/states.tsx";

const kindLabels: Record<AlertKind, string> = {
  usage: "Usage of a metric",
  spend: "Spend so far in the period",
  credit_balance: "Credits left (at or below)",
};

function NewAlertDialog({ onClose }: { onClose(): void }) {
  const queryClient = useQueryClient();
  const customers = useCustomerIndex();
  const metrics = useQuery({ queryKey: ["metrics"], queryFn: () => metricsApi.list() });
  const [name, setName] = useState("");
  const [kind, setKind] = useState<AlertKind>("usage");
  const [metricKey, setMetricKey] = useState("");
  const [customerId, setCustomerId] = useState("");
  const [thresholds, setThresholds] = useState("");
  const list = thresholds
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
  const create = useMutation({
    mutationFn: () =>
      alertsApi.create({
        name: name.trim(),
        kind,
        ...(kind === "usage" ? { metricKey } : {}),
        ...(customerId ? { customerId } : {}),
        thresholds: list,
      }),
    onSuccess: () => {
      queryClient.invalidateQueries({ queryKey: ["alerts"] });
      onClose();
    },
  });
  const valid = name.trim() !== "" && list.length > 0 && (kind !== "usage" || metricKey !== "");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (valid) create.mutate();
  };
  return (
    <Dialog title="New alert" onClose={onClose} testId="new-alert-dialog">
      <form onSubmit={submit}>
        <label className="field">
          <span>Name</span>
          <input value={name} onChange={(e) => setName(e.target.value)} data-testid="alert-name" autoFocus />
        </label>
        <label className="field">
          <span>Watch</span>
          <select
            value={kind}
            onChange={(e) => setKind(e.target.value as AlertKind)}
            data-testid="alert-kind"
          >
            {(Object.keys(kindLabels) as AlertKind[]).map((k) => (
              <option key={k} value={k}>
                {kindLabels[k]}
              </option>
            ))}
          </select>
        </label>
        {kind === "usage" && (
          <label className="field">
            <span>Metric</span>
            <select
              value={metricKey}
              onChange={(e) => setMetricKey(e.target.value)}
              data-testid="alert-metric"
            >
              <option value="">Choose…</option>
              {metrics.data?.data.map((m) => (
                <option key={m.key} value={m.key}>
                  {m.key}
                </option>
              ))}
            </select>
          </label>
        )}
        <label className="field">
          <span>Customer</span>
          <select
            value={customerId}
            onChange={(e) => setCustomerId(e.target.value)}
            data-testid="alert-customer"
          >
            <option value="">Every customer (each on its own)</option>
            {[...customers.values()]
              .sort((a, b) => a.name.localeCompare(b.name))
              .map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
          </select>
        </label>
        <label className="field">
          <span>Thresholds (comma separated)</span>
          <input
            value={thresholds}
            placeholder="e.g. 1000, 5000"
            onChange={(e) => setThresholds(e.target.value)}
            data-testid="alert-thresholds"
          />
        </label>
        {create.isError && <ErrorBox error={create.error} title="Not created." />}
        <FormActions
          onCancel={onClose}
          label="Create alert"
          busyLabel="Creating…"
          busy={create.isPending}
          disabled={!valid}
          testId="create-alert"
        />
      </form>
    </Dialog>
  );
}

function describe(alert: Alert): string {
  if (alert.kind === "usage") return `usage of ${alert.metricKey}`;
  return alert.kind === "spend" ? "spend so far" : "credits left";
}

/** Alerts (thresholds per customer or for every customer) and the ones that fired, newest first. */
export function AlertsPage() {
  const queryClient = useQueryClient();
  const customers = useCustomerIndex();
  const [creating, setCreating] = useState(false);
  const alerts = useQuery({ queryKey: ["alerts"], queryFn: () => alertsApi.list() });
  const remove = useMutation({
    mutationFn: (id: string) => alertsApi.remove(id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["alerts"] }),
  });
  const firings = useInfiniteQuery({
    queryKey: ["alerts", "firings"],
    queryFn: ({ pageParam }) => alertsApi.firings(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const fired = firings.data?.pages.flatMap((p) => p.data) ?? [];
  const customerName = (id: string | null) => (id ? (customers.get(id)?.name ?? id) : "every customer");

  return (
    <div className="page ops-page">
      <PageHeader
        title="Alerts"
        subtitle="Thresholds on usage, spend and credits; each fires once per billing period and is sent to webhooks."
      >
        <button
          type="button"
          className="btn btn-primary"
          onClick={() => setCreating(true)}
          data-testid="new-alert"
        >
          New alert
        </button>
      </PageHeader>
      {alerts.isError && <ErrorBox error={alerts.error} title="Could not load alerts." />}
      {alerts.isLoading && <Loading what="alerts" />}
      {remove.isError && <ErrorBox error={remove.error} title="Not deleted." />}
      {alerts.data && alerts.data.data.length === 0 && (
        <EmptyState title="No alerts yet">
          For example: credits left at or below 20 for every customer.
        </EmptyState>
      )}
      {alerts.data && alerts.data.data.length > 0 && (
        <section className="ops-card">
          <table className="data-table compact" data-testid="alerts">
            <thead>
              <tr>
                <th>Name</th>
                <th>Watches</th>
                <th>For</th>
                <th className="num">Thresholds</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {alerts.data.data.map((a) => (
                <tr key={a.id} data-testid={`alert-${a.name}`}>
                  <td>{a.name}</td>
                  <td>{describe(a)}</td>
                  <td>{customerName(a.customerId)}</td>
                  <td className="num">{a.thresholds.join(", ")}</td>
                  <td className="num">
                    <button
                      type="button"
                      className="btn btn-small btn-danger"
                      onClick={() => remove.mutate(a.id)}
                    >
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      <section className="ops-card">
        <h2>Fired</h2>
        {firings.isError && <ErrorBox error={firings.error} title="Could not load fired alerts." />}
        {firings.data && fired.length === 0 && <p className="muted small">Nothing has fired yet.</p>}
        {fired.length > 0 && (
          <table className="data-table compact" data-testid="alert-firings">
            <thead>
              <tr>
                <th>When</th>
                <th>Alert</th>
                <th>Customer</th>
                <th className="num">Threshold</th>
                <th className="num">Value</th>
                <th>Period from</th>
              </tr>
            </thead>
            <tbody>
              {fired.map((f) => (
                <tr key={f.id}>
                  <td>{instant(f.firedAt)}</td>
                  <td>{f.alertName}</td>
                  <td>
                    <Link to={`/customers/${f.customerId}`}>{customerName(f.customerId)}</Link>
                  </td>
                  <td className="num">{f.threshold}</td>
                  <td className="num">{f.value}</td>
                  <td>{instant(f.periodStart)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <LoadMore list={firings} />
      </section>
      {creating && <NewAlertDialog onClose={() => setCreating(false)} />}
    </div>
  );
}
