import type { Caller, Deps } from "../../context.ts";
import { systemCaller } from "../../context.ts";
import type { Db } from "../../db/index.ts";
import { conflict, notFound } from "../../http/errors.ts";
import { recordActivity } from "../activity/service.ts";
import { requireCustomer } from "../customers/service.ts";
import { listReceivables, type ReceivableRow } from "../receivables/queries.ts";
import {
  type CampaignRow,
  campaignsOf,
  deleteCampaign,
  dunningHistory,
  insertReminder,
  remindersOf,
  TENANT_CAMPAIGN,
  tenantsWithCampaigns,
  upsertCampaign,
} from "./queries.ts";

export interface Campaign {
  enabled: boolean;
  overdueDays: number;
  intervalDays: number;
  maxAttempts: number;
}

export const DEFAULT_CAMPAIGN: Campaign = { enabled: false, overdueDays: 3, intervalDays: 7, maxAttempts: 3 };

const toCampaign = (row: CampaignRow | undefined): Campaign =>
  row
    ? {
        enabled: row.enabled,
        overdueDays: row.overdueDays,
        intervalDays: row.intervalDays,
        maxAttempts: row.maxAttempts,
      }
    : DEFAULT_CAMPAIGN;

export async function getCampaign(db: Db, tenantId: string, customerId = TENANT_CAMPAIGN) {
  const rows = await campaignsOf(db, tenantId);
  const own = rows.find((r) => r.customerId === customerId);
  const tenant = toCampaign(rows.find((r) => r.customerId === TENANT_CAMPAIGN));
  return customerId === TENANT_CAMPAIGN
    ? { ...tenant, customerId: null, inherited: false }
    : { ...(own ? toCampaign(own) : tenant), customerId, inherited: !own };
}

/** Sets the tenant's campaign, or a customer's own (`null` for a customer: back to the tenant's). */
export async function putCampaign(
  deps: Deps,
  caller: Caller,
  campaign: Campaign | null,
  customerId = TENANT_CAMPAIGN,
) {
  if (customerId !== TENANT_CAMPAIGN) await requireCustomer(deps.db, caller.tenantId, customerId);
  if (campaign === null) await deleteCampaign(deps.db, caller.tenantId, customerId);
  else
    await upsertCampaign(deps.db, {
      tenantId: caller.tenantId,
      customerId,
      ...campaign,
      updatedAt: deps.clock(),
    });
  return getCampaign(deps.db, caller.tenantId, customerId);
}

function reminderObject(r: ReceivableRow, source: "dunning" | "manual", attempt: number) {
  return {
    invoiceId: r.invoice_id,
    number: r.number,
    customerId: r.customer_id,
    currency: r.currency,
    dueDate: r.due_date,
    outstanding: r.outstanding,
    daysOverdue: Math.max(0, r.days_overdue),
    source,
    attempt,
  };
}

/** "Request payment" by hand: a reminder e-mail for an invoice with something outstanding, overdue or not. */
export async function requestPayment(deps: Deps, caller: Caller, invoiceId: string) {
  return deps.db.transaction(async (tx) => {
    const db = tx as Db;
    const [r] = await listReceivables(db, caller.tenantId, deps.clock(), { invoiceIds: [invoiceId] });
    if (!r) throw notFound("Invoice", [{ path: "params.id", message: "no finalized invoice with this id" }]);
    if (r.payment_status === "paid") {
      throw conflict(`Invoice ${r.number} is paid`, [{ path: "params.id", message: "nothing outstanding" }]);
    }
    await insertReminder(db, {
      id: deps.ids("rem"),
      tenantId: caller.tenantId,
      invoiceId,
      source: "manual",
      attempt: 0,
      createdAt: deps.clock(),
    });
    const object = reminderObject(r, "manual", 0);
    await recordActivity(deps, db, caller, {
      type: "payment_reminder.requested",
      objectId: invoiceId,
      object,
    });
    return object;
  });
}

export async function reminderHistory(deps: Deps, tenantId: string, invoiceId: string) {
  return {
    data: (await remindersOf(deps.db, tenantId, invoiceId)).map((r) => ({
      id: r.id,
      source: r.source,
      attempt: r.attempt,
      createdAt: r.createdAt.toISOString(),
    })),
  };
}

/**
 * One dunning pass over every tenant with a campaign: each open invoice at least `overdueDays` past due gets its
 * next reminder when it has had fewer than `maxAttempts` and the last was `intervalDays` or more ago. Paid
 * invoices are no longer open, so reminders stop by themselves. Returns how many reminders were requested.
 */
export async function runDunning(deps: Deps): Promise<number> {
  const now = deps.clock();
  let requested = 0;
  for (const tenantId of await tenantsWithCampaigns(deps.db)) {
    const campaigns = await campaignsOf(deps.db, tenantId);
    const tenant = campaigns.find((c) => c.customerId === TENANT_CAMPAIGN);
    const history = await dunningHistory(deps.db, tenantId);
    const overdue = await listReceivables(deps.db, tenantId, now, { paymentStatus: "overdue" });
    for (const r of overdue) {
      const campaign = campaigns.find((c) => c.customerId === r.customer_id) ?? tenant;
      if (!campaign?.enabled || r.days_overdue < campaign.overdueDays) continue;
      const past = history.get(r.invoice_id) ?? { count: 0, last: new Date(0) };
      if (past.count >= campaign.maxAttempts) continue;
      if (past.count > 0 && now.getTime() - past.last.getTime() < campaign.intervalDays * 86_400_000)
        continue;
      const attempt = past.count + 1;
      await deps.db.transaction(async (tx) => {
        const inserted = await insertReminder(tx as Db, {
          id: deps.ids("rem"),
          tenantId,
          invoiceId: r.invoice_id,
          source: "dunning",
          attempt,
          createdAt: now,
        });
        if (!inserted) return;
        requested += 1;
        await recordActivity(deps, tx as Db, systemCaller(tenantId, "dunning"), {
          type: "payment_reminder.requested",
          objectId: r.invoice_id,
          object: reminderObject(r, "dunning", attempt),
        });
      });
    }
  }
  return requested;
}
