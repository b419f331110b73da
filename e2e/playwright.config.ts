import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "@playwright/test";
import { chromiumLaunchOptions } from "./chromium.ts";

const here = dirname(fileURLToPath(import.meta.url));
const port = Number(process.env.E2E_PORT ?? 3100);
// One fresh data folder per run, shared by the runner and its workers through the environment.
process.env.PRICEGRAPH_E2E_DATA_DIR ??= mkdtempSync(join(tmpdir(), "pricegraph-e2e-"));
process.env.PRICEGRAPH_E2E_API_KEY ??= "pg_e2e_0123456789abcdef0123456789abcdef";

/**
 * Journeys against the real server started as `npm start` starts it (built web app served at /), on a fresh
 * PGlite folder, in Debian's Chromium. The web app must be built first (`pnpm build`).
 */
export default defineConfig({
  testDir: "tests",
  outputDir: "test-results",
  workers: 1,
  fullyParallel: false,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI
    ? [["list"], ["html", { open: "never", outputFolder: "test-results/report" }]]
    : "list",
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: "chromium",
    headless: true,
    viewport: { width: 1440, height: 900 },
    screenshot: "on",
    trace: "retain-on-failure",
    launchOptions: chromiumLaunchOptions,
  },
  webServer: {
    command: "pnpm --filter @pricegraph/server start",
    cwd: join(here, ".."),
    url: `http://127.0.0.1:${port}/healthz`,
    env: {
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: process.env.PRICEGRAPH_E2E_DATA_DIR,
      DEMO_API_KEY: process.env.PRICEGRAPH_E2E_API_KEY,
    },
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "ignore",
    stderr: "pipe",
  },
});
