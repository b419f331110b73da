import { useMutation, useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useParams } from "react-router";
import { type Contract, contractsApi } from "../api/contracts.ts";
import { customersApi } from "../api/customers.ts";
import { contractState } from "../contracts/contractState.ts";
import { PortalLinkButton } from "../portal/PortalLinkButton.tsx";
import { CustomerBillingCard } from "../receivables/CustomerBillingCard.tsx";
import { calendarDate, groupThousands, instant, periodRange } from "../ui/format.ts";
import { usePlanIndex } from "../ui/lookups.ts";
import { Crumbs, PageHeader, RecordPending } from "../ui/Page.tsx";
import { EmptyState, ErrorBox, Loading, StatusBadge } from "../ui/states.tsx";
import { AccountsCard } from "./AccountsCard.tsx";
import { currentMonth } from "./dailyUsage.ts";
import { EditCustomerDialog } from "./EditCustomerDialog.tsx";
import { type ChartPeriod, UsageCharts } from "./UsageCharts.tsx";
import "./customers.css";
import { useCan } from "../app/session.tsx";

function CreditBalances({ contracts }: { contracts: Contract[] }) {
  const credits = useQueries({
    queries: contracts.map((c) => ({
      queryKey: ["credits", c.id],
      queryFn: () => contractsApi.credits(c.id),
    })),
  });
  const rows = credits.flatMap((q, i) =>
    (q.data?.pools ?? []).map((p) => ({ contract: contracts[i], pool: p.pool, balance: p.balance })),
  );
  const grants = credits.flatMap((q) => q.data?.grants ?? []);
  if (credits.some((q) => q.isLoading)) return <Loading what="credit balances" />;
  const failed = credits.find((q) => q.isError);
  if (failed) return <ErrorBox error={failed.error} title="Could not load credits." />;
  if (rows.length === 0) {
    return (
      <p className="muted small">No credit grants. Grants are added when putting the customer on a plan.</p>
    );
  }
  return (
    <table className="data-table compact" data-testid="credit-balances">
      <thead>
        <tr>
          <th>Pool</th>
          <th>Contract</th>
          <th className="num">Balance</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={`${r.contract.id}-${r.pool}`} data-testid={`credit-pool-${r.pool}`}>
            <td className="ops-mono">{r.pool}</td>
            <td>
              <Link to={`/contracts/${r.contract.id}`}>from {calendarDate(r.contract.startDate)}</Link>
            </td>
            <td className="num" data-testid={`credit-balance-${r.pool}`}>
              {groupThousands(r.balance)}
            </td>
          </tr>
        ))}
        {grants.some((g) => g.expired) && (
          <tr>
            <td colSpan={3} className="muted small">
              Expired grants no longer count.
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}

/** One customer: who they are, their contracts and credits, and this period's usage per metric, day by day. */
export function CustomerPage() {
  const can = useCan();
  const { customerId = "" } = useParams();
  const plans = usePlanIndex();
  const customer = useQuery({
    queryKey: ["customer", customerId],
    queryFn: () => customersApi.get(customerId),
  });
  const contracts = useQuery({
    queryKey: ["contracts", "customer", customerId],
    queryFn: () => contractsApi.list({ customerId }),
  });
  const list = contracts.data?.data ?? [];
  // The earliest active contract (the list is newest first): the customer's first, which also leads its
  // consolidated invoices.
  const active = list.filter((c) => contractState(c) === "active").at(-1);
  const report = useQuery({
    queryKey: ["usage-report", active?.id],
    queryFn: () => contractsApi.usageReport(active!.id),
    enabled: !!active,
  });
  const [editing, setEditing] = useState(false);
  const queryClient = useQueryClient();
  const archive = useMutation({
    mutationFn: (archived: boolean) =>
      archived ? customersApi.archive(customerId) : customersApi.unarchive(customerId),
    onSuccess: (updated) => {
      queryClient.setQueryData(["customer", customerId], updated);
      queryClient.invalidateQueries({ queryKey: ["customers"] });
    },
  });

  if (!customer.data) return <RecordPending query={customer} what="customer" />;
  const c = customer.data;
  const period: ChartPeriod | null = active
    ? report.data
      ? {
          start: report.data.period.start,
          end: report.data.period.end,
          label: periodRange(report.data.period.startDate, report.data.period.endDate),
        }
      : null
    : currentMonth(c.timezone);

  return (
    <div className="page ops-page" data-testid="customer-page">
      <Crumbs to="/customers" label="Customers">
        <span>{c.externalId}</span>
      </Crumbs>
      <PageHeader
        title={c.name}
        subtitle={
          <>
            <span className="ops-mono">{c.externalId}</span> · {c.email ?? "no email"} · {c.timezone}
            {c.currency ? ` · ${c.currency}` : ""}
          </>
        }
        titleTestId="customer-title"
      >
        <div className="ops-actions">
          {can("PATCH /v1/customers/:id") && (
            <button
              type="button"
              className="btn"
              onClick={() => setEditing(true)}
              data-testid="edit-customer"
            >
              Edit
            </button>
          )}
          {can(c.archivedAt ? "POST /v1/customers/:id/unarchive" : "POST /v1/customers/:id/archive") && (
            <button
              type="button"
              className="btn"
              disabled={archive.isPending}
              onClick={() => archive.mutate(!c.archivedAt)}
              data-testid={c.archivedAt ? "unarchive-customer" : "archive-customer"}
            >
              {c.archivedAt ? "Unarchive" : "Archive"}
            </button>
          )}
          <Link className="btn" to={`/invoices?customer=${c.id}`}>
            Invoices
          </Link>
          {can("POST /v1/customers/:id/portal-links") && <PortalLinkButton customerId={c.id} />}
          {can("POST /v1/contracts") && (
            <Link
              className="btn btn-primary"
              to={`/contracts/new?customer=${c.id}`}
              data-testid="put-on-plan"
            >
              Put on a plan
            </Link>
          )}
        </div>
      </PageHeader>
      {c.archivedAt && (
        <p className="archived-note" role="status" data-testid="customer-archived">
          Archived on {instant(c.archivedAt)}: hidden from customer lists and pickers. Contracts, usage and
          invoices are kept, and running contracts still bill.
        </p>
      )}
      {archive.isError && <ErrorBox error={archive.error} title="Not changed." />}
      {editing && <EditCustomerDialog customer={c} onClose={() => setEditing(false)} />}

      <div className="customer-grid">
        <section className="ops-card">
          <h2>Contracts</h2>
          {contracts.isError && <ErrorBox error={contracts.error} title="Could not load contracts." />}
          {contracts.isLoading && <Loading what="contracts" />}
          {contracts.isSuccess && list.length === 0 && (
            <EmptyState
              title="Not on a plan yet"
              testId="contracts-empty"
              action={
                can("POST /v1/contracts") && (
                  <Link className="btn btn-primary" to={`/contracts/new?customer=${c.id}`}>
                    Put on a plan
                  </Link>
                )
              }
            >
              A contract names the plan version, its price overrides and credits.
            </EmptyState>
          )}
          {list.length > 0 && (
            <table className="data-table compact" data-testid="customer-contracts">
              <thead>
                <tr>
                  <th>Plan</th>
                  <th>Term</th>
                  <th>Billing</th>
                  <th>Status</th>
                </tr>
              </thead>
              <tbody>
                {list.map((k) => (
                  <tr key={k.id}>
                    <td>
                      <Link
                        className="strong-link"
                        to={`/contracts/${k.id}`}
                        data-testid={`contract-link-${k.id}`}
                      >
                        {plans.get(k.planId)?.name ?? k.planId}
                      </Link>{" "}
                      <span className="tag tag-muted">v{k.planVersion}</span>
                    </td>
                    <td>
                      {calendarDate(k.startDate)} – {k.endDate ? calendarDate(k.endDate) : "open"}
                    </td>
                    <td>{k.billingPeriod}</td>
                    <td>
                      <StatusBadge status={contractState(k)} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section className="ops-card">
          <h2>Credit balances</h2>
          {list.length > 0 ? (
            <CreditBalances contracts={list} />
          ) : (
            <p className="muted small">No contracts, no credits.</p>
          )}
        </section>
      </div>

      <AccountsCard key={`${c.id}-${c.parentId}`} customer={c} report={report.data} />

      <CustomerBillingCard customerId={c.id} currency={c.currency} />

      <section className="ops-card">
        <div className="ops-card-head">
          <h2>Usage this period</h2>
          {active && <span className="muted small">following the billing period of the active contract</span>}
        </div>
        {report.isError && <ErrorBox error={report.error} title="Could not load the usage report." />}
        {period ? (
          <UsageCharts customerId={c.id} period={period} freeUnits={report.data?.freeUnits ?? []} />
        ) : (
          !report.isError && <Loading what="usage report" />
        )}
      </section>
    </div>
  );
}
