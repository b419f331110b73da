import type { Alert, AlertFiring, CreateAlert } from "@pricegraph/shared/api";
import type { Caller, Deps } from "../../context.ts";
import type { Db } from "../../db/index.ts";
import { notFound, validationFailed } from "../../http/errors.ts";
import { decodeCursor, toPage } from "../../http/pagination.ts";
import { recordActivity } from "../activity/service.ts";
import { customerById } from "../customers/queries.ts";
import { metricsByKeys } from "../metrics/queries.ts";
import {
  type AlertRow,
  alertById,
  deleteAlert,
  type FiringRow,
  insertAlert,
  listAlerts,
  listFirings,
} from "./queries.ts";

export function toAlert(row: AlertRow): Alert {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as Alert["kind"],
    metricKey: row.metricKey,
    customerId: row.customerId,
    thresholds: row.thresholds,
    createdAt: row.createdAt.toISOString(),
  };
}

export function toFiring(firing: FiringRow, alert: AlertRow): AlertFiring {
  return {
    id: firing.id,
    alertId: alert.id,
    alertName: alert.name,
    kind: alert.kind,
    metricKey: alert.metricKey,
    customerId: firing.customerId,
    contractId: firing.contractId,
    periodStart: firing.periodStart.toISOString(),
    threshold: firing.threshold,
    value: firing.value,
    firedAt: firing.firedAt.toISOString(),
  };
}

export async function listTenantAlerts(deps: Deps, tenantId: string) {
  return { data: (await listAlerts(deps.db, tenantId)).map(toAlert) };
}

export async function getAlert(deps: Deps, tenantId: string, id: string) {
  const row = await alertById(deps.db, tenantId, id);
  if (!row) throw notFound("Alert", [{ path: "params.id", message: `no alert ${id}` }]);
  return toAlert(row);
}

export async function createAlert(deps: Deps, caller: Caller, input: CreateAlert) {
  const { tenantId } = caller;
  if (input.customerId && !(await customerById(deps.db, tenantId, input.customerId))) {
    throw validationFailed([{ path: "$.customerId", message: `no customer ${input.customerId}` }]);
  }
  if (input.metricKey && (await metricsByKeys(deps.db, tenantId, [input.metricKey])).length === 0) {
    throw validationFailed([{ path: "$.metricKey", message: `no metric ${input.metricKey}` }]);
  }
  const row: AlertRow = {
    id: deps.ids("alr"),
    tenantId,
    name: input.name,
    kind: input.kind,
    metricKey: input.metricKey ?? null,
    customerId: input.customerId ?? null,
    // Ascending and each once, so the list reads like the order they fire in.
    thresholds: [...new Set(input.thresholds)].sort((a, b) => Number(a) - Number(b)),
    createdAt: deps.clock(),
  };
  await deps.db.transaction(async (tx) => {
    await insertAlert(tx as Db, row);
    await recordActivity(deps, tx as Db, caller, {
      type: "alert.created",
      objectId: row.id,
      object: toAlert(row),
    });
  });
  return toAlert(row);
}

export async function removeAlert(deps: Deps, caller: Caller, id: string) {
  const row = await deps.db.transaction(async (tx) => {
    const row = await deleteAlert(tx as Db, caller.tenantId, id);
    if (!row) throw notFound("Alert", [{ path: "params.id", message: `no alert ${id}` }]);
    await recordActivity(deps, tx as Db, caller, {
      type: "alert.deleted",
      objectId: row.id,
      object: toAlert(row),
    });
    return row;
  });
  return toAlert(row);
}

export async function pageOfFirings(
  deps: Deps,
  tenantId: string,
  query: { alertId?: string; customerId?: string; limit: number; cursor?: string },
) {
  const before = decodeCursor(query.cursor, 2) as [string, string] | null;
  const rows = await listFirings(deps.db, tenantId, { ...query, before });
  return toPage(
    rows,
    query.limit,
    (r) => [r.firing.firedAt.toISOString(), r.firing.id],
    (r) => toFiring(r.firing, r.alert),
  );
}
