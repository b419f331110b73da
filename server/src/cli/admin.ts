import { dbOptionsFromEnv } from "../config.ts";
import { openDb } from "../db/index.ts";
import { createTenant } from "../modules/tenants/service.ts";

const USAGE = `usage: pnpm -s admin create-tenant NAME

Creates a tenant and its first API key and prints { "tenantId", "apiKey" } as JSON.
The key is shown only this once. Uses DATABASE_URL, or PGlite in DATA_DIR (default .data/);
a PGlite folder can be open in one process at a time: while the server runs on it, this
command refuses (exit 1) and changes nothing; stop the server first.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== "create-tenant" || rest.length !== 1 || !rest[0].trim()) {
    console.error(USAGE);
    return 2;
  }
  const database = await openDb(dbOptionsFromEnv());
  try {
    await database.migrate();
    const result = await createTenant({ db: database.db }, rest[0].trim());
    console.log(JSON.stringify(result, null, 2));
    return 0;
  } finally {
    await database.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
