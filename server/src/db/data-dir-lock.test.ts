import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { lockDataDir } from "./data-dir-lock.ts";
import { DataDirLockedError, openDb } from "./index.ts";

const serverDir = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const root = mkdtempSync(join(tmpdir(), "pricegraph-lock-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The admin CLI in its own process, on a DATA_DIR; resolves with its exit code and output. */
function runAdmin(
  dataDir: string,
  name: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli/admin.ts", "create-tenant", name], {
      cwd: serverDir,
      env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: "" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("close", (code) => resolveRun({ code, stdout, stderr }));
  });
}

describe("a PGlite folder is opened by one process at a time", () => {
  it("a second openDb, in this process or the admin CLI in another, fails clearly and changes nothing", async () => {
    const dataDir = join(root, "shared");
    const folder = join(dataDir, "pglite");
    const held = await openDb({ dataDir: folder });
    await held.migrate();
    await expect(openDb({ dataDir: folder })).rejects.toThrow(DataDirLockedError);
    const refused = await runAdmin(dataDir, "Intruder");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`The database folder ${folder} is in use by process ${process.pid}`);
    expect(refused.stdout).toBe("");
    const tenants = await held.pglite?.query<{ name: string }>("select name from tenants");
    expect(tenants?.rows.map((r) => r.name)).not.toContain("Intruder");
    await held.close();
    expect(existsSync(`${folder}.lock`)).toBe(false);
    // Released: the CLI now opens the folder, and the folder still opens afterwards.
    const allowed = await runAdmin(dataDir, "Welcome");
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(JSON.parse(allowed.stdout)).toMatchObject({ tenantId: expect.any(String) });
    const after = await openDb({ dataDir: folder });
    const names = await after.pglite?.query<{ name: string }>("select name from tenants");
    expect(names?.rows.map((r) => r.name)).toEqual(["Welcome"]);
    await after.close();
  }, 180_000);

  it("takes over a lock whose process is gone", () => {
    const folder = join(root, "stale", "pglite");
    mkdirSync(dirname(folder), { recursive: true });
    const gone = spawnSync(process.execPath, ["-e", "0"]).pid as number;
    writeFileSync(
      `${folder}.lock`,
      JSON.stringify({ pid: gone, host: hostname(), since: "2025-01-01T00:00:00Z" }),
    );
    const lock = lockDataDir(folder);
    expect(JSON.parse(readFileSync(`${folder}.lock`, "utf8")).pid).toBe(process.pid);
    expect(() => lockDataDir(folder)).toThrow(DataDirLockedError);
    lock.release();
    expect(existsSync(`${folder}.lock`)).toBe(false);
  });

  it("never takes over a lock held by a live process", () => {
    const folder = join(root, "live", "pglite");
    mkdirSync(dirname(folder), { recursive: true });
    const owner = { pid: process.ppid, host: hostname(), since: "2025-01-01T00:00:00Z" };
    writeFileSync(`${folder}.lock`, JSON.stringify(owner));
    expect(() => lockDataDir(folder)).toThrow(`in use by process ${process.ppid}`);
    expect(JSON.parse(readFileSync(`${folder}.lock`, "utf8"))).toEqual(owner);
  });
});
