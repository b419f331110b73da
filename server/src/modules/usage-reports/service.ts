import { sql } from "drizzle-orm";
import { systemCaller } from "../../context.ts";
import { type Db, queryRows } from "../../db/index.ts";
import { recordActivity } from "../activity/service.ts";
import type { BillingDeps } from "../billing/context.ts";
import { usageReport } from "../billing/report.ts";
import { lockCustomerReceivables } from "../receivables/queries.ts";

const DAY_MS = 86_400_000;

interface OptedIn {
  tenant_id: string;
  customer_id: string;
  usage_reports: "weekly" | "monthly";
  contract_id: string;
  last_sent: string | null;
}

/**
 * Customers who opted in, with their latest contract running at `now` (its end date is the last day served).
 * Contract dates are local dates in the customer's time zone, so "today" is the customer's own (east of UTC a
 * contract's first day begins before the UTC date turns).
 */
async function optedIn(db: Db, now: Date): Promise<OptedIn[]> {
  const today = sql`(${now.toISOString()}::timestamptz AT TIME ZONE cu.timezone)::date`;
  return queryRows<OptedIn>(
    db,
    sql`SELECT DISTINCT ON (b.customer_id) b.tenant_id, b.customer_id, b.usage_reports, c.id AS contract_id,
        (SELECT max(a.created_at)::text FROM activity a WHERE a.tenant_id = b.tenant_id
           AND a.object_id = b.customer_id AND a.type = 'usage_report.due') AS last_sent
      FROM customer_billing b
      JOIN customers cu ON cu.tenant_id = b.tenant_id AND cu.id = b.customer_id
      JOIN contracts c ON c.tenant_id = b.tenant_id AND c.customer_id = b.customer_id
        AND c.start_date <= ${today} AND (c.end_date IS NULL OR c.end_date >= ${today})
      WHERE b.usage_reports <> 'off'
      ORDER BY b.customer_id, c.start_date DESC, c.id`,
  );
}

/** Weekly: 7 days after the last one. Monthly: once per calendar month (UTC). The first one at once. */
export function reportDue(schedule: "weekly" | "monthly", last: Date | null, now: Date): boolean {
  if (!last) return true;
  if (schedule === "weekly") return now.getTime() - last.getTime() >= 7 * DAY_MS;
  return last.toISOString().slice(0, 7) !== now.toISOString().slice(0, 7);
}

/** The report as plain text lines: usage per line, free units used and remaining. */
function usageText(report: Awaited<ReturnType<typeof usageReport>>): string {
  const lines = report.lines.map(
    (l) => `- ${l.description}: ${l.quantity ?? "—"} → ${report.currency} ${l.amount}`,
  );
  const free = report.freeUnits.map(
    (f) =>
      `- ${f.label ?? f.metric ?? f.nodeId}: ${f.used} used, ${f.free} of them free` +
      (f.remaining === null ? "" : `, ${f.remaining} free remaining`),
  );
  return [...lines, ...(free.length ? ["Free units:", ...free] : [])].join("\n") || "- no usage yet";
}

/**
 * Usage reports to customers who opted in (weekly or monthly): each due report is a `usage_report.due` record
 * holding the report's text (usage so far, free units used and remaining, the period's total so far), which the
 * e-mail consumer sends. Runs on each pass of the e-mail job. Returns how many reports were due.
 */
export async function runUsageReports(deps: BillingDeps): Promise<number> {
  const now = deps.clock();
  let count = 0;
  for (const customer of await optedIn(deps.db, now)) {
    if (!reportDue(customer.usage_reports, customer.last_sent ? new Date(customer.last_sent) : null, now))
      continue;
    const report = await usageReport(deps, customer.tenant_id, customer.contract_id, {}).catch(() => null);
    if (!report) continue; // a plan that cannot be evaluated has no report to send
    const recorded = await deps.db.transaction(async (tx) => {
      const db = tx as Db;
      // Two workers at once: the second sees the first one's record and stops.
      await lockCustomerReceivables(db, customer.customer_id);
      const [again] = await queryRows<{ last: string | null }>(
        db,
        sql`SELECT max(created_at)::text AS last FROM activity WHERE tenant_id = ${customer.tenant_id}
          AND object_id = ${customer.customer_id} AND type = 'usage_report.due'`,
      );
      if (!reportDue(customer.usage_reports, again?.last ? new Date(again.last) : null, now)) return false;
      await recordActivity(deps, db, systemCaller(customer.tenant_id, "usage-reports"), {
        type: "usage_report.due",
        objectId: customer.customer_id,
        object: {
          customerId: customer.customer_id,
          contractId: customer.contract_id,
          schedule: customer.usage_reports,
          period: `${report.period.startDate} to ${report.period.today}`,
          usage: usageText(report),
          currency: report.currency,
          total: report.total,
        },
      });
      return true;
    });
    if (recorded) count += 1;
  }
  return count;
}
