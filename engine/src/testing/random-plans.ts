import fc from "fast-check";
import { type NodeSpec, planDocument } from "./plan.ts";

// Random valid plans of up to 30 nodes and random evaluation inputs for them, for property tests: each node
// takes its inputs from earlier nodes of the right type, so every generated plan compiles.

export const DECIMALS = ["0", "1", "2.5", "10", "0.01", "0.333", "100", "7", "1000", "0.5"];
export const METRICS = ["m1", "m2", "m3"];

export interface Recipe {
  kind: number;
  picks: number[];
  values: string[];
  flags: boolean[];
}
export const recipe: fc.Arbitrary<Recipe> = fc.record({
  kind: fc.nat({ max: 21 }),
  picks: fc.array(fc.nat({ max: 1000 }), { minLength: 4, maxLength: 4 }),
  values: fc.array(fc.constantFrom(...DECIMALS), { minLength: 6, maxLength: 6 }),
  flags: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
});

/** Builds a valid document from recipes: every node takes its inputs from earlier nodes of the right type. */
export function buildPlan(recipes: Recipe[], lineCount: number, linePicks: number[]) {
  const nodes: NodeSpec[] = [];
  const edges: string[] = [];
  const outputs = { quantity: [] as string[], money: [] as string[], grouped: [] as string[] };
  const pick = (list: string[], n: number) => list[n % list.length];
  const positive = (v: string) => (v === "0" ? "1" : v);
  const tiers = (values: string[], row: (v: string, i: number) => Record<string, unknown>) => {
    const upTos = [...new Set(values.slice(0, 3).map(positive))].sort((a, b) => Number(a) - Number(b));
    return [...upTos, null].map((upTo, i) => ({ upTo, ...row(values[(i + 3) % values.length], i) }));
  };
  const addNode = (r: Recipe, index: number) => {
    const id = `n${String(index).padStart(2, "0")}`;
    const [p0, p1, p2, p3] = r.picks;
    const [f0, f1, f2] = r.flags;
    const add = (
      type: string,
      data: Record<string, unknown>,
      ins: [string, string][],
      outs: [string, keyof typeof outputs][],
    ) => {
      nodes.push([id, type, data, [(index % 6) * 260, Math.floor(index / 6) * 140]]);
      for (const [source, port] of ins) edges.push(`${source} -> ${id}.${port}`);
      for (const [port, type] of outs) outputs[type].push(`${id}.${port}`);
    };
    const q = outputs.quantity;
    const m = outputs.money;
    let kind = r.kind;
    // Fall back to a source when the inputs a kind needs do not exist yet.
    if ([5, 6, 7, 8, 9, 10, 12, 13].includes(kind) && q.length === 0) kind = 0;
    if ([14, 15, 16, 17].includes(kind) && m.length === 0) kind = 3;
    if (kind === 11 && outputs.grouped.length === 0) kind = 1;
    if ([18, 20, 21].includes(kind) && q.length + m.length === 0) kind = 2;
    const numeric = (n: number): string => pick([...q, ...m], n);
    const typeOf = (port: string) => (q.includes(port) ? "quantity" : "money");
    switch (kind) {
      case 0:
        return add("usage", { metric: pick(METRICS, p0) }, [], [["out", "quantity"]]);
      case 1:
        return add("usage", { metric: "g", groupBy: ["tier"] }, [], [["out", "grouped"]]);
      case 2:
        return add("constant", { value: r.values[0], valueType: "quantity" }, [], [["out", "quantity"]]);
      case 3:
        return add("constant", { value: r.values[0], valueType: "money" }, [], [["out", "money"]]);
      case 4:
        return add(
          "flatFee",
          { amount: r.values[0], prorate: f0 },
          f1 && q.length ? [[pick(q, p0), "quantity"]] : [],
          [["out", "money"]],
        );
      case 5:
        return add(
          "perUnit",
          { unitPrice: f0 ? { param: "rate" } : r.values[0] },
          [[pick(q, p0), "in"]],
          [["out", "money"]],
        );
      case 6:
        return add(
          "package",
          { packageSize: positive(r.values[0]), packagePrice: r.values[1], rounding: f0 ? "down" : "up" },
          [[pick(q, p0), "in"]],
          [["out", "money"]],
        );
      case 7:
      case 8:
        return add(
          kind === 7 ? "tiered" : "volume",
          {
            tiers: tiers(r.values, (v, i) =>
              f1 && i === 0 ? { unitPrice: v, flatFee: "5" } : { unitPrice: v },
            ),
            chargeAtZero: f0,
          },
          [[pick(q, p0), "in"]],
          [["out", "money"]],
        );
      case 9:
        return add(
          "step",
          { steps: tiers(r.values, (v) => ({ price: v })), ...(f0 ? { chargeAtZero: f1 } : {}) },
          [[pick(q, p0), "in"]],
          [["out", "money"]],
        );
      case 10:
        return add(
          "percent",
          {
            rate: r.values[0],
            ...(f0 ? { fixedFee: r.values[1] } : {}),
            ...(f1 ? { minimum: r.values[2] } : {}),
            ...(f2 ? { maximum: r.values[3] } : {}),
          },
          [[numeric(p0), "in"], ...(r.flags[3] ? [[pick(q, p1), "count"] as [string, string]] : [])],
          [["out", "money"]],
        );
      case 11:
        return add(
          "matrix",
          {
            dimensions: ["tier"],
            rows: [
              { match: { tier: "a" }, tiers: tiers(r.values, (v) => ({ unitPrice: v })) },
              { match: { tier: "b" }, tiers: [{ upTo: null, unitPrice: r.values[5] }] },
            ],
            ...(f0 ? { default: [{ upTo: null, unitPrice: r.values[4] }] } : {}),
          },
          [[pick(outputs.grouped, p0), "in"]],
          [["out", "money"]],
        );
      case 12:
        return add(
          "tiered2d",
          {
            rows: [{ upTo: "10" }, { upTo: null }],
            columns: [{ upTo: positive(r.values[0]) }, { upTo: null }],
            rates: [
              [r.values[1], r.values[2]],
              [r.values[3], r.values[4]],
            ],
            mode: f0 ? "volume" : "graduated",
          },
          [
            [pick(q, p0), "in"],
            [pick(q, p1), "by"],
          ],
          [["out", "money"]],
        );
      case 13:
        return add(
          "freeUnits",
          f0 ? { allowance: r.values[0] } : { tiers: tiers(r.values, (v) => ({ allowance: v })) },
          [[pick(q, p0), "in"]],
          [
            ["billable", "quantity"],
            ["free", "quantity"],
          ],
        );
      case 14:
        return add(
          "discount",
          {
            ...(f0 ? { percent: r.values[0] } : { amount: r.values[0] }),
            ...(f1 ? { maximum: r.values[1] } : {}),
          },
          [[pick(m, p0), "in"]],
          [
            ["out", "money"],
            ["discount", "money"],
          ],
        );
      case 15:
        return add(
          "minimum",
          { amount: r.values[0], prorate: f0 },
          [[pick(m, p0), "in"]],
          [
            ["out", "money"],
            ["trueUp", "money"],
          ],
        );
      case 16:
        return add(
          "maximum",
          { amount: r.values[0], prorate: f0 },
          [[pick(m, p0), "in"]],
          [["out", "money"]],
        );
      case 17:
        return add(
          "credits",
          { grant: f0 ? "p1" : "p2" },
          [[pick(m, p0), "in"]],
          [
            ["out", "money"],
            ["applied", "money"],
          ],
        );
      case 18: {
        const a = numeric(p0);
        const ta = typeOf(a);
        const op = ["add", "subtract", "multiply", "divide", "min", "max"][p2 % 6];
        // b's type follows the spec's typing rules for the op and a's type.
        const tb =
          op === "multiply"
            ? "quantity"
            : op === "divide"
              ? ta === "quantity"
                ? "quantity"
                : f0
                  ? "money"
                  : "quantity"
              : ta;
        const list = tb === "quantity" ? q : m;
        if (list.length === 0)
          return add("constant", { value: r.values[0], valueType: "money" }, [], [["out", "money"]]);
        const b = pick(list, p1);
        const out =
          op === "divide" && ta === tb ? "quantity" : ta === "money" || tb === "money" ? "money" : "quantity";
        return add(
          "math",
          { op },
          [
            [a, "a"],
            [b, "b"],
          ],
          [["out", out]],
        );
      }
      case 19: {
        const type = f0 || q.length === 0 ? "money" : "quantity";
        const list = type === "money" ? m : q;
        const count = list.length === 0 ? 0 : p3 % 4;
        const ins = Array.from(
          { length: count },
          (_, i) => [pick(list, r.picks[i]), "in"] as [string, string],
        );
        return add("sum", {}, ins, [["out", count === 0 ? "money" : type]]);
      }
      case 20: {
        const source = numeric(p0);
        const mode = ["halfUp", "halfEven", "up", "down", "ceiling", "floor"][p1 % 6];
        return add("round", { decimals: (p2 % 5) - 2, mode }, [[source, "in"]], [["out", typeOf(source)]]);
      }
      default: {
        const branch = numeric(p1);
        const type = typeOf(branch);
        const list = type === "quantity" ? q : m;
        return add(
          "condition",
          { op: ["<", "<=", ">", ">=", "==", "!="][p3 % 6], threshold: r.values[0] },
          [
            [numeric(p0), "test"],
            [branch, "then"],
            [pick(list, p2), "else"],
          ],
          [["out", type]],
        );
      }
    }
  };
  recipes.forEach((r, index) => {
    addNode(r, index);
  });
  if (outputs.money.length === 0) {
    nodes.push(["money", "constant", { value: "1", valueType: "money" }, [0, 2000]]);
    outputs.money.push("money.out");
  }
  for (let i = 0; i < lineCount; i++) {
    const id = `line${i}`;
    nodes.push([
      id,
      "invoiceLine",
      { description: id, hideWhenZero: linePicks[i] % 3 === 0 },
      [1560, (linePicks[i] % 5) * 140],
    ]);
    edges.push(`${pick(outputs.money, linePicks[i])} -> ${id}.amount`);
    if (outputs.quantity.length && linePicks[i] % 2)
      edges.push(`${pick(outputs.quantity, linePicks[i] + 1)} -> ${id}.quantity`);
  }
  return planDocument(nodes, edges, { params: [{ key: "rate", type: "money", default: "0.02" }] });
}

export const decimalArb = fc.constantFrom(...DECIMALS, "12345678901234567890123", "3.14159");
export const groupArb = fc.array(
  fc.record({
    group: fc.constantFrom({ tier: "a" }, { tier: "b" }, { tier: "c" }, {}),
    value: fc.constantFrom(...DECIMALS),
  }),
  { maxLength: 4 },
);
export const inputArb = fc.record({
  usage: fc.record({ m1: decimalArb, m2: decimalArb, g: groupArb }, { requiredKeys: ["m1"] }),
  params: fc.option(fc.record({ rate: fc.constantFrom("0.05", "1.5") }), { nil: undefined }),
  credits: fc.record({ p1: fc.constantFrom("0", "10", "250.5", "100000") }, { requiredKeys: [] }),
  proration: fc.constantFrom("1", "0.5", "0.25"),
});
export const planArb = fc.tuple(
  fc.array(recipe, { minLength: 1, maxLength: 26 }),
  fc.integer({ min: 1, max: 4 }),
  fc.array(fc.nat({ max: 1000 }), { minLength: 4, maxLength: 4 }),
);
