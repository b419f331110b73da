import { getTableColumns, getTableName, type SQL, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { type Db, queryRows } from "./index.ts";

const CHUNK = 1000;

/**
 * Multi-row insert as ONE jsonb parameter expanded by jsonb_populate_recordset: far cheaper for thousands of rows
 * than a VALUES list with a bind parameter per cell (parse and bind cost grow with the parameter count). The
 * queries.ts of a module calls it with its own table; `suffix` carries ON CONFLICT / RETURNING; `generated` names
 * the columns the database fills itself.
 */
export async function insertAsJson(
  db: Db,
  table: PgTable,
  rows: readonly Record<string, unknown>[],
  suffix: SQL = sql``,
  options: { generated?: readonly string[] } = {},
): Promise<{ id: string }[]> {
  // Columns the database fills itself (identity, defaults) are left out of the insert.
  const columns = Object.entries(getTableColumns(table)).filter(([key]) => !options.generated?.includes(key));
  const names = sql.join(
    columns.map(([, column]) => sql.identifier(column.name)),
    sql`, `,
  );
  const out: { id: string }[] = [];
  for (let i = 0; i < rows.length; i += CHUNK) {
    const payload = rows.slice(i, i + CHUNK).map((row) => {
      const record: Record<string, unknown> = {};
      for (const [key, column] of columns) {
        const value = row[key];
        record[column.name] = value instanceof Date ? value.toISOString() : (value ?? null);
      }
      return record;
    });
    const name = sql.identifier(getTableName(table));
    const returned = await queryRows<{ id: string }>(
      db,
      sql`INSERT INTO ${name} (${names}) SELECT ${names} FROM jsonb_populate_recordset(NULL::${name}, ${JSON.stringify(payload)}::jsonb) ${suffix}`,
    );
    out.push(...returned);
  }
  return out;
}
