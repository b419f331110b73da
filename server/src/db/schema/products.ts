import { type ProductKind, productKinds } from "@pricegraph/shared";
import { foreignKey, index, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { tenants } from "./tenants.ts";

export { type ProductKind, productKinds };

/**
 * The product catalog: what invoice lines are sold as. Plans name a product by `code` (an invoice line node's
 * `product`), so the code is unique per tenant and never changes; a sub-product names its parent product.
 */
export const products = pgTable(
  "products",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    code: text("code").notNull(),
    name: text("name").notNull(),
    description: text("description"),
    accountingCode: text("accounting_code"),
    parentId: text("parent_id"),
    kind: text("kind").$type<ProductKind>().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [
    uniqueIndex("products_tenant_code_uq").on(t.tenantId, t.code),
    index("products_tenant_parent_idx").on(t.tenantId, t.parentId),
    foreignKey({ columns: [t.parentId], foreignColumns: [t.id] }),
  ],
);
