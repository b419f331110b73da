import type { PGlite } from "@electric-sql/pglite";
import { type SQL, sql } from "drizzle-orm";
import type PgBoss from "pg-boss";
import type postgres from "postgres";
import { type Db, queryRows } from "../db/index.ts";

/**
 * pg-boss runs its SQL through a `db` adapter over the client our drizzle handle already wraps (PGlite or
 * postgres.js), so it needs no second connection pool and works on embedded PGlite.
 */
export type Client = PGlite | postgres.Sql;

/** The driver client behind a drizzle handle (`$client`: the PGlite instance or the postgres.js pool). */
export function clientOf(db: Db): Client {
  return (db as unknown as { $client: Client }).$client;
}

function isPglite(client: Client): client is PGlite {
  return typeof (client as PGlite).exec === "function" && typeof (client as PGlite).query === "function";
}

/** pg-boss's `db` option: `executeSql(text, values)` answering `{ rows }`. */
export function bossAdapter(client: Client): PgBoss.Db {
  if (isPglite(client)) {
    return {
      executeSql: async (text, values) => {
        // pg-boss sends its schema creation and migrations as one parameterless multi-statement text.
        if (!values || values.length === 0) {
          const results = await client.exec(text);
          return { rows: results.at(-1)?.rows ?? [] };
        }
        const result = await client.query(text, values);
        return { rows: result.rows };
      },
    };
  }
  return {
    executeSql: async (text, values) => {
      if (values && values.length > 0) {
        // pg (pg-boss's own driver) sends plain objects as JSON text and undefined as NULL; postgres.js wants
        // objects as strings and refuses undefined (UNDEFINED_VALUE), which pg-boss passes for unset options.
        const params = values.map((v) =>
          v === undefined
            ? null
            : v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof Date)
              ? JSON.stringify(v)
              : v,
        );
        return { rows: [...(await client.unsafe(text, params as postgres.ParameterOrJSON<never>[]))] };
      }
      // Parameterless text (schema creation, migrations) may hold BEGIN … COMMIT: postgres.js allows that only
      // on a reserved connection; without parameters it uses the simple protocol, which runs several statements.
      const connection = await client.reserve();
      try {
        return { rows: [...(await connection.unsafe(text))] };
      } finally {
        connection.release();
      }
    },
  };
}

/**
 * pg-boss's `db` option over a drizzle transaction, so jobs are queued in the same transaction as the change
 * that wants them ($n placeholders become drizzle parameters; used only for pg-boss's plain `insert` statement).
 */
export function transactionAdapter(tx: Db): PgBoss.Db {
  return {
    executeSql: async (text, values) => {
      const parts = text.split(/\$(\d+)/);
      const chunks: SQL[] = [];
      for (let i = 0; i < parts.length; i++) {
        chunks.push(i % 2 === 0 ? sql.raw(parts[i]) : sql`${(values ?? [])[Number(parts[i]) - 1] ?? null}`);
      }
      return { rows: await queryRows(tx, sql.join(chunks)) };
    },
  };
}
