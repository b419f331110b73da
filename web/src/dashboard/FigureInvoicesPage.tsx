import { useQueries, useQuery } from "@tanstack/react-query";
import { Link, useSearchParams } from "react-router";
import { accountingApi, type FigureFilter, type Measure } from "../api/accounting.ts";
import { invoicesApi } from "../api/invoices.ts";
import { invoicePeriod, money } from "../ui/format.ts";
import { useCustomerIndex } from "../ui/lookups.ts";
import { Crumbs, PageHeader } from "../ui/Page.tsx";
import { EmptyState, ErrorBox, Loading, StatusBadge } from "../ui/states.tsx";

const SHOWN = 100;
const measures: Record<Measure, string> = {
  invoiced: "Invoiced",
  recognised: "Recognised",
  outstanding: "Outstanding",
  overdue: "Overdue",
};

/** The invoices behind a dashboard figure, filtered by the figure's URL (measure, months, product, customer). */
export function FigureInvoicesPage() {
  const [params] = useSearchParams();
  const filter: FigureFilter = {
    measure: (params.get("measure") ?? "invoiced") as Measure,
    from: params.get("from") ?? "",
    to: params.get("to") ?? "",
    product: params.get("product") ?? undefined,
    customerId: params.get("customer") ?? undefined,
    timing: (params.get("timing") ?? undefined) as FigureFilter["timing"],
  };
  const customers = useCustomerIndex();
  const ids = useQuery({
    queryKey: ["reports", "invoices", filter],
    queryFn: () => accountingApi.invoicesBehind(filter),
  });
  const shown = (ids.data?.invoiceIds ?? []).slice(0, SHOWN);
  const invoices = useQueries({
    queries: shown.map((id) => ({
      queryKey: ["invoices", "detail", id],
      queryFn: () => invoicesApi.get(id),
    })),
  });
  const what = [
    measures[filter.measure] ?? filter.measure,
    filter.from === filter.to ? filter.from : `${filter.from} – ${filter.to}`,
    filter.product,
    filter.timing,
    filter.customerId ? (customers.get(filter.customerId)?.name ?? filter.customerId) : undefined,
  ]
    .filter(Boolean)
    .join(" · ");

  return (
    <div className="page ops-page" data-testid="figure-invoices">
      <Crumbs to="/" label="Dashboard">
        Invoices behind a figure
      </Crumbs>
      <PageHeader title="Invoices behind the figure" subtitle={what} />
      {ids.isError && <ErrorBox error={ids.error} title="Could not find the invoices." />}
      {ids.isLoading && <Loading what="invoices" />}
      {ids.isSuccess && shown.length === 0 && (
        <EmptyState title="No invoice is behind this figure" testId="figure-invoices-empty">
          The journal has no invoice lines for these filters.
        </EmptyState>
      )}
      {shown.length > 0 && (
        <table className="data-table" data-testid="figure-invoices-table">
          <thead>
            <tr>
              <th>Number</th>
              <th>Customer</th>
              <th>Period</th>
              <th>Status</th>
              <th className="num">Total</th>
              <th className="num">Due</th>
            </tr>
          </thead>
          <tbody>
            {invoices.map((q, i) => {
              const inv = q.data;
              return (
                <tr key={shown[i]} data-testid="figure-invoice-row">
                  <td>
                    <Link className="strong-link" to={`/invoices/${shown[i]}`}>
                      {inv?.number ?? shown[i]}
                    </Link>
                  </td>
                  <td>{inv ? (customers.get(inv.customerId)?.name ?? inv.customerId) : ""}</td>
                  <td>{inv ? invoicePeriod(inv) : ""}</td>
                  <td>{inv && <StatusBadge status={inv.status} />}</td>
                  <td className="num">{inv ? money(inv.total, inv.currency) : ""}</td>
                  <td className="num">{inv ? money(inv.amountDue, inv.currency) : ""}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {(ids.data?.invoiceIds.length ?? 0) > SHOWN && <p className="muted">The first {SHOWN} are shown.</p>}
    </div>
  );
}
