import type { PlanDocument } from "@pricegraph/shared";
import { and, asc, eq, inArray } from "drizzle-orm";
import type { Db } from "../../db/index.ts";
import { contracts, customers, planVersions } from "../../db/schema/index.ts";

export interface ContractContextRow {
  contract: typeof contracts.$inferSelect;
  externalId: string;
  timezone: string;
  document: PlanDocument;
}

/** Contracts with what billing needs of them: the customer's time zone and the plan version's document. */
export async function contractContexts(
  db: Db,
  tenantId: string,
  ids: readonly string[],
): Promise<ContractContextRow[]> {
  if (ids.length === 0) return [];
  return db
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
}
