import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, createTestTenant, perUnitPlan, type TestContext } from "../../test/helpers.ts";
import { randomIds } from "../context.ts";
import { createBillingContext } from "../modules/billing/context.ts";
import { drainBillingJobs } from "../modules/billing-runs/service.ts";
import { queryRows, sqlState } from "./index.ts";

let ctx: TestContext;
let tenantId: string;
let invoiceId: string;
let total: string;

/** A finalized invoice of 20.00 with a credit note of 3.00, made through the API. */
beforeAll(async () => {
  ctx = await createTestContext();
  ctx.clock.set("2025-02-01T06:00:00Z");
  const t = await createTestTenant(ctx);
  tenantId = t.tenantId;
  await t.post("/v1/metrics", { key: "calls", eventType: "api", aggregation: "sum", property: "n" });
  const plan = (
    await t.post("/v1/plans", { name: "Calls", document: perUnitPlan("calls", { rate: "2" }) })
  ).json();
  await t.post(`/v1/plans/${plan.id}/versions`);
  const customer = (
    await t.post("/v1/customers", { externalId: "c-1", name: "Acme", timezone: "UTC" })
  ).json();
  const contract = await t.post("/v1/contracts", {
    customerId: customer.id,
    planId: plan.id,
    startDate: "2025-01-01",
    billingPeriod: "monthly",
  });
  expect(contract.statusCode, contract.body).toBe(201);
  await t.post("/v1/events", {
    events: [
      { id: "e-1", customer: "c-1", type: "api", timestamp: "2025-01-10T00:00:00Z", properties: { n: 10 } },
    ],
  });
  expect((await t.post("/v1/billing-runs", { asOf: "2025-02-01T00:00:00Z" })).statusCode).toBe(202);
  await drainBillingJobs({
    db: ctx.database.db,
    clock: ctx.clock.fn,
    ids: randomIds,
    billing: createBillingContext(),
  });
  const [invoice] = (await t.get("/v1/invoices")).json().data;
  invoiceId = invoice.id;
  expect((await t.post(`/v1/invoices/${invoiceId}/finalize`)).statusCode).toBe(200);
  const note = await t.post(`/v1/invoices/${invoiceId}/credit-notes`, { amount: "3", reason: "goodwill" });
  expect(note.statusCode, note.body).toBe(201);
  const [row] = await queryRows<{ total: string }>(
    ctx.database.db,
    sql`SELECT total FROM invoices WHERE id = ${invoiceId}`,
  );
  total = row.total;
  expect(Number(total)).toBe(20);
});
afterAll(async () => ctx?.close());

/** The SQLSTATE a statement fails with, or null when it succeeds. */
async function refusal(statement: ReturnType<typeof sql>): Promise<string | null> {
  try {
    await ctx.database.db.execute(statement);
    return null;
  } catch (error) {
    return sqlState(error);
  }
}

describe("the database refuses to rewrite money documents", () => {
  it("credit notes and their lines are never updated or deleted", async () => {
    const tenant = sql`WHERE tenant_id = ${tenantId}`;
    expect(await refusal(sql`UPDATE credit_notes SET amount = 0 ${tenant}`)).toBe("55000");
    expect(await refusal(sql`DELETE FROM credit_notes ${tenant}`)).toBe("55000");
    expect(await refusal(sql`UPDATE credit_note_lines SET amount = 0 ${tenant}`)).toBe("55000");
    expect(await refusal(sql`DELETE FROM credit_note_lines ${tenant}`)).toBe("55000");
    const [note] = await queryRows<{ amount: string; n: number }>(
      ctx.database.db,
      sql`SELECT amount, (SELECT count(*)::int FROM credit_note_lines ${tenant}) AS n FROM credit_notes ${tenant}`,
    );
    expect(Number(note.amount)).toBe(3);
    expect(note.n).toBe(1);
  });

  it("TRUNCATE is refused on invoices, lines, credit notes and the credit ledger", async () => {
    for (const table of ["invoices", "invoice_lines", "credit_notes", "credit_note_lines", "credit_ledger"]) {
      expect(await refusal(sql.raw(`TRUNCATE ${table} CASCADE`)), table).toBe("55000");
    }
    const [count] = await queryRows<{ n: number }>(
      ctx.database.db,
      sql`SELECT count(*)::int AS n FROM invoice_lines`,
    );
    expect(count.n).toBeGreaterThan(0);
  });

  it("credited amount stays within 0..total and amount due is total less credited", async () => {
    const at = sql`WHERE id = ${invoiceId}`;
    // The finalized-invoice trigger lets these two columns change (credit notes); the CHECKs bound them.
    expect(await refusal(sql`UPDATE invoices SET credited_amount = total + 1, amount_due = -1 ${at}`)).toBe(
      "23514",
    );
    expect(await refusal(sql`UPDATE invoices SET credited_amount = -1, amount_due = total + 1 ${at}`)).toBe(
      "23514",
    );
    expect(await refusal(sql`UPDATE invoices SET amount_due = 999 ${at}`)).toBe("23514");
    expect(
      await refusal(sql`UPDATE invoices SET credited_amount = 5, amount_due = total - 5 ${at}`),
    ).toBeNull();
  });
});
