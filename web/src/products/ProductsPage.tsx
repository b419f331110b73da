import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { type Product, type ProductKind, productsApi } from "../api/products.ts";
import { useCan } from "../app/session.tsx";
import { Dialog, FormActions } from "../ui/Dialog.tsx";
import { PageHeader } from "../ui/Page.tsx";
import { EmptyState, ErrorBox, Loading } from "../ui/states.tsx";

const kindLabel: Record<ProductKind, string> = { product: "Product", add_on: "Add-on" };

interface ProductForm {
  code: string;
  name: string;
  description: string;
  accountingCode: string;
  parentId: string;
  kind: ProductKind;
}

/** Add or edit a product; the code is fixed once created (plans name it). */
function ProductDialog({
  product,
  catalog,
  onClose,
}: {
  product: Product | null;
  catalog: Product[];
  onClose(): void;
}) {
  const queryClient = useQueryClient();
  const [form, setForm] = useState<ProductForm>({
    code: product?.code ?? "",
    name: product?.name ?? "",
    description: product?.description ?? "",
    accountingCode: product?.accountingCode ?? "",
    parentId: product?.parentId ?? "",
    kind: product?.kind ?? "product",
  });
  const save = useMutation({
    mutationFn: () => {
      const fields = {
        name: form.name.trim(),
        description: form.description.trim() || null,
        accountingCode: form.accountingCode.trim() || null,
        parentId: form.parentId || null,
        kind: form.kind,
      };
      return product
        ? productsApi.update(product.id, fields)
        : productsApi.create({ code: form.code.trim(), ...fields });
    },
    onSuccess: () => {
      queryClient.invalidateQueries({ queryKey: ["products"] });
      onClose();
    },
  });
  const set = (key: keyof ProductForm) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [key]: e.target.value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const parents = catalog.filter((p) => p.id !== product?.id);
  return (
    <Dialog
      title={product ? `Edit ${product.name}` : "New product"}
      onClose={onClose}
      testId="product-dialog"
      onSubmit={submit}
    >
      <div className="form-grid">
        <label className="field">
          <span>Name</span>
          <input
            type="text"
            autoFocus
            required
            value={form.name}
            onChange={set("name")}
            data-testid="product-name"
          />
        </label>
        <label className="field">
          <span>Code</span>
          <input
            type="text"
            required
            value={form.code}
            placeholder="api-calls"
            readOnly={!!product}
            onChange={set("code")}
            data-testid="product-code"
          />
        </label>
        <label className="field">
          <span>Sold as</span>
          <select value={form.kind} onChange={set("kind")} data-testid="product-kind">
            <option value="product">Product</option>
            <option value="add_on">Add-on</option>
          </select>
        </label>
        <label className="field">
          <span>Sub-product of</span>
          <select value={form.parentId} onChange={set("parentId")} data-testid="product-parent">
            <option value="">— none —</option>
            {parents.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name} ({p.code})
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Accounting code</span>
          <input
            type="text"
            value={form.accountingCode}
            placeholder="optional, e.g. 4000"
            onChange={set("accountingCode")}
            data-testid="product-accounting-code"
          />
        </label>
        <label className="field field-wide">
          <span>Description</span>
          <input
            type="text"
            value={form.description}
            onChange={set("description")}
            data-testid="product-description"
          />
        </label>
      </div>
      <p className="muted small">
        A plan's invoice line names the product by its code; invoices group their lines by product.
      </p>
      {save.isError && <ErrorBox error={save.error} title="Not saved." testId="product-error" />}
      <FormActions
        onCancel={onClose}
        label={product ? "Save product" : "Create product"}
        busyLabel="Saving…"
        busy={save.isPending}
        testId="save-product"
      />
    </Dialog>
  );
}

/** The catalog, parents before their sub-products (indented). */
function ordered(products: Product[]): { product: Product; depth: number }[] {
  const byParent = new Map<string | null, Product[]>();
  const ids = new Set(products.map((p) => p.id));
  for (const p of products) {
    const parent = p.parentId && ids.has(p.parentId) ? p.parentId : null;
    byParent.set(parent, [...(byParent.get(parent) ?? []), p]);
  }
  const out: { product: Product; depth: number }[] = [];
  const walk = (parent: string | null, depth: number) => {
    for (const p of byParent.get(parent) ?? []) {
      out.push({ product: p, depth });
      walk(p.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

/** The product catalog: what plans' invoice lines sell and invoices group by. */
export function ProductsPage() {
  const can = useCan();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<Product | "new" | null>(null);
  const products = useQuery({ queryKey: ["products"], queryFn: ({ signal }) => productsApi.list(signal) });
  const remove = useMutation({
    mutationFn: (id: string) => productsApi.remove(id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["products"] }),
  });
  const rows = products.data?.data ?? [];
  const writable = can("POST /v1/products");
  return (
    <div className="page ops-page">
      <PageHeader title="Products" subtitle="What your plans sell: products, sub-products and add-ons.">
        {writable && (
          <div className="ops-actions">
            <button
              type="button"
              className="btn btn-primary"
              onClick={() => setEditing("new")}
              data-testid="new-product"
            >
              New product
            </button>
          </div>
        )}
      </PageHeader>
      {products.isError && <ErrorBox error={products.error} title="Could not load products." />}
      {remove.isError && <ErrorBox error={remove.error} title="Not deleted." testId="product-delete-error" />}
      {products.isLoading && <Loading what="products" />}
      {products.isSuccess && rows.length === 0 && (
        <EmptyState title="No products yet" testId="products-empty">
          Add the products you sell; a plan's invoice line then picks one.
        </EmptyState>
      )}
      {rows.length > 0 && (
        <table className="data-table" data-testid="products-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Code</th>
              <th>Sold as</th>
              <th>Accounting code</th>
              <th>Description</th>
              {writable && <th aria-label="Actions" />}
            </tr>
          </thead>
          <tbody>
            {ordered(rows).map(({ product: p, depth }) => (
              <tr key={p.id} data-testid={`product-row-${p.code}`}>
                <td style={{ paddingLeft: `${0.75 + depth * 1.25}rem` }}>
                  {depth > 0 && <span className="muted">↳ </span>}
                  {p.name}
                </td>
                <td className="ops-mono">{p.code}</td>
                <td>{kindLabel[p.kind]}</td>
                <td className="ops-mono">{p.accountingCode ?? <span className="muted">—</span>}</td>
                <td>{p.description ?? <span className="muted">—</span>}</td>
                {writable && (
                  <td className="ops-actions">
                    <button
                      type="button"
                      className="btn btn-small"
                      onClick={() => setEditing(p)}
                      data-testid={`edit-product-${p.code}`}
                    >
                      Edit
                    </button>
                    <button
                      type="button"
                      className="btn btn-small danger"
                      disabled={remove.isPending}
                      onClick={() => remove.mutate(p.id)}
                      data-testid={`delete-product-${p.code}`}
                    >
                      Delete
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing && (
        <ProductDialog
          product={editing === "new" ? null : editing}
          catalog={rows}
          onClose={() => setEditing(null)}
        />
      )}
    </div>
  );
}
