import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { PlanDocumentInput } from "@pricegraph/shared";
import { describe, expect, it } from "vitest";
import { compile } from "../compile.ts";
import { diffDocuments } from "../diff.ts";
import { evaluate } from "../evaluate.ts";
import { planDocumentJsonSchema } from "../json-schema.ts";
import { planDocument } from "../testing/plan.ts";
import { runInProcess as cli, scratchFolder } from "./testing.ts";

const templates = resolve(import.meta.dirname, "../templates");
const template = (name: string): PlanDocumentInput =>
  JSON.parse(readFileSync(join(templates, `${name}.json`), "utf8"));
const scratch = scratchFolder();
const file = scratch.write;

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
const missing = join(scratch.dir, "missing.json");

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

describe("diff", () => {
  const v1 = template("video-infrastructure");
  const v2: PlanDocumentInput = {
    ...v1,
    params: v1.params?.map((p) => (p.key === "hd_rate" ? { ...p, default: "0.009" } : p)),
    nodes: v1.nodes.map((n) =>
      n.id === "lineFee" ? { ...n, data: { ...n.data, description: "Platform" } } : n,
    ),
  };
  const from = file("v1.json", v1);
  const to = file("v2.json", v2);

  it("--json is the web's diff of the same two documents", async () => {
    const result = await cli(["diff", from, to, "--json"]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(JSON.parse(JSON.stringify(diffDocuments(v1, v2))));
  });

  it("prints the change list as text", async () => {
    const result = await cli(["diff", from, to]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      "changed Invoice line (lineFee)\n  description: Platform fee → Platform\n",
    );
    expect(result.stdout).toContain("Parameters\n  changed hd_rate default: 0.008 → 0.009\n");
    expect(result.stdout).toMatch(/Added 0, removed 0, changed 1, unchanged \d+\n$/);
  });

  it("--exit-code: 1 when the plans price differently, 0 when only the layout moved", async () => {
    expect((await cli(["diff", from, to, "--exit-code"])).code).toBe(1);
    const moved = file("moved.json", {
      ...v1,
      nodes: v1.nodes.map((n) => ({ ...n, position: { x: 1, y: 2 } })),
    });
    const same = await cli(["diff", from, moved, "--exit-code"]);
    expect(same.code).toBe(0);
    expect(same.stdout).toMatch(/^The two versions price the same way/);
  });

  it("exit 2 for a file that is not a plan document, naming where", async () => {
    const notPlan = file("not-plan.json", { format: "pricegraph/v1", currency: "USD" });
    const result = await cli(["diff", from, notPlan]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/not-plan\.json is not a pricegraph\/v1 document at \$\.nodes/);
  });
});

describe("curve", () => {
  const video = file("video.json", template("video-infrastructure"));
  const videoInput = {
    usage: { video_minutes: [{ group: { quality: "hd" }, value: "120000" }] },
    credits: { startup: "50" },
  };
  const inputPath = file("video-input.json", videoInput);

  it("is the engine's total at each point of the sweep", async () => {
    const result = await cli([
      "curve",
      video,
      "--metric",
      "delivery_minutes",
      "--from",
      "0",
      "--to",
      "300000",
      "--steps",
      "7",
      "--input",
      inputPath,
    ]);
    expect(result.code).toBe(0);
    const [header, ...rows] = result.stdout.trimEnd().split("\n");
    expect(header).toBe("delivery_minutes,total");
    expect(rows).toHaveLength(8);
    const compiled = compile(template("video-infrastructure"));
    if (!compiled.ok) throw new Error("template must compile");
    for (const row of rows) {
      const [usage, total] = row.split(",");
      const expected = evaluate(compiled.plan, {
        ...videoInput,
        usage: { ...videoInput.usage, delivery_minutes: usage },
      });
      expect(expected.ok && expected.output.total, usage).toBe(total);
    }
    expect(rows.map((r) => r.split(",")[0])).toEqual([
      "0",
      "42857.142857",
      "85714.285714",
      "128571.428571",
      "171428.571429",
      "214285.714286",
      "257142.857143",
      "300000",
    ]);
  });

  it.each([
    [["--to", "10"], /curve needs --metric/],
    [["--metric", "delivery_minutes"], /curve needs --to/],
    [["--metric", "delivery_minutes", "--to", "1e6"], /--to must be a decimal/],
    [["--metric", "delivery_minutes", "--to", "10", "--steps", "0"], /--steps must be a whole number/],
    [
      ["--metric", "seats", "--to", "10"],
      /no usage of metric "seats" \(its metrics: delivery_minutes, video_minutes\)/,
    ],
    [["--metric", "video_minutes", "--to", "10"], /is grouped/],
  ])("exit 2 on bad options %j", async (options, message) => {
    const result = await cli(["curve", video, ...options]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(message);
  });

  it("exit 1 when the plan does not compile or a point fails to evaluate", async () => {
    expect((await cli(["curve", broken, "--metric", "minutes", "--to", "10"])).code).toBe(1);
    const failing = await cli([
      "curve",
      divides,
      "--metric",
      "seats",
      "--from=-2",
      "--to",
      "2",
      "--steps",
      "4",
    ]);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toBe("");
    expect(failing.stderr).toMatch(/evaluation failed at seats = 0:[\s\S]*DIVISION_BY_ZERO/);
  });
});

describe("test (golden cases)", () => {
  const plan = file("tiered.json", template("tiered"));
  const cases = {
    cases: [
      {
        name: "inside the first tier",
        input: { usage: { api_calls: "5000" } },
        expect: { total: "50.00", lines: [{ description: "API calls", amount: "50" }] },
      },
      {
        name: "across all three tiers",
        input: { usage: { api_calls: "150000" } },
        expect: { total: "1070.00" },
      },
    ],
  };
  const casesPath = file("cases.json", cases);

  it("exit 0 and one line per case when every case passes", async () => {
    const result = await cli(["test", plan, casesPath]);
    expect(result).toEqual({
      code: 0,
      stdout: "ok   inside the first tier\nok   across all three tiers\n2 cases passed\n",
      stderr: "",
    });
  });

  it("exit 1 with a readable difference when a price changed", async () => {
    const document = template("tiered");
    const cheaper = {
      ...document,
      nodes: document.nodes.map((n) =>
        n.id === "tiers"
          ? {
              ...n,
              data: {
                ...n.data,
                tiers: (n.data.tiers as { upTo: string | null }[]).map((t) => ({ ...t, unitPrice: "0.009" })),
              },
            }
          : n,
      ),
    };
    const result = await cli(["test", file("cheaper.json", cheaper), casesPath]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      [
        "FAIL inside the first tier",
        "       total: expected 50.00, got 45.00",
        "       lines[0].amount (API calls): expected 50, got 45.00",
        "FAIL across all three tiers",
        "       total: expected 1070.00, got 1350.00",
        "2 of 2 cases failed",
        "",
      ].join("\n"),
    );
    const json = await cli(["test", file("cheaper.json", cheaper), casesPath, "--json"]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).cases[1]).toEqual({
      name: "across all three tiers",
      ok: false,
      mismatches: [{ path: "total", expected: "1070.00", actual: "1350.00" }],
    });
  });

  it("checks the number of lines, credits and expected problems", async () => {
    const golden = file("more.json", {
      cases: [
        {
          name: "an extra line expected",
          input: { usage: { api_calls: "1" } },
          expect: { lines: [{}, { amount: "1" }] },
        },
        {
          name: "a failure expected",
          input: { usage: { api_calls: "1" } },
          expect: { problems: ["INVALID_INPUT"] },
        },
      ],
    });
    const result = await cli(["test", plan, golden]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('lines[1]: expected {"amount":"1"}, got (nothing)');
    expect(result.stdout).toContain(
      'FAIL a failure expected\n       problems: expected ["INVALID_INPUT"], got []',
    );
    const division = file("division.json", {
      cases: [
        { name: "no seats", input: { usage: { seats: "0" } }, expect: { problems: ["DIVISION_BY_ZERO"] } },
      ],
    });
    expect((await cli(["test", divides, division])).stdout).toBe("ok   no seats\n1 case passed\n");
  });

  it("exit 1 when the plan does not compile; exit 2 for a malformed cases file", async () => {
    const failing = await cli(["test", broken, casesPath]);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toMatch(/^FAIL .*broken\.json does not compile/);
    const malformed = await cli([
      "test",
      plan,
      file("bad-cases.json", { cases: [{ name: "x", expect: { totl: "1" } }] }),
    ]);
    expect(malformed.code).toBe(2);
    expect(malformed.stdout).toBe("");
    expect(malformed.stderr).toMatch(/bad-cases\.json at \$\.cases\.0\.expect/);
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
