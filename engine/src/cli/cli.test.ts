import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { planDocument } from "../testing/plan.ts";

const root = resolve(import.meta.dirname, "../../..");
const dir = mkdtempSync(join(tmpdir(), "pricegraph-cli-"));
const file = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
};

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}
const run = (command: string, args: string[], cwd = root): Promise<Run> =>
  new Promise((done) => {
    // INIT_CWD is what pnpm sets; clear an inherited one so paths resolve against cwd.
    const { INIT_CWD: _inherited, ...env } = process.env;
    execFile(command, args, { cwd, env }, (error, stdout, stderr) => {
      done({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
const cli = (...args: string[]) =>
  run("node", ["--import", "tsx", join(root, "engine/src/cli/main.ts"), ...args]);

const valid = file(
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
const broken = file(
  "broken.json",
  planDocument(
    [
      ["u", "usage", { metric: "minutes" }],
      ["p", "teleport", {}],
    ],
    [],
  ),
);
const divides = file(
  "divides.json",
  planDocument(
    [
      ["a", "constant", { value: "1", valueType: "money" }],
      ["b", "usage", { metric: "seats" }],
      ["d", "math", { op: "divide" }],
      ["line", "invoiceLine", { description: "x" }],
    ],
    ["a.out -> d.a", "b.out -> d.b", "d.out -> line.amount"],
  ),
);
const input = file("input.json", { usage: { minutes: "11000" } });
const noSeats = file("no-seats.json", { usage: { seats: "0" } });
const badInput = file("bad-input.json", { usage: { minutes: "lots" } });
const notJson = file("not.json", "{ nope");
const missing = join(dir, "missing.json");

// Concurrent: each case spawns a process (about a second of CPU for tsx), so they overlap on a multi-core machine.
describe.concurrent("pricegraph CLI", { timeout: 60_000 }, () => {
  it("validate: exit 0 and {ok: true} for a valid plan", async () => {
    const result = await cli("validate", valid);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ ok: true, warnings: [] });
  });

  it("validate: exit 1 with every problem for a broken plan", async () => {
    const result = await cli("validate", broken);
    expect(result.code).toBe(1);
    const output = JSON.parse(result.stdout);
    expect(output.ok).toBe(false);
    expect(output.problems.map((p: { code: string }) => p.code)).toEqual([
      "UNKNOWN_NODE_TYPE",
      "NO_INVOICE_LINE",
    ]);
  });

  it.each([
    ["an unreadable file", missing, /cannot read/],
    ["a file that is not JSON", notJson, /is not JSON/],
  ])("validate: exit 2 on %s, nothing on stdout", async (_what, path, message) => {
    const result = await cli("validate", path);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(message);
  });

  it("evaluate: exit 0 with the spec's output", async () => {
    const result = await cli("evaluate", valid, input);
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout);
    expect(Object.keys(output)).toEqual(["currency", "lines", "total", "credits", "values", "warnings"]);
    expect(output).toMatchObject({
      currency: "USD",
      total: "44.00",
      lines: [{ nodeId: "line", amount: "44.00", unrounded: "44.0000" }],
    });
  });

  it.each([
    ["a plan that does not compile", broken, input, "UNKNOWN_NODE_TYPE"],
    ["a runtime failure", divides, noSeats, "DIVISION_BY_ZERO"],
    ["invalid input", valid, badInput, "INVALID_INPUT"],
  ])("evaluate: exit 1 with the problems on %s", async (_what, plan, usage, code) => {
    const result = await cli("evaluate", plan, usage);
    expect(result.code).toBe(1);
    const output = JSON.parse(result.stdout);
    expect(output.ok).toBe(false);
    expect(output.problems).toEqual(expect.arrayContaining([expect.objectContaining({ code })]));
  });

  it("evaluate: exit 2 on an unreadable input file, and on bad usage", async () => {
    expect((await cli("evaluate", valid, missing)).code).toBe(2);
    const usage = await cli("frobnicate");
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/usage: pricegraph validate/);
  });

  it("pnpm -s pricegraph from the repository root: stdout is pure JSON", async () => {
    const result = await run("pnpm", ["-s", "pricegraph", "validate", "engine/src/templates/per-unit.json"]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ ok: true, warnings: [] });
    const evaluated = await run("pnpm", ["-s", "pricegraph", "evaluate", valid, input]);
    expect(evaluated.code).toBe(0);
    expect(JSON.parse(evaluated.stdout).total).toBe("44.00");
    const failing = await run("pnpm", ["-s", "pricegraph", "validate", broken], root);
    expect(failing.code).toBe(1);
    expect(JSON.parse(failing.stdout).ok).toBe(false);
  });
});
