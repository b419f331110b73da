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
  }
}

export default async function setup(project: TestProject) {
  if (process.env.TEST_DB === "postgres") {
    const url = process.env.TEST_DATABASE_URL;
    if (!url) throw new Error("TEST_DB=postgres needs TEST_DATABASE_URL");
    // Start from an empty schema so reruns are clean, then migrate once for every test file.
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    await sql.unsafe(
      "DROP SCHEMA IF EXISTS public CASCADE; DROP SCHEMA IF EXISTS drizzle CASCADE; CREATE SCHEMA public;",
    );
    await sql.end();
    const database = await openDb({ url });
    await database.migrate();
    await database.close();
    project.provide("pgliteTemplate", "");
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
  return () => rmSync(dir, { recursive: true, force: true });
}
