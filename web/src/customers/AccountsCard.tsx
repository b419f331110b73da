import type { UsageReport } from "@pricegraph/shared/api";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import { type Customer, customersApi } from "../api/customers.ts";
import { useCan } from "../app/session.tsx";
import { groupThousands } from "../ui/format.ts";
import { useCustomerIndex } from "../ui/lookups.ts";
import { ErrorBox } from "../ui/states.tsx";

/** This period's usage per account, for a customer whose child accounts' events count toward it. */
function UsageByAccount({ report }: { report: UsageReport }) {
  const metrics = report.metrics.filter((m) => m.accounts.length > 0);
  if (metrics.length === 0) return null;
  return (
    <table className="data-table compact" data-testid="usage-by-account">
      <thead>
        <tr>
          <th>Metric</th>
          <th>Account</th>
          <th className="num">Usage this period</th>
        </tr>
      </thead>
      <tbody>
        {metrics.flatMap((m) =>
          m.accounts.map((a) => (
            <tr key={`${m.key}-${a.customerId}`} data-testid={`account-usage-${m.key}-${a.externalId}`}>
              <td className="ops-mono">{m.key}</td>
              <td>
                <Link to={`/customers/${a.customerId}`}>{a.externalId}</Link>
              </td>
              <td className="num">{groupThousands(a.value)}</td>
            </tr>
          )),
        )}
      </tbody>
    </table>
  );
}

/**
 * Where the customer sits in an account hierarchy: its parent (which its usage counts toward), its child
 * accounts (whose usage counts here) and, with an active contract, this period's usage per account.
 */
export function AccountsCard({ customer, report }: { customer: Customer; report: UsageReport | undefined }) {
  const can = useCan();
  const queryClient = useQueryClient();
  const index = useCustomerIndex();
  const [parentId, setParentId] = useState(customer.parentId ?? "");
  const children = useQuery({
    queryKey: ["customers", "children", customer.id],
    queryFn: () => customersApi.list({ parentId: customer.id, limit: 500 }),
  });
  const move = useMutation({
    mutationFn: () => customersApi.update(customer.id, { parentId: parentId || null }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["customer"] }),
  });
  const parent = customer.parentId ? index.get(customer.parentId) : undefined;
  const kids = children.data?.data ?? [];
  const candidates = [...index.values()].filter((c) => c.id !== customer.id);
  return (
    <section className="ops-card" data-testid="accounts-card">
      <h2>Accounts</h2>
      <p className="small" data-testid="customer-parent">
        {customer.parentId ? (
          <>
            Child account of{" "}
            <Link to={`/customers/${customer.parentId}`}>{parent?.name ?? customer.parentId}</Link>: its usage
            counts toward that account's contracts.
          </>
        ) : (
          "No parent account: its usage counts toward its own contracts."
        )}
      </p>
      {can("PATCH /v1/customers/:id") && (
        <form
          className="ops-toolbar"
          onSubmit={(e) => {
            e.preventDefault();
            move.mutate();
          }}
        >
          <label className="field">
            <span>Parent account</span>
            <select
              value={parentId}
              onChange={(e) => setParentId(e.target.value)}
              data-testid="customer-parent-select"
            >
              <option value="">— none —</option>
              {candidates.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name} ({c.externalId})
                </option>
              ))}
            </select>
          </label>
          <button
            type="submit"
            className="btn"
            disabled={move.isPending || parentId === (customer.parentId ?? "")}
            data-testid="customer-parent-save"
          >
            Move
          </button>
          <span className="muted small">Usage from now on follows the move; earlier usage stays.</span>
        </form>
      )}
      {move.isError && <ErrorBox error={move.error} title="Not moved." testId="customer-parent-error" />}
      {kids.length > 0 && (
        <p className="small" data-testid="customer-children">
          Child accounts:{" "}
          {kids.map((k, i) => (
            <span key={k.id}>
              {i > 0 && ", "}
              <Link to={`/customers/${k.id}`}>{k.name}</Link>
            </span>
          ))}
        </p>
      )}
      {report && <UsageByAccount report={report} />}
    </section>
  );
}
