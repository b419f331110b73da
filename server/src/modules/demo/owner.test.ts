import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, createTestTenant, type TestContext } from "../../../test/helpers.ts";
import { DEMO_OWNER_EMAIL, demoOwnerFile, demoOwnerToPrint } from "./owner.ts";

let ctx: TestContext;
let dir: string;
beforeAll(async () => {
  ctx = await createTestContext();
  dir = mkdtempSync(join(tmpdir(), "pricegraph-demo-owner-"));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await ctx?.close();
});

describe("the demo owner", () => {
  it("is made once with a random password saved beside the demo key, and can sign in", async () => {
    expect(demoOwnerFile({ DATA_DIR: "/srv/p" })).toBe("/srv/p/demo-owner.txt");
    expect(demoOwnerFile({ DATA_DIR: "memory://" })).toBeNull();
    const demo = await createTestTenant(ctx, "Demo");
    const file = join(dir, "demo-owner.txt");
    // A fresh address per run: on PostgreSQL every test file shares one database.
    const env = { DEMO_OWNER_EMAIL: `owner-${Date.now()}@demo.pricegraph.dev` };
    const first = await demoOwnerToPrint({ db: ctx.database.db }, demo.tenantId, file, env);
    const [email, password] = readFileSync(file, "utf8").trim().split("\n");
    expect(email).toBe(env.DEMO_OWNER_EMAIL);
    expect(DEMO_OWNER_EMAIL).toBe("owner@demo.pricegraph.dev");
    expect(password).toMatch(/^[0-9A-Za-z]{16}$/);
    expect(first).toContain(`${email} / ${password}`);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const login = await ctx.app.inject({
      method: "POST",
      url: "/v1/auth/login",
      payload: { email, password },
    });
    expect(login.statusCode).toBe(200);
    expect(login.json()).toMatchObject({ tenantId: demo.tenantId, role: "owner" });

    const again = await demoOwnerToPrint({ db: ctx.database.db }, demo.tenantId, file, env);
    expect(again).toContain(`${email} / ${password}   (from ${file})`);
    expect(readFileSync(file, "utf8").trim().split("\n")[1]).toBe(password);
  });
});
