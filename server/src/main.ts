import { existsSync } from "node:fs";
import { join } from "node:path";
import { buildApp } from "./app.ts";
import { dbOptionsFromEnv, repoRoot } from "./config.ts";
import { DataDirLockedError, openDb } from "./db/index.ts";
import { ConfigError, readEnv } from "./env.ts";
import { demoOwnerFile, demoOwnerToPrint } from "./modules/demo/owner.ts";
import { demoKeyFile, demoKeyToPrint, seedDemoTenant } from "./modules/demo/startup.ts";
import { ensureDemoTenant } from "./modules/tenants/service.ts";

async function main(): Promise<void> {
  const config = readEnv();
  const options = dbOptionsFromEnv();
  if (options.dataDir && !options.dataDir.startsWith("memory://") && !existsSync(options.dataDir)) {
    console.log(`Creating the embedded database in ${options.dataDir} (first start only)…`);
  }
  const database = await openDb(options);
  await database.migrate();
  const demo = await ensureDemoTenant(database.db, { apiKey: config.DEMO_API_KEY });

  const app = await buildApp({
    db: database.db,
    logger: { level: config.LOG_LEVEL },
    webDist: config.WEB_DIST ?? join(repoRoot, "web/dist"),
    // COOKIE_SECURE=true behind a TLS-terminating proxy that does not send X-Forwarded-Proto.
    cookieSecure: config.COOKIE_SECURE,
  });
  // The demo data goes in through the API, before the port opens, and only when the demo tenant is new.
  const seeded = demo.created && demo.apiKey ? await seedDemoTenant(app, demo.apiKey, new Date()) : null;
  const demoKey = await demoKeyToPrint(database.db, demo.apiKey, demoKeyFile());
  const demoOwner = await demoOwnerToPrint({ db: database.db }, demo.tenantId, demoOwnerFile());
  const port = config.PORT;
  const host = config.HOST;
  await app.listen({ port, host });
  const where = options.url ? "PostgreSQL" : `PGlite (${options.dataDir})`;
  const base = `http://${host === "0.0.0.0" ? "localhost" : host}:${port}`;
  console.log(
    [
      "",
      `Pricegraph is running: ${base}   (data in ${where})`,
      ...(seeded ? [seeded] : []),
      ...(demoOwner ? [demoOwner] : []),
      demoKey.key ? `Demo API key:  ${demoKey.key}   (${demoKey.note})` : `Demo API key: ${demoKey.note}`,
      `API docs:      ${base}/docs`,
      demoKey.key ? `Try it:        curl -H "Authorization: Bearer ${demoKey.key}" ${base}/v1/customers` : "",
      "",
    ].join("\n"),
  );

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
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  // A folder in use is an operator's situation, not a bug: the message alone says what to do.
  console.error(error instanceof DataDirLockedError ? error.message : error);
  process.exit(1);
});
