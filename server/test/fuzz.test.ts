import Decimal from "decimal.js";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTestContext,
  createTestTenant,
  perUnitPlan,
  type TestContext,
  type TestTenant,
} from "./helpers.ts";

// Random JSON bodies, path parameters and query strings at every /v1 route: no answer may be a 5xx, and every
// error has the one error shape.
const RUNS = Number(process.env.FUZZ_RUNS ?? 40);

interface Operation {
  method: "GET" | "POST" | "PUT" | "PATCH";
  path: string;
  bodyKeys: string[];
  queryKeys: string[];
  csv: boolean;
}

let ctx: TestContext;
let tenant: TestTenant;
let operations: Operation[];
const known: Record<string, string[]> = {};

beforeAll(async () => {
  ctx = await createTestContext();
  ctx.clock.set("2025-04-15T00:00:00Z");
  tenant = await createTestTenant(ctx);
  const customer = (await tenant.post("/v1/customers", { externalId: "fz", name: "Fuzz" })).json();
  await tenant.post("/v1/metrics", {
    key: "m",
    eventType: "e",
    aggregation: "sum",
    property: "v",
    groupBy: ["g"],
  });
  const plan = (
    await tenant.post("/v1/plans", { name: "F", document: perUnitPlan("m", { pool: "promo" }) })
  ).json();
  await tenant.post(`/v1/plans/${plan.id}/versions`);
  const contract = (
    await tenant.post("/v1/contracts", {
      customerId: customer.id,
      planId: plan.id,
      startDate: "2025-03-01",
      billingPeriod: "monthly",
      creditGrants: [{ pool: "promo", amount: "3" }],
    })
  ).json();
  await tenant.post("/v1/events", {
    events: [
      {
        id: "fz-1",
        customer: "fz",
        type: "e",
        timestamp: "2025-04-01T00:00:00Z",
        properties: { v: 2, g: "x" },
      },
    ],
  });
  known.id = [customer.id, plan.id, contract.id];
  known.key = ["m"];
  known.version = ["1"];
  known.customerId = [customer.id];
  known.planId = [plan.id];

  const spec = (await ctx.app.inject({ method: "GET", url: "/openapi.json" })).json();
  operations = [];
  for (const [path, methods] of Object.entries(
    spec.paths as Record<string, Record<string, OpenApiOperation>>,
  )) {
    if (!path.startsWith("/v1/")) continue;
    for (const [method, op] of Object.entries(methods)) {
      const content = op.requestBody?.content ?? {};
      const body = content["application/json"]?.schema;
      operations.push({
        method: method.toUpperCase() as Operation["method"],
        path,
        bodyKeys: Object.keys(body?.properties ?? {}),
        queryKeys: (op.parameters ?? []).filter((p) => p.in === "query").map((p) => p.name),
        csv: Boolean(content["text/csv"]) || path.endsWith("/csv"),
      });
    }
  }
});
afterAll(async () => ctx?.close());

interface OpenApiOperation {
  requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> };
  parameters?: { in: string; name: string }[];
}

const text = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.constantFrom(
    "",
    "0",
    "-1",
    "1e309",
    "9".repeat(400),
    "2025-02-30T00:00:00Z",
    "\u0000",
    "%00",
    "../..",
    "' OR 1=1 --",
  ),
);
const scalar = fc.oneof(
  text,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(1e308, -1e308, Number.MAX_SAFE_INTEGER * 1000, 0.1),
);
const jsonish = fc.oneof(
  { depthSize: "small" },
  fc.jsonValue({ maxDepth: 3 }),
  fc.array(scalar, { maxLength: 4 }),
  fc.dictionary(text, scalar, { maxKeys: 4 }),
);

function bodyFor(op: Operation) {
  const shaped = op.bodyKeys.length
    ? fc.dictionary(
        fc.constantFrom(...op.bodyKeys),
        fc.oneof(scalar, jsonish, fc.array(jsonish, { maxLength: 3 })),
        {
          maxKeys: op.bodyKeys.length,
        },
      )
    : fc.constant({});
  return fc.oneof(
    shaped.map((value) => ({ kind: "json" as const, value })),
    jsonish.map((value) => ({ kind: "json" as const, value })),
    fc.string({ maxLength: 60 }).map((value) => ({ kind: "raw" as const, value })),
    fc
      .array(fc.array(fc.oneof(text, fc.constantFrom('"', ",", "\n", "id", "customer")), { maxLength: 6 }), {
        maxLength: 5,
      })
      .map((rows) => ({ kind: "csv" as const, value: rows.map((r) => r.join(",")).join("\n") })),
  );
}

function pathFor(op: Operation) {
  const names = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
  return fc
    .tuple(...names.map((name) => fc.oneof(fc.constantFrom(...(known[name] ?? ["x"])), text)))
    .map((values) => {
      let path = op.path;
      names.forEach((name, i) => {
        path = path.replace(`{${name}}`, encodeURIComponent(values[i] || "x"));
      });
      return path;
    });
}

function queryFor(op: Operation) {
  const keys = [...op.queryKeys, "limit", "cursor", "junk"];
  return fc
    .dictionary(
      fc.constantFrom(...keys),
      fc.oneof(text, fc.constantFrom(...(known.id ?? []), "0", "501", "-5")),
      { maxKeys: 4 },
    )
    .map((query) =>
      Object.entries(query)
        .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
        .join("&"),
    );
}

describe("fuzz: random input at every route", () => {
  it("discovers the /v1 routes from the OpenAPI document", () => {
    expect(operations.length).toBeGreaterThanOrEqual(20);
  });

  it("never answers 5xx, always in the error shape", async () => {
    for (const op of operations) {
      await fc.assert(
        fc.asyncProperty(pathFor(op), queryFor(op), bodyFor(op), async (path, query, body) => {
          const url = query ? `${path}?${query}` : path;
          const hasBody = op.method !== "GET";
          const headers: Record<string, string> = {};
          let payload: string | undefined;
          if (hasBody) {
            if (body.kind === "json") {
              payload = JSON.stringify(body.value) ?? "null";
              headers["content-type"] = "application/json";
            } else if (body.kind === "csv" || op.csv) {
              payload = body.value;
              headers["content-type"] = "text/csv";
            } else {
              payload = body.value;
              headers["content-type"] = "application/json";
            }
          }
          const res = await tenant.request({ method: op.method, url, headers, payload });
          if (res.statusCode >= 500) {
            throw new Error(
              `${op.method} ${url} → ${res.statusCode} ${res.body} (payload ${payload?.slice(0, 300)})`,
            );
          }
          if (res.statusCode >= 400) {
            const error = res.json().error;
            expect(typeof error.code).toBe("string");
            expect(Array.isArray(error.details)).toBe(true);
          }
        }),
        { numRuns: RUNS },
      );
    }
  }, 300_000);
});

describe("edge values", () => {
  it("handles huge and tiny numbers end to end without a 5xx", async () => {
    const customer = (await tenant.post("/v1/customers", { externalId: "edge", name: "Edge" })).json();
    const ingest = await tenant.post("/v1/events", {
      events: [
        {
          id: "big",
          customer: "edge",
          type: "e",
          timestamp: "2025-04-01T00:00:00Z",
          properties: { v: 1e39, g: "a" },
        },
        {
          id: "tiny",
          customer: "edge",
          type: "e",
          timestamp: "2025-04-01T00:00:00Z",
          properties: { v: "-0.0000000001" },
        },
        {
          id: "long",
          customer: "edge",
          type: "e",
          timestamp: "2025-04-01T00:00:00Z",
          properties: { v: "9".repeat(40) },
        },
      ],
    });
    expect(ingest.statusCode).toBe(200);
    const usage = await tenant.get(
      `/v1/customers/${customer.id}/usage?from=2025-04-01T00:00:00Z&to=2025-05-01T00:00:00Z`,
    );
    expect(usage.statusCode).toBe(200);
    const Exact = Decimal.clone({ precision: 1000 });
    const expected = new Exact("1e39").plus("9".repeat(40)).minus("0.0000000001").toFixed();
    expect(usage.json().metrics[0].value).toBe(expected);
    // Past 40 digits a value is refused at the door, naming the event and property.
    const absurd = await tenant.post("/v1/events", {
      events: [
        {
          id: "absurd-1",
          customer: "edge",
          type: "e",
          timestamp: "2025-04-01T00:00:00Z",
          properties: { v: 1e308 },
        },
        {
          id: "absurd-2",
          customer: "edge",
          type: "e",
          timestamp: "2025-04-01T00:00:00Z",
          properties: { v: "9".repeat(99) },
        },
      ],
    });
    expect(absurd.statusCode).toBe(400);
    expect(absurd.json().error.details.map((d: { path: string }) => d.path)).toEqual([
      "$.events[0].properties.v",
      "$.events[1].properties.v",
    ]);
    const plan = (await tenant.get("/v1/plans")).json().data[0];
    for (const value of ["9".repeat(2000), `0.${"0".repeat(2000)}1`, "-5"]) {
      const res = await tenant.post(`/v1/plans/${plan.id}/preview`, { input: { usage: { m: value } } });
      expect(res.statusCode).toBeLessThan(500);
    }
    expect((await tenant.get("/v1/customers?limit=1e400")).statusCode).toBe(400);
    expect(
      (await tenant.post("/v1/customers", { externalId: "n", name: "x".repeat(10_000) })).statusCode,
    ).toBe(400);
    expect((await tenant.post("/v1/customers", { externalId: "nul\u0000", name: "x" })).statusCode).toBe(400);
  });
});
