import { Decimal } from "@pricegraph/engine";
import type { CreateGrant } from "@pricegraph/shared/api";
import { and, asc, eq, sql } from "drizzle-orm";
import type { Deps } from "../../context.ts";
import type { Db } from "../../db/index.ts";
import { contractCreditGrants, creditLedger } from "../../db/schema/index.ts";
import { notFound, validationFailed } from "../../http/errors.ts";
import { grantBalances, lockContracts } from "../billing/queries.ts";
import { contractById } from "../contracts/queries.ts";

async function requireContract(db: Db, tenantId: string, id: string) {
  const contract = await contractById(db, tenantId, id);
  if (!contract) throw notFound("Contract", [{ path: "params.id", message: "no contract with this id" }]);
  return contract;
}

/** Adds a grant to a contract; later invoices draw from it (earliest-expiring grant of a pool first). */
export async function createGrant(deps: Deps, tenantId: string, contractId: string, body: CreateGrant) {
  await requireContract(deps.db, tenantId, contractId);
  if (new Decimal(body.amount).lte(0))
    throw validationFailed([{ path: "$.amount", message: "must be greater than 0" }]);
  const row = await deps.db.transaction(async (tx) => {
    await lockContracts(tx, [contractId]);
    const [{ next }] = await tx
      .select({ next: sql<number>`coalesce(max(${contractCreditGrants.position}), -1) + 1` })
      .from(contractCreditGrants)
      .where(
        and(eq(contractCreditGrants.tenantId, tenantId), eq(contractCreditGrants.contractId, contractId)),
      );
    const inserted = await tx
      .insert(contractCreditGrants)
      .values({
        id: deps.ids("grant"),
        tenantId,
        contractId,
        position: Number(next),
        pool: body.pool,
        amount: body.amount,
        expiresAt: body.expiresAt ? new Date(body.expiresAt) : null,
      })
      .returning();
    return inserted[0];
  });
  return {
    id: row.id,
    pool: row.pool,
    amount: row.amount,
    balance: row.amount,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    expired: false,
  };
}

/** Balances per pool as of now (expired grants no longer count), each grant, and the ledger. */
export async function contractCredits(deps: Deps, tenantId: string, contractId: string) {
  await requireContract(deps.db, tenantId, contractId);
  const now = deps.clock();
  const grants = await grantBalances(deps.db, tenantId, [contractId]);
  const ledger = await deps.db
    .select()
    .from(creditLedger)
    .where(and(eq(creditLedger.tenantId, tenantId), eq(creditLedger.contractId, contractId)))
    .orderBy(asc(creditLedger.createdAt), asc(creditLedger.id));
  const pools = new Map<string, Decimal>();
  const grantViews = grants.map((g) => {
    const expired = g.expiresAt !== null && g.expiresAt.getTime() <= now.getTime();
    if (!pools.has(g.pool)) pools.set(g.pool, new Decimal(0));
    if (!expired) pools.set(g.pool, (pools.get(g.pool) as Decimal).plus(g.balance));
    return {
      id: g.id,
      pool: g.pool,
      amount: g.amount,
      balance: new Decimal(g.balance).toString(),
      expiresAt: g.expiresAt?.toISOString() ?? null,
      expired,
    };
  });
  return {
    contractId,
    asOf: now.toISOString(),
    pools: [...pools.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([pool, balance]) => ({ pool, balance: balance.toString() })),
    grants: grantViews,
    ledger: ledger.map((e) => ({
      id: e.id,
      grantId: e.grantId,
      pool: e.pool,
      kind: e.kind,
      amount: e.amount,
      invoiceId: e.invoiceId,
      invoiceLineId: e.invoiceLineId,
      createdAt: e.createdAt.toISOString(),
    })),
  };
}
