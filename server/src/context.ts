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

export const randomIds = (prefix: string): string => `${prefix}_${randomBase62(20)}`;
export const systemClock = (): Date => new Date();
