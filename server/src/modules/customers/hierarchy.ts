import type { Deps } from "../../context.ts";
import type { Db } from "../../db/index.ts";
import { validationFailed } from "../../http/errors.ts";
import { closeParentLink, customerById, insertParentLink, lockHierarchy } from "./queries.ts";

/** A hierarchy this deep is a mistake, not an organisation chart; it also bounds the walk below. */
export const MAX_HIERARCHY_DEPTH = 10;

const PATH = "$.parentId";

/**
 * Checks that `parentId` can be the parent of `customerId` now: it exists, is not the customer, and the
 * customer is not among its ancestors (that would make a cycle); the chain stays at most MAX_HIERARCHY_DEPTH.
 * Callers hold the hierarchy lock, so no concurrent move can slip a cycle in between.
 */
async function checkParent(db: Db, tenantId: string, customerId: string, parentId: string): Promise<void> {
  if (parentId === customerId)
    throw validationFailed([{ path: PATH, message: "a customer cannot be its own parent" }]);
  let current: string | null = parentId;
  for (let depth = 1; current !== null; depth++) {
    if (depth > MAX_HIERARCHY_DEPTH)
      throw validationFailed([
        { path: PATH, message: `account hierarchies are at most ${MAX_HIERARCHY_DEPTH} levels deep` },
      ]);
    const row = await customerById(db, tenantId, current);
    if (!row) throw validationFailed([{ path: PATH, message: `no customer ${current}` }]);
    if (row.parentId === customerId)
      throw validationFailed([
        {
          path: PATH,
          message: "is a child account of this customer (directly or further down): that would be a cycle",
        },
      ]);
    current = row.parentId;
  }
}

/**
 * Places a customer under `parentId` (or detaches it, with null) in the caller's transaction. A new customer
 * is linked since always — its events, earlier ones included, count toward the parent. An existing customer's
 * move takes effect at `at`: events timestamped before it stay where they were.
 */
export async function setParent(
  deps: Pick<Deps, "ids">,
  tx: Db,
  tenantId: string,
  customer: { id: string; parentId: string | null },
  parentId: string | null,
  at: Date,
  options: { isNew: boolean },
): Promise<void> {
  if (customer.parentId === parentId) return;
  await lockHierarchy(tx, tenantId);
  if (parentId !== null) await checkParent(tx, tenantId, customer.id, parentId);
  if (!options.isNew) await closeParentLink(tx, tenantId, customer.id, at);
  if (parentId === null) return;
  await insertParentLink(tx, {
    id: deps.ids("cpl"),
    tenantId,
    customerId: customer.id,
    parentId,
    validFrom: options.isNew ? null : at,
    validTo: null,
    createdAt: at,
  });
}
