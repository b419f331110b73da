import { join } from "node:path";
import { buildApp } from "./app.ts";
import { dbOptionsFromEnv, repoRoot } from "./config.ts";
import { openDb } from "./db/index.ts";
import { ensureDemoTenant } from "./modules/tenants/service.ts";

async function main(): Promise<void> {
  const options = dbOptionsFromEnv();
  const database = await openDb(options);
  await database.migrate();
  const demo = await ensureDemoTenant(database.db, { apiKey: process.env.DEMO_API_KEY || undefined });
  if (demo.apiKey) console.log(`Demo API key: ${demo.apiKey}`);

  const app = await buildApp({
    db: database.db,
    logger: { level: process.env.LOG_LEVEL ?? "warn" },
    webDist: process.env.WEB_DIST ?? join(repoRoot, "web/dist"),
  });
  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST ?? "0.0.0.0";
  await app.listen({ port, host });
  const where = options.url ? "PostgreSQL" : `PGlite (${options.dataDir})`;
  console.log(
    `Pricegraph listening on http://${host === "0.0.0.0" ? "localhost" : host}:${port} — data in ${where}`,
  );
  console.log(`API docs: http://localhost:${port}/docs`);

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`${signal}: closing`);
    try {
      await app.close();
      await database.close();
      process.exit(0);
    } catch (error) {
      console.error(error);
      process.exit(1);
    }
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
