import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { FastifyInstance } from "fastify";
import { repoRoot } from "../../config.ts";
import type { Db } from "../../db/index.ts";
import { authenticateKey } from "../api-keys/service.ts";
import { demoChildren } from "./accounts.ts";
import { seedDemo } from "./seed.ts";

/**
 * What `npm start` adds around the server: seeding the demo tenant the first time, and remembering its API key
 * in `$DATA_DIR/demo-api-key.txt` (mode 0600) so every start can print it again.
 */

/**
 * Where the demo key is kept: `$DATA_DIR/demo-api-key.txt`, the folder of the embedded database. None in memory,
 * and none for PostgreSQL unless `DATA_DIR` is set (the default folder may belong to another database).
 */
export function demoKeyFile(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.DATABASE_URL && !env.DATA_DIR) return null;
  const dataDir = env.DATA_DIR ?? join(repoRoot, ".data");
  if (dataDir.startsWith("memory://")) return null;
  return join(resolve(dataDir), "demo-api-key.txt");
}

export function rememberDemoKey(file: string, apiKey: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${apiKey}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
}

export function readDemoKey(file: string): string | null {
  if (!existsSync(file)) return null;
  const key = readFileSync(file, "utf8").trim();
  return key || null;
}

/** Seeds through the API unless `SEED_DEMO=false`; returns a line to print. */
export async function seedDemoTenant(app: FastifyInstance, apiKey: string, now: Date): Promise<string> {
  if (process.env.SEED_DEMO === "false") return "SEED_DEMO=false: the demo tenant was created empty";
  console.log("Seeding the demo tenant (first start only)…");
  const started = Date.now();
  let summary: Awaited<ReturnType<typeof seedDemo>>;
  try {
    const log = (message: string) =>
      console.log(
        `  ${message.replace(/^demo seed: /, "")} (${((Date.now() - started) / 1000).toFixed(1)} s)`,
      );
    summary = await seedDemo({ app, apiKey, now, log });
  } catch (error) {
    // The server still starts: what was created stays usable. Deleting the data folder starts over.
    console.error(error instanceof Error ? error.message : error);
    return "Demo data: seeding stopped part way (see the error above); delete the data folder to seed again";
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const { draft, finalized, void: voided } = summary.invoices;
  const children = demoChildren.length;
  return (
    `Demo data: ${summary.plans} plans, ${summary.products} products, ${summary.customers - children} customers ` +
    `with ${summary.contracts} contracts (and ${children} child accounts), ` +
    `${summary.events.toLocaleString("en-US")} usage events, ${draft + finalized + voided} invoices ` +
    `(${draft} draft, ${finalized} finalized, ${voided} void) — seeded in ${seconds} s`
  );
}

/**
 * The key to print on this start: `DEMO_API_KEY` when set (never written to the file), else the key just created
 * (remembered in the file), else the remembered key while it still works.
 */
export async function demoKeyToPrint(
  db: Db,
  createdKey: string | null,
  file: string | null,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ key: string | null; note: string }> {
  if (env.DEMO_API_KEY) return { key: env.DEMO_API_KEY, note: "from DEMO_API_KEY" };
  if (createdKey) {
    if (file) rememberDemoKey(file, createdKey);
    return { key: createdKey, note: file ? `saved to ${file}` : "shown once: copy it now" };
  }
  const remembered = file ? readDemoKey(file) : null;
  if (!remembered) {
    return {
      key: null,
      note: "it was printed on first start; make a new tenant and key with `pnpm -s admin create-tenant NAME`",
    };
  }
  if (!(await authenticateKey({ db }, remembered))) {
    return {
      key: null,
      note: `the key in ${file} was revoked; create one in Settings or with POST /v1/api-keys`,
    };
  }
  return { key: remembered, note: `from ${file}` };
}
