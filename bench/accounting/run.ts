// Accounting benchmark, not a test. On PostgreSQL:
//   DATABASE_URL=postgres://postgres@127.0.0.1:54370/pricegraph_bench pnpm bench:accounting
// It DROPS and recreates the public schema of that database. Two figures:
// 1. Journal posting for a 10,000-invoice billing run, as a share of the run: the run (10k contracts on the
//    video-infrastructure template, events loaded with COPY) makes its drafts and finalizes them as a tenant
//    without a grace period does (the billing worker's own finalize: refresh, tax, receivable terms, number,
//    `invoice.finalized`), both timed; then the journal consumer is timed. The share of the drafts alone is
//    printed beside it.
// 2. Every dashboard and report query with LINES invoice lines (1,000,000) loaded and journaled, median of five,
//    printed beside a `SELECT count(*)` of the invoice lines in the same run.
// REPORTS=off measures posting only (1.) and skips loading the history, which takes several minutes (as does
// finalizing 10,000 invoices one by one).
import { templates } from "../../engine/src/templates/index.ts";
import { randomIds, systemCaller } from "../../server/src/context.ts";
import { type Db, openDb } from "../../server/src/db/index.ts";
import {
  billingSettings,
  contracts,
  customers,
  metrics,
  plans,
  planVersions,
  tenants,
} from "../../server/src/db/schema/index.ts";
import { closeMonth } from "../../server/src/modules/accounting/close.ts";
import { postPendingActivity } from "../../server/src/modules/accounting/journal.ts";
import {
  creditLiability,
  deferredWaterfall,
  invoicesBehind,
  receivables,
  revenueReport,
} from "../../server/src/modules/accounting/reports.ts";
import { listAccounts, pageOfJournal, trialBalance } from "../../server/src/modules/accounting/service.ts";
import { type BillingDeps, createBillingContext } from "../../server/src/modules/billing/context.ts";
import { finalizeDueDrafts } from "../../server/src/modules/billing/drafts.ts";
import { createRun, drainBillingJobs } from "../../server/src/modules/billing-runs/service.ts";
import type { PlanDocument } from "../../shared/src/index.ts";
import { median } from "../support.ts";

const url = process.env.DATABASE_URL;
if (!url?.includes("bench")) {
  console.error("Set DATABASE_URL to a PostgreSQL database whose name contains `bench`: it is wiped.");
  process.exit(2);
}
const CONTRACTS = Number(process.env.CONTRACTS ?? 10_000);
const EVENTS_PER_CONTRACT = Number(process.env.EVENTS_PER_CONTRACT ?? 20);
const LINES = Number(process.env.LINES ?? 1_000_000);
const WORKERS = Number(process.env.WORKERS ?? 3);
const REPORTS = process.env.REPORTS !== "off";
const tenantId = "ten_bench";
const template = templates.find((t) => t.id === "video-infrastructure");
if (!template) throw new Error("template video-infrastructure not found");
const document = template.document as unknown as PlanDocument;
const since = (t: number) => performance.now() - t;

async function load(db: Db, pg: NonNullable<Awaited<ReturnType<typeof openDb>>["sql"]>) {
  const now = new Date();
  await db.insert(tenants).values({ id: tenantId, name: "bench", createdAt: now });
  // Drafts stay open after the run (as in bench/billing), so that making them and finalizing them are timed apart.
  await db.insert(billingSettings).values({ tenantId, gracePeriodHours: 24 * 90, updatedAt: now });
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
    draft: document,
    latestVersion: 1,
    createdAt: now,
    updatedAt: now,
  });
  await db
    .insert(planVersions)
    .values({ planId: "plan_video", version: 1, tenantId, document, publishedAt: now });
  const ids = Array.from({ length: CONTRACTS }, (_, i) => String(i).padStart(6, "0"));
  for (let i = 0; i < CONTRACTS; i += 2000) {
    const chunk = ids.slice(i, i + 2000);
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
    await db.insert(contracts).values(
      chunk.map((n) => ({
        id: `con_${n}`,
        tenantId,
        customerId: `cus_${n}`,
        planId: "plan_video",
        planVersion: 1,
        startDate: "2026-10-01",
        endDate: null,
        billingPeriod: "monthly" as const,
        paramOverrides: {} as Record<string, string>,
        createdAt: now,
      })),
    );
  }
  const writable =
    await pg`COPY events (tenant_id, event_id, customer_external_id, type, timestamp, properties, received_at) FROM STDIN`.writable();
  let buffer = "";
  for (const n of ids) {
    for (let e = 0; e < EVENTS_PER_CONTRACT; e++) {
      const ts = new Date(Date.UTC(2026, 9, 1 + (e % 30), 12)).toISOString();
      const encoded = e % 2 === 0;
      const props = encoded
        ? `{"minutes": ${1 + (e % 400)}, "quality": "hd"}`
        : `{"minutes": ${1 + (e % 300)}}`;
      buffer += `${tenantId}\tev_${n}_${e}\tc${n}\t${encoded ? "video.encoded" : "video.delivered"}\t${ts}\t${props}\t${now.toISOString()}\n`;
    }
    if (buffer.length > 1 << 20) {
      if (!writable.write(buffer)) await new Promise((resolve) => writable.once("drain", resolve));
      buffer = "";
    }
  }
  writable.end(buffer);
  await new Promise((resolve, reject) => writable.on("finish", resolve).on("error", reject));
  await pg`VACUUM ANALYZE events`;
}

/**
 * Finalizes every draft, stores its receivable terms with tax and writes its `invoice.finalized` record, as
 * invoices and receivables do when they finalize (in bulk: the finalize path is not what is timed).
 */
async function finalizeAll(
  pg: NonNullable<Awaited<ReturnType<typeof openDb>>["sql"]>,
  prefix = "INV-",
  finalizedAt = "now()",
) {
  await pg.unsafe(`
    UPDATE invoices SET status = 'finalized', finalized_at = ${finalizedAt}, updated_at = now(),
      number = '${prefix}' || lpad(n::text, 7, '0')
    FROM (SELECT id AS iid, row_number() OVER (ORDER BY id) AS n FROM invoices WHERE status = 'draft') d
    WHERE id = d.iid`);
  // What finalizing fixes for receivables (20 % tax, due in 30 days), which the journal books the tax from.
  await pg.unsafe(`
    INSERT INTO invoice_receivables (invoice_id, tenant_id, customer_id, currency, subtotal, tax, total,
      balance_applied, issue_date, due_date, payment_terms_days, created_at)
    SELECT id, tenant_id, customer_id, currency, total, round(total * 0.2, 2), total + round(total * 0.2, 2), 0,
      to_char(finalized_at, 'YYYY-MM-DD'), to_char(finalized_at + interval '30 days', 'YYYY-MM-DD'), 30, now()
    FROM invoices WHERE number LIKE '${prefix}%'`);
  await pg.unsafe(`
    INSERT INTO activity (id, tenant_id, type, object_type, object_id, object, actor_type, actor_id, created_at)
    SELECT 'act_' || id, tenant_id, 'invoice.finalized', 'invoice', id, jsonb_build_object('id', id), 'system',
      'bench', now() FROM invoices WHERE number LIKE '${prefix}%' ORDER BY id`);
}

/** LINES more invoice lines over 2026 (4 lines an invoice, two of them advance fees), finalized and announced. */
async function loadHistory(pg: NonNullable<Awaited<ReturnType<typeof openDb>>["sql"]>) {
  const invoicesCount = Math.ceil(LINES / 4);
  await pg.unsafe(`
    INSERT INTO invoices (id, tenant_id, contract_id, customer_id, plan_id, plan_version, currency, period_start,
      period_end, period_start_date, period_end_date, period_index, proration, status, total, credited_amount,
      amount_due, usage, usage_computed_at, created_at, updated_at, kind)
    SELECT 'inv_hist_' || g, '${tenantId}', 'con_' || lpad((g % ${CONTRACTS})::text, 6, '0'),
      'cus_' || lpad((g % ${CONTRACTS})::text, 6, '0'), 'plan_video', 1, 'USD', m, m + interval '1 month',
      to_char(m, 'YYYY-MM-DD'), to_char(m + interval '1 month', 'YYYY-MM-DD'), 0, '1', 'draft', '350.00', '0',
      '350.00', '{}'::jsonb, now(), now(), now(), 'adjustment'
    FROM (SELECT g, timestamptz '2026-01-01' + ((g % 10) || ' months')::interval AS m
          FROM generate_series(1, ${invoicesCount}) g) s`);
  await pg.unsafe(`
    INSERT INTO invoice_lines (id, tenant_id, invoice_id, contract_id, position, kind, node_id, description, product,
      timing, quantity, amount, unrounded, service_period_start, service_period_end, service_period_start_date,
      service_period_end_date, explanation)
    SELECT i.id || '_' || p, i.tenant_id, i.id, i.contract_id, p, 'charge', 'n' || p,
      (ARRAY['Encoding','Delivery','Platform fee','Support'])[p + 1], (ARRAY['encoding','delivery','platform','support'])[p + 1],
      CASE WHEN p >= 2 THEN 'advance' ELSE 'arrears' END, NULL, (50 + p * 25)::numeric(12, 2), (50 + p * 25)::numeric,
      i.period_start, i.period_end, i.period_start_date, i.period_end_date, '[]'::jsonb
    FROM invoices i CROSS JOIN generate_series(0, 3) p WHERE i.id LIKE 'inv_hist_%'`);
  // History is finalized the day after each period, as a live tenant's would have been.
  await finalizeAll(pg, "HIST-", "period_end + interval '1 day'");
  await pg`VACUUM ANALYZE invoices, invoice_lines, activity`;
}

async function timed<T>(label: string, run: () => Promise<T>, results: [string, number][]) {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    await run();
    times.push(since(t));
  }
  results.push([label, median(times)]);
}

async function main() {
  const admin = await openDb({ url, maxConnections: 1 });
  await admin.sql?.unsafe(
    "DROP SCHEMA IF EXISTS public CASCADE; DROP SCHEMA IF EXISTS drizzle CASCADE; DROP SCHEMA IF EXISTS pgboss CASCADE; CREATE SCHEMA public;",
  );
  await admin.close();
  const database = await openDb({ url, maxConnections: 8 });
  await database.migrate();
  const { db } = database;
  const pg = database.sql as NonNullable<typeof database.sql>;
  let t = performance.now();
  await load(db, pg);
  console.log(
    `loaded ${CONTRACTS} contracts and ${CONTRACTS * EVENTS_PER_CONTRACT} events in ${since(t).toFixed(0)} ms`,
  );

  // ---- 1. posting the journal for a billing run ------------------------------------------------------------
  const deps: BillingDeps = { db, clock: () => new Date(), ids: randomIds, billing: createBillingContext() };
  await listAccounts(deps, tenantId); // the chart exists before timing, as in any tenant with history
  t = performance.now();
  await createRun(deps, systemCaller(tenantId, "bench"), { asOf: "2026-11-01T00:00:00Z" });
  await Promise.all(Array.from({ length: WORKERS }, () => drainBillingJobs(deps)));
  const draftsMs = since(t);
  // The drafts' grace period ends: the billing worker refreshes and finalizes each (tax, receivable terms,
  // number, `invoice.finalized`), as a run of a tenant without a grace period does before it completes.
  await pg`UPDATE billing_settings SET grace_period_hours = 0 WHERE tenant_id = ${tenantId}`;
  t = performance.now();
  const finalized = await finalizeDueDrafts(deps, tenantId);
  const finalizeMs = since(t);
  const runMs = draftsMs + finalizeMs;
  t = performance.now();
  const records = await postPendingActivity(deps);
  const postMs = since(t);
  const [{ count: entries }] = await pg<{ count: string }[]>`SELECT count(*)::text FROM journal_entries`;
  const share = (ms: number) => `${((postMs / ms) * 100).toFixed(1)} %`;
  console.log(
    `billing run: ${finalized} invoices in ${runMs.toFixed(0)} ms (drafts ${draftsMs.toFixed(0)} ms, finalizing ${finalizeMs.toFixed(0)} ms)`,
  );
  console.log(`journal: ${records} records → ${entries} entries in ${postMs.toFixed(0)} ms`);
  console.log(`journal posting / billing run = ${share(runMs)}  (budget ≤ 20 %)`);
  console.log(`journal posting / the run's drafts alone = ${share(draftsMs)}`);
  if (!REPORTS) {
    await database.close();
    return;
  }

  // ---- 2. reports with LINES invoice lines -----------------------------------------------------------------
  t = performance.now();
  await loadHistory(pg);
  await postPendingActivity(deps);
  await closeMonth(deps, systemCaller(tenantId, "bench"), "2026-09");
  await pg`VACUUM ANALYZE journal_entries, journal_lines, revenue_schedule`;
  const [{ count: lines }] = await pg<{ count: string }[]>`SELECT count(*)::text FROM invoice_lines`;
  const [{ count: journalLines }] = await pg<{ count: string }[]>`SELECT count(*)::text FROM journal_lines`;
  console.log(
    `history: ${lines} invoice lines, ${journalLines} journal lines, journaled and closed in ${since(t).toFixed(0)} ms`,
  );

  const results: [string, number][] = [];
  const range = { from: "2026-01", to: "2026-12" };
  await timed(
    "baseline SELECT count(*) FROM invoice_lines",
    () => pg`SELECT count(*) FROM invoice_lines`,
    results,
  );
  for (const by of ["product", "timing", "customer", "month"] as const) {
    await timed(
      `revenue by ${by}, 12 months`,
      () => revenueReport(deps, tenantId, { ...range, by, top: 20 }),
      results,
    );
  }
  await timed(
    "revenue trend of one customer",
    () => revenueReport(deps, tenantId, { ...range, by: "month", customerId: "cus_000042", top: 20 }),
    results,
  );
  await timed("receivables by customer", () => receivables(deps, tenantId), results);
  await timed("credit liability", () => creditLiability(deps, tenantId), results);
  await timed("trial balance", () => trialBalance(deps, tenantId), results);
  await timed("deferred revenue waterfall", () => deferredWaterfall(deps, tenantId, range), results);
  await timed(
    "invoices behind a month × product",
    () =>
      invoicesBehind(deps, tenantId, {
        from: "2026-03",
        to: "2026-03",
        product: "encoding",
        measure: "invoiced",
      }),
    results,
  );
  await timed(
    "invoices behind outstanding",
    () => invoicesBehind(deps, tenantId, { ...range, measure: "outstanding" }),
    results,
  );
  await timed(
    "journal entries, first page of 50",
    () => pageOfJournal(deps, tenantId, { limit: 50 }),
    results,
  );
  const baseline = results[0][1];
  for (const [label, ms] of results) {
    console.log(
      `${label.padEnd(44)} ${ms.toFixed(1).padStart(8)} ms  ${(ms / baseline).toFixed(2).padStart(6)}× baseline${ms > 300 ? "  OVER 300 ms" : ""}`,
    );
  }
  await database.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
