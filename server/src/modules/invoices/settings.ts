import type { Caller, Deps } from "../../context.ts";
import type { Db } from "../../db/index.ts";
import { recordActivity } from "../activity/service.ts";
import { gracePeriodHours, upsertGracePeriod } from "./queries.ts";

/** The tenant's billing settings: how long a period's draft waits for late events before it finalizes itself. */
export async function billingSettings(deps: Pick<Deps, "db">, tenantId: string) {
  return { gracePeriodHours: await gracePeriodHours(deps.db, tenantId) };
}

export async function updateBillingSettings(deps: Deps, caller: Caller, input: { gracePeriodHours: number }) {
  return deps.db.transaction(async (tx) => {
    await upsertGracePeriod(tx as Db, caller.tenantId, input.gracePeriodHours, deps.clock());
    const settings = { gracePeriodHours: input.gracePeriodHours };
    await recordActivity(deps, tx as Db, caller, {
      type: "settings.updated",
      objectId: caller.tenantId,
      object: settings,
    });
    return settings;
  });
}
