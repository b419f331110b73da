#!/usr/bin/env node
// Entry point of the README's two commands. `npm start` and `npm test` must work on a machine that has
// only Node.js and npm, so this script brings pnpm (and, for tests, Chromium and PostgreSQL) itself.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import {
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const isRoot = process.getuid?.() === 0;
const log = (msg) => console.log(`\n== ${msg} (${new Date().toISOString().slice(11, 19)})`);

function has(cmd) {
  return spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;
}

function run(cmd, args, opts = {}) {
  const result = spawnSync(cmd, args, { stdio: "inherit", cwd: root, ...opts });
  if (result.status !== 0) {
    console.error(`\n${cmd} ${args.join(" ")} failed (exit ${result.status ?? result.signal})`);
    // Exit through process.exit so the 'exit' hooks below (stopping PostgreSQL) still run.
    process.exit(result.status ?? 1);
  }
}

function ensurePnpm() {
  if (has("pnpm")) return;
  log("installing pnpm 12 with npm");
  run("npm", ["install", "-g", "pnpm@12"]);
}

function aptInstall(packages) {
  if (!packages.length) return;
  if (!isRoot && !has("sudo")) {
    console.error(`Missing Debian packages: ${packages.join(" ")}. Install them with apt-get and run again.`);
    process.exit(1);
  }
  const sudo = isRoot ? [] : ["sudo"];
  log(`apt-get install ${packages.join(" ")}`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  run(sudo[0] ?? "apt-get", [...sudo.slice(1), ...(isRoot ? [] : ["apt-get"]), "update", "-qq"], { env });
  run(sudo[0] ?? "apt-get", [...(isRoot ? [] : ["apt-get"]), "install", "-y", "-qq", ...packages], { env });
}

/** curl 7.82 brought `--json`, which the README's walkthrough (run by the end-to-end tests) uses. */
function hasCurlWithJson() {
  if (!has("curl")) return false;
  const version = /^curl (\d+)\.(\d+)/.exec(
    spawnSync("curl", ["--version"], { encoding: "utf8" }).stdout ?? "",
  );
  return Boolean(version) && Number(version[1]) * 1000 + Number(version[2]) >= 7082;
}

function postgresBin() {
  const base = "/usr/lib/postgresql";
  if (!existsSync(base)) return null;
  const versions = readdirSync(base)
    .filter((v) => existsSync(join(base, v, "bin", "initdb")))
    .sort((a, b) => Number(a) - Number(b));
  return versions.length ? join(base, versions.at(-1), "bin") : null;
}

// A private, throwaway PostgreSQL cluster on loopback for the second run of the server suite.
function startPrivatePostgres() {
  const bin = postgresBin();
  const dir = mkdtempSync(join(tmpdir(), "pricegraph-pg-"));
  const as = isRoot ? ["runuser", "-u", "postgres", "--"] : [];
  if (isRoot)
    chownSync(
      dir,
      Number(execFileSync("id", ["-u", "postgres"]).toString()),
      Number(execFileSync("id", ["-g", "postgres"]).toString()),
    );
  const port = process.env.PGPORT ?? "54329";
  const exec = (cmd, args) =>
    run(as[0] ?? cmd, [...as.slice(1), ...(as.length ? [cmd] : []), ...args], {
      stdio: ["ignore", "ignore", "inherit"],
    });
  exec(join(bin, "initdb"), ["-D", join(dir, "data"), "-U", "postgres", "--auth=trust", "-E", "UTF8"]);
  exec(join(bin, "pg_ctl"), [
    "-D",
    join(dir, "data"),
    "-l",
    join(dir, "log"),
    "-w",
    "-o",
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
    "start",
  ]);
  run(join(bin, "psql"), [
    "-qAt",
    "-h",
    "127.0.0.1",
    "-p",
    port,
    "-U",
    "postgres",
    "-c",
    "create database pricegraph_test",
  ]);
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    spawnSync(
      as[0] ?? join(bin, "pg_ctl"),
      [
        ...as.slice(1),
        ...(as.length ? [join(bin, "pg_ctl")] : []),
        "-D",
        join(dir, "data"),
        "-m",
        "fast",
        "stop",
      ],
      { stdio: "ignore" },
    );
    rmSync(dir, { recursive: true, force: true });
  };
  // process.exit skips finally blocks, so the cluster is stopped from the exit hook too.
  process.on("exit", stop);
  return { url: `postgres://postgres@127.0.0.1:${port}/pricegraph_test`, stop };
}

function pnpm(args, env = process.env) {
  run("pnpm", args, { env });
}

// `npm start` never rebuilds web/dist under a server that is serving it: each start leaves a marker naming its
// pid in web/dist/.in-use/ for as long as it runs, and a later start finding a live one keeps the build as it is.
const webDist = join(root, "web", "dist");
const inUseDir = join(webDist, ".in-use");

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}

function serversUsingWebDist() {
  if (!existsSync(inUseDir)) return [];
  return readdirSync(inUseDir)
    .map(Number)
    .filter((pid) => Number.isInteger(pid) && pid !== process.pid && isAlive(pid));
}

function markWebDistInUse() {
  mkdirSync(inUseDir, { recursive: true });
  const marker = join(inUseDir, String(process.pid));
  writeFileSync(marker, "");
  return marker;
}

/** The newest modification time under `dir` (node_modules and build output left out). */
function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === "dist") continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** The web app needs building when it never was, or when its sources (or the engine's) changed since. */
function webDistIsStale() {
  const index = join(webDist, "index.html");
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  return ["web", "engine/src", "shared/src"].some((dir) => newestMtime(join(root, dir)) > built);
}

const command = process.argv[2];
ensurePnpm();

if (command === "start") {
  log("pnpm install");
  pnpm(["install", "--prefer-offline"]);
  const serving = serversUsingWebDist();
  if (serving.length) {
    log(
      `web/dist is being served by a running server (pid ${serving.join(", ")}); starting on the existing build`,
    );
  } else if (webDistIsStale()) {
    log("building the web app");
    pnpm(["--filter", "@pricegraph/web", "build"]);
  }
  const marker = markWebDistInUse();
  const child = spawn("pnpm", ["--filter", "@pricegraph/server", "start"], { stdio: "inherit", cwd: root });
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
  process.on("exit", () => rmSync(marker, { force: true }));
  child.on("exit", (code) => process.exit(code ?? 0));
} else if (command === "test") {
  const missing = [];
  if (!existsSync(process.env.CHROMIUM_PATH ?? "/usr/bin/chromium")) missing.push("chromium");
  if (!process.env.TEST_DATABASE_URL && !postgresBin()) missing.push("postgresql");
  if (!hasCurlWithJson()) missing.push("curl");
  if (!has("jq")) missing.push("jq");
  if (!has("faketime")) missing.push("faketime");
  aptInstall(missing);
  process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = "1";
  log("pnpm install");
  pnpm(["install", ...(process.env.CI ? ["--frozen-lockfile"] : [])]);
  let pg = null;
  if (!process.env.TEST_DATABASE_URL) {
    log("starting a private PostgreSQL");
    pg = startPrivatePostgres();
    process.env.TEST_DATABASE_URL = pg.url;
  }
  try {
    log("typecheck");
    pnpm(["typecheck"]);
    log("lint");
    pnpm(["lint"]);
    log("unit and integration tests (server on PGlite)");
    pnpm(["test:unit"], { ...process.env, TEST_DB: "pglite" });
    log("server tests again on PostgreSQL");
    pnpm(["vitest", "run", "--project", "server"], { ...process.env, TEST_DB: "postgres" });
    log("build");
    pnpm(["build"]);
    log("production start (server/dist with production dependencies only)");
    run("node", ["scripts/check-production.mjs"]);
    log("end-to-end tests in Chromium");
    pnpm(["test:e2e"]);
  } finally {
    pg?.stop();
  }
} else {
  console.error("usage: node scripts/run.mjs start|test");
  process.exit(2);
}
