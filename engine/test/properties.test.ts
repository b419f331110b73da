import DecimalJs from "decimal.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile } from "../src/compile.ts";
import { evaluate } from "../src/evaluate.ts";
import { evaluateDocument } from "../src/evaluate-document.ts";
import { compileOrThrow, singleNodePlan } from "../src/testing/plan.ts";
import { buildPlan, inputArb, planArb } from "../src/testing/random-plans.ts";

// The reference keeps its own Decimal with the engine's documented precision, so exact results agree and
// the (rare) inexact ones — divisions — round the same way.
const Dec = DecimalJs.clone({ precision: 40, rounding: DecimalJs.ROUND_HALF_UP });
type Dec = InstanceType<typeof Dec>;

const RUNS = { numRuns: 150 };

// ---------------------------------------------------------------------------------------------------------
// Laws of single pricing models

const amount = fc.constantFrom("0", "0.5", "1", "2.25", "10", "99.99", "1000", "12345.678");
const price = fc.constantFrom("0", "0.001", "0.01", "0.5", "1", "3", "7.25");
const usage = fc.oneof(
  fc.nat({ max: 100_000 }).map(String),
  fc.tuple(fc.nat({ max: 10_000 }), fc.nat({ max: 999 })).map(([a, b]) => `${a}.${b}`),
);
/** Strictly ascending bounds, the last unbounded. */
const bounds = fc
  .uniqueArray(fc.integer({ min: 1, max: 50_000 }), { minLength: 0, maxLength: 4 })
  .map((xs) => [...xs.sort((a, b) => a - b).map(String), null]);

const priceWith = (type: string, data: Record<string, unknown>) => {
  const plan = compileOrThrow(singleNodePlan({ type, data }));
  return (q: string) => {
    const result = evaluate(plan, { usage: { in: q } }, { explain: false });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    return new Dec(result.output.values["n.out"] as string);
  };
};

describe("pricing laws", () => {
  it("graduated totals never decrease as usage grows", () => {
    const tiers = bounds.chain((upTos) =>
      fc.tuple(
        ...upTos.map((upTo) =>
          fc.record({
            upTo: fc.constant(upTo),
            unitPrice: price,
            flatFee: fc.option(amount, { nil: undefined }),
          }),
        ),
      ),
    );
    fc.assert(
      fc.property(tiers, usage, usage, fc.boolean(), (table, a, b, chargeAtZero) => {
        const cleaned = table.map((t) =>
          t.flatFee === undefined ? { upTo: t.upTo, unitPrice: t.unitPrice } : t,
        );
        const charge = priceWith("tiered", { tiers: cleaned, chargeAtZero });
        const [low, high] = new Dec(a).lte(b) ? [a, b] : [b, a];
        expect(charge(low).lte(charge(high))).toBe(true);
      }),
      RUNS,
    );
  });

  it("with non-increasing tier prices, volume ≤ graduated", () => {
    const tiers = bounds.chain((upTos) =>
      fc.array(price, { minLength: upTos.length, maxLength: upTos.length }).map((prices) => {
        const sorted = prices.map((p) => new Dec(p)).sort((x, y) => y.comparedTo(x));
        return upTos.map((upTo, i) => ({ upTo, unitPrice: sorted[i].toString() }));
      }),
    );
    fc.assert(
      fc.property(tiers, usage, (table, q) => {
        const volume = priceWith("volume", { tiers: table })(q);
        const graduated = priceWith("tiered", { tiers: table })(q);
        expect(volume.lte(graduated)).toBe(true);
      }),
      RUNS,
    );
  });

  it("package = ⌈q / size⌉ × price (integers, checked with BigInt)", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 24n }),
        fc.bigInt({ min: 1n, max: 10n ** 6n }),
        fc.bigInt({ min: 0n, max: 10n ** 6n }),
        (q, size, cents) => {
          const packages = (q + size - 1n) / size;
          const expected = new Dec((packages * cents).toString()).div(100);
          const charge = priceWith("package", {
            packageSize: size.toString(),
            packagePrice: new Dec(cents.toString()).div(100).toString(),
          });
          expect(charge(q.toString()).eq(expected)).toBe(true);
        },
      ),
      RUNS,
    );
  });
});

// ---------------------------------------------------------------------------------------------------------
// Random plans of up to 30 nodes, and a deliberately naive reference interpreter

type Doc = ReturnType<typeof buildPlan>;
// biome-ignore lint/suspicious/noExplicitAny: the reference reads node data as raw JSON, like a first reader of the spec
type Raw = any;
type Input = {
  usage: Record<string, unknown>;
  params?: Record<string, string>;
  credits: Record<string, string>;
  proration: string;
};
type Group = { group: Record<string, string>; value: Dec };
class RefFailure extends Error {
  constructor(
    readonly code: string,
    readonly nodeId: string,
  ) {
    super(code);
  }
}

const OUTPUT_PORTS: Record<string, string[]> = {
  freeUnits: ["billable", "free"],
  discount: ["out", "discount"],
  minimum: ["out", "trueUp"],
  credits: ["out", "applied"],
  invoiceLine: [],
};

/**
 * The reference: straight from the spec's table, recursive and without memoisation. Only credit pools
 * need an order (topological, ties by id), so draws are made in a first pass and looked up afterwards.
 */
function referenceEvaluate(doc: Doc, input: Input) {
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  const into = (id: string, port: string) =>
    (doc.edges ?? []).filter((e) => e.target === id && e.targetHandle === port);
  const param = (key: string) =>
    new Dec(input.params?.[key] ?? doc.params!.find((p) => p.key === key)!.default);
  const num = (v: unknown): Dec =>
    typeof v === "object" && v !== null ? param((v as { param: string }).param) : new Dec(v as string);
  const proration = new Dec(input.proration);
  const draws = new Map<string, Dec>();
  const balances = new Map(Object.entries(input.credits).map(([k, v]) => [k, new Dec(v)]));

  const tierHolding = (tiers: Raw[], q: Dec): Raw => tiers.find((t) => t.upTo === null || q.lte(t.upTo))!;

  function value(id: string, port: string): Dec | Group[] {
    const node = byId.get(id)!;
    const d = node.data as Raw;
    const one = (p: string) => {
      const edge = into(id, p)[0];
      return edge ? value(edge.source, edge.sourceHandle) : undefined;
    };
    const x = (p: string) => one(p) as Dec;
    switch (node.type) {
      case "usage": {
        const given = input.usage[d.metric] as
          | string
          | { group: Record<string, string>; value: string }[]
          | undefined;
        if (d.groupBy) {
          const groups: Group[] = [];
          for (const row of (given ?? []) as { group: Record<string, string>; value: string }[]) {
            const key = row.group.tier ?? "";
            const existing = groups.find((g) => g.group.tier === key);
            if (existing) existing.value = existing.value.plus(row.value);
            else groups.push({ group: { tier: key }, value: new Dec(row.value) });
          }
          return groups;
        }
        if (given === undefined) return new Dec(0);
        if (Array.isArray(given)) return given.reduce((s, g) => s.plus(g.value), new Dec(0));
        return new Dec(given);
      }
      case "constant":
        return num(d.value);
      case "flatFee": {
        const qty = one("quantity") as Dec | undefined;
        return num(d.amount)
          .times(qty ?? 1)
          .times(d.prorate ? proration : 1);
      }
      case "perUnit":
        return x("in").times(num(d.unitPrice));
      case "package": {
        const packages = x("in").div(num(d.packageSize));
        return (d.rounding === "down" ? packages.floor() : packages.ceil()).times(num(d.packagePrice));
      }
      case "tiered": {
        const q = x("in");
        let total = new Dec(0);
        let lower = new Dec(0);
        for (const [i, t] of d.tiers.entries()) {
          // Usage of 0 or less is zero usage: only chargeAtZero charges the first tier (its flat fee).
          const holds = q.gt(lower) || (i === 0 && q.lte(0) && d.chargeAtZero);
          if (!holds) break;
          const upper = Dec.max(lower, t.upTo === null ? q : Dec.min(q, t.upTo));
          total = total.plus(upper.minus(lower).times(num(t.unitPrice))).plus(t.flatFee ? num(t.flatFee) : 0);
          if (t.upTo === null) break;
          lower = new Dec(t.upTo);
        }
        return total;
      }
      case "volume": {
        const q = x("in");
        if (q.lte(0)) return d.chargeAtZero && d.tiers[0].flatFee ? num(d.tiers[0].flatFee) : new Dec(0);
        const t = tierHolding(d.tiers, q);
        return q.times(num(t.unitPrice)).plus(t.flatFee ? num(t.flatFee) : 0);
      }
      case "step": {
        const q = x("in");
        if (q.lte(0) && d.chargeAtZero === false) return new Dec(0);
        return num(tierHolding(d.steps, q).price);
      }
      case "percent": {
        let out = x("in").times(num(d.rate)).div(100);
        const count = one("count") as Dec | undefined;
        if (count && d.fixedFee) out = out.plus(count.times(num(d.fixedFee)));
        if (d.minimum) out = Dec.max(out, num(d.minimum));
        if (d.maximum) out = Dec.min(out, num(d.maximum));
        return out;
      }
      case "matrix": {
        let total = new Dec(0);
        for (const g of one("in") as Group[]) {
          const row = d.rows.find((r: { match: Record<string, string> }) => r.match.tier === g.group.tier);
          const tiers = row?.tiers ?? d.default;
          if (!tiers) throw new RefFailure("MATRIX_NO_PRICE", id);
          total = total.plus(g.value.times(num(tierHolding(tiers, g.value).unitPrice)));
        }
        return total;
      }
      case "tiered2d": {
        const q = x("in");
        const col = d.columns.indexOf(tierHolding(d.columns, x("by")));
        if (d.mode === "volume") return q.times(num(d.rates[d.rows.indexOf(tierHolding(d.rows, q))][col]));
        const first = Dec.min(q, 10);
        return first.times(num(d.rates[0][col])).plus(q.minus(first).times(num(d.rates[1][col])));
      }
      case "freeUnits": {
        const q = x("in");
        const allowance = d.tiers ? num(tierHolding(d.tiers, q).allowance) : num(d.allowance);
        const free = Dec.max(0, Dec.min(q, allowance));
        return port === "free" ? free : q.minus(free);
      }
      case "discount": {
        const amountIn = x("in");
        let off = d.percent ? amountIn.times(num(d.percent)).div(100) : num(d.amount);
        if (d.maximum) off = Dec.min(off, num(d.maximum));
        off = Dec.max(0, Dec.min(off, amountIn));
        return port === "discount" ? off.negated() : amountIn.minus(off);
      }
      case "minimum": {
        const spend = x("in");
        const floor = num(d.amount).times(d.prorate ? proration : 1);
        return port === "trueUp" ? Dec.max(0, floor.minus(spend)) : Dec.max(spend, floor);
      }
      case "maximum":
        return Dec.min(x("in"), num(d.amount).times(d.prorate ? proration : 1));
      case "credits": {
        const used = draws.get(id)!;
        return port === "applied" ? used.negated() : x("in").minus(used);
      }
      case "math": {
        const [a, b] = [x("a"), x("b")];
        if (d.op === "divide" && b.isZero()) throw new RefFailure("DIVISION_BY_ZERO", id);
        return {
          add: () => a.plus(b),
          subtract: () => a.minus(b),
          multiply: () => a.times(b),
          divide: () => a.div(b),
          min: () => Dec.min(a, b),
          max: () => Dec.max(a, b),
        }[d.op as "add"]();
      }
      case "sum":
        return into(id, "in").reduce((s, e) => s.plus(value(e.source, e.sourceHandle) as Dec), new Dec(0));
      case "round": {
        const modes: Record<string, DecimalJs.Rounding> = {
          halfUp: Dec.ROUND_HALF_UP,
          halfEven: Dec.ROUND_HALF_EVEN,
          up: Dec.ROUND_UP,
          down: Dec.ROUND_DOWN,
          ceiling: Dec.ROUND_CEIL,
          floor: Dec.ROUND_FLOOR,
        };
        const scale = new Dec(10).pow(d.decimals);
        return x("in").times(scale).toDecimalPlaces(0, modes[d.mode]).div(scale);
      }
      case "condition": {
        const t = x("test");
        const c = t.comparedTo(num(d.threshold));
        const holds = { "<": c < 0, "<=": c <= 0, ">": c > 0, ">=": c >= 0, "==": c === 0, "!=": c !== 0 }[
          d.op as "<"
        ];
        return holds ? x("then") : x("else");
      }
    }
    throw new Error(`reference cannot evaluate ${node.type}`);
  }

  // Topological order, ties by id, naively: repeatedly take the smallest ready node.
  const order: string[] = [];
  while (order.length < doc.nodes.length) {
    const ready = doc.nodes
      .filter((n) => !order.includes(n.id))
      .filter((n) => (doc.edges ?? []).every((e) => e.target !== n.id || order.includes(e.source)))
      .map((n) => n.id)
      .sort();
    order.push(ready[0]);
  }
  const values: Record<string, Dec | Group[]> = {};
  try {
    for (const id of order) {
      const node = byId.get(id)!;
      if (node.type === "credits") {
        const wanted = Dec.max(0, value(into(id, "in")[0].source, into(id, "in")[0].sourceHandle) as Dec);
        const pool = (node.data as { grant: string }).grant;
        const balance = balances.get(pool) ?? new Dec(0);
        const used = Dec.min(wanted, Dec.max(0, balance));
        balances.set(pool, balance.minus(used));
        draws.set(id, used);
      }
      for (const port of OUTPUT_PORTS[node.type] ?? ["out"]) values[`${id}.${port}`] = value(id, port);
    }
  } catch (error) {
    if (error instanceof RefFailure) return { ok: false as const, code: error.code, nodeId: error.nodeId };
    throw error;
  }
  const lines = doc.nodes
    .filter((n) => n.type === "invoiceLine")
    .sort((a, b) => a.position.y - b.position.y || a.position.x - b.position.x || (a.id < b.id ? -1 : 1))
    .map((n) => {
      const edge = into(n.id, "amount")[0];
      return {
        id: n.id,
        hide: (n.data as { hideWhenZero?: boolean }).hideWhenZero,
        amount: cents(values[`${edge.source}.${edge.sourceHandle}`] as Dec),
      };
    })
    .filter((l) => !(l.hide && new Dec(l.amount).isZero()));
  return {
    ok: true as const,
    values,
    lines,
    total: lines.reduce((s, l) => s.plus(l.amount), new Dec(0)).toFixed(2),
  };
}

/** Half-up to cents; an amount that rounds to zero is written "0.00", never "-0.00". */
const cents = (value: Dec) => value.toFixed(2, Dec.ROUND_HALF_UP).replace(/^-(0\.00)$/, "$1");

describe("random plans", () => {
  it("evaluate equals the naive reference interpreter on random plans of up to 30 nodes", {
    timeout: 120_000,
  }, () => {
    fc.assert(
      fc.property(planArb, inputArb, ([recipes, lineCount, linePicks], input) => {
        const doc = buildPlan(recipes, lineCount, linePicks);
        expect(doc.nodes.length).toBeLessThanOrEqual(30);
        const compiled = compile(doc);
        if (!compiled.ok)
          throw new Error(`generated plan does not compile: ${JSON.stringify(compiled.problems)}`);
        const actual = evaluate(compiled.plan, input);
        const expected = referenceEvaluate(doc, input);
        if (!expected.ok) {
          expect(actual).toMatchObject({
            ok: false,
            problems: [{ code: expected.code, nodeId: expected.nodeId }],
          });
          return;
        }
        if (!actual.ok)
          throw new Error(`engine failed where the reference did not: ${JSON.stringify(actual.problems)}`);
        expect(actual.output.lines.map((l) => [l.nodeId, l.amount])).toEqual(
          expected.lines.map((l) => [l.id, l.amount]),
        );
        expect(actual.output.total).toBe(expected.total);
        for (const [key, want] of Object.entries(expected.values)) {
          const got = actual.output.values[key];
          if (Array.isArray(want)) continue; // grouped values feed matrices, whose outputs are compared
          expect([key, new Dec(got as string).eq(want)]).toEqual([key, true]);
        }
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 200) },
    );
  });

  it("evaluation is deterministic and the total equals the sum of the rounded lines", () => {
    fc.assert(
      fc.property(planArb, inputArb, ([recipes, lineCount, linePicks], input) => {
        const doc = buildPlan(recipes, lineCount, linePicks);
        const first = JSON.stringify(evaluateDocument(doc, input));
        expect(JSON.stringify(evaluateDocument(structuredClone(doc), structuredClone(input)))).toBe(first);
        const result = JSON.parse(first);
        if (!result.ok) return;
        const sum = result.output.lines.reduce(
          (s: Dec, l: { amount: string }) => s.plus(l.amount),
          new Dec(0),
        );
        expect(result.output.total).toBe(sum.toFixed(2));
      }),
      RUNS,
    );
  });
});
