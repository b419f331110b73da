import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { Fragment, useState } from "react";
import { type WebhookDelivery, type WebhookEndpoint, webhooksApi } from "../api/webhooks.ts";
import { instant } from "../ui/format.ts";
import { LoadMore } from "../ui/Page.tsx";
import { EmptyState, ErrorBox, Loading, StatusBadge } from "../ui/states.tsx";

function lastAttempt(delivery: WebhookDelivery) {
  return delivery.attempts.at(-1);
}

/** One endpoint's deliveries, newest first, each with its attempts; resend and "send test event". */
export function DeliveryLog({ endpoint }: { endpoint: WebhookEndpoint }) {
  const queryClient = useQueryClient();
  const [open, setOpen] = useState<string | null>(null);
  const key = ["webhook-deliveries", endpoint.id];
  const deliveries = useInfiniteQuery({
    queryKey: key,
    queryFn: ({ pageParam }) => webhooksApi.deliveries(endpoint.id, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    // Attempts happen in the background: follow them while any delivery is still pending.
    refetchInterval: (query) =>
      query.state.data?.pages.some((p) => p.data.some((d) => d.status === "pending")) ? 1500 : false,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: key });
  const sendTest = useMutation({ mutationFn: () => webhooksApi.sendTest(endpoint.id), onSuccess: refresh });
  const resend = useMutation({
    mutationFn: (deliveryId: string) => webhooksApi.resend(endpoint.id, deliveryId),
    onSuccess: refresh,
  });
  const rows = deliveries.data?.pages.flatMap((p) => p.data) ?? [];

  return (
    <section className="ops-card" data-testid="delivery-log">
      <div className="ops-card-head">
        <div>
          <h2>Deliveries</h2>
          <p className="muted small" style={{ margin: 0 }}>
            <code>{endpoint.url}</code> — failed attempts are retried with backoff for three days.
          </p>
        </div>
        <div className="webhook-actions">
          <button type="button" className="btn" onClick={refresh} data-testid="refresh-deliveries">
            Refresh
          </button>
          <button
            type="button"
            className="btn btn-primary"
            disabled={!endpoint.enabled || sendTest.isPending}
            onClick={() => sendTest.mutate()}
            data-testid="send-test-event"
          >
            Send test event
          </button>
        </div>
      </div>
      {sendTest.isError && <ErrorBox error={sendTest.error} title="Not sent." />}
      {resend.isError && <ErrorBox error={resend.error} title="Not resent." />}
      {deliveries.isError && <ErrorBox error={deliveries.error} title="Could not load deliveries." />}
      {deliveries.isLoading && <Loading what="deliveries" />}
      {deliveries.data && rows.length === 0 && (
        <EmptyState title="No deliveries yet">
          Changes of the subscribed types appear here within seconds, or send a test event.
        </EmptyState>
      )}
      {rows.length > 0 && (
        <table className="data-table compact" data-testid="deliveries">
          <thead>
            <tr>
              <th>Event</th>
              <th>Status</th>
              <th>Last answer</th>
              <th className="num">Attempts</th>
              <th>Created</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((d) => {
              const last = lastAttempt(d);
              return (
                <Fragment key={d.id}>
                  <tr
                    className="is-clickable"
                    onClick={() => setOpen(open === d.id ? null : d.id)}
                    data-testid={`delivery-${d.type}`}
                  >
                    <td>
                      <code>{d.type}</code>
                      <div className="muted small ops-mono">{d.id}</div>
                    </td>
                    <td>
                      <StatusBadge status={d.status} testId="delivery-status" />
                      {d.status === "pending" && d.nextAttemptAt && (
                        <div className="muted small">next {instant(d.nextAttemptAt)}</div>
                      )}
                    </td>
                    <td>
                      {last ? (last.statusCode ?? "no answer") : "—"}
                      {last && <span className="muted small"> · {last.latencyMs} ms</span>}
                    </td>
                    <td className="num">{d.attempts.length}</td>
                    <td>{instant(d.createdAt)}</td>
                    <td className="num">
                      <button
                        type="button"
                        className="btn btn-small"
                        disabled={!endpoint.enabled || resend.isPending}
                        onClick={(e) => {
                          e.stopPropagation();
                          resend.mutate(d.id);
                        }}
                        data-testid="resend-delivery"
                      >
                        Resend
                      </button>
                    </td>
                  </tr>
                  {open === d.id && (
                    <tr>
                      <td colSpan={6}>
                        <ul className="attempt-list" data-testid="attempts">
                          {d.attempts.length === 0 && <li className="muted">Not attempted yet.</li>}
                          {d.attempts.map((a) => (
                            <li key={a.attemptedAt + a.latencyMs}>
                              {instant(a.attemptedAt)} — <strong>{a.statusCode ?? "no answer"}</strong> in{" "}
                              {a.latencyMs} ms{a.manual ? " (by hand)" : ""}
                              {a.error && <span className="muted"> — {a.error}</span>}
                            </li>
                          ))}
                        </ul>
                      </td>
                    </tr>
                  )}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      )}
      <LoadMore list={deliveries} />
    </section>
  );
}
