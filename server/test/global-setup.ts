import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { openDb } from "../src/db/index.ts";

declare module "vitest" {
  export interface ProvidedContext {
    pgliteTemplate: string;
    /** PostgreSQL: the migrated database each test file copies into a database of its own. */
    postgresTemplate: string;
  }
}

export default async function setup(project: TestProject) {
  if (process.env.TEST_DB === "postgres") {
    const url = process.env.TEST_DATABASE_URL;
    if (!url) throw new Error("TEST_DB=postgres needs TEST_DATABASE_URL");
    // Start from an empty schema so reruns are clean, then migrate once: the few tests that start servers of
    // their own (scale-out) use this database.
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    await sql.unsafe(
      "DROP SCHEMA IF EXISTS public CASCADE; DROP SCHEMA IF EXISTS drizzle CASCADE; CREATE SCHEMA public;",
    );
    const database = await openDb({ url });
    await database.migrate();
    await database.close();
    // Every test file gets a copy of a migrated template (CREATE DATABASE … TEMPLATE, see openTestDb), so
    // consumers of the whole activity log or job queue (webhooks, alerts, e-mail, billing runs) in one file never
    // see another file's records or jobs. Copies left by an interrupted run are dropped first.
    const template = `${new URL(url).pathname.slice(1)}_template`;
    const stale = await sql<{ datname: string }[]>`
      SELECT datname FROM pg_database WHERE datname = ${template} OR datname LIKE ${`${template}\\_%`}`;
    for (const { datname } of stale) await sql.unsafe(`DROP DATABASE "${datname}" WITH (FORCE)`);
    await sql.unsafe(`CREATE DATABASE "${template}"`);
    await sql.end();
    const templateUrl = new URL(url);
    templateUrl.pathname = `/${template}`;
    const templateDb = await openDb({ url: templateUrl.href });
    await templateDb.migrate();
    await templateDb.close();
    project.provide("pgliteTemplate", "");
    project.provide("postgresTemplate", template);
    return;
  }
  // PGlite: migrate one instance and dump it; test files load the dump (≈1 s) instead of running initdb (≈5 s).
  const pglite = await PGlite.create("memory://");
  const database = await openDb({ pglite });
  await database.migrate();
  const dump = await pglite.dumpDataDir("none");
  await pglite.close();
  const dir = mkdtempSync(join(tmpdir(), "pricegraph-pglite-"));
  const file = join(dir, "template.tar");
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  project.provide("pgliteTemplate", file);
  project.provide("postgresTemplate", "");
  return () => rmSync(dir, { recursive: true, force: true });
}
