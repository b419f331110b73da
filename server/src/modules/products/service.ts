import type { CreateProduct, ListProductsQuery, Product, UpdateProduct } from "@pricegraph/shared/api";
import type { Caller, Deps } from "../../context.ts";
import type { Db } from "../../db/index.ts";
import { conflict, notFound, validationFailed } from "../../http/errors.ts";
import { decodeCursor, toPage } from "../../http/pagination.ts";
import { recordActivity } from "../activity/service.ts";
import {
  childProducts,
  deleteProduct,
  insertProduct,
  listProducts,
  type ProductRow,
  productById,
  productsByCodes,
  updateProduct,
} from "./queries.ts";

/** Products nest at most this deep (a product, its sub-products, theirs…): an invoice groups by them. */
const MAX_DEPTH = 5;

export function toProduct(row: ProductRow): Product {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    description: row.description,
    accountingCode: row.accountingCode,
    parentId: row.parentId,
    kind: row.kind,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

async function requireProduct(db: Db, tenantId: string, id: string): Promise<ProductRow> {
  const row = await productById(db, tenantId, id);
  if (!row) throw notFound("Product", [{ path: "params.id", message: `no product ${id}` }]);
  return row;
}

/**
 * Checks a product's new parent: it exists, is not the product itself nor one of its sub-products (no cycle),
 * and the chain stays at most MAX_DEPTH long.
 */
async function checkParent(db: Db, tenantId: string, productId: string, parentId: string): Promise<void> {
  const path = "$.parentId";
  let current: string | null = parentId;
  for (let depth = 1; current !== null; depth++) {
    if (current === productId)
      throw validationFailed([{ path, message: "a product cannot be its own sub-product (cycle)" }]);
    if (depth > MAX_DEPTH)
      throw validationFailed([{ path, message: `products nest at most ${MAX_DEPTH} levels deep` }]);
    const row: ProductRow | null = await productById(db, tenantId, current);
    if (!row) throw validationFailed([{ path, message: `no product ${current}` }]);
    current = row.parentId;
  }
}

export async function createProduct(deps: Deps, caller: Caller, input: CreateProduct): Promise<Product> {
  const now = deps.clock();
  const row: ProductRow = {
    id: deps.ids("prod"),
    tenantId: caller.tenantId,
    code: input.code,
    name: input.name,
    description: input.description ?? null,
    accountingCode: input.accountingCode || null,
    parentId: input.parentId ?? null,
    kind: input.kind,
    createdAt: now,
    updatedAt: now,
  };
  return deps.db.transaction(async (txn) => {
    const tx = txn as Db;
    if (row.parentId) await checkParent(tx, caller.tenantId, row.id, row.parentId);
    const inserted = await insertProduct(tx, row);
    if (!inserted)
      throw conflict(`A product with code "${input.code}" already exists`, [
        { path: "$.code", message: "already exists" },
      ]);
    const product = toProduct(inserted);
    await recordActivity(deps, tx, caller, { type: "product.created", objectId: row.id, object: product });
    return product;
  });
}

export async function getProduct(deps: Deps, tenantId: string, id: string): Promise<Product> {
  return toProduct(await requireProduct(deps.db, tenantId, id));
}

export async function pageOfProducts(deps: Deps, tenantId: string, query: ListProductsQuery) {
  const after = decodeCursor(query.cursor, 1);
  const rows = await listProducts(deps.db, tenantId, { ...query, afterCode: after ? after[0] : null });
  return toPage(rows, query.limit, (row) => [row.code], toProduct);
}

export async function patchProduct(
  deps: Deps,
  caller: Caller,
  id: string,
  input: UpdateProduct,
): Promise<Product> {
  const changes: Partial<ProductRow> = { updatedAt: deps.clock() };
  if (input.name !== undefined) changes.name = input.name;
  if (input.description !== undefined) changes.description = input.description;
  if (input.accountingCode !== undefined) changes.accountingCode = input.accountingCode || null;
  if (input.parentId !== undefined) changes.parentId = input.parentId;
  if (input.kind !== undefined) changes.kind = input.kind;
  return deps.db.transaction(async (txn) => {
    const tx = txn as Db;
    await requireProduct(tx, caller.tenantId, id);
    if (changes.parentId) await checkParent(tx, caller.tenantId, id, changes.parentId);
    const row = await updateProduct(tx, caller.tenantId, id, changes);
    if (!row) throw notFound("Product", [{ path: "params.id", message: `no product ${id}` }]);
    const product = toProduct(row);
    await recordActivity(deps, tx, caller, { type: "product.updated", objectId: id, object: product });
    return product;
  });
}

/**
 * Deletes a product without sub-products. Plans and invoices that name its code keep the code: an invoice line
 * stores the code as billed, and a plan naming a code no longer in the catalog still compiles.
 */
export async function removeProduct(deps: Deps, caller: Caller, id: string): Promise<Product> {
  return deps.db.transaction(async (txn) => {
    const tx = txn as Db;
    await requireProduct(tx, caller.tenantId, id);
    const children = await childProducts(tx, caller.tenantId, id, 3);
    if (children.length)
      throw conflict("The product has sub-products; move or delete them first", [
        { path: "params.id", message: `sub-products: ${children.map((c) => c.code).join(", ")}` },
      ]);
    const row = await deleteProduct(tx, caller.tenantId, id);
    if (!row) throw notFound("Product", [{ path: "params.id", message: `no product ${id}` }]);
    const product = toProduct(row);
    await recordActivity(deps, tx, caller, { type: "product.deleted", objectId: id, object: product });
    return product;
  });
}

/** Catalog products by code, for the codes invoice lines name (codes not in the catalog are left out). */
export async function productsNamed(db: Db, tenantId: string, codes: readonly string[]) {
  const rows = await productsByCodes(db, tenantId, [...new Set(codes)]);
  return new Map(rows.map((row) => [row.code, row]));
}
