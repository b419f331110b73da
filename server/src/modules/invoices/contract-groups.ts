import { Decimal, fixed } from "@pricegraph/engine";
import { minorUnits } from "@pricegraph/shared";
import type { InvoiceContractGroup } from "@pricegraph/shared/api";
import type { Db } from "../../db/index.ts";
import { contractPlanNames, type InvoiceRow } from "./queries.ts";

/**
 * An invoice's lines grouped by the contract they bill, the invoice's contracts in order (its lead first). A
 * consolidated invoice has several groups; every other invoice has one. Each group names its contract's base
 * plan, so a reader sees which contract (and plan) a line came from.
 */
export async function contractGroupsOf(
  db: Db,
  invoice: InvoiceRow,
  contractIds: readonly string[],
  lines: readonly { id: string; contractId: string; amount: string }[],
): Promise<InvoiceContractGroup[]> {
  const { tenantId, currency } = invoice;
  const plans = await contractPlanNames(db, tenantId, contractIds);
  const priced = (invoice.usage as { contracts?: Record<string, { planId?: string; planVersion?: number }> })
    .contracts;
  return contractIds.map((contractId) => {
    const own = lines.filter((line) => line.contractId === contractId);
    const plan = plans.get(contractId);
    // The version that priced the contract's lines: the invoice's own for its lead, stored per member otherwise.
    const version =
      contractId === invoice.contractId
        ? { planId: invoice.planId, planVersion: invoice.planVersion }
        : (priced?.[contractId] ?? {});
    return {
      contractId,
      planId: version.planId ?? plan?.planId ?? null,
      planVersion: version.planVersion ?? null,
      planName: plan?.planName ?? null,
      lineIds: own.map((line) => line.id),
      amount: fixed(
        own.reduce((sum, line) => sum.plus(line.amount), new Decimal(0)),
        minorUnits(currency),
      ),
    };
  });
}
