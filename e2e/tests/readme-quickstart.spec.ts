import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "@playwright/test";
import {
  comparable,
  outputsByBlock,
  quickstartBlocks,
  type ReadmeBlock,
  walkthroughScript,
} from "./support/readme-blocks.ts";

/**
 * README.md, "Quickstart with curl and the CLI", run as a new user runs it: every bash block verbatim, in order,
 * in one bash process, from a folder laid out like the repository root (`.data/demo-api-key.txt`, `node_modules`),
 * against a server started as `npm start` starts it. Its own server, on a fresh data folder and a free port
 * (`README_E2E_PORT` picks one): the walkthrough creates customers and bills, which would change what the other
 * journeys assert on the shared one.
 *
 * The one change to the text: the first block's `export PRICEGRAPH_URL=http://localhost:3000` names this
 * server's port instead. Each block's output must be the one the README prints after it, up to the placeholders
 * of `normalise` (ids, dates, and amounts where the README says that they depend on the day).
 */
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const readmeUrlLine = "export PRICEGRAPH_URL=http://localhost:3000";

/** The README counts "this month" in UTC, and says its quotes show no usage while Madrid's month is already ahead. */
function madridMonthIsAhead(now = new Date()): boolean {
  const madrid = new Intl.DateTimeFormat("en-US", { timeZone: "Europe/Madrid", month: "numeric" }).format(
    now,
  );
  return Number(madrid) !== now.getUTCMonth() + 1;
}

/**
 * The command the server and the walkthrough run under. In a month's last UTC hour(s), when Madrid's month is
 * already ahead, both run three hours back (libfaketime, `faketime -f -3h`, inherited by every child process),
 * which is outside that window for the whole run: the README is checked every hour of the month.
 */
const clockShift = madridMonthIsAhead(new Date(Date.now() + 10 * 60_000)) ? ["faketime", "-f", "-3h"] : [];
const command = (name: string, args: string[]): [string, string[]] =>
  clockShift.length ? [clockShift[0], [...clockShift.slice(1), name, ...args]] : [name, args];

test("the README's curl and CLI quickstart prints what the README shows", async () => {
  const testInfo = test.info();
  if (clockShift.length) {
    expect(
      spawnSync("faketime", ["-f", "+0", "true"]).status,
      "faketime (Debian package faketime) runs",
    ).toBe(0);
    console.log("README quickstart: Madrid's month is ahead of UTC's, so the run is three hours back");
  }
  test.setTimeout(300_000);
  const blocks = quickstartBlocks(readFileSync(join(repoRoot, "README.md"), "utf8"));
  expect(blocks.length).toBeGreaterThan(10);
  expect(blocks[0].code.split("\n")).toContain(readmeUrlLine);
  const elsewhere = blocks.filter((block) => block.code.includes("localhost:3000")).map(nameOf);
  expect(elsewhere, "only the first block names the server's address").toEqual([nameOf(blocks[0])]);

  const work = mkdtempSync(join(tmpdir(), "pricegraph-readme-"));
  const root = join(work, "repo");
  mkdirSync(join(work, "tmp"), { recursive: true });
  mkdirSync(root);
  symlinkSync(join(repoRoot, "node_modules"), join(root, "node_modules"));
  const port = Number(process.env.README_E2E_PORT ?? (await freePort()));
  const starting = Date.now();
  const server = startServer(port, join(root, ".data"));
  try {
    await waitForHealth(port, server);
    console.log(
      `README quickstart: server with demo data up in ${((Date.now() - starting) / 1000).toFixed(1)} s`,
    );
    const url = `http://127.0.0.1:${port}`;
    const script = walkthroughScript(blocks).replace(readmeUrlLine, `export PRICEGRAPH_URL=${url}`);
    writeFileSync(join(work, "walkthrough.sh"), script);
    const started = Date.now();
    const run = spawnSync(...command("bash", ["--noprofile", "--norc", join(work, "walkthrough.sh")]), {
      cwd: root,
      env: walkthroughEnv(join(work, "tmp")),
      stdio: ["ignore", "pipe", "pipe"],
      encoding: "utf8",
      timeout: 240_000,
    });
    const output = run.stdout + run.stderr;
    const outputFile = testInfo.outputPath("walkthrough-output.txt");
    writeFileSync(outputFile, output);
    await testInfo.attach("walkthrough output", { path: outputFile, contentType: "text/plain" });
    console.log(
      `README quickstart: ${blocks.length} blocks in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );

    const outputs = outputsByBlock(blocks, output);
    const mismatches = blocks.flatMap((block, i) => {
      const actual = outputs[i];
      if (actual === null)
        return [`${nameOf(block)}: did not finish (bash exit ${run.status ?? run.signal})`];
      if (!block.expected)
        return [`${nameOf(block)}: no output block after it; this run printed:\n${actual}`];
      const want = comparable(block.expected.text, block);
      const got = comparable(actual, block);
      return want === got ? [] : [`${nameOf(block)}:\n${diff(work, want, got)}`];
    });
    expect(mismatches.join("\n\n"), "each block's output is the one the README shows").toBe("");
  } finally {
    await stopServer(server);
    rmSync(work, { recursive: true, force: true });
  }
});

function nameOf(block: ReadmeBlock): string {
  return `block ${block.index} (README.md line ${block.line}: ${block.code.split("\n")[0]})`;
}

/** The server as `npm start` runs it (scripts/run.mjs), with its data, demo key included, in `dataDir`. */
function startServer(port: number, dataDir: string): ChildProcess {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: "127.0.0.1", DATA_DIR: dataDir };
  for (const name of ["DATABASE_URL", "DEMO_API_KEY", "SEED_DEMO", "SMTP_URL", "WEB_DIST"]) delete env[name];
  const server = spawn(...command("pnpm", ["--filter", "@pricegraph/server", "start"]), {
    cwd: repoRoot,
    env,
    detached: true,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let errors = "";
  server.stderr?.on("data", (chunk: Buffer) => {
    errors += chunk.toString();
  });
  server.on("exit", (code) => {
    if (code) console.error(`README server exited with ${code}:\n${errors}`);
  });
  return server;
}

async function waitForHealth(port: number, server: ChildProcess): Promise<void> {
  const deadline = Date.now() + 150_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the server stopped (exit ${server.exitCode})`);
    const healthy = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the server on port ${port} did not answer /healthz in time`);
}

/** Stops the whole group (pnpm, tsx, node) and waits for it: PGlite closes its folder on SIGTERM. */
async function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || !server.pid) return;
  const exited = new Promise((resolve) => server.once("exit", resolve));
  process.kill(-server.pid, "SIGTERM");
  const timer = setTimeout(() => server.pid && process.kill(-server.pid, "SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

/**
 * A new user's shell: none of what pnpm sets for scripts (`pricegraph` reads files relative to INIT_CWD when
 * pnpm runs it) nor this runner's PRICEGRAPH_ settings, and `mktemp -d` inside the test's folder.
 */
function walkthroughEnv(tmp: string): NodeJS.ProcessEnv {
  const inherited = (name: string) => !/^(PRICEGRAPH_|npm_|PNPM_|INIT_CWD$)/i.test(name);
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => inherited(name)));
  return { ...env, TMPDIR: tmp };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject()));
    });
  });
}

function diff(work: string, expected: string, actual: string): string {
  writeFileSync(join(work, "expected.txt"), `${expected}\n`);
  writeFileSync(join(work, "actual.txt"), `${actual}\n`);
  const result = spawnSync(
    "diff",
    ["-u", "--label", "README", "--label", "this run", join(work, "expected.txt"), join(work, "actual.txt")],
    { encoding: "utf8" },
  );
  return result.stdout;
}
