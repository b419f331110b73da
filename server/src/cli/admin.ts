import { dbOptionsFromEnv } from "../config.ts";
import { randomIds, systemCaller, systemClock } from "../context.ts";
import { openDb } from "../db/index.ts";
import { createTenant } from "../modules/tenants/service.ts";
import { invite } from "../modules/users/service.ts";

const USAGE = `usage: pnpm -s admin create-tenant NAME [--owner EMAIL]

Creates a tenant and its first API key and prints { "tenantId", "apiKey" } as JSON.
With --owner, also invites EMAIL as the tenant's owner and prints the path of the invite link
("ownerInviteUrl", valid 7 days: open it on the server's address to choose a password).
The key and the link are shown only this once. Uses DATABASE_URL, or PGlite in DATA_DIR (default .data/);
a PGlite folder can be open in one process at a time: while the server runs on it, this
command refuses (exit 1) and changes nothing; stop the server first.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const ownerAt = rest.indexOf("--owner");
  const owner = ownerAt >= 0 ? rest[ownerAt + 1] : undefined;
  const names = ownerAt >= 0 ? rest.filter((_, i) => i !== ownerAt && i !== ownerAt + 1) : rest;
  if (command !== "create-tenant" || names.length !== 1 || !names[0].trim() || (ownerAt >= 0 && !owner)) {
    console.error(USAGE);
    return 2;
  }
  const database = await openDb(dbOptionsFromEnv());
  try {
    await database.migrate();
    const result = await createTenant({ db: database.db }, names[0].trim());
    if (owner) {
      const deps = { db: database.db, clock: systemClock, ids: randomIds };
      const caller = systemCaller(result.tenantId, "tenant-setup");
      const invitation = await invite(deps, caller, "owner", {
        email: owner.trim().toLowerCase(),
        role: "owner",
      });
      console.log(JSON.stringify({ ...result, ownerInviteUrl: invitation.inviteUrl }, null, 2));
      return 0;
    }
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
