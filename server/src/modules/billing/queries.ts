import type { PlanDocument } from "@pricegraph/shared";
import { and, asc, eq, inArray, or } from "drizzle-orm";
import type { Db } from "../../db/index.ts";
import { contracts, customers, planVersions } from "../../db/schema/index.ts";
import {
  addOnPhasesOf,
  type ComponentRow,
  componentsOf,
  type PhaseRow,
  phasesOf,
} from "../contracts/queries.ts";

export interface ContractContextRow {
  contract: typeof contracts.$inferSelect;
  externalId: string;
  timezone: string;
  document: PlanDocument;
  /** The phases after the first (amendments), by effective date, each with its plan version's document. */
  phases: (PhaseRow & { document: PlanDocument })[];
  /**
   * The contract's add-ons, each with its plan version's document and its phases after the first (amendments of
   * the add-on, by effective date, each with its document); none when absent.
   */
  addOns?: (ComponentRow & { document: PlanDocument; phases?: (PhaseRow & { document: PlanDocument })[] })[];
}

/** The given contracts and every other contract of their customers (consolidated invoicing bills them together). */
export async function siblingContractIds(
  db: Db,
  tenantId: string,
  ids: readonly string[],
): Promise<string[]> {
  if (ids.length === 0) return [];
  const customersOf = db
    .select({ id: contracts.customerId })
    .from(contracts)
    .where(and(eq(contracts.tenantId, tenantId), inArray(contracts.id, [...ids])));
  const rows = await db
    .select({ id: contracts.id })
    .from(contracts)
    .where(and(eq(contracts.tenantId, tenantId), inArray(contracts.customerId, customersOf)))
    .orderBy(asc(contracts.id));
  return rows.map((r) => r.id);
}

/** Contracts with what billing needs of them: the customer's time zone and the plan version's document. */
export async function contractContexts(
  db: Db,
  tenantId: string,
  ids: readonly string[],
): Promise<ContractContextRow[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select({
      contract: contracts,
      externalId: customers.externalId,
      timezone: customers.timezone,
      document: planVersions.document,
    })
    .from(contracts)
    .innerJoin(customers, and(eq(customers.tenantId, tenantId), eq(customers.id, contracts.customerId)))
    .innerJoin(
      planVersions,
      and(
        eq(planVersions.tenantId, tenantId),
        eq(planVersions.planId, contracts.planId),
        eq(planVersions.version, contracts.planVersion),
      ),
    )
    .where(and(eq(contracts.tenantId, tenantId), inArray(contracts.id, [...ids])))
    .orderBy(asc(contracts.id));
  const phases = await phasesOf(db, tenantId, ids);
  const addOns = await componentsOf(db, tenantId, ids);
  if (phases.length === 0 && addOns.length === 0)
    return rows.map((row) => ({ ...row, phases: [], addOns: [] }));
  const addOnPhases = addOns.length ? await addOnPhasesOf(db, tenantId, ids) : [];
  const documents = await versionDocuments(db, tenantId, [...phases, ...addOns, ...addOnPhases]);
  const withDocument = <T extends { planId: string; planVersion: number }>(item: T) => ({
    ...item,
    document: documents.get(`${item.planId}\u0000${item.planVersion}`) as PlanDocument,
  });
  return rows.map((row) => ({
    ...row,
    phases: phases.filter((phase) => phase.contractId === row.contract.id).map(withDocument),
    addOns: addOns
      .filter((addOn) => addOn.contractId === row.contract.id)
      .map((addOn) => ({
        ...withDocument(addOn),
        phases: addOnPhases.filter((phase) => phase.componentId === addOn.id).map(withDocument),
      })),
  }));
}

/** The documents of the plan versions the phases name, by `planId\0version`. */
async function versionDocuments(
  db: Db,
  tenantId: string,
  phases: readonly { planId: string; planVersion: number }[],
): Promise<Map<string, PlanDocument>> {
  const wanted = [...new Map(phases.map((p) => [`${p.planId}\u0000${p.planVersion}`, p])).values()];
  const rows = await db
    .select({ planId: planVersions.planId, version: planVersions.version, document: planVersions.document })
    .from(planVersions)
    .where(
      and(
        eq(planVersions.tenantId, tenantId),
        or(
          ...wanted.map((p) =>
            and(eq(planVersions.planId, p.planId), eq(planVersions.version, p.planVersion)),
          ),
        ),
      ),
    );
  return new Map(rows.map((r) => [`${r.planId}\u0000${r.version}`, r.document]));
}
