import { Decimal } from "@pricegraph/engine";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useSearchParams } from "react-router";
import { accountingApi, type ExportFormat, figureLink, type RevenueReport } from "../api/accounting.ts";
import { money } from "../ui/format.ts";
import { useCustomerIndex } from "../ui/lookups.ts";
import { PageHeader } from "../ui/Page.tsx";
import { ErrorBox, Loading } from "../ui/states.tsx";
import { type BarGroup, StackedBars } from "./StackedBars.tsx";
import "./dashboard.css";

const thisMonth = () => new Date().toISOString().slice(0, 7);
function monthsBack(month: string, count: number): string {
  const [y, m] = month.split("-").map(Number);
  const d = new Date(Date.UTC(y, m - 1 - count, 1));
  return d.toISOString().slice(0, 7);
}
function monthList(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = from; m <= to && out.length < 120; m = monthsBack(m, -1)) out.push(m);
  return out;
}
const sum = (values: string[]) => values.reduce((s, v) => s.plus(v), new Decimal(0));
type Row = RevenueReport["rows"][number];

/** The home page: revenue invoiced and recognised, recurring vs usage, receivables, top customers. */
export function DashboardPage() {
  const [params, setParams] = useSearchParams();
  const to = params.get("to") ?? thisMonth();
  const from = params.get("from") ?? monthsBack(to, 11);
  const [exporting, setExporting] = useState<string | null>(null);
  const customers = useCustomerIndex();

  const byProduct = useQuery({
    queryKey: ["reports", "revenue", "product", from, to],
    queryFn: () => accountingApi.revenue(from, to, "product"),
  });
  const byTiming = useQuery({
    queryKey: ["reports", "revenue", "timing", from, to],
    queryFn: () => accountingApi.revenue(from, to, "timing"),
  });
  const byCustomer = useQuery({
    queryKey: ["reports", "revenue", "customer", from, to],
    queryFn: () => accountingApi.revenue(from, to, "customer"),
  });
  const receivables = useQuery({ queryKey: ["reports", "receivables"], queryFn: accountingApi.receivables });

  const rows = byProduct.data?.rows ?? [];
  const currencies = [...new Set(rows.map((r) => r.currency))];
  const currency = params.get("currency") ?? currencies[0] ?? "USD";
  const inCurrency = (list: Row[]) => list.filter((r) => r.currency === currency);
  const trendCustomer = params.get("customer") ?? "";
  const trend = useQuery({
    queryKey: ["reports", "revenue", "month", from, to, trendCustomer],
    queryFn: () => accountingApi.revenue(from, to, "month", trendCustomer),
    enabled: trendCustomer !== "",
  });

  const setParam = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  const months = monthList(from, to);
  const products = [...new Set(inCurrency(rows).map((r) => r.product ?? "—"))].sort();
  const revenueGroups: BarGroup[] = months.map((month) => ({
    label: month,
    bars: (["invoiced", "recognised"] as const).map((measure) => ({
      name: measure === "invoiced" ? "Invoiced" : "Recognised",
      segments: inCurrency(rows)
        .filter((r) => r.month === month)
        .map((r) => ({
          key: r.product ?? "—",
          label: r.product ?? "—",
          value: Number(r[measure]),
          amount: r[measure],
          href: figureLink({ measure, from: month, to: month, product: r.product ?? undefined }),
        })),
    })),
  }));
  const timingGroups: BarGroup[] = months.map((month) => ({
    label: month,
    bars: [
      {
        name: "Invoiced",
        segments: inCurrency(byTiming.data?.rows ?? [])
          .filter((r) => r.month === month && r.timing)
          .map((r) => ({
            key: r.timing === "recurring" ? "Recurring (advance fees)" : "Usage",
            label: r.timing ?? "",
            value: Number(r.invoiced),
            amount: r.invoiced,
            href: figureLink({ measure: "invoiced", from: month, to: month, timing: r.timing ?? undefined }),
          })),
      },
    ],
  }));
  const invoiced = sum(inCurrency(rows).map((r) => r.invoiced));
  const recognised = sum(inCurrency(rows).map((r) => r.recognised));
  const open = (receivables.data?.rows ?? []).filter((r) => r.currency === currency);
  const outstanding = sum(open.map((r) => r.outstanding));
  const overdue = sum(open.map((r) => r.overdue));

  const perCustomer = new Map<string, { invoiced: Decimal; recognised: Decimal }>();
  for (const r of inCurrency(byCustomer.data?.rows ?? [])) {
    const id = r.customerId ?? "";
    const t = perCustomer.get(id) ?? { invoiced: new Decimal(0), recognised: new Decimal(0) };
    perCustomer.set(id, {
      invoiced: t.invoiced.plus(r.invoiced),
      recognised: t.recognised.plus(r.recognised),
    });
  }
  const top = [...perCustomer.entries()].sort((a, b) => b[1].invoiced.comparedTo(a[1].invoiced)).slice(0, 10);
  const trendGroups: BarGroup[] = months.map((month) => ({
    label: month,
    bars: [
      {
        name: "Invoiced",
        segments: inCurrency(trend.data?.rows ?? [])
          .filter((r) => r.month === month)
          .map((r) => ({
            key: "Invoiced",
            label: "invoiced",
            value: Number(r.invoiced),
            amount: r.invoiced,
            href: figureLink({ measure: "invoiced", from: month, to: month, customerId: trendCustomer }),
          })),
      },
    ],
  }));

  const download = async (format: ExportFormat) => {
    setExporting(format);
    try {
      await accountingApi.downloadJournal(format);
    } finally {
      setExporting(null);
    }
  };
  const range = { from, to };
  const loading = byProduct.isLoading || receivables.isLoading;

  return (
    <div className="page ops-page dash" data-testid="dashboard">
      <PageHeader
        title="Dashboard"
        subtitle="Revenue from the journal: every figure opens the invoices behind it."
      >
        {(["csv", "quickbooks", "xero"] as const).map((format) => (
          <button
            key={format}
            type="button"
            className="btn btn-small"
            disabled={exporting !== null}
            onClick={() => void download(format)}
            data-testid={`export-${format}`}
          >
            {exporting === format
              ? "Exporting…"
              : `Export ${format === "csv" ? "journal CSV" : format === "quickbooks" ? "QuickBooks" : "Xero"}`}
          </button>
        ))}
      </PageHeader>
      <div className="ops-toolbar">
        <label className="field">
          <span>From</span>
          <input
            type="month"
            value={from}
            onChange={(e) => setParam("from", e.target.value)}
            data-testid="range-from"
          />
        </label>
        <label className="field">
          <span>To</span>
          <input
            type="month"
            value={to}
            onChange={(e) => setParam("to", e.target.value)}
            data-testid="range-to"
          />
        </label>
        {currencies.length > 1 && (
          <label className="field">
            <span>Currency</span>
            <select value={currency} onChange={(e) => setParam("currency", e.target.value)}>
              {currencies.map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
          </label>
        )}
      </div>
      {byProduct.isError && <ErrorBox error={byProduct.error} title="Could not load the revenue report." />}
      {loading && <Loading what="the books" />}
      <div className="dash-cards">
        <Link
          className="dash-card"
          to={figureLink({ measure: "invoiced", ...range })}
          data-testid="figure-invoiced"
        >
          <span>Invoiced</span>
          <strong>{money(invoiced.toFixed(2), currency)}</strong>
        </Link>
        <Link
          className="dash-card"
          to={figureLink({ measure: "recognised", ...range })}
          data-testid="figure-recognised"
        >
          <span>Recognised</span>
          <strong>{money(recognised.toFixed(2), currency)}</strong>
        </Link>
        <Link
          className="dash-card"
          to={figureLink({ measure: "outstanding", ...range })}
          data-testid="figure-outstanding"
        >
          <span>Outstanding</span>
          <strong>{money(outstanding.toFixed(2), currency)}</strong>
        </Link>
        <Link
          className="dash-card"
          to={figureLink({ measure: "overdue", ...range })}
          data-testid="figure-overdue"
        >
          <span>Overdue (past due date)</span>
          <strong>{money(overdue.toFixed(2), currency)}</strong>
        </Link>
      </div>
      <section className="dash-panel">
        <h2>Invoiced and recognised revenue by month, by product</h2>
        <StackedBars groups={revenueGroups} keys={products} currency={currency} testId="chart-revenue" />
      </section>
      <section className="dash-panel">
        <h2>Recurring fees vs usage</h2>
        <StackedBars
          groups={timingGroups}
          keys={["Recurring (advance fees)", "Usage"]}
          currency={currency}
          testId="chart-timing"
        />
      </section>
      <div className="dash-columns">
        <section className="dash-panel">
          <h2>Top customers</h2>
          <table className="data-table" data-testid="top-customers">
            <thead>
              <tr>
                <th>Customer</th>
                <th className="num">Invoiced</th>
                <th className="num">Outstanding</th>
              </tr>
            </thead>
            <tbody>
              {top.map(([id, t]) => (
                <tr key={id}>
                  <td>
                    <button type="button" className="link-button" onClick={() => setParam("customer", id)}>
                      {customers.get(id)?.name ?? id}
                    </button>
                  </td>
                  <td className="num">
                    <Link to={figureLink({ measure: "invoiced", ...range, customerId: id })}>
                      {money(t.invoiced.toFixed(2), currency)}
                    </Link>
                  </td>
                  <td className="num">
                    <Link to={`/invoices?customer=${encodeURIComponent(id)}&status=finalized`}>
                      {money(open.find((r) => r.customerId === id)?.outstanding ?? "0.00", currency)}
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="dash-panel">
          <h2>Customer revenue trend</h2>
          <select
            value={trendCustomer}
            onChange={(e) => setParam("customer", e.target.value)}
            aria-label="Customer whose revenue trend to show"
            data-testid="trend-customer"
          >
            <option value="">Choose a customer</option>
            {[...customers.values()]
              .sort((a, b) => a.name.localeCompare(b.name))
              .map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
          </select>
          {trendCustomer && (
            <StackedBars groups={trendGroups} keys={["Invoiced"]} currency={currency} testId="chart-trend" />
          )}
        </section>
      </div>
    </div>
  );
}
