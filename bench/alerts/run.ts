// Alerts against ingestion benchmark. Not a test: prints the figure for docs/alerts.md.
//
//   pnpm bench:alerts                                                          (embedded PGlite in memory)
//   DATABASE_URL=postgres://…/pricegraph_bench pnpm bench:alerts   (a database it may RESET: the name must contain "bench")
//
// Two tenants set up alike — CUSTOMERS customers (default 200) on a per-call plan since the 1st of this month — one
// without alerts, one with two tenant-wide alerts (usage and spend thresholds, so every customer with new events is
// evaluated). After PRELOAD events (default 100,000) so the evaluator reads a table of some size, the real app
// (server/src/app.ts, listening on loopback) takes event batches over HTTP in rounds that alternate between the
// tenants: the quiet tenant's rounds are the baseline; during the alerting tenant's rounds the evaluator runs, its
// rhythm carried on from one alerting round to the next. PACING=continuous (default) runs passes back to back —
// the worst case, the evaluator never idle; PACING=server rests as the server does (at least EVERY_MS, default
// 1,000 ms, and at least REST_FACTOR times the last pass). The figure is the ingestion rate with alerts over the
// rate without, in the same run.
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { randomIds, systemClock } from "../../server/src/context.ts";
import { openDb } from "../../server/src/db/index.ts";
import { alertFirings, events as eventsTable } from "../../server/src/db/schema/index.ts";
import { stopJobs } from "../../server/src/jobs/boss.ts";
import { evaluateAlerts, restAfterPass } from "../../server/src/modules/alerts/evaluate.ts";
import { createTenant } from "../../server/src/modules/tenants/service.ts";
import { prng } from "../../shared/src/index.ts";
import { median } from "../support.ts";

const CUSTOMERS = Number(process.env.CUSTOMERS ?? 200);
const PRELOAD = Number(process.env.PRELOAD ?? 100_000);
const ROUNDS = Number(process.env.ROUNDS ?? 10);
const BATCHES_PER_ROUND = Number(process.env.BATCHES ?? 24);
const BATCH = 500;
const CONCURRENCY = 4;
const EVERY_MS = Number(process.env.EVERY_MS ?? 1_000);
/** `continuous` (default): passes back to back, the worst case; `server`: the server's rests between passes. */
const PACING = process.env.PACING === "server" ? "server" : "continuous";
const URL_ = process.env.DATABASE_URL;

// The app's own workers (billing, webhooks, e-mail, the alert evaluator) stay off: this run drives the evaluator.
process.env.BILLING_WORKER = "off";
process.env.EMAIL_WORKER = "off";
const { buildApp } = await import("../../server/src/app.ts");

if (URL_ && !/bench/i.test(new URL(URL_).pathname) && process.env.BENCH_ALLOW_RESET !== "1") {
  console.error("Refusing to reset a database whose name lacks 'bench'; set BENCH_ALLOW_RESET=1 to insist.");
  process.exit(2);
}
const database = await openDb(URL_ ? { url: URL_, maxConnections: 10 } : {});
if (database.sql) {
  await database.sql.unsafe(
    "DROP SCHEMA IF EXISTS public CASCADE; DROP SCHEMA IF EXISTS drizzle CASCADE; DROP SCHEMA IF EXISTS pgboss CASCADE; CREATE SCHEMA public;",
  );
}
await database.migrate();
const deps = { db: database.db, clock: systemClock, ids: randomIds };
const app = await buildApp({ db: database.db });
await app.listen({ port: 0, host: "127.0.0.1" });
const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

async function call(key: string, path: string, body: unknown): Promise<{ id: string }> {
  const response = await fetch(`${base}/v1${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (response.status >= 300) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as { id: string };
}

const now = new Date();
const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
const plan = {
  format: "pricegraph/v1",
  currency: "USD",
  params: [{ key: "rate", label: "Rate", type: "money", default: "0.01" }],
  nodes: [
    { id: "u", type: "usage", position: { x: 0, y: 0 }, data: { metric: "calls" } },
    { id: "p", type: "perUnit", position: { x: 200, y: 0 }, data: { unitPrice: { param: "rate" } } },
    { id: "l", type: "invoiceLine", position: { x: 400, y: 0 }, data: { description: "API calls" } },
  ],
  edges: [
    { id: "e1", source: "u", sourceHandle: "out", target: "p", targetHandle: "in" },
    { id: "e2", source: "p", sourceHandle: "out", target: "l", targetHandle: "amount" },
  ],
};

/** A tenant with the metric, the plan and its customers on contracts since the 1st of this month. */
async function setUpTenant(name: string) {
  const { tenantId, apiKey } = await createTenant(deps, name);
  await call(apiKey, "/metrics", { key: "calls", eventType: "api", aggregation: "count" });
  const { id: planId } = await call(apiKey, "/plans", { name: "Calls", document: plan });
  await call(apiKey, `/plans/${planId}/versions`, {});
  for (let i = 0; i < CUSTOMERS; i++) {
    const customer = await call(apiKey, "/customers", { externalId: `c${i}`, name: `Customer ${i}` });
    await call(apiKey, "/contracts", {
      customerId: customer.id,
      planId,
      startDate: monthStart.toISOString().slice(0, 10),
      billingPeriod: "monthly",
    });
  }
  return { tenantId, apiKey };
}

const quiet = await setUpTenant("quiet");
const alerting = await setUpTenant("alerting");
await call(alerting.apiKey, "/alerts", {
  name: "Calls",
  kind: "usage",
  metricKey: "calls",
  thresholds: ["100", "1000", "10000"],
});
await call(alerting.apiKey, "/alerts", { name: "Spend", kind: "spend", thresholds: ["1", "10", "100"] });

// Events in this period, up to an hour old (or since the 1st, on the first day of a month).
const random = prng(42);
const span = Math.min(3_600_000, now.getTime() - monthStart.getTime());
const event = (id: string) => ({
  id,
  customer: `c${Math.floor(random() * CUSTOMERS)}`,
  type: "api",
  timestamp: new Date(now.getTime() - 1 - Math.floor(random() * span)).toISOString(),
});

// Preload, straight into the table (history received before the run: the evaluator scans from now on).
const receivedBefore = new Date(now.getTime() - 86_400_000);
for (let i = 0; i < PRELOAD; i += 2_000) {
  const rows = Array.from({ length: Math.min(2_000, PRELOAD - i) }, (_, k) => {
    const e = event(`pre-${i + k}`);
    return {
      tenantId: k % 2 ? quiet.tenantId : alerting.tenantId,
      eventId: e.id,
      customerExternalId: e.customer,
      type: e.type,
      timestamp: new Date(e.timestamp),
      properties: {},
      receivedAt: receivedBefore,
    };
  });
  await database.db.insert(eventsTable).values(rows);
}
await evaluateAlerts(deps); // the first pass reads the preload's customers; rounds start from a scanned log

let sequence = 0;
/** One round: BATCHES_PER_ROUND batches of BATCH new events, CONCURRENCY requests in flight. Answers ms. */
async function round(apiKey: string): Promise<number> {
  const bodies = Array.from({ length: BATCHES_PER_ROUND }, () =>
    JSON.stringify({ events: Array.from({ length: BATCH }, () => event(`e-${++sequence}`)) }),
  );
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < bodies.length) {
        const response = await fetch(`${base}/v1/events`, {
          method: "POST",
          headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
          body: bodies[next++],
        });
        if (response.status !== 200) throw new Error(`ingest: ${response.status} ${await response.text()}`);
        await response.arrayBuffer();
      }
    }),
  );
  return performance.now() - started;
}

let passes = 0;
let passMs = 0;
/**
 * The evaluator as the server runs it — a pass, then a rest of `restAfterPass` — but running only while resumed:
 * its rests and passes go on across the alerting rounds as if they followed one another, and never overlap a
 * baseline round (`pause` waits for a pass under way to end).
 */
function pausableEvaluator() {
  let resumed = false;
  let finished = false;
  let restLeft = 0;
  let pass: Promise<void> = Promise.resolve();
  const tick = () => new Promise((r) => setTimeout(r, 10));
  const loop = (async () => {
    while (!finished) {
      if (!resumed) {
        await tick();
        continue;
      }
      if (restLeft > 0) {
        const started = performance.now();
        await tick();
        if (resumed) restLeft -= performance.now() - started;
        continue;
      }
      const started = performance.now();
      pass = evaluateAlerts(deps).then(() => undefined);
      await pass;
      const took = performance.now() - started;
      passMs += took;
      passes += 1;
      restLeft = PACING === "server" ? restAfterPass(EVERY_MS, took) : 0;
    }
  })();
  return {
    resume: () => {
      resumed = true;
    },
    pause: async () => {
      resumed = false;
      await pass;
    },
    finish: async () => {
      finished = true;
      await loop;
    },
  };
}

// Warm-up: JIT, connection pool, plan caches, on both tenants.
await round(quiet.apiKey);
await round(alerting.apiKey);
await evaluateAlerts(deps);

const evaluator = pausableEvaluator();
const withoutMs: number[] = [];
const withMs: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  // Alternate which goes first, so a trend on the machine weighs on both alike.
  for (const mode of r % 2 ? (["with", "without"] as const) : (["without", "with"] as const)) {
    if (mode === "without") {
      withoutMs.push(await round(quiet.apiKey));
    } else {
      evaluator.resume();
      withMs.push(await round(alerting.apiKey));
      await evaluator.pause();
    }
  }
}

await evaluator.finish();
const events = BATCHES_PER_ROUND * BATCH;
const rate = (ms: number) => Math.round((events / ms) * 1000);
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const fired = await database.db.$count(alertFirings);
const ratioPerRound = withMs.map((ms, i) => withoutMs[i] / ms);
console.log(
  `database: ${database.kind}; ${CUSTOMERS} customers per tenant, ${PRELOAD} events preloaded, ${ROUNDS} rounds of ${events} events per mode, ${CONCURRENCY} in flight, evaluator ${PACING}`,
);
console.log(
  `without alerts: ${rate(median(withoutMs))} events/s (median round ${median(withoutMs).toFixed(0)} ms)`,
);
console.log(
  `with alerts:    ${rate(median(withMs))} events/s (median round ${median(withMs).toFixed(0)} ms)`,
);
console.log(
  `evaluator: ${passes} passes, ${(passMs / Math.max(1, passes)).toFixed(0)} ms per pass (${CUSTOMERS} customers with new events each), busy ${((passMs / sum(withMs)) * 100).toFixed(0)} % of the alerting rounds; ${fired} firings`,
);
console.log(
  `ratio (with / without): median of rounds ${median(ratioPerRound).toFixed(3)}, all rounds ${(sum(withoutMs) / sum(withMs)).toFixed(3)} (goal ≥ 0.9)`,
);

await app.close();
await stopJobs(database.db);
await database.close();
