import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  createTestContext,
  createTestTenant,
  perUnitPlan,
  type TestContext,
  type TestTenant,
} from "../../../test/helpers.ts";
import { randomIds } from "../../context.ts";
import { queryRows } from "../../db/index.ts";
import { drainBillingJobs } from "../billing-runs/service.ts";
import { type BillingDeps, createBillingContext } from "./context.ts";
import { finalizeDueDrafts } from "./drafts.ts";

// Every change billing makes leaves an activity record, written with the change, naming who made it.
let ctx: TestContext;
let deps: BillingDeps;
beforeAll(async () => {
  ctx = await createTestContext();
  deps = { db: ctx.database.db, clock: ctx.clock.fn, ids: randomIds, billing: createBillingContext() };
});
afterAll(async () => ctx?.close());

interface Record {
  type: string;
  objectId: string;
  object: { [key: string]: unknown };
  actor: { type: string; id: string };
}

async function activity(t: TestTenant): Promise<Record[]> {
  const res = await t.get("/v1/activity?limit=500");
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().data as Record[]).reverse();
}

// Product groups are derived from the lines and the catalog when the invoice is read: not in its snapshot.
const withoutExplanations = ({
  productGroups: _,
  contractGroups: __,
  ...invoice
}: {
  lines: { explanation?: unknown }[];
  productGroups?: unknown;
  contractGroups?: unknown;
}) => ({
  ...invoice,
  lines: invoice.lines.map(({ explanation: _, ...line }) => line),
});

it("records runs, invoices, credit notes, grants and settings with the actor that made each change", async () => {
  ctx.clock.set("2025-02-01T06:00:00Z");
  const t = await createTestTenant(ctx);
  await t.post("/v1/metrics", { key: "calls", eventType: "api", aggregation: "count" });
  const plan = (
    await t.post("/v1/plans", { name: "Calls", document: perUnitPlan("calls", { rate: "2", pool: "promo" }) })
  ).json();
  await t.post(`/v1/plans/${plan.id}/versions`);
  const customer = (await t.post("/v1/customers", { externalId: "acme", name: "Acme" })).json();
  const contract = (
    await t.post("/v1/contracts", {
      customerId: customer.id,
      planId: plan.id,
      startDate: "2025-01-01",
      billingPeriod: "monthly",
      creditGrants: [{ pool: "promo", amount: "1" }],
    })
  ).json();
  const grant = await t.post(`/v1/contracts/${contract.id}/credit-grants`, { pool: "promo", amount: "3" });
  expect(grant.statusCode, grant.body).toBe(201);
  const events = [1, 2, 3].map((i) => ({
    id: `e${i}`,
    customer: "acme",
    type: "api",
    timestamp: `2025-01-0${i}T00:00:00Z`,
  }));
  await t.post("/v1/events", { events });
  const keyId = (await activity(t)).find((r) => r.type === "contract.created")?.actor.id;
  expect(keyId).toMatch(/^key_/);

  const run = (await t.post("/v1/billing-runs", { asOf: "2025-02-01T00:00:00Z" })).json();
  await drainBillingJobs(deps);
  const [draft] = (await t.get("/v1/invoices")).json().data;
  const createdRecord = (await activity(t)).find((r) => r.type === "invoice.created");
  // The snapshot is the invoice as the API answers it right after the change (lines without explanations).
  expect(createdRecord?.object).toEqual(
    withoutExplanations((await t.get(`/v1/invoices/${draft.id}`)).json()),
  );
  expect(createdRecord?.object).toMatchObject({ total: "2.00", lines: [{ creditsApplied: "4" }] });

  await t.post("/v1/events", {
    events: [{ id: "late", customer: "acme", type: "api", timestamp: "2025-01-20T00:00:00Z" }],
  });
  expect((await t.post(`/v1/invoices/${draft.id}/refresh`)).statusCode).toBe(200);
  expect((await t.post(`/v1/invoices/${draft.id}/finalize`)).statusCode).toBe(200);
  const note = await t.post(`/v1/invoices/${draft.id}/credit-notes`, { amount: "1.00", reason: "goodwill" });
  expect(note.statusCode, note.body).toBe(201);
  expect((await t.put("/v1/billing/settings", { gracePeriodHours: 0 })).statusCode).toBe(200);

  // The next period's draft finalizes itself after the grace period, as the system.
  ctx.clock.set("2025-03-01T06:00:00Z");
  await t.post("/v1/billing-runs", { asOf: "2025-03-01T00:00:00Z" });
  await drainBillingJobs(deps);
  await finalizeDueDrafts(deps, t.tenantId);
  const march = (await t.get("/v1/invoices")).json().data.find((i: { id: string }) => i.id !== draft.id);
  expect(march.status).toBe("finalized");
  expect((await t.post(`/v1/invoices/${march.id}/void`)).statusCode).toBe(200);

  const records = await activity(t);
  const billing = records
    .filter(
      (r) =>
        !["customer", "metric", "plan", "plan_version", "contract", "api_key"].includes(r.type.split(".")[0]),
    )
    .map((r) => [r.type, r.actor.type, r.actor.id === keyId ? "key" : r.actor.id]);
  expect(billing).toEqual([
    ["credit_grant.created", "api_key", "key"],
    ["billing_run.created", "api_key", "key"],
    ["invoice.created", "system", "billing-run"],
    ["billing_run.completed", "system", "billing-run"],
    ["invoice.refreshed", "api_key", "key"],
    ["invoice.issued", "api_key", "key"],
    ["invoice.finalized", "api_key", "key"],
    ["credit_note.created", "api_key", "key"],
    ["settings.updated", "api_key", "key"],
    ["billing_run.created", "api_key", "key"],
    ["invoice.created", "system", "billing-run"],
    ["billing_run.completed", "system", "billing-run"],
    ["invoice.refreshed", "system", "grace-period"],
    ["invoice.issued", "system", "grace-period"],
    ["invoice.finalized", "system", "grace-period"],
    ["invoice.voided", "api_key", "key"],
  ]);
  const byType = (type: string) => records.filter((r) => r.type === type);
  expect(byType("credit_grant.created")[0].object).toMatchObject({
    amount: "3",
    balance: "3",
    contractId: contract.id,
  });
  expect(byType("billing_run.created")[0]).toMatchObject({
    objectId: run.id,
    object: { status: "queued", total: 1 },
  });
  expect(byType("billing_run.completed")[0].object).toMatchObject({
    status: "done",
    done: 1,
    invoicesCreated: 1,
  });
  expect(byType("invoice.refreshed")[0].object).toMatchObject({ id: draft.id, total: "4.00" });
  expect(byType("invoice.finalized")[0].object).toMatchObject({ status: "finalized", number: "INV-000001" });
  expect(byType("credit_note.created")[0].object).toMatchObject({
    invoiceId: draft.id,
    amount: "1.00",
    number: "CN-000001",
  });
  expect(byType("settings.updated")[0]).toMatchObject({
    objectId: t.tenantId,
    object: { gracePeriodHours: 0 },
  });
  expect(byType("invoice.voided")[0].object).toMatchObject({
    id: march.id,
    status: "void",
    amountDue: "0.00",
  });
});

it("a refused change records nothing", async () => {
  const t = await createTestTenant(ctx);
  const before = (await activity(t)).length;
  expect((await t.post("/v1/invoices/inv_missing/finalize")).statusCode).toBe(404);
  expect((await t.put("/v1/billing/settings", { gracePeriodHours: -1 })).statusCode).toBe(400);
  expect((await activity(t)).length).toBe(before);
});

it("writes a large batch of records in bulk, in order, with the database's own sequence and transaction id", async () => {
  const t = await createTestTenant(ctx);
  const rows = Array.from({ length: 120 }, (_, i) => `bulk-${String(i).padStart(3, "0")},Bulk ${i}`);
  const imported = await t.csv("/v1/customers/csv", `externalId,name\n${rows.join("\n")}\n`);
  expect(imported.statusCode, imported.body).toBeLessThan(300);
  const records = (await activity(t)).filter((r) => r.type === "customer.created");
  expect(records.map((r) => r.object.externalId)).toEqual(rows.map((row) => row.split(",")[0]));
  const counts = await queryRows(
    ctx.database.db,
    sql`SELECT count(DISTINCT txid)::int AS txids, count(DISTINCT seq)::int AS seqs FROM activity
      WHERE tenant_id = ${t.tenantId} AND type = 'customer.created'`,
  );
  expect(counts).toEqual([{ txids: 1, seqs: 120 }]);
});
