import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "@playwright/test";
import { templates } from "@pricegraph/engine/templates";
import { keepScreenshot } from "../support/app.ts";

// The suite's server holds the demo tenant, which has plans. A tenant with none needs a server of its own:
// the same build, started as `npm start` starts it, on a fresh data folder without the demo data.
const root = join(dirname(fileURLToPath(import.meta.url)), "../../..");
const EMPTY_TENANT_KEY = "pg_e2e_empty_0123456789abcdef0123456789ab";
let server: ChildProcess | undefined;
let dataDir = "";
let base = "";

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer();
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  const port = await freePort();
  dataDir = mkdtempSync(join(tmpdir(), "pricegraph-e2e-empty-"));
  base = `http://127.0.0.1:${port}`;
  server = spawn("pnpm", ["--filter", "@pricegraph/server", "start"], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      DEMO_API_KEY: EMPTY_TENANT_KEY,
      SEED_DEMO: "false",
    },
    stdio: "ignore",
    detached: true,
  });
  await expect
    .poll(async () => (await fetch(`${base}/healthz`).catch(() => null))?.ok ?? false, {
      timeout: 150_000,
      intervals: [500],
    })
    .toBe(true);
});

test.afterAll(async () => {
  if (server?.pid) process.kill(-server.pid, "SIGTERM");
  await new Promise((resolve) => setTimeout(resolve, 1000));
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const groupDigits = (text: string) => text.replace(/\B(?=(\d{3})+(?!\d))/g, ",");

test("a tenant without plans is guided to a first plan that opens priced", async ({ page }, testInfo) => {
  const template = templates.find((t) => t.id === "free-tier")!;
  await page.addInitScript((key) => localStorage.setItem("pricegraph.apiKey", key), EMPTY_TENANT_KEY);
  await page.goto(`${base}/plans`);
  await expect(page.getByTestId("plans-empty")).toBeVisible();
  const guide = page.getByTestId("guided-first-plan");
  await expect(guide).toBeVisible();

  await page.getByTestId("guided-billed-for").fill("Video minutes");
  await expect(guide).toContainText("video_minutes");
  await page.getByTestId("guided-shape-free-tier").check();
  await page.getByTestId("guided-name").fill("Streaming 2027");
  await keepScreenshot(page, testInfo, "guided-first-plan");
  await page.getByTestId("guided-create").click();

  // The editor opens on the new plan with the free-tier shape priced on its sample usage.
  await expect(page).toHaveURL(/\/plans\/pln_/);
  await expect(page.getByTestId("plan-name")).toHaveValue("Streaming 2027");
  await expect(page.locator(".react-flow__node")).toHaveCount(template.document.nodes.length);
  await expect(page.getByTestId("preview-total")).toHaveText(
    `${template.document.currency} ${groupDigits(template.examples[0].expected.total)}`,
  );
  await expect(page.getByTestId("usage-video_minutes")).toBeVisible();
  await keepScreenshot(page, testInfo, "guided-first-plan-opened");

  // The plans list is no longer empty, and the guide is gone.
  await page.goto(`${base}/plans`);
  await expect(page.getByTestId("plans-table")).toContainText("Streaming 2027");
  await expect(page.getByTestId("guided-first-plan")).toHaveCount(0);
});
