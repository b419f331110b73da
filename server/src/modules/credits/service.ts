import { Decimal } from "@pricegraph/engine";
import type { CreateGrant } from "@pricegraph/shared/api";
import type { Caller, Deps } from "../../context.ts";
import type { Db } from "../../db/index.ts";
import { notFound, validationFailed } from "../../http/errors.ts";
import { recordActivity } from "../activity/service.ts";
import { contractById, lockContracts } from "../contracts/queries.ts";
import { type GrantBalance, grantStates, type PriorDraw } from "./draws.ts";
import {
  deleteDrawsOfInvoice,
  drawnByLine,
  drawsOfLines,
  type GrantRow,
  grantBalances,
  insertGrant,
  insertLedgerRows,
  type LedgerRow,
  ledgerOfContract,
  netDrawsOfInvoice,
  nextGrantPosition,
} from "./queries.ts";

async function requireContract(db: Db, tenantId: string, id: string) {
  const contract = await contractById(db, tenantId, id);
  if (!contract) throw notFound("Contract", [{ path: "params.id", message: "no contract with this id" }]);
  return contract;
}

function toGrant(row: Pick<GrantRow, "id" | "pool" | "amount" | "expiresAt">, balance: string, now: Date) {
  return {
    id: row.id,
    pool: row.pool,
    amount: row.amount,
    balance: new Decimal(balance).toString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    expired: row.expiresAt !== null && row.expiresAt.getTime() <= now.getTime(),
  };
}

/** Adds a grant to a contract; later invoices draw from it (earliest-expiring grant of a pool first). */
export async function createGrant(deps: Deps, caller: Caller, contractId: string, body: CreateGrant) {
  const { tenantId } = caller;
  await requireContract(deps.db, tenantId, contractId);
  if (new Decimal(body.amount).lte(0))
    throw validationFailed([{ path: "$.amount", message: "must be greater than 0" }]);
  return deps.db.transaction(async (tx) => {
    await lockContracts(tx as Db, [contractId]);
    const row = await insertGrant(tx as Db, {
      id: deps.ids("grant"),
      tenantId,
      contractId,
      position: await nextGrantPosition(tx as Db, tenantId, contractId),
      pool: body.pool,
      amount: body.amount,
      expiresAt: body.expiresAt ? new Date(body.expiresAt) : null,
      componentId: null,
      phaseId: null,
    });
    const grant = toGrant(row, row.amount, deps.clock());
    await recordActivity(deps, tx as Db, caller, {
      type: "credit_grant.created",
      objectId: row.id,
      object: { ...grant, contractId },
    });
    return grant;
  });
}

/** Balances per pool as of now (expired grants no longer count), each grant, and the ledger. */
export async function contractCredits(deps: Deps, tenantId: string, contractId: string) {
  await requireContract(deps.db, tenantId, contractId);
  const now = deps.clock();
  const grants = await grantBalances(deps.db, tenantId, [contractId]);
  const ledger = await ledgerOfContract(deps.db, tenantId, contractId);
  const pools = new Map<string, Decimal>();
  const grantViews = grants.map((g) => {
    const view = toGrant(g, g.balance, now);
    if (!pools.has(g.pool)) pools.set(g.pool, new Decimal(0));
    if (!view.expired) pools.set(g.pool, (pools.get(g.pool) as Decimal).plus(g.balance));
    return view;
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

/** Every grant of the contracts with its current balance, per contract (what billing draws from). */
export async function grantsOfContracts(
  db: Db,
  tenantId: string,
  contractIds: readonly string[],
): Promise<Map<string, GrantBalance[]>> {
  // The base plan's grants: add-ons draw only their own (grantsOfAddOns).
  return grantStates((await grantBalances(db, tenantId, contractIds)).filter((g) => g.componentId === null));
}

/** Every grant of the contracts' add-ons with its current balance, per add-on (contract component id). */
export async function grantsOfAddOns(
  db: Db,
  tenantId: string,
  contractIds: readonly string[],
): Promise<Map<string, GrantBalance[]>> {
  const rows = (await grantBalances(db, tenantId, contractIds)).filter((g) => g.componentId !== null);
  // grantStates groups by contract: give it the add-on's id in that place.
  return grantStates(rows.map((g) => ({ ...g, contractId: g.componentId as string })));
}

/** Credit the given invoice lines drew, net of returns, per grant and the node of the line. */
export async function priorDraws(db: Db, tenantId: string, lineIds: readonly string[]): Promise<PriorDraw[]> {
  const rows = await drawsOfLines(db, tenantId, lineIds);
  return rows.map((d) => ({
    grantId: d.grantId,
    pool: d.pool,
    nodeId: d.nodeId,
    amount: new Decimal(d.drawn),
  }));
}

/** Writes credit draws (the caller holds the contracts' locks, in its transaction). */
export async function recordDraws(tx: Db, rows: readonly LedgerRow[]): Promise<void> {
  if (rows.length) await insertLedgerRows(tx, rows);
}

/** Removes a draft invoice's draws before it is recomputed. */
export async function dropDrawsOf(tx: Db, tenantId: string, invoiceId: string): Promise<void> {
  await deleteDrawsOfInvoice(tx, tenantId, invoiceId);
}

/** Credit drawn per line of an invoice (positive), net of reversals. */
export const creditsDrawnByLine = drawnByLine;

/** Gives back every credit an invoice drew (voiding it): one reversal per grant and line. */
export async function giveBackDrawsOf(
  deps: Pick<Deps, "ids">,
  tx: Db,
  tenantId: string,
  invoiceId: string,
  now: Date,
): Promise<void> {
  const rows = await netDrawsOfInvoice(tx, tenantId, invoiceId);
  const reversals: LedgerRow[] = rows
    .filter((r) => !new Decimal(r.amount).isZero())
    .map((r) => ({
      id: deps.ids("cl"),
      tenantId,
      contractId: r.contractId,
      grantId: r.grantId,
      pool: r.pool,
      kind: "reversal",
      amount: new Decimal(r.amount).negated().toString(),
      invoiceId,
      invoiceLineId: r.lineId,
      createdAt: now,
    }));
  await recordDraws(tx, reversals);
}
