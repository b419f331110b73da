import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { runInProcess } from "../src/cli/testing.ts";

// examples/: the demo's plans as files, their golden cases, and the script the CI snippet runs.

const root = resolve(import.meta.dirname, "../..");
const plans = join(root, "examples/plans");
const planFiles = readdirSync(plans).filter(
  (name) => name.endsWith(".json") && !name.endsWith(".cases.json"),
);

const checkPlans = (folder: string): Promise<{ code: number; stdout: string }> =>
  new Promise((done) => {
    const env = { ...process.env, PRICEGRAPH_BIN: join(root, "engine/bin/pricegraph.mjs") };
    execFile(join(root, "examples/check-plans.sh"), [folder], { cwd: root, env }, (error, stdout) => {
      done({ code: error ? Number(error.code) : 0, stdout });
    });
  });

describe("examples/plans", () => {
  it.each(planFiles)("%s compiles and passes its golden cases", async (name) => {
    const plan = join(plans, name);
    expect((await runInProcess(["validate", plan])).code).toBe(0);
    const result = await runInProcess(["test", plan, plan.replace(/\.json$/, ".cases.json")]);
    expect(result.stdout).toMatch(/\d+ cases? passed\n$/);
    expect(result.code).toBe(0);
  });

  it("check-plans.sh fails CI when a price changes and names the case", { timeout: 60_000 }, async () => {
    const folder = mkdtempSync(join(tmpdir(), "pricegraph-examples-"));
    cpSync(join(plans, "starter.json"), join(folder, "starter.json"));
    cpSync(join(plans, "starter.cases.json"), join(folder, "starter.cases.json"));
    expect(await checkPlans(folder)).toMatchObject({ code: 0 });

    const plan = JSON.parse(readFileSync(join(folder, "starter.json"), "utf8"));
    const rate = plan.params.find((p: { key: string }) => p.key === "minute_rate");
    rate.default = "0.011";
    writeFileSync(join(folder, "starter.json"), JSON.stringify(plan));
    const failing = await checkPlans(folder);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toMatch(/FAIL a quiet month\n {7}total: expected 24\.00, got /);
  });
});
