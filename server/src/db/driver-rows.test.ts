import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { TEST_DB } from "../../test/helpers.ts";
import { openDb, queryRows } from "./index.ts";

// postgres.js counted rows across queries on a connection until a CommandComplete: a query that failed after
// sending some rows left the count standing, and the connection's next result came back with that many holes
// in front of its rows (`[<2 empty items>, row]`). The package is patched to reset the count when the server is
// ready for the next query (patches/postgres@3.4.9.patch).
describe.skipIf(TEST_DB !== "postgres")("the PostgreSQL driver", () => {
  it("returns a query's rows from index 0 after a query failed halfway through its rows", async () => {
    const database = await openDb({ url: process.env.TEST_DATABASE_URL as string, maxConnections: 1 });
    try {
      await expect(
        queryRows(
          database.db,
          sql`select case when i < 3 then i else 1 / (i - i) end as x from generate_series(1, 5) i`,
        ),
      ).rejects.toMatchObject({ cause: { code: "22012" } }); // division_by_zero
      const rows = await queryRows<{ one: number }>(database.db, sql`select 1 as one`);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toEqual({ one: 1 });
      const both = await queryRows<{ n: number }>(database.db, sql`select n from generate_series(1, 2) n`);
      expect(Object.keys(both)).toEqual(["0", "1"]);
    } finally {
      await database.close();
    }
  });
});
