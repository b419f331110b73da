import { useInfiniteQuery } from "@tanstack/react-query";
import { Link, useNavigate } from "react-router";
import { contractsApi } from "../api/contracts.ts";
import { calendarDate } from "../ui/format.ts";
import { useCustomerIndex, usePlanIndex } from "../ui/lookups.ts";
import { PageHeader } from "../ui/Page.tsx";
import { EmptyState, ErrorBox, Loading, StatusBadge } from "../ui/states.tsx";
import { contractState } from "./contractState.ts";
import "./contracts.css";
import { useCan } from "../app/session.tsx";

/** Every contract, newest first: who is on which plan version, since when. */
export function ContractsPage() {
  const can = useCan();
  const navigate = useNavigate();
  const customers = useCustomerIndex();
  const plans = usePlanIndex();
  const contracts = useInfiniteQuery({
    queryKey: ["contracts", "list"],
    queryFn: ({ pageParam }) => contractsApi.list({ cursor: pageParam, limit: 100 }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const rows = contracts.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <div className="page ops-page">
      <PageHeader
        title="Contracts"
        subtitle="Customers on published plan versions, with their overrides and credits."
      >
        {can("POST /v1/contracts") && (
          <Link className="btn btn-primary" to="/contracts/new" data-testid="new-contract">
            New contract
          </Link>
        )}
      </PageHeader>
      {contracts.isError && <ErrorBox error={contracts.error} title="Could not load contracts." />}
      {contracts.isLoading && <Loading what="contracts" />}
      {contracts.isSuccess && rows.length === 0 && (
        <EmptyState
          title="No contracts yet"
          testId="contracts-list-empty"
          action={
            can("POST /v1/contracts") && (
              <Link className="btn btn-primary" to="/contracts/new">
                Put a customer on a plan
              </Link>
            )
          }
        >
          A contract puts a customer on a plan version; billing runs invoice it.
        </EmptyState>
      )}
      {rows.length > 0 && (
        <table className="data-table" data-testid="contracts-table">
          <thead>
            <tr>
              <th>Customer</th>
              <th>Plan</th>
              <th>Term</th>
              <th>Billing</th>
              <th>Overrides</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr key={c.id} className="is-clickable" onClick={() => navigate(`/contracts/${c.id}`)}>
                <td>
                  <Link
                    className="strong-link"
                    to={`/contracts/${c.id}`}
                    onClick={(e) => e.stopPropagation()}
                  >
                    {customers.get(c.customerId)?.name ?? c.customerId}
                  </Link>
                </td>
                <td>
                  {plans.get(c.planId)?.name ?? c.planId}{" "}
                  <span className="tag tag-muted">v{c.planVersion}</span>
                </td>
                <td>
                  {calendarDate(c.startDate)} – {c.endDate ? calendarDate(c.endDate) : "open"}
                </td>
                <td>{c.billingPeriod}</td>
                <td>{Object.keys(c.paramOverrides).length || <span className="muted">—</span>}</td>
                <td>
                  <StatusBadge status={contractState(c)} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {contracts.hasNextPage && (
        <div className="ops-table-foot">
          <button type="button" className="btn" onClick={() => contracts.fetchNextPage()}>
            Load more
          </button>
        </div>
      )}
    </div>
  );
}
