// Backtest benchmark, not a test. On PostgreSQL:
//   DATABASE_URL=postgres://postgres@127.0.0.1:54331/pricegraph_bench pnpm exec tsx bench/backtest/run.ts
// Options (env): CONTRACTS (10000), PERIODS (3), SKIP_LOAD=1 (reuse the data a previous run loaded).
// It DROPS and recreates the public schema of that database, loads 10k customers and contracts on version 1 of
// the video-infrastructure template with three invoiced months each (the invoices and lines billing would store,
// computed by billing's own pure code, their explanations left out), publishes version 2 (a higher platform fee),
// then times the migration dry run from version 1 to 2 over the last PERIODS periods of every contract. It prints
// the time (goal: under a minute for 10,000 contracts × 3 periods) and the run over a floor measured in the same
// run: one hand-written SELECT of every stored usage, one GROUP BY of the charges per contract and service
// period, and engine-only evaluation of the same inputs.
import { compile, evaluate } from "../../engine/src/index.ts";
import { templates } from "../../engine/src/templates/index.ts";
import { randomIds, systemCaller } from "../../server/src/context.ts";
import { type Database, openDb } from "../../server/src/db/index.ts";
import {
  contracts,
  customers,
  metrics,
  plans,
  planVersions,
  tenants,
} from "../../server/src/db/schema/index.ts";
import { computeInvoice, type Usage } from "../../server/src/modules/billing/compute.ts";
import {
  type BillingDeps,
  createBillingContext,
  toContext,
} from "../../server/src/modules/billing/context.ts";
import { invoiceRows } from "../../server/src/modules/billing/invoice-rows.ts";
import { insertInvoiceRows, insertLineRows } from "../../server/src/modules/invoices/queries.ts";
import { migratePlan } from "../../server/src/modules/plan-migrations/service.ts";
import { type Period, type PlanDocument, periodAfter, periodAt } from "../../shared/src/index.ts";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("Set DATABASE_URL to a PostgreSQL database this benchmark may wipe.");
  process.exit(2);
}
const CONTRACTS = Number(process.env.CONTRACTS ?? 10_000);
const PERIODS = Number(process.env.PERIODS ?? 3);
const GOAL_MS = 60_000;

const template = templates.find((t) => t.id === "video-infrastructure");
if (!template) throw new Error("template video-infrastructure not found");
const v1 = template.document as unknown as PlanDocument;
const v2: PlanDocument = {
  ...v1,
  params: v1.params.map((p) => (p.key === "platform_fee" ? { ...p, default: "129" } : p)),
};

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
let seed = 7;
const rnd = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
};
const minutes = (max: number) => String(Math.floor(rnd() * max));

async function load(deps: BillingDeps, tenantId: string) {
  const { db } = deps;
  const t = performance.now();
  const now = new Date();
  await db.insert(tenants).values({ id: tenantId, name: "bench", createdAt: now });
  const metric = (key: string, eventType: string, groupBy: string[]) => ({
    tenantId,
    key,
    name: key,
    eventType,
    aggregation: "sum" as const,
    property: "minutes",
    filters: [],
    groupBy,
    rounding: null,
    createdAt: now,
    updatedAt: now,
  });
  await db
    .insert(metrics)
    .values([
      metric("video_minutes", "video.encoded", ["quality"]),
      metric("delivery_minutes", "video.delivered", []),
    ]);
  await db.insert(plans).values({
    id: "plan_video",
    tenantId,
    name: "Video",
    draft: v2,
    latestVersion: 2,
    createdAt: now,
    updatedAt: now,
  });
  await db.insert(planVersions).values([
    { planId: "plan_video", version: 1, tenantId, document: v1, publishedAt: now },
    { planId: "plan_video", version: 2, tenantId, document: v2, publishedAt: now },
  ]);
  const ids = Array.from({ length: CONTRACTS }, (_, i) => String(i).padStart(6, "0"));
  let invoiceCount = 0;
  let lineCount = 0;
  for (let i = 0; i < CONTRACTS; i += 1000) {
    const chunk = ids.slice(i, i + 1000);
    const contractRows = chunk.map((n, j) => ({
      id: `con_${n}`,
      tenantId,
      customerId: `cus_${n}`,
      planId: "plan_video",
      planVersion: 1,
      startDate: (i + j) % 4 === 0 ? "2026-08-15" : "2026-08-01",
      endDate: null,
      billingPeriod: "monthly" as const,
      paramOverrides: ((i + j) % 3 === 0 ? { hd_rate: "0.007" } : {}) as Record<string, string>,
      createdAt: now,
      termMonths: null,
      renewalPolicy: null,
    }));
    await db.insert(customers).values(
      chunk.map((n) => ({
        id: `cus_${n}`,
        tenantId,
        externalId: `c${n}`,
        name: `Customer ${n}`,
        email: null,
        timezone: "UTC",
        currency: null,
        createdAt: now,
        updatedAt: now,
      })),
    );
    await db.insert(contracts).values(contractRows);
    // Three invoiced months (August to October), as billing computes and stores them.
    const invoices = [];
    for (const contract of contractRows) {
      const ctx = toContext(deps.billing, tenantId, {
        contract,
        externalId: contract.customerId,
        timezone: "UTC",
        document: v1,
        phases: [],
      });
      for (let index = 0; index < 3; index++) {
        const period = periodAt(ctx.terms, index);
        if (!period) throw new Error("no period");
        const usage: Usage = {
          video_minutes: ["sd", "hd", "4k"].map((quality) => ({
            group: { quality },
            value: minutes(40_000),
          })),
          delivery_minutes: minutes(400_000),
        };
        const next = periodAfter(ctx.terms, period);
        const slice = (p: Period, sliceUsage: Usage) => ({
          plan: ctx.plan,
          params: contract.paramOverrides,
          proration: p.proration,
          usage: sliceUsage,
          label: null,
        });
        const computed = computeInvoice({
          period,
          next,
          slices: [slice(period, usage)],
          nextSlices: next ? [slice(next, {})] : [],
          grants: [],
        });
        for (const line of computed.lines) line.explanation = [];
        invoices.push(
          invoiceRows(deps, tenantId, { ctx, period, computed }, { runId: null, usageComputedAt: now, now }),
        );
      }
    }
    await insertInvoiceRows(
      db,
      invoices.map((r) => r.invoice),
    );
    const lines = invoices.flatMap((r) => r.lines);
    for (let k = 0; k < lines.length; k += 5000) await insertLineRows(db, lines.slice(k, k + 5000));
    invoiceCount += invoices.length;
    lineCount += lines.length;
  }
  console.log(
    `loaded ${CONTRACTS} contracts, ${invoiceCount} invoices, ${lineCount} lines in ${seconds(performance.now() - t)}`,
  );
}

async function floor(
  pg: NonNullable<Database["sql"]>,
  tenantId: string,
): Promise<{ sqlMs: number; engineMs: number }> {
  let t = performance.now();
  const stored = await pg<{ usage: Usage; proration: string; params: Record<string, string> }[]>`
    SELECT usage -> 'usage' AS usage, proration, usage -> 'params' AS params FROM invoices
    WHERE tenant_id = ${tenantId} AND kind = 'period'`;
  await pg`SELECT contract_id, service_period_start, sum(amount) FROM invoice_lines
    WHERE tenant_id = ${tenantId} AND kind = 'charge' GROUP BY contract_id, service_period_start`;
  const sqlMs = performance.now() - t;
  const compiled = compile(v2);
  if (!compiled.ok) throw new Error("version 2 does not compile");
  t = performance.now();
  for (const row of stored) {
    const result = evaluate(
      compiled.plan,
      { usage: row.usage, params: row.params, credits: {}, proration: row.proration },
      { explain: false, values: false },
    );
    if (!result.ok) throw new Error("evaluation failed");
  }
  return { sqlMs, engineMs: performance.now() - t };
}

async function main() {
  const reuse = process.env.SKIP_LOAD === "1";
  if (!reuse) {
    const admin = await openDb({ url, maxConnections: 1 });
    await admin.sql?.unsafe(
      "DROP SCHEMA IF EXISTS public CASCADE; DROP SCHEMA IF EXISTS drizzle CASCADE; CREATE SCHEMA public;",
    );
    await admin.close();
  }
  const database = await openDb({ url, maxConnections: 8 });
  await database.migrate();
  const deps: BillingDeps = {
    db: database.db,
    clock: () => new Date("2026-12-01T12:00:00Z"),
    ids: randomIds,
    billing: createBillingContext(),
  };
  const tenantId = "ten_bench";
  if (reuse) console.log("reusing the loaded contracts and invoices (SKIP_LOAD=1)");
  else await load(deps, tenantId);
  await database.sql?.unsafe("VACUUM ANALYZE invoices");
  await database.sql?.unsafe("VACUUM ANALYZE invoice_lines");

  const start = performance.now();
  const result = await migratePlan(deps, systemCaller(tenantId, "benchmark"), "plan_video", {
    fromVersion: 1,
    toVersion: 2,
    effectiveDate: "2026-12-01",
    dryRun: true,
    periods: PERIODS,
  });
  const runMs = performance.now() - start;
  const t = performance.now();
  const body = JSON.stringify(result);
  const jsonMs = performance.now() - t;
  const base = await floor(database.sql as NonNullable<Database["sql"]>, tenantId);
  const floorMs = base.sqlMs + base.engineMs;

  console.log(`backtest: ${result.contracts.length} contracts × ${PERIODS} periods in ${seconds(runMs)}`);
  console.log(`  skipped ${result.skipped.length}; totals ${JSON.stringify(result.totals)}`);
  console.log(`  answer: ${(body.length / 1e6).toFixed(1)} MB of JSON, serialized in ${seconds(jsonMs)}`);
  console.log(`floor: SQL ${seconds(base.sqlMs)} + engine ${seconds(base.engineMs)} = ${seconds(floorMs)}`);
  console.log(`backtest ÷ floor: ${(runMs / floorMs).toFixed(2)}×`);
  console.log(`goal: under ${seconds(GOAL_MS)} — ${runMs < GOAL_MS ? "met" : "MISSED"}`);
  await database.close();
}

await main();
