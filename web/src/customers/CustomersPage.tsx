import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { customersApi } from "../api/customers.ts";
import { Dialog, FormActions } from "../ui/Dialog.tsx";
import { instant } from "../ui/format.ts";
import { LoadMore, PageHeader } from "../ui/Page.tsx";
import { EmptyState, ErrorBox, Loading } from "../ui/states.tsx";
import "./customers.css";
import { useCan } from "../app/session.tsx";
import { CustomerFields, type CustomerFieldValues } from "./CustomerFields.tsx";

function NewCustomerDialog({ onClose }: { onClose(): void }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<Required<CustomerFieldValues>>({
    externalId: "",
    name: "",
    email: "",
    timezone: "UTC",
    currency: "",
  });
  const create = useMutation({
    mutationFn: () =>
      customersApi.create({
        externalId: form.externalId.trim(),
        name: form.name.trim(),
        email: form.email.trim() || null,
        timezone: form.timezone,
        currency: form.currency.trim().toUpperCase() || null,
      }),
    onSuccess: (customer) => {
      queryClient.invalidateQueries({ queryKey: ["customers"] });
      navigate(`/customers/${customer.id}`);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <Dialog title="New customer" onClose={onClose} testId="new-customer-dialog">
      <form onSubmit={submit}>
        <CustomerFields
          values={form}
          onChange={(key, value) => setForm((f) => ({ ...f, [key]: value }))}
          testIdPrefix=""
        />
        <p className="muted small">
          Events name the customer by its external id. Periods are billed on the calendar of its time zone.
        </p>
        {create.isError && <ErrorBox error={create.error} title="Not created." testId="customer-error" />}
        <FormActions
          onCancel={onClose}
          label="Create customer"
          busyLabel="Creating…"
          busy={create.isPending}
          testId="create-customer"
        />
      </form>
    </Dialog>
  );
}

/** Customers, newest first, searched by the server (name, email or external id). */
export function CustomersPage() {
  const can = useCan();
  const [params, setParams] = useSearchParams();
  const search = params.get("q") ?? "";
  const [text, setText] = useState(search);
  const [creating, setCreating] = useState(params.get("new") === "1");
  const [showArchived, setShowArchived] = useState(false);
  const navigate = useNavigate();

  // Search as the user types, a moment after the last keystroke.
  useEffect(() => {
    const timer = setTimeout(() => {
      if (text.trim() !== search) setParams(text.trim() ? { q: text.trim() } : {}, { replace: true });
    }, 250);
    return () => clearTimeout(timer);
  }, [text, search, setParams]);

  const customers = useInfiniteQuery({
    queryKey: ["customers", "list", search, showArchived],
    queryFn: ({ pageParam }) =>
      customersApi.list({ search, cursor: pageParam, limit: 50, archived: showArchived ? "all" : "active" }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const rows = customers.data?.pages.flatMap((p) => p.data) ?? [];

  return (
    <div className="page ops-page">
      <PageHeader title="Customers" subtitle="Who you bill: their contracts, credits and usage.">
        {can("POST /v1/customers") && (
          <div className="ops-actions">
            <Link className="btn" to="/usage#import-customers">
              Import CSV
            </Link>
            <button
              type="button"
              className="btn btn-primary"
              onClick={() => setCreating(true)}
              data-testid="new-customer"
            >
              New customer
            </button>
          </div>
        )}
      </PageHeader>
      <div className="ops-toolbar">
        <label className="field field-grow">
          <span>Search</span>
          <input
            type="search"
            placeholder="Name, email or external id"
            value={text}
            onChange={(e) => setText(e.target.value)}
            data-testid="customer-search"
          />
        </label>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={showArchived}
            onChange={(e) => setShowArchived(e.target.checked)}
            data-testid="show-archived-customers"
          />{" "}
          Show archived
        </label>
      </div>
      {customers.isError && <ErrorBox error={customers.error} title="Could not load customers." />}
      {customers.isLoading && <Loading what="customers" />}
      {customers.isSuccess && rows.length === 0 && (
        <EmptyState
          title={search ? `No customer matches “${search}”` : "No customers yet"}
          testId="customers-empty"
          action={
            can("POST /v1/customers") && (
              <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
                New customer
              </button>
            )
          }
        >
          {search ? "Try part of the name, the email or the external id." : "Create one, or import a CSV."}
        </EmptyState>
      )}
      {rows.length > 0 && (
        <table className="data-table" data-testid="customers-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>External id</th>
              <th>Email</th>
              <th>Time zone</th>
              <th>Created</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr
                key={c.id}
                className="is-clickable"
                onClick={() => navigate(`/customers/${c.id}`)}
                data-testid={`customer-row-${c.externalId}`}
              >
                <td>
                  <Link
                    className="strong-link"
                    to={`/customers/${c.id}`}
                    onClick={(e) => e.stopPropagation()}
                  >
                    {c.name}
                  </Link>
                  {c.archivedAt && (
                    <>
                      {" "}
                      <span className="tag tag-muted">archived</span>
                    </>
                  )}
                </td>
                <td className="ops-mono">{c.externalId}</td>
                <td>{c.email ?? <span className="muted">—</span>}</td>
                <td>{c.timezone}</td>
                <td className="muted">{instant(c.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <LoadMore list={customers} />
      {creating && <NewCustomerDialog onClose={() => setCreating(false)} />}
    </div>
  );
}
