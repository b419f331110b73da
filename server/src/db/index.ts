import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { SQL } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { migrationsFolder } from "../paths.ts";
import { type DataDirLock, lockDataDir } from "./data-dir-lock.ts";
import * as schema from "./schema/index.ts";

export { DataDirLockedError } from "./data-dir-lock.ts";

export { schema };
export type Schema = typeof schema;

/** A drizzle handle on either driver, or a transaction of one: query functions take it first. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export { migrationsFolder };

/** The advisory lock key that serialises migrations across processes ("pricegraph" in ASCII, as a bigint). */
const MIGRATION_LOCK = "8030873471542798440";

export interface Database {
  db: Db;
  kind: "pglite" | "postgres";
  /** The postgres.js client (Postgres only), for COPY in the benchmark. */
  sql?: postgres.Sql;
  pglite?: PGlite;
  migrate(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenDbOptions {
  /** A postgres:// URL: use PostgreSQL through postgres.js. */
  url?: string;
  /** A PGlite data directory, or `memory://`. */
  dataDir?: string;
  /** An already created PGlite instance (tests load it from a migrated template). */
  pglite?: PGlite;
  /** postgres.js pool size. */
  maxConnections?: number;
}

export async function openDb(options: OpenDbOptions): Promise<Database> {
  if (options.url) {
    const sql = postgres(options.url, { max: options.maxConnections ?? 10, onnotice: () => {} });
    const db = drizzlePostgres(sql, { schema }) as unknown as Db;
    return {
      db,
      kind: "postgres",
      sql,
      migrate: async () => {
        // Several processes may start at once (an upgrade behind a load balancer): a session advisory lock on
        // a connection of its own lets one apply the migrations while the others wait, then find nothing to do.
        const lock = await sql.reserve();
        try {
          await lock`select pg_advisory_lock(${MIGRATION_LOCK})`;
          await migratePostgres(drizzlePostgres(sql, { schema }), { migrationsFolder });
        } finally {
          await lock`select pg_advisory_unlock(${MIGRATION_LOCK})`.catch(() => {});
          lock.release();
        }
      },
      close: () => sql.end({ timeout: 5 }),
    };
  }
  let pglite = options.pglite;
  // A PGlite folder is opened by one process at a time (see data-dir-lock.ts); the lock comes first.
  let lock: DataDirLock | null = null;
  if (!pglite) {
    const dir = options.dataDir ?? "memory://";
    if (!dir.startsWith("memory://")) {
      mkdirSync(dirname(resolve(dir)), { recursive: true });
      lock = lockDataDir(dir);
    }
    try {
      pglite = await PGlite.create(dir);
    } catch (error) {
      lock?.release();
      throw error;
    }
  }
  const client = pglite;
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    db,
    kind: "pglite",
    pglite: client,
    migrate: async () => {
      await migratePglite(drizzlePglite(client, { schema }), { migrationsFolder });
    },
    close: async () => {
      try {
        await client.close();
      } finally {
        lock?.release();
      }
    },
  };
}

/** Rows of a raw `db.execute`: postgres.js answers an array, PGlite an object with `rows`. */
export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query);
  if (Array.isArray(result)) return result as T[];
  return (result as { rows: T[] }).rows;
}

/** The SQLSTATE of a database error, also when drizzle wrapped it (`DrizzleQueryError.cause`). */
export function sqlState(error: unknown): string | null {
  for (let e: unknown = error, depth = 0; e && depth < 3; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return null;
}
