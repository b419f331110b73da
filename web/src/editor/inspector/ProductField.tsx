import { useEffect, useState } from "react";
import { type Product, productsApi } from "../../api/products.ts";
import { TextInput } from "./FieldInputs.tsx";
import type { FormApi } from "./formApi.ts";

/**
 * An invoice line's `product`: picked from the catalog, stored as the product's code (the plan document keeps
 * its plain string). A code the catalog does not hold stays selectable, so older plans keep their value; when
 * the catalog cannot be read, the field is free text as before.
 */
export function ProductField({ value, api, label }: { value: unknown; api: FormApi; label: string }) {
  const [catalog, setCatalog] = useState<Product[] | "unavailable" | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    productsApi
      .list(controller.signal)
      .then((page) => setCatalog(page.data))
      .catch(() => {
        if (!controller.signal.aborted) setCatalog("unavailable");
      });
    return () => controller.abort();
  }, []);
  const code = typeof value === "string" ? value : "";
  if (catalog === "unavailable") {
    return (
      <TextInput
        value={code}
        onCommit={(next) => api.set(["product"], next === "" ? undefined : next)}
        testId="field-product"
        label={label}
        readOnly={api.readOnly}
      />
    );
  }
  const known = catalog?.some((p) => p.code === code) ?? false;
  return (
    <select
      value={code}
      aria-label={label}
      data-testid="field-product"
      disabled={api.readOnly || catalog === null}
      onChange={(e) => api.set(["product"], e.target.value === "" ? undefined : e.target.value)}
    >
      <option value="">— no product —</option>
      {code !== "" && !known && <option value={code}>{code} (not in the catalog)</option>}
      {(catalog ?? []).map((p) => (
        <option key={p.id} value={p.code}>
          {p.name} ({p.code}){p.kind === "add_on" ? " · add-on" : ""}
        </option>
      ))}
    </select>
  );
}
