import { randomBytes } from "node:crypto";
import type { Db } from "./db/index.ts";

/** What services need besides their input: the database, the clock and the id generator (injected for tests). */
export interface Deps {
  db: Db;
  clock: () => Date;
  ids: (prefix: string) => string;
}

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** `length` random base62 characters (rejection sampling keeps them uniform). */
export function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}

/**
 * Who made a change: an API key today, a signed-in user later, or the system itself (scheduled jobs and what
 * they start). Every activity record names one.
 */
export interface Actor {
  type: "api_key" | "user" | "system";
  id: string;
}

/** The tenant a request acts in and who is acting: what every service function that changes state takes. */
export interface Caller {
  tenantId: string;
  actor: Actor;
}

/** The caller of work the system starts by itself for a tenant (a scheduled run, a grace-period finalize). */
export function systemCaller(tenantId: string, job: string): Caller {
  return { tenantId, actor: { type: "system", id: job } };
}

export const randomIds = (prefix: string): string => `${prefix}_${randomBase62(20)}`;
export const systemClock = (): Date => new Date();
