import { Decimal, fixed } from "@pricegraph/engine";
import { minorUnits } from "@pricegraph/shared";
import type { InvoiceProductGroup } from "@pricegraph/shared/api";
import type { Db } from "../../db/index.ts";
import { productById } from "../products/queries.ts";
import { productsNamed } from "../products/service.ts";

/**
 * An invoice's lines grouped by the product they name (an invoice line node's `product`, a catalog code), in
 * the order each product first appears. A code the catalog does not hold (a plan written before the catalog,
 * or a product deleted since) is its own group named by the code; lines naming none form "Other".
 */
export async function productGroupsOf(
  db: Db,
  tenantId: string,
  currency: string,
  lines: readonly { id: string; product: string | null; amount: string }[],
): Promise<InvoiceProductGroup[]> {
  const codes = lines.map((l) => l.product).filter((code): code is string => code !== null);
  const catalog = await productsNamed(db, tenantId, codes);
  const parents = new Map<string, string>();
  for (const product of catalog.values()) parents.set(product.id, product.code);
  const missingParents = [...catalog.values()].filter((p) => p.parentId && !parents.has(p.parentId));
  if (missingParents.length) {
    // Parents not on the invoice: looked up one by one (an invoice names a handful of products).
    for (const product of missingParents) {
      const parent = await productById(db, tenantId, product.parentId!);
      if (parent) parents.set(parent.id, parent.code);
    }
  }
  const groups = new Map<string | null, { group: InvoiceProductGroup; sum: Decimal }>();
  for (const line of lines) {
    let entry = groups.get(line.product);
    if (!entry) {
      const product = line.product === null ? undefined : catalog.get(line.product);
      entry = {
        group: {
          product: line.product,
          name: product?.name ?? line.product ?? "Other",
          accountingCode: product?.accountingCode ?? null,
          parentProduct: product?.parentId ? (parents.get(product.parentId) ?? null) : null,
          lineIds: [],
          amount: "0",
        },
        sum: new Decimal(0),
      };
      groups.set(line.product, entry);
    }
    entry.group.lineIds.push(line.id);
    entry.sum = entry.sum.plus(line.amount);
  }
  return [...groups.values()].map(({ group, sum }) => ({
    ...group,
    amount: fixed(sum, minorUnits(currency)),
  }));
}
