import { createHash, randomBytes } from "node:crypto";
import type { Caller, Deps } from "../../context.ts";
import type { Db } from "../../db/index.ts";
import { notFound, unauthorized } from "../../http/errors.ts";
import { recordActivity } from "../activity/service.ts";
import { requireCustomer } from "../customers/service.ts";
import {
  insertPortalLink,
  type PortalLinkRow,
  portalLinkByHash,
  portalLinksOf,
  revokePortalLink,
} from "./queries.ts";

export const PORTAL_TOKEN_PREFIX = "pgp_";

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export function toPortalLink(row: PortalLinkRow, now: Date) {
  return {
    id: row.id,
    customerId: row.customerId,
    expiresAt: row.expiresAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
    active: row.revokedAt === null && row.expiresAt.getTime() > now.getTime(),
    createdAt: row.createdAt.toISOString(),
  };
}

/**
 * A new portal link for one customer: `url` carries a random token shown in this answer only (the database keeps
 * its sha256). The link opens that customer's read-only portal until `expiresAt` or until it is revoked.
 */
export async function createPortalLink(
  deps: Deps,
  caller: Caller,
  customerId: string,
  options: { expiresInHours: number; origin: string },
) {
  await requireCustomer(deps.db, caller.tenantId, customerId, "params.id");
  const now = deps.clock();
  const token = `${PORTAL_TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
  const row: PortalLinkRow = {
    id: deps.ids("ptl"),
    tenantId: caller.tenantId,
    customerId,
    tokenHash: hashToken(token),
    expiresAt: new Date(now.getTime() + options.expiresInHours * 3_600_000),
    revokedAt: null,
    createdAt: now,
  };
  await deps.db.transaction(async (tx) => {
    await insertPortalLink(tx as Db, row);
    await recordActivity(deps, tx as Db, caller, {
      type: "portal_link.created",
      objectId: row.id,
      object: toPortalLink(row, now),
    });
  });
  return { ...toPortalLink(row, now), url: `${options.origin}/portal/${token}` };
}

export async function listPortalLinks(deps: Deps, tenantId: string, customerId: string) {
  await requireCustomer(deps.db, tenantId, customerId, "params.id");
  const now = deps.clock();
  return { data: (await portalLinksOf(deps.db, tenantId, customerId)).map((row) => toPortalLink(row, now)) };
}

export async function revokeLink(deps: Deps, caller: Caller, customerId: string, id: string) {
  const now = deps.clock();
  const row = await deps.db.transaction(async (tx) => {
    const result = await revokePortalLink(tx as Db, caller.tenantId, customerId, id, now);
    if (!result) throw notFound("Portal link", [{ path: "params.linkId", message: `no portal link ${id}` }]);
    if (result.revokedNow) {
      await recordActivity(deps, tx as Db, caller, {
        type: "portal_link.revoked",
        objectId: id,
        object: toPortalLink(result.row, now),
      });
    }
    return result.row;
  });
  return toPortalLink(row, now);
}

/** The tenant and customer a portal token opens, or 401 when it is unknown, expired or revoked. */
export async function authenticatePortalToken(
  deps: Pick<Deps, "db" | "clock">,
  token: string,
): Promise<{ tenantId: string; customerId: string; expiresAt: Date }> {
  const row =
    token.startsWith(PORTAL_TOKEN_PREFIX) && token.length < 200
      ? await portalLinkByHash(deps.db, hashToken(token))
      : null;
  if (!row) throw unauthorized("This portal link is not valid");
  if (row.revokedAt) throw unauthorized("This portal link has been revoked");
  if (row.expiresAt.getTime() <= deps.clock().getTime()) throw unauthorized("This portal link has expired");
  return { tenantId: row.tenantId, customerId: row.customerId, expiresAt: row.expiresAt };
}
