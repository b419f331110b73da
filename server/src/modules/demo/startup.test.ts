import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, createTestTenant, type TestContext } from "../../../test/helpers.ts";
import { demoKeyFile, demoKeyToPrint, readDemoKey } from "./startup.ts";

let ctx: TestContext;
let dir: string;
beforeAll(async () => {
  ctx = await createTestContext();
  dir = mkdtempSync(join(tmpdir(), "pricegraph-demo-key-"));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await ctx?.close();
});

describe("the demo key file", () => {
  it("lives in DATA_DIR, not in memory, and not beside a PostgreSQL database unless DATA_DIR says so", () => {
    expect(demoKeyFile({ DATA_DIR: "/srv/pricegraph" })).toBe("/srv/pricegraph/demo-api-key.txt");
    expect(demoKeyFile({ DATA_DIR: "memory://" })).toBeNull();
    expect(demoKeyFile({ DATABASE_URL: "postgres://db/x" })).toBeNull();
    expect(demoKeyFile({ DATABASE_URL: "postgres://db/x", DATA_DIR: "/srv/pg" })).toBe(
      "/srv/pg/demo-api-key.txt",
    );
    expect(demoKeyFile({})).toMatch(/\.data\/demo-api-key\.txt$/);
  });

  it("keeps a created key with mode 0600, prints it on later starts, and says when it was revoked", async () => {
    const demo = await createTestTenant(ctx, "Demo");
    const file = join(dir, "nested", "demo-api-key.txt");
    const first = await demoKeyToPrint(ctx.database.db, demo.apiKey, file, {});
    expect(first).toEqual({ key: demo.apiKey, note: `saved to ${file}` });
    expect(readFileSync(file, "utf8")).toBe(`${demo.apiKey}\n`);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    expect(await demoKeyToPrint(ctx.database.db, null, file, {})).toEqual({
      key: demo.apiKey,
      note: `from ${file}`,
    });

    // Revoke the demo key with another key of the tenant: the next start no longer prints it.
    const other = (await demo.post("/v1/api-keys", { name: "admin" })).json();
    const own = (await demo.get("/v1/api-keys"))
      .json()
      .data.find((k: { name: string }) => k.name === "default");
    const revoke = await ctx.app.inject({
      method: "DELETE",
      url: `/v1/api-keys/${own.id}`,
      headers: { authorization: `Bearer ${other.secret}` },
    });
    expect(revoke.statusCode).toBe(200);
    const after = await demoKeyToPrint(ctx.database.db, null, file, {});
    expect(after.key).toBeNull();
    expect(after.note).toContain("was revoked");
  });

  it("prints DEMO_API_KEY as given and never writes it to the file", async () => {
    const file = join(dir, "env", "demo-api-key.txt");
    const result = await demoKeyToPrint(ctx.database.db, "pg_live_given", file, {
      DEMO_API_KEY: "pg_live_given",
    });
    expect(result).toEqual({ key: "pg_live_given", note: "from DEMO_API_KEY" });
    expect(readDemoKey(file)).toBeNull();
  });

  it("explains where the key went when there is no file", async () => {
    const result = await demoKeyToPrint(ctx.database.db, null, join(dir, "missing.txt"), {});
    expect(result.key).toBeNull();
    expect(result.note).toContain("printed on first start");
  });
});
