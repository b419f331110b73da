import type { UpdateBillingSettings } from "@pricegraph/shared/api";
import type { Caller, Deps } from "../../context.ts";
import type { Db } from "../../db/index.ts";
import { recordActivity } from "../activity/service.ts";
import { billingSettingsOf, upsertBillingSettings } from "./queries.ts";

/**
 * The tenant's billing settings: how long a period's draft waits for late events before it finalizes itself,
 * whether (and at which UTC hour) billing runs start by themselves after a period closes, and whether a customer's
 * contracts share one invoice per period.
 */
export async function billingSettings(deps: Pick<Deps, "db">, tenantId: string) {
  return billingSettingsOf(deps.db, tenantId);
}

/** Settings left out of the body keep their value. */
export async function updateBillingSettings(deps: Deps, caller: Caller, input: UpdateBillingSettings) {
  return deps.db.transaction(async (tx) => {
    const current = await billingSettingsOf(tx as Db, caller.tenantId);
    const settings = {
      gracePeriodHours: input.gracePeriodHours ?? current.gracePeriodHours,
      scheduledRuns: input.scheduledRuns ?? current.scheduledRuns,
      scheduledRunHour: input.scheduledRunHour ?? current.scheduledRunHour,
      // Applies to invoices created from now on: existing drafts keep the contracts they bill.
      invoiceConsolidation: input.invoiceConsolidation ?? current.invoiceConsolidation,
    };
    await upsertBillingSettings(tx as Db, caller.tenantId, settings, deps.clock());
    await recordActivity(deps, tx as Db, caller, {
      type: "settings.updated",
      objectId: caller.tenantId,
      object: settings,
    });
    return settings;
  });
}
