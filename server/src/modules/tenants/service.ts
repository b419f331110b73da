import { createHash } from "node:crypto";
import { type Deps, randomBase62, randomIds, systemCaller, systemClock } from "../../context.ts";
import type { Db } from "../../db/index.ts";
import { recordActivity } from "../activity/service.ts";
import { countTenants, firstTenantNamed, insertApiKey, insertTenant, tenantIdForKeyHash } from "./queries.ts";

export const API_KEY_PREFIX = "pg_live_";

export function hashApiKey(apiKey: string): string {
  return createHash("sha256").update(apiKey).digest("hex");
}

export function generateApiKey(): string {
  return API_KEY_PREFIX + randomBase62(32);
}

type TenantDeps = Pick<Deps, "db"> & Partial<Pick<Deps, "clock" | "ids">>;

/** Keys made while setting a tenant up (admin CLI, demo start) are the system's doing, not a caller's. */
async function addKey(deps: TenantDeps, tenantId: string, apiKey: string, name: string): Promise<void> {
  const ids = deps.ids ?? randomIds;
  const clock = deps.clock ?? systemClock;
  const row = {
    id: ids("key"),
    tenantId,
    keyHash: hashApiKey(apiKey),
    prefix: apiKey.slice(0, API_KEY_PREFIX.length + 4),
    name,
    role: "admin",
    createdAt: clock(),
  };
  await deps.db.transaction(async (tx) => {
    await insertApiKey(tx as Db, row);
    const { keyHash: _hash, tenantId: _tenant, ...key } = { ...row, revokedAt: null };
    await recordActivity({ clock, ids }, tx as Db, systemCaller(tenantId, "tenant-setup"), {
      type: "api_key.created",
      objectId: row.id,
      object: key,
    });
  });
}

/** A new tenant and its first API key; the key is returned once and only its hash is stored. */
export async function createTenant(
  deps: TenantDeps,
  name: string,
  apiKey: string = generateApiKey(),
): Promise<{ tenantId: string; apiKey: string }> {
  const ids = deps.ids ?? randomIds;
  const tenantId = ids("ten");
  await deps.db.transaction(async (tx) => {
    const txDeps = { ...deps, db: tx as Db };
    await insertTenant(tx as Db, { id: tenantId, name, createdAt: (deps.clock ?? systemClock)() });
    await addKey(txDeps, tenantId, apiKey, "default");
  });
  return { tenantId, apiKey };
}

export interface DemoTenant {
  tenantId: string;
  /** Set when a key was created by this call (the caller prints it). */
  apiKey: string | null;
  created: boolean;
}

/**
 * On an empty database, create the "Demo" tenant with `apiKey` (or a random key). When `apiKey` is given and
 * unknown on a non-empty database, it is attached to the Demo tenant, so `DEMO_API_KEY` always works.
 */
export async function ensureDemoTenant(
  db: Db,
  options: { apiKey?: string; clock?: () => Date; ids?: (prefix: string) => string } = {},
): Promise<DemoTenant> {
  const deps = { db, clock: options.clock, ids: options.ids };
  if ((await countTenants(db)) === 0) {
    const { tenantId, apiKey } = await createTenant(deps, "Demo", options.apiKey);
    return { tenantId, apiKey, created: true };
  }
  const existing = await firstTenantNamed(db, "Demo");
  if (options.apiKey) {
    const owner = await tenantIdForKeyHash(db, hashApiKey(options.apiKey));
    if (owner) return { tenantId: owner, apiKey: null, created: false };
    if (existing) {
      await addKey(deps, existing, options.apiKey, "demo");
      return { tenantId: existing, apiKey: options.apiKey, created: false };
    }
    const { tenantId, apiKey } = await createTenant(deps, "Demo", options.apiKey);
    return { tenantId, apiKey, created: true };
  }
  return { tenantId: existing ?? "", apiKey: null, created: false };
}
