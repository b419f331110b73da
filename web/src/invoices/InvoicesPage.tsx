import { useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { type InvoiceStatus, invoiceStatuses, invoicesApi } from "../api/invoices.ts";
import { invoicePeriod, money } from "../ui/format.ts";
import { useCustomerIndex, usePlanIndex } from "../ui/lookups.ts";
import { LoadMore, PageHeader } from "../ui/Page.tsx";
import { EmptyState, ErrorBox, Loading, StatusBadge } from "../ui/states.tsx";
import { BillingRunDialog } from "./BillingRunDialog.tsx";
import "./invoices.css";
import { useCan } from "../app/session.tsx";

/**
 * Invoices, newest first, filtered by status and customer on the server and by period month here (the API's
 * period filter takes an exact period-start instant, which depends on each customer's time zone).
 */
export function InvoicesPage() {
  const can = useCan();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const status = (params.get("status") ?? "") as InvoiceStatus | "";
  const customerId = params.get("customer") ?? "";
  const month = params.get("period") ?? "";
  const [running, setRunning] = useState(false);
  const customers = useCustomerIndex();
  const plans = usePlanIndex();

  const invoices = useInfiniteQuery({
    queryKey: ["invoices", "list", status, customerId],
    queryFn: ({ pageParam }) =>
      invoicesApi.list({
        status: status || undefined,
        customerId: customerId || undefined,
        cursor: pageParam,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const all = invoices.data?.pages.flatMap((p) => p.data) ?? [];
  const rows = month ? all.filter((i) => i.periodStartDate.startsWith(month)) : all;

  const setFilter = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  const customerList = [...customers.values()].sort((a, b) => a.name.localeCompare(b.name));

  return (
    <div className="page ops-page">
      <PageHeader title="Invoices" subtitle="Drafts until finalized; every line explains itself.">
        {can("POST /v1/billing-runs") && (
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => setRunning(true)}
            data-testid="run-billing"
          >
            Run billing
          </button>
        )}
      </PageHeader>
      <div className="ops-toolbar">
        <label className="field">
          <span>Status</span>
          <select
            value={status}
            onChange={(e) => setFilter("status", e.target.value)}
            data-testid="filter-status"
          >
            <option value="">All</option>
            {invoiceStatuses.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label className="field field-grow">
          <span>Customer</span>
          <select
            value={customerId}
            onChange={(e) => setFilter("customer", e.target.value)}
            data-testid="filter-customer"
          >
            <option value="">All customers</option>
            {customerList.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Period starting in</span>
          <input
            type="month"
            value={month}
            onChange={(e) => setFilter("period", e.target.value)}
            data-testid="filter-period"
          />
        </label>
        {(status || customerId || month) && (
          <button type="button" className="btn btn-small" onClick={() => setParams({}, { replace: true })}>
            Clear filters
          </button>
        )}
      </div>
      {invoices.isError && <ErrorBox error={invoices.error} title="Could not load invoices." />}
      {invoices.isLoading && <Loading what="invoices" />}
      {invoices.isSuccess && rows.length === 0 && (
        <EmptyState
          title={status || customerId || month ? "No invoice matches these filters" : "No invoices yet"}
          testId="invoices-empty"
          action={
            can("POST /v1/billing-runs") && (
              <button type="button" className="btn btn-primary" onClick={() => setRunning(true)}>
                Run billing
              </button>
            )
          }
        >
          A billing run invoices every contract period that has ended.
        </EmptyState>
      )}
      {rows.length > 0 && (
        <table className="data-table" data-testid="invoices-table">
          <thead>
            <tr>
              <th>Number</th>
              <th>Customer</th>
              <th>Plan</th>
              <th>Period</th>
              <th>Status</th>
              <th className="num">Total</th>
              <th className="num">Due</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((inv) => (
              <tr
                key={inv.id}
                className="is-clickable"
                onClick={() => navigate(`/invoices/${inv.id}`)}
                data-testid={`invoice-row-${inv.id}`}
              >
                <td>
                  <Link
                    className="strong-link"
                    to={`/invoices/${inv.id}`}
                    onClick={(e) => e.stopPropagation()}
                  >
                    {inv.number ?? "Draft"}
                  </Link>
                </td>
                <td>{customers.get(inv.customerId)?.name ?? inv.customerId}</td>
                <td>
                  {plans.get(inv.planId)?.name ?? inv.planId}{" "}
                  <span className="tag tag-muted">v{inv.planVersion}</span>
                  {inv.consolidated && (
                    <span className="tag" title="One invoice for several contracts of the customer">
                      +{inv.contractIds.length - 1} contract{inv.contractIds.length > 2 ? "s" : ""}
                    </span>
                  )}
                </td>
                <td>{invoicePeriod(inv)}</td>
                <td>
                  <StatusBadge status={inv.status} />
                </td>
                <td className="num">{money(inv.total, inv.currency)}</td>
                <td className="num">{money(inv.amountDue, inv.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <LoadMore list={invoices} />
      {running && <BillingRunDialog onClose={() => setRunning(false)} />}
    </div>
  );
}
