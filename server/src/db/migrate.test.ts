import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { TEST_DB } from "../../test/helpers.ts";
import { migrationsFolder } from "../paths.ts";
import { openDb, queryRows } from "./index.ts";

// Two processes starting at once (an upgrade behind a load balancer) both migrate the same fresh database.
describe.skipIf(TEST_DB !== "postgres")("migrations on PostgreSQL", () => {
  it("apply once when two servers migrate the same database at the same time", async () => {
    const admin = postgres(process.env.TEST_DATABASE_URL as string, { max: 1, onnotice: () => {} });
    const name = `pricegraph_migrate_${Date.now()}`;
    await admin.unsafe(`create database ${name}`);
    const url = new URL(process.env.TEST_DATABASE_URL as string);
    url.pathname = `/${name}`;
    const [a, b] = await Promise.all([openDb({ url: url.href }), openDb({ url: url.href })]);
    try {
      await Promise.all([a.migrate(), b.migrate()]);
      const [applied] = await queryRows<{ n: number }>(
        a.db,
        sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
      );
      const journal = JSON.parse(readFileSync(join(migrationsFolder, "meta/_journal.json"), "utf8"));
      expect(applied.n).toBe(journal.entries.length);
    } finally {
      await a.close();
      await b.close();
      await admin.unsafe(`drop database ${name}`);
      await admin.end();
    }
  }, 60_000);
});
