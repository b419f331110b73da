import { addDays, formatLocalDate, localDateOf, startOfLocalDay } from "@pricegraph/shared";
import type { Deps } from "../../context.ts";
import type { Db } from "../../db/index.ts";
import { validationFailed } from "../../http/errors.ts";
import { hasParentLinks } from "../customers/queries.ts";
import { requireCustomer } from "../customers/service.ts";
import { allMetrics, metricsByKeys } from "../metrics/queries.ts";
import {
  type AccountUsage,
  type AggregationRequest,
  aggregateUsage,
  aggregateUsageByAccount,
  aggregateUsageByDay,
  type UsageValue,
} from "./aggregate.ts";

export interface MetricUsageRequest {
  key: string;
  /** Dimensions to group by (a plan's usage node may ask for its own); absent or empty → one total. */
  groupBy?: string[];
}

/**
 * Usage per customer for the metrics a plan reads, over [from, to): one SQL statement for all customers and
 * metrics. Keys without a metric definition are left out (the engine treats missing usage as 0 with a warning).
 * Billing calls this for every contract of a period at once.
 */
export async function usageForPeriod(
  db: Db,
  tenantId: string,
  options: { customerIds: readonly string[]; from: Date; to: Date; metrics: readonly MetricUsageRequest[] },
): Promise<Map<string, Record<string, UsageValue>>> {
  const defs = new Map(
    (await metricsByKeys(db, tenantId, [...new Set(options.metrics.map((m) => m.key))])).map((m) => [
      m.key,
      m,
    ]),
  );
  const wanted = options.metrics.filter((m) => defs.has(m.key));
  const requests: AggregationRequest[] = wanted.map((m) => ({
    metric: defs.get(m.key)!,
    groupBy: m.groupBy ?? null,
  }));
  const results = await aggregateUsage(db, tenantId, { ...options, requests });
  const usage = new Map<string, Record<string, UsageValue>>();
  for (const id of options.customerIds) {
    usage.set(id, Object.fromEntries(wanted.map((m, index) => [m.key, results[index].get(id)!])));
  }
  return usage;
}

/**
 * Usage of the metrics a plan reads split by child account, for those of `customerIds` that have child accounts
 * (the others are left out): customer id → metric key → accounts. Billing stores it with the invoice's lines.
 */
export async function usageByAccountForPeriod(
  db: Db,
  tenantId: string,
  options: { customerIds: readonly string[]; from: Date; to: Date; metrics: readonly MetricUsageRequest[] },
): Promise<Map<string, Record<string, AccountUsage[]>>> {
  if (!(await hasParentLinks(db, tenantId))) return new Map();
  const keys = [...new Set(options.metrics.map((m) => m.key))];
  const defs = await metricsByKeys(db, tenantId, keys);
  const requests: AggregationRequest[] = defs.map((metric) => ({ metric, groupBy: null }));
  const results = await aggregateUsageByAccount(db, tenantId, { ...options, requests });
  const out = new Map<string, Record<string, AccountUsage[]>>();
  results.forEach((byCustomer, index) => {
    for (const [customerId, accounts] of byCustomer) {
      const record = out.get(customerId) ?? {};
      record[defs[index].key] = accounts;
      out.set(customerId, record);
    }
  });
  return out;
}

/** Every metric of the tenant for one customer: the total, and the groups when the metric has dimensions. */
export async function customerUsage(
  deps: Deps,
  tenantId: string,
  customerId: string,
  query: { from?: string; to?: string },
) {
  await requireCustomer(deps.db, tenantId, customerId);
  const now = deps.clock();
  const from = query.from
    ? new Date(query.from)
    : new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const to = query.to
    ? new Date(query.to)
    : new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  if (from > to) throw validationFailed([{ path: "query.from", message: "must not be after `to`" }]);
  const metrics = await allMetrics(deps.db, tenantId);
  const requests: AggregationRequest[] = [];
  for (const metric of metrics) {
    requests.push({ metric, groupBy: null });
    if (metric.groupBy.length) requests.push({ metric, groupBy: metric.groupBy });
  }
  const results = await aggregateUsage(deps.db, tenantId, { customerIds: [customerId], from, to, requests });
  let index = 0;
  const values = metrics.map((metric) => {
    const value = results[index++].get(customerId) as string;
    if (!metric.groupBy.length) return { key: metric.key, value };
    const groups = results[index++].get(customerId) as { group: Record<string, string>; value: string }[];
    return { key: metric.key, value, groups };
  });
  return { from: from.toISOString(), to: to.toISOString(), metrics: values };
}

/** A year and a bit: enough for any billing period's chart. */
export const MAX_DAYS = 400;

/**
 * Every metric of the tenant for one customer, per calendar day of the customer's time zone over [from, to):
 * what the customer page's daily charts draw, in one request. The first and last days are cut at `from` and
 * `to` when those are not local midnights.
 */
export async function customerDailyUsage(
  deps: Deps,
  tenantId: string,
  customerId: string,
  query: { from: string; to: string },
) {
  const customer = await requireCustomer(deps.db, tenantId, customerId);
  const from = new Date(query.from);
  const to = new Date(query.to);
  if (from > to) throw validationFailed([{ path: "query.from", message: "must not be after `to`" }]);
  const zone = customer.timezone;
  const dates: string[] = [];
  const starts: Date[] = [];
  for (let date = localDateOf(from, zone); ; date = addDays(date, 1)) {
    const start = dates.length === 0 ? from : startOfLocalDay(date, zone);
    if (start >= to) break;
    if (dates.length === MAX_DAYS) {
      throw validationFailed([{ path: "query.to", message: `at most ${MAX_DAYS} days after \`from\`` }]);
    }
    dates.push(formatLocalDate(date));
    starts.push(start);
  }
  const metrics = await allMetrics(deps.db, tenantId);
  const values = await aggregateUsageByDay(deps.db, tenantId, {
    customerId,
    days: starts,
    to,
    requests: metrics.map((metric) => ({ metric, groupBy: null })),
  });
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    timezone: zone,
    days: dates.map((date, day) => ({
      date,
      metrics: metrics.map((metric, index) => ({ key: metric.key, value: values[index][day] })),
    })),
  };
}
