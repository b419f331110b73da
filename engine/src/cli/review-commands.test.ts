import type { PlanDocumentInput } from "@pricegraph/shared";
import { describe, expect, it } from "vitest";
import { compile } from "../compile.ts";
import { diffDocuments } from "../diff.ts";
import { evaluate } from "../evaluate.ts";
import { broken, divides, file, template } from "./fixtures.ts";
import { runInProcess as cli } from "./testing.ts";

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
    [
      ["--metric", "delivery_minutes", "--to", "10", "--input", file("bad.json", { usage: { x: "1e3" } })],
      /bad\.json is not an evaluation input at \$\.usage\.x/,
    ],
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
