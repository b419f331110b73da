#!/usr/bin/env node
// Checks the production start the container uses: the built server (server/dist) deployed with its production
// dependencies only, serving the built web app, with no tsx, vite, drizzle-kit or esbuild installed.
// Run after `pnpm build`. Exits non-zero on the first failure.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const work = mkdtempSync(join(tmpdir(), "pricegraph-prod-"));
const app = join(work, "app");
let server = null;

function fail(message) {
  console.error(`production start: ${message}`);
  console.log("production start: 0 passed, 1 failed");
  server?.kill("SIGKILL");
  rmSync(work, { recursive: true, force: true });
  process.exit(1);
}

function freePort() {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

for (const built of ["server/dist/main.mjs", "web/dist/index.html"]) {
  if (!existsSync(join(root, built))) fail(`${built} is missing: run \`pnpm build\` first`);
}
const deploy = spawnSync(
  "pnpm",
  ["--filter", "@pricegraph/server", "deploy", "--prod", "--prefer-offline", join(app, "server")],
  { cwd: root, stdio: ["ignore", "ignore", "inherit"] },
);
if (deploy.status !== 0) fail("pnpm deploy --prod failed");
cpSync(join(root, "web/dist"), join(app, "web/dist"), { recursive: true });
for (const devTool of ["tsx", "vite", "drizzle-kit", "esbuild", "vitest", "typescript"]) {
  if (existsSync(join(app, "server/node_modules", devTool)))
    fail(`the deployed server has ${devTool} installed`);
}

const port = await freePort();
const base = `http://127.0.0.1:${port}`;
server = spawn(process.execPath, [join(app, "server/dist/main.mjs")], {
  cwd: app,
  env: {
    PATH: process.env.PATH,
    NODE_ENV: "production",
    PORT: String(port),
    HOST: "127.0.0.1",
    DATA_DIR: join(work, "data"),
    SEED_DEMO: "false",
  },
  stdio: ["ignore", "pipe", "inherit"],
});
server.stdout.resume();
const exited = new Promise((resolve) => server.on("exit", (code) => resolve(code)));

const deadline = Date.now() + 120_000;
for (;;) {
  const ok = await fetch(`${base}/healthz`).then(
    (r) => r.ok,
    () => false,
  );
  if (ok) break;
  if (server.exitCode !== null) fail(`the server exited with ${server.exitCode} before answering`);
  if (Date.now() > deadline) fail("the server did not answer /healthz within 120 s");
  await new Promise((r) => setTimeout(r, 250));
}
const page = await fetch(`${base}/customers`);
const html = await page.text();
if (page.status !== 200 || !html.includes('<div id="root">'))
  fail(`GET /customers answered ${page.status} without the web app`);
const key = readFileSync(join(work, "data/demo-api-key.txt"), "utf8").trim();
const customers = await fetch(`${base}/v1/customers`, { headers: { authorization: `Bearer ${key}` } });
if (customers.status !== 200) fail(`GET /v1/customers answered ${customers.status}`);
server.kill("SIGTERM");
const code = await exited;
if (code !== 0) fail(`the server exited with ${code} on SIGTERM`);
rmSync(work, { recursive: true, force: true });
console.log(
  "production start: served the web app and the API from server/dist with production dependencies only",
);
console.log("production start: 1 passed, 0 failed");
