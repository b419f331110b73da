import { execFile } from "node:child_process";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { planDocument } from "../testing/plan.ts";
import { type CliRun, scratchFolder } from "./testing.ts";

// The installed command, as a user runs it: `pnpm exec pricegraph`, the bin file itself, `pnpm -s pricegraph`.

const root = resolve(import.meta.dirname, "../../..");
const scratch = scratchFolder();
const valid = scratch.write(
  "valid.json",
  planDocument(
    [
      ["u", "usage", { metric: "minutes" }],
      ["p", "perUnit", { unitPrice: "0.004" }],
      ["line", "invoiceLine", { description: "Minutes" }],
    ],
    ["u.out -> p.in", "p.out -> line.amount"],
  ),
);
scratch.write("input.json", { usage: { minutes: "11000" } });

const run = (command: string, args: string[], cwd = root): Promise<CliRun> =>
  new Promise((done) => {
    // pnpm sets INIT_CWD and npm_lifecycle_event for scripts; clear inherited ones so each run is a fresh shell.
    const { INIT_CWD: _cwd, npm_lifecycle_event: _event, ...env } = process.env;
    execFile(command, args, { cwd, env }, (error, stdout, stderr) => {
      done({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });

// Concurrent: each case spawns a process (about a second of CPU for tsx), so they overlap on a multi-core machine.
describe.concurrent("the pricegraph command", { timeout: 60_000 }, () => {
  it("pnpm exec pricegraph --help: the help on stdout, exit 0", async () => {
    const result = await run("pnpm", ["exec", "pricegraph", "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^pricegraph: pricing plans as files/);
    expect(result.stdout).toContain("Exit codes");
  });

  it("pnpm -s pricegraph --version: one line on stdout, exit 0", async () => {
    const result = await run("pnpm", ["-s", "pricegraph", "--version"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("pricegraph 0.1.0 (plan format pricegraph/v1)\n");
  });

  it("the bin file: an unknown command exits 2 with nothing on stdout", async () => {
    const result = await run(join(root, "engine/bin/pricegraph.mjs"), ["frobnicate"]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/unknown command "frobnicate"/);
  });

  it("pnpm exec pricegraph evaluate in another folder: relative paths from that folder, stdout pure JSON", async () => {
    const result = await run(
      "pnpm",
      ["-C", root, "exec", "pricegraph", "evaluate", "valid.json", "input.json"],
      scratch.dir,
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).total).toBe("44.00");
  });

  it("pnpm -s pricegraph from a subfolder of the repository: paths from where it was typed", async () => {
    const sub = join(root, "engine/src/templates");
    const result = await run("pnpm", ["-s", "pricegraph", "validate", "per-unit.json"], sub);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ ok: true, warnings: [] });
    const failing = await run("pnpm", ["-s", "pricegraph", "validate", valid.replace("valid", "missing")]);
    expect(failing.code).toBe(2);
    expect(failing.stdout).toBe("");
  });
});
