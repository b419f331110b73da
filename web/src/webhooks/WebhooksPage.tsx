import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useSearchParams } from "react-router";
import { type WebhookEndpoint, webhooksApi } from "../api/webhooks.ts";
import { instant } from "../ui/format.ts";
import { PageHeader } from "../ui/Page.tsx";
import { EmptyState, ErrorBox, Loading, StatusBadge } from "../ui/states.tsx";
import { DeliveryLog } from "./DeliveryLog.tsx";
import { NewEndpointDialog } from "./NewEndpointDialog.tsx";
import "../settings/settings.css";
import "./webhooks.css";

/** Webhook endpoints: create (secret shown once), enable or disable, and each one's delivery log. */
export function WebhooksPage() {
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const [creating, setCreating] = useState(false);
  const endpoints = useQuery({ queryKey: ["webhook-endpoints"], queryFn: () => webhooksApi.list() });
  const setEnabled = useMutation({
    mutationFn: (e: WebhookEndpoint) => webhooksApi.setEnabled(e.id, !e.enabled),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["webhook-endpoints"] }),
  });
  const list = endpoints.data?.data ?? [];
  const selected = list.find((e) => e.id === params.get("endpoint")) ?? list[0];

  return (
    <div className="page ops-page">
      <PageHeader
        title="Webhooks"
        subtitle="Changes in Pricegraph, POSTed to your systems as they happen, signed with each endpoint's secret."
      >
        <button
          type="button"
          className="btn btn-primary"
          onClick={() => setCreating(true)}
          data-testid="new-endpoint"
        >
          New endpoint
        </button>
      </PageHeader>
      {endpoints.isError && <ErrorBox error={endpoints.error} title="Could not load endpoints." />}
      {endpoints.isLoading && <Loading what="endpoints" />}
      {setEnabled.isError && <ErrorBox error={setEnabled.error} title="Not changed." />}
      {endpoints.data && list.length === 0 && (
        <EmptyState title="No endpoints yet">
          Add a URL to receive invoices, customers and more as events.
        </EmptyState>
      )}
      {list.length > 0 && (
        <section className="ops-card">
          <table className="data-table compact" data-testid="endpoints">
            <thead>
              <tr>
                <th>URL</th>
                <th>Events</th>
                <th>Status</th>
                <th>Created</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.map((e) => (
                <tr
                  key={e.id}
                  className={`is-clickable${e.id === selected?.id ? " is-selected" : ""}`}
                  onClick={() => setParams({ endpoint: e.id }, { replace: true })}
                  data-testid="endpoint-row"
                >
                  <td>
                    <code>{e.url}</code>
                    {e.description && <div className="muted small">{e.description}</div>}
                  </td>
                  <td className="small">
                    {e.eventTypes.includes("*") ? "all events" : e.eventTypes.join(", ")}
                  </td>
                  <td>
                    <StatusBadge status={e.enabled ? "active" : "disabled"} testId="endpoint-status" />
                  </td>
                  <td>{instant(e.createdAt)}</td>
                  <td className="num">
                    <button
                      type="button"
                      className="btn btn-small"
                      disabled={setEnabled.isPending}
                      onClick={(event) => {
                        event.stopPropagation();
                        setEnabled.mutate(e);
                      }}
                      data-testid="toggle-endpoint"
                    >
                      {e.enabled ? "Disable" : "Enable"}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {selected && <DeliveryLog key={selected.id} endpoint={selected} />}
      {creating && <NewEndpointDialog onClose={() => setCreating(false)} />}
    </div>
  );
}
