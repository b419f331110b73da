import { describe, expect, it } from "vitest";
import { planDocumentJsonSchema } from "../json-schema.ts";
import { badInput, broken, divides, input, missing, noSeats, notJson, scratch, valid } from "./fixtures.ts";
import { runInProcess as cli } from "./testing.ts";

describe("validate and evaluate", () => {
  it("validate: exit 0 and {ok: true} for a valid plan", async () => {
    const result = await cli(["validate", valid]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ ok: true, warnings: [] });
  });

  it("validate: exit 1 with every problem for a broken plan", async () => {
    const result = await cli(["validate", broken]);
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
    const result = await cli(["validate", path]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(message);
  });

  it("resolves relative paths from the working directory it is given", async () => {
    const result = await cli(["validate", "valid.json"], { cwd: scratch.dir });
    expect(result.code).toBe(0);
  });

  it("evaluate: exit 0 with the spec's output", async () => {
    const result = await cli(["evaluate", valid, input]);
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
    const result = await cli(["evaluate", plan, usage]);
    expect(result.code).toBe(1);
    const output = JSON.parse(result.stdout);
    expect(output.ok).toBe(false);
    expect(output.problems).toEqual(expect.arrayContaining([expect.objectContaining({ code })]));
  });

  it("exit 2 on an unreadable input file, a missing argument, an extra one, an unknown option or command", async () => {
    expect((await cli(["evaluate", valid, missing])).code).toBe(2);
    for (const args of [
      ["evaluate", valid],
      ["validate", valid, input],
      ["validate", valid, "--fast"],
      ["frobnicate"],
    ]) {
      const result = await cli(args);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr).toMatch(/^pricegraph: /);
    }
  });

  it("--help and --version print on stdout and exit 0", async () => {
    const help = await cli(["--help"]);
    expect(help.code).toBe(0);
    for (const command of ["validate", "evaluate", "diff", "curve", "test", "pull", "push"]) {
      expect(help.stdout).toContain(`  ${command} `);
    }
    expect(help.stdout).toMatch(/Exit codes\n {2}0 .*\n {2}1 .*\n(.*\n)* {2}2 /);
    expect(help.stdout).toContain("Input formats");
    expect((await cli(["curve", "--help"])).stdout).toBe(help.stdout);
    const version = await cli(["--version"]);
    expect(version).toEqual({
      code: 0,
      stdout: "pricegraph 0.1.0 (plan format pricegraph/v1)\n",
      stderr: "",
    });
  });

  it("schema prints the plan file's JSON Schema", async () => {
    const result = await cli(["schema"]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(planDocumentJsonSchema());
  });
});

describe("pull and push without a server", () => {
  it("exit 2 when PRICEGRAPH_URL or PRICEGRAPH_API_KEY is missing, or the server cannot be reached", async () => {
    expect((await cli(["pull", "pln_1"])).stderr).toMatch(/set PRICEGRAPH_URL/);
    const noKey = await cli(["push", valid, "pln_1"], { env: { PRICEGRAPH_URL: "http://127.0.0.1:9" } });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/set PRICEGRAPH_API_KEY/);
    const env = { PRICEGRAPH_URL: "http://127.0.0.1:9", PRICEGRAPH_API_KEY: "pg_live_x" };
    const unreachable = await cli(["pull", "pln_1"], { env });
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toMatch(/cannot reach http:\/\/127\.0\.0\.1:9/);
  });

  it("exit 2 on bad arguments before any request", async () => {
    const env = { PRICEGRAPH_URL: "http://127.0.0.1:9", PRICEGRAPH_API_KEY: "pg_live_x" };
    expect((await cli(["push", valid], { env })).stderr).toMatch(/PLAN_ID or --new NAME/);
    expect((await cli(["push", valid, "pln_1", "--new", "x"], { env })).code).toBe(2);
    expect((await cli(["pull", "pln_1", "--version", "v2"], { env })).stderr).toMatch(/--version must be/);
  });
});
