import type { RenewalPolicy } from "@pricegraph/shared";
import { and, asc, desc, eq, inArray, isNotNull, isNull, type SQL, sql } from "drizzle-orm";
import { type Db, queryRows } from "../../db/index.ts";
import {
  contractComponents,
  contractCreditGrants,
  contractPhases,
  contractSettings,
  contracts,
  customers,
} from "../../db/schema/index.ts";
import { textArrayLiteral } from "../usage/aggregate.ts";

export type ContractRow = typeof contracts.$inferSelect;
export type CreditGrantRow = typeof contractCreditGrants.$inferSelect;
export type PhaseRow = typeof contractPhases.$inferSelect;

export async function insertContract(db: Db, row: ContractRow, grants: CreditGrantRow[]): Promise<void> {
  await db.insert(contracts).values(row);
  if (grants.length) await db.insert(contractCreditGrants).values(grants);
}

export async function contractById(db: Db, tenantId: string, id: string): Promise<ContractRow | null> {
  const rows = await db
    .select()
    .from(contracts)
    .where(and(eq(contracts.tenantId, tenantId), eq(contracts.id, id)));
  return rows[0] ?? null;
}

/** Sets the contract's last day served (null: open-ended). */
export async function setContractEnd(db: Db, tenantId: string, id: string, endDate: string | null) {
  const [row] = await db
    .update(contracts)
    .set({ endDate })
    .where(and(eq(contracts.tenantId, tenantId), eq(contracts.id, id)))
    .returning();
  return row;
}

export async function setContractRenewal(
  db: Db,
  tenantId: string,
  id: string,
  changes: { termMonths: number | null; renewalPolicy: RenewalPolicy | null; endDate: string | null },
) {
  const [row] = await db
    .update(contracts)
    .set(changes)
    .where(and(eq(contracts.tenantId, tenantId), eq(contracts.id, id)))
    .returning();
  return row;
}

export async function tenantRenewalPolicy(db: Db, tenantId: string): Promise<RenewalPolicy | null> {
  const rows = await db.select().from(contractSettings).where(eq(contractSettings.tenantId, tenantId));
  return rows[0]?.renewalPolicy ?? null;
}

export async function upsertContractSettings(
  db: Db,
  tenantId: string,
  renewalPolicy: RenewalPolicy,
  now: Date,
) {
  await db
    .insert(contractSettings)
    .values({ tenantId, renewalPolicy, updatedAt: now })
    .onConflictDoUpdate({ target: contractSettings.tenantId, set: { renewalPolicy, updatedAt: now } });
}

/**
 * Contracts of every tenant with a term ending between two dates, with the customer's zone and the tenant's
 * default renewal policy: the renewal job's sweep (it then renews each in its own tenant's transaction).
 */
export async function contractsWithTermsEnding(db: Db, from: string, to: string) {
  return db
    .select({
      contract: contracts,
      timezone: customers.timezone,
      tenantPolicy: contractSettings.renewalPolicy,
    })
    .from(contracts)
    .innerJoin(
      customers,
      and(eq(customers.tenantId, contracts.tenantId), eq(customers.id, contracts.customerId)),
    )
    .leftJoin(contractSettings, eq(contractSettings.tenantId, contracts.tenantId))
    .where(
      and(
        sql`${contracts.termMonths} IS NOT NULL`,
        sql`${contracts.endDate} BETWEEN ${from}::date AND ${to}::date`,
      ),
    )
    .orderBy(asc(contracts.endDate), asc(contracts.id));
}

/** Phases of the given contracts, of the base plan (`componentId` null) or of the add-ons. */
function phaseRows(db: Db, tenantId: string, contractIds: readonly string[], of: "base" | "addOns") {
  return db
    .select()
    .from(contractPhases)
    .where(
      and(
        eq(contractPhases.tenantId, tenantId),
        inArray(contractPhases.contractId, [...contractIds]),
        of === "base" ? isNull(contractPhases.componentId) : isNotNull(contractPhases.componentId),
      ),
    )
    .orderBy(
      asc(contractPhases.contractId),
      asc(contractPhases.componentId),
      asc(contractPhases.effectiveDate),
    );
}

/** The amendment phases of the given contracts' base plans, by contract then effective date. */
export async function phasesOf(
  db: Db,
  tenantId: string,
  contractIds: readonly string[],
): Promise<PhaseRow[]> {
  return contractIds.length === 0 ? [] : phaseRows(db, tenantId, contractIds, "base");
}

/** The amendment phases of the given contracts' add-ons, by contract, add-on, then effective date. */
export async function addOnPhasesOf(
  db: Db,
  tenantId: string,
  contractIds: readonly string[],
): Promise<PhaseRow[]> {
  return contractIds.length === 0 ? [] : phaseRows(db, tenantId, contractIds, "addOns");
}

export async function insertPhase(db: Db, row: PhaseRow, grants: CreditGrantRow[]): Promise<void> {
  await db.insert(contractPhases).values(row);
  if (grants.length) await db.insert(contractCreditGrants).values(grants);
}

export async function grantsOf(db: Db, tenantId: string, contractIds: string[]): Promise<CreditGrantRow[]> {
  if (contractIds.length === 0) return [];
  return db
    .select()
    .from(contractCreditGrants)
    .where(
      and(eq(contractCreditGrants.tenantId, tenantId), inArray(contractCreditGrants.contractId, contractIds)),
    )
    .orderBy(asc(contractCreditGrants.contractId), asc(contractCreditGrants.position));
}

export async function listContracts(
  db: Db,
  tenantId: string,
  options: { customerId?: string; planId?: string; limit: number; after: [string, string] | null },
): Promise<ContractRow[]> {
  const conditions: SQL[] = [eq(contracts.tenantId, tenantId)];
  if (options.customerId !== undefined) conditions.push(eq(contracts.customerId, options.customerId));
  if (options.planId !== undefined) conditions.push(eq(contracts.planId, options.planId));
  if (options.after) {
    conditions.push(
      sql`(${contracts.createdAt}, ${contracts.id}) < (${options.after[0]}::timestamptz, ${options.after[1]})`,
    );
  }
  return db
    .select()
    .from(contracts)
    .where(and(...conditions))
    .orderBy(desc(contracts.createdAt), desc(contracts.id))
    .limit(options.limit + 1);
}

/**
 * Serializes billing work per contract across transactions and server processes (transaction-scoped advisory
 * locks, taken in one sorted order so overlapping batches cannot deadlock). Billing, invoices and credits all
 * take it before they change what a contract is billed or holds. One transaction takes all its contract locks in
 * one call, before any other lock: a second call for contracts it does not hold yet could wait in a cycle with a
 * transaction that holds them and waits for the first (see docs/billing.md, "Lock order"). Re-taking a lock the
 * transaction holds is free.
 */
export async function lockContracts(db: Db, contractIds: readonly string[]): Promise<void> {
  if (contractIds.length === 0) return;
  await db.execute(sql`SELECT pg_advisory_xact_lock(k) FROM (
      SELECT DISTINCT hashtextextended('pricegraph.contract:' || id, 0) AS k
      FROM unnest(${textArrayLiteral([...contractIds])}::text[]) AS id ORDER BY k) AS keys ORDER BY k`);
}

/** Of the given contracts, those whose lock (`lockContracts`) this transaction does not hold. */
export async function contractsNotLockedHere(db: Db, contractIds: readonly string[]): Promise<string[]> {
  if (contractIds.length === 0) return [];
  // An advisory lock on a bigint key shows in pg_locks as its high and low 32 bits (classid, objid), objsubid 1.
  const rows = await queryRows<{ id: string }>(
    db,
    sql`SELECT id FROM unnest(${textArrayLiteral([...contractIds])}::text[]) AS id
      WHERE NOT EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.pid = pg_backend_pid()
        AND l.granted AND l.objsubid = 1
        AND ((l.classid::bigint << 32) | l.objid::bigint) = hashtextextended('pricegraph.contract:' || id, 0))`,
  );
  return rows.map((r) => r.id);
}

export type ComponentRow = typeof contractComponents.$inferSelect;

export async function insertComponents(
  db: Db,
  components: ComponentRow[],
  grants: CreditGrantRow[],
): Promise<void> {
  if (components.length) await db.insert(contractComponents).values(components);
  if (grants.length) await db.insert(contractCreditGrants).values(grants);
}

/** The add-ons of the given contracts, in the order they were added. */
export async function componentsOf(
  db: Db,
  tenantId: string,
  contractIds: readonly string[],
): Promise<ComponentRow[]> {
  if (contractIds.length === 0) return [];
  return db
    .select()
    .from(contractComponents)
    .where(
      and(
        eq(contractComponents.tenantId, tenantId),
        inArray(contractComponents.contractId, [...contractIds]),
      ),
    )
    .orderBy(asc(contractComponents.contractId), asc(contractComponents.position));
}

/** Sets an add-on's last day served (null: as long as the contract). */
export async function setComponentEnd(db: Db, tenantId: string, id: string, endDate: string | null) {
  const [row] = await db
    .update(contractComponents)
    .set({ endDate })
    .where(and(eq(contractComponents.tenantId, tenantId), eq(contractComponents.id, id)))
    .returning();
  return row;
}
