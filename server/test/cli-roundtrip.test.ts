import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { diffDocuments } from "@pricegraph/engine";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, createTestTenant, type TestContext, type TestTenant } from "./helpers.ts";

// The pricegraph CLI against a real server: the app listening on a free port, the command run as a user runs it.

const root = resolve(import.meta.dirname, "../..");
const bin = join(root, "engine/bin/pricegraph.mjs");
const dir = mkdtempSync(join(tmpdir(), "pricegraph-roundtrip-"));
const growth = readFileSync(join(root, "examples/plans/growth.json"), "utf8");
const document = JSON.parse(growth);

let ctx: TestContext;
let tenant: TestTenant;
let url: string;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}
const pricegraph = (args: string[], key = tenant.apiKey): Promise<Run> =>
  new Promise((done) => {
    const env = { ...process.env, PRICEGRAPH_URL: url, PRICEGRAPH_API_KEY: key };
    execFile(bin, args, { cwd: dir, env }, (error, stdout, stderr) => {
      done({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });

beforeAll(async () => {
  ctx = await createTestContext();
  tenant = await createTestTenant(ctx);
  // Publishing refuses usage nodes naming undefined metrics: define the three the example plan reads.
  for (const key of ["video_minutes", "delivery_minutes"]) {
    await tenant.post("/v1/metrics", { key, eventType: key, aggregation: "sum", property: "minutes" });
  }
  await tenant.post("/v1/metrics", {
    key: "storage_gb",
    eventType: "video_stored",
    aggregation: "weightedSum",
    property: "gb",
  });
  await ctx.app.listen({ port: 0, host: "127.0.0.1" });
  url = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
});
afterAll(async () => ctx?.close());

describe("pricegraph pull and push against a running server", { timeout: 60_000 }, () => {
  it("push --new --publish, push a change, pull both versions, and diff them like the web does", async () => {
    writeFileSync(join(dir, "growth.json"), growth);
    const created = await pricegraph(["push", "growth.json", "--new", "Growth", "--publish", "--json"]);
    expect(created.stderr).toBe("");
    expect(created.code).toBe(0);
    const { planId, version } = JSON.parse(created.stdout);
    expect(version).toBe(1);

    const changed = structuredClone(document);
    changed.params.find((p: { key: string }) => p.key === "subscription").default = "349";
    writeFileSync(join(dir, "growth.json"), JSON.stringify(changed, null, 2));
    const pushed = await pricegraph(["push", "growth.json", planId, "--publish"]);
    expect(pushed).toMatchObject({ code: 0, stderr: "" });
    expect(pushed.stdout).toBe(
      `saved growth.json as the draft of plan ${planId}\npublished version 2 of plan ${planId}\n`,
    );

    const first = await pricegraph(["pull", planId, "--version", "1", "--out", "v1.json"]);
    expect(first).toEqual({
      code: 0,
      stdout: `pulled version 1 of plan ${planId} into v1.json\n`,
      stderr: "",
    });
    const latest = await pricegraph(["pull", planId, "--version", "latest"]);
    expect(latest.code).toBe(0);
    writeFileSync(join(dir, "v2.json"), latest.stdout);
    const v1 = JSON.parse(readFileSync(join(dir, "v1.json"), "utf8"));
    expect(v1).toEqual(document);
    expect(JSON.parse(latest.stdout)).toEqual(changed);

    // The web's version comparison diffs the documents GET /versions/:n returns.
    const web = await Promise.all([1, 2].map((n) => tenant.get(`/v1/plans/${planId}/versions/${n}`)));
    const [from, to] = web.map((response) => response.json().document);
    const diff = await pricegraph(["diff", "v1.json", "v2.json", "--json"]);
    expect(diff.code).toBe(0);
    expect(JSON.parse(diff.stdout)).toEqual(JSON.parse(JSON.stringify(diffDocuments(from, to))));
    expect(JSON.parse(diff.stdout).params).toContainEqual({
      key: "subscription",
      status: "changed",
      changes: [{ path: "default", before: document.params[0].default, after: "349" }],
    });

    const draft = await pricegraph(["pull", planId]);
    expect(JSON.parse(draft.stdout)).toEqual(changed);
  });

  it("exit 1 with the problems when the server refuses to publish", async () => {
    const broken = {
      ...document,
      nodes: document.nodes.filter((n: { type: string }) => n.type !== "invoiceLine"),
    };
    writeFileSync(join(dir, "broken.json"), JSON.stringify(broken));
    const result = await pricegraph(["push", "broken.json", "--new", "Broken", "--publish"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^created plan \S+ "Broken" with broken.json as its draft\n$/);
    expect(result.stderr).toMatch(/answered 422 PLAN_INVALID[\s\S]*NO_INVOICE_LINE/);
  });

  it("exit 2 for a refused key or an unknown plan, with nothing on stdout", async () => {
    const badKey = await pricegraph(["pull", "pln_nope"], "pg_live_00000000000000000000000000000000");
    expect(badKey).toMatchObject({ code: 2, stdout: "" });
    expect(badKey.stderr).toMatch(/answered 401 UNAUTHORIZED/);
    const unknown = await pricegraph(["pull", "pln_nope"]);
    expect(unknown).toMatchObject({ code: 2, stdout: "" });
    expect(unknown.stderr).toMatch(/answered 404 NOT_FOUND/);
  });

  it("serves the committed JSON Schema of a plan file at /schemas/pricing-graph.v1.json, without a key", async () => {
    const response = await fetch(`${url}/schemas/pricing-graph.v1.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const committed = JSON.parse(readFileSync(join(root, "shared/schema/pricing-graph.v1.json"), "utf8"));
    expect(await response.json()).toEqual(committed);
  });
});
