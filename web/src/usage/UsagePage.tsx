import { useInfiniteQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Link, useLocation, useSearchParams } from "react-router";
import { customersApi } from "../api/customers.ts";
import { eventsApi } from "../api/events.ts";
import { instant } from "../ui/format.ts";
import { LoadMore, PageHeader } from "../ui/Page.tsx";
import { EmptyState, ErrorBox, Loading } from "../ui/states.tsx";
import { CsvUpload } from "./CsvUpload.tsx";
import "./usage.css";
import { useCan } from "../app/session.tsx";

function properties(value: Record<string, unknown>): string {
  return Object.entries(value)
    .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join("  ");
}

/** Recent usage events (search by customer and type) and the CSV imports of events and customers. */
export function UsagePage() {
  const can = useCan();
  const queryClient = useQueryClient();
  const location = useLocation();
  const [params, setParams] = useSearchParams();
  const customer = params.get("customer") ?? "";
  const type = params.get("type") ?? "";
  const [draft, setDraft] = useState({ customer, type });

  useEffect(() => {
    const timer = setTimeout(() => {
      const next = new URLSearchParams();
      if (draft.customer.trim()) next.set("customer", draft.customer.trim());
      if (draft.type.trim()) next.set("type", draft.type.trim());
      if (next.toString() !== params.toString()) setParams(next, { replace: true });
    }, 300);
    return () => clearTimeout(timer);
  }, [draft, params, setParams]);

  useEffect(() => {
    if (location.hash) document.getElementById(location.hash.slice(1))?.scrollIntoView();
  }, [location.hash]);

  const events = useInfiniteQuery({
    queryKey: ["events", customer, type],
    queryFn: ({ pageParam }) =>
      eventsApi.list({ customer: customer || undefined, type: type || undefined, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const rows = events.data?.pages.flatMap((p) => p.data) ?? [];

  return (
    <div className="page ops-page">
      <PageHeader title="Usage" subtitle="Events as they arrive, most recent first, and bulk imports." />

      <div className="usage-imports">
        {can("POST /v1/events/csv") && (
          <CsvUpload
            id="import-events"
            title="Import events"
            description="Streamed and all or nothing; events already received (same id) count as duplicates."
            columns="id, customer, type, timestamp[, properties | any other column]"
            upload={eventsApi.importCsv}
            summarize={(r) => (
              <>
                <strong>{r.accepted.toLocaleString("en-US")}</strong> events imported
                {r.duplicates > 0 && `, ${r.duplicates.toLocaleString("en-US")} duplicates skipped`}.
              </>
            )}
            onDone={() => queryClient.invalidateQueries({ queryKey: ["events"] })}
          />
        )}
        {can("POST /v1/customers/csv") && (
          <CsvUpload
            id="import-customers"
            title="Import customers"
            description="All or nothing; every invalid row is listed."
            columns="externalId, name, email, timezone, currency"
            upload={customersApi.importCsv}
            summarize={(r) => (
              <>
                <strong>{r.imported.toLocaleString("en-US")}</strong> customers imported.{" "}
                <Link to="/customers">See customers</Link>
              </>
            )}
            onDone={() => queryClient.invalidateQueries({ queryKey: ["customers"] })}
          />
        )}
      </div>

      <section className="ops-card">
        <div className="ops-card-head">
          <h2>Recent events</h2>
        </div>
        <div className="ops-toolbar">
          <label className="field field-grow">
            <span>Customer (external id)</span>
            <input
              type="search"
              value={draft.customer}
              placeholder="acme-inc"
              onChange={(e) => setDraft((d) => ({ ...d, customer: e.target.value }))}
              data-testid="events-customer"
            />
          </label>
          <label className="field field-grow">
            <span>Event type</span>
            <input
              type="search"
              value={draft.type}
              placeholder="api.request"
              onChange={(e) => setDraft((d) => ({ ...d, type: e.target.value }))}
              data-testid="events-type"
            />
          </label>
        </div>
        {events.isError && <ErrorBox error={events.error} title="Could not load events." />}
        {events.isLoading && <Loading what="events" />}
        {events.isSuccess && rows.length === 0 && (
          <EmptyState
            title={customer || type ? "No events match" : "No events yet"}
            testId="events-empty"
            action={
              <a className="btn btn-primary" href="#import-events">
                Import a CSV
              </a>
            }
          >
            {customer || type
              ? "Customer and type match exactly (the customer's external id)."
              : "Send events with POST /v1/events, or import a CSV above."}
          </EmptyState>
        )}
        {rows.length > 0 && (
          <table className="data-table compact" data-testid="events-table">
            <thead>
              <tr>
                <th>Timestamp</th>
                <th>Customer</th>
                <th>Type</th>
                <th>Properties</th>
                <th>Id</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((e) => (
                <tr key={e.id} data-testid="event-row">
                  <td className="nowrap">{instant(e.timestamp)}</td>
                  <td className="ops-mono">{e.customer}</td>
                  <td className="ops-mono">{e.type}</td>
                  <td className="ops-mono event-props">{properties(e.properties)}</td>
                  <td className="ops-mono muted event-id">{e.id}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <LoadMore list={events} />
      </section>
    </div>
  );
}
