import { type CompiledPlan, Decimal, type InvoiceLineOutput } from "@pricegraph/engine";
import type { Db } from "../../db/index.ts";
import type { InvoiceLineAccount } from "../../db/schema/index.ts";
import type { AccountUsage } from "../usage/aggregate.ts";
import { usageByAccountForPeriod } from "../usage/service.ts";
import type { ContractContext } from "./context.ts";

/** Per metric key, the usage of each account whose events count toward the customer. */
export type AccountUsageByMetric = Record<string, AccountUsage[]>;

/** The metrics a line's amount comes from: those of the usage nodes its explanation walks through. */
function metricsOfLine(plan: CompiledPlan, line: InvoiceLineOutput): Set<string> {
  const keys = new Set<string>();
  for (const entry of line.explanation) {
    if (entry.type !== "usage") continue;
    const metric = (plan.nodesById.get(entry.nodeId)?.data as { metric?: unknown } | undefined)?.metric;
    if (typeof metric === "string") keys.add(metric);
  }
  return keys;
}

/**
 * A line split by the accounts whose usage it bills: each account's usage of the line's metric, and the line's
 * amount apportioned by usage share in whole minor units (largest remainder, ties to the earlier account), so
 * the parts always add up to the line. Nothing when the line reads no metric or several, when no usage came
 * from child accounts, or when there is no usage to share by (a fee charged on zero usage is the customer's).
 */
export function splitLineByAccount(
  plan: CompiledPlan,
  line: InvoiceLineOutput,
  usage: AccountUsageByMetric | undefined,
): InvoiceLineAccount[] {
  if (!usage) return [];
  const metrics = metricsOfLine(plan, line);
  if (metrics.size !== 1) return [];
  const parts = usage[[...metrics][0]] ?? [];
  if (parts.length === 0) return [];
  const values = parts.map((p) => new Decimal(p.value));
  if (values.some((v) => v.isNegative())) return [];
  const total = values.reduce((sum, v) => sum.plus(v), new Decimal(0));
  if (total.isZero()) return [];
  const scale = new Decimal(10).pow(plan.minorUnits);
  const amount = new Decimal(line.amount);
  const units = amount.abs().times(scale); // whole minor units: lines are rounded to them
  const exact = values.map((v) => units.times(v).dividedBy(total));
  const shares = exact.map((x) => x.floor());
  let left = units.minus(shares.reduce((sum, s) => sum.plus(s), new Decimal(0))).toNumber();
  const order = exact
    .map((x, i) => ({ i, fraction: x.minus(x.floor()) }))
    .sort((a, b) => b.fraction.comparedTo(a.fraction) || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    shares[i] = shares[i].plus(1);
    left--;
  }
  const signed = (share: Decimal) => (amount.isNegative() && !share.isZero() ? share.negated() : share);
  return parts.map((part, i) => ({
    customerId: part.customerId,
    externalId: part.externalId,
    quantity: part.value,
    amount: signed(shares[i]).dividedBy(scale).toFixed(plan.minorUnits),
  }));
}

/**
 * Usage per child account for the same requests as `usageFor` (undefined where the customer has no child
 * accounts): what the lines of customers with child accounts are split by. Nothing is queried for a tenant
 * without account hierarchies.
 */
export async function accountUsageFor(
  db: Db,
  tenantId: string,
  items: readonly { ctx: ContractContext; start: Date; end: Date; plan: CompiledPlan }[],
): Promise<(AccountUsageByMetric | undefined)[]> {
  const out: (AccountUsageByMetric | undefined)[] = items.map(() => undefined);
  const groups = new Map<string, number[]>();
  items.forEach((item, index) => {
    const key = `${item.start.getTime()}|${item.end.getTime()}|${JSON.stringify(item.plan.metrics)}`;
    groups.set(key, [...(groups.get(key) ?? []), index]);
  });
  for (const list of groups.values()) {
    const { start, end, plan } = items[list[0]];
    const usage = await usageByAccountForPeriod(db, tenantId, {
      customerIds: [...new Set(list.map((i) => items[i].ctx.row.contract.customerId))],
      from: start,
      to: end,
      metrics: plan.metrics,
    });
    if (usage.size === 0) continue;
    for (const i of list) out[i] = usage.get(items[i].ctx.row.contract.customerId);
  }
  return out;
}
