import { and, asc, eq, inArray, type SQL } from "drizzle-orm";
import type { Db } from "../../db/index.ts";
import { contracts, customers } from "../../db/schema/index.ts";

export interface PlanContractRow {
  id: string;
  customerId: string;
  customerName: string;
  timezone: string;
  /** The first phase's version (the contract's own terms); amendments may have moved it since. */
  planVersion: number;
  startDate: string;
  endDate: string | null;
  billingPeriod: (typeof contracts.$inferSelect)["billingPeriod"];
  paramOverrides: Record<string, string>;
}

/** The plan's contracts, with the customer's name and time zone, in id order (their phases are read apart). */
export async function contractsOnPlan(
  db: Db,
  tenantId: string,
  planId: string,
  options: { ids?: readonly string[] } = {},
): Promise<PlanContractRow[]> {
  const conditions: SQL[] = [eq(contracts.tenantId, tenantId), eq(contracts.planId, planId)];
  if (options.ids) conditions.push(inArray(contracts.id, [...options.ids]));
  return db
    .select({
      id: contracts.id,
      customerId: contracts.customerId,
      customerName: customers.name,
      timezone: customers.timezone,
      planVersion: contracts.planVersion,
      startDate: contracts.startDate,
      endDate: contracts.endDate,
      billingPeriod: contracts.billingPeriod,
      paramOverrides: contracts.paramOverrides,
    })
    .from(contracts)
    .innerJoin(customers, and(eq(customers.tenantId, tenantId), eq(customers.id, contracts.customerId)))
    .where(and(...conditions))
    .orderBy(asc(contracts.id));
}
