import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTestContext,
  createTestTenant,
  perUnitPlan,
  TEST_DB,
  type TestContext,
  type TestTenant,
} from "../../../test/helpers.ts";
import { systemCaller } from "../../context.ts";
import { queryRows } from "../../db/index.ts";
import { type BillingDeps, createBillingContext } from "../billing/context.ts";
import { invoiceContracts } from "../billing/invoicing.ts";

/**
 * Contract changes that re-price a consolidated draft run at the same time as each other and as billing rounds:
 * every transaction takes all its contract locks at once in the one sorted order, so none waits in a cycle (on
 * PostgreSQL a cycle is a deadlock, and one of the requests fails). PGlite runs one transaction at a time, so there
 * the same requests only prove the outcome; the interleavings are PostgreSQL's. Each case repeats, since which
 * contract locks first is up to the scheduler and the hashes of random ids.
 */

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx?.close());

const REPEATS = TEST_DB === "postgres" ? 6 : 2;
const JANUARY_END = new Date("2025-02-01T00:00:00Z");

interface Customer {
  t: TestTenant;
  planId: string;
  contractIds: [string, string];
}

/** A consolidating tenant with the per-minute plan (rate 1) published as versions 1 and 2 (rate 5). */
async function consolidatingTenant(): Promise<{ t: TestTenant; planId: string }> {
  const t = await createTestTenant(ctx);
  await t.post("/v1/metrics", {
    key: "minutes",
    eventType: "video",
    aggregation: "sum",
    property: "minutes",
  });
  const plan = (
    await t.post("/v1/plans", { name: "Minutes", document: perUnitPlan("minutes", { rate: "1" }) })
  ).json();
  expect((await t.post(`/v1/plans/${plan.id}/versions`)).statusCode).toBe(201);
  const second = await t.put(`/v1/plans/${plan.id}/draft`, {
    document: perUnitPlan("minutes", { rate: "5" }),
  });
  expect(second.statusCode, second.body).toBe(200);
  expect((await t.post(`/v1/plans/${plan.id}/versions`)).statusCode).toBe(201);
  expect((await t.put("/v1/billing/settings", { invoiceConsolidation: "per_customer" })).statusCode).toBe(
    200,
  );
  return { t, planId: plan.id };
}

/**
 * A customer with two contracts on the plan's version 1 from 2025-01-01 and 10 minutes on 2025-01-20, billed onto
 * one consolidated January draft (10 + 10 = 20.00).
 */
async function customerWithConsolidatedDraft(
  tenant: { t: TestTenant; planId: string },
  name: string,
): Promise<Customer> {
  const { t, planId } = tenant;
  const customer = (await t.post("/v1/customers", { externalId: name, name, timezone: "UTC" })).json();
  const contractIds: string[] = [];
  for (let i = 0; i < 2; i++) {
    const res = await t.post("/v1/contracts", {
      customerId: customer.id,
      planId,
      planVersion: 1,
      startDate: "2025-01-01",
      billingPeriod: "monthly",
    });
    expect(res.statusCode, res.body).toBe(201);
    contractIds.push(res.json().id);
  }
  const events = await t.post("/v1/events", {
    events: [
      {
        id: `${name}-1`,
        customer: name,
        type: "video",
        timestamp: "2025-01-20T00:00:00Z",
        properties: { minutes: 10 },
      },
    ],
  });
  expect(events.statusCode, events.body).toBeLessThan(300);
  const billed = await invoiceContracts(
    ctx.deps,
    systemCaller(t.tenantId, "billing-run"),
    contractIds,
    JANUARY_END,
  );
  expect(billed).toEqual({ created: 1, failures: [] });
  const draft = await theDraft({ t, planId, contractIds: contractIds as [string, string] });
  expect(draft).toMatchObject({ consolidated: true, total: "20.00" });
  return { t, planId, contractIds: contractIds as [string, string] };
}

async function theDraft(customer: Customer) {
  const list = (await customer.t.get(`/v1/invoices?contractId=${customer.contractIds[0]}`)).json().data;
  expect(list).toHaveLength(1);
  return (await customer.t.get(`/v1/invoices/${list[0].id}`)).json();
}

/** Billing rounds over both contracts, one after another, until `done` settles; none may fail. */
async function roundsUntil(customer: Customer, done: Promise<unknown>): Promise<void> {
  let settled = false;
  void done.finally(() => {
    settled = true;
  });
  const caller = systemCaller(customer.t.tenantId, "billing-run");
  do {
    const round = await invoiceContracts(ctx.deps, caller, customer.contractIds, JANUARY_END);
    expect(round).toEqual({ created: 0, failures: [] });
  } while (!settled);
}

const amend = (customer: Customer, contractId: string, rate: string) =>
  customer.t.post(`/v1/contracts/${contractId}/amendments`, {
    effectiveDate: "2025-01-16",
    paramOverrides: { rate },
    reason: `rate ${rate}`,
  });

describe("contract changes re-pricing a consolidated draft, concurrently", () => {
  it("two amendments of the two contracts of one draft both succeed, and the draft prices both", async () => {
    ctx.clock.set("2025-02-01T06:00:00Z");
    const tenant = await consolidatingTenant();
    for (let i = 0; i < REPEATS; i++) {
      const customer = await customerWithConsolidatedDraft(tenant, `both-${i}`);
      const [a, b] = customer.contractIds;
      const answers = await Promise.all([amend(customer, a, "2"), amend(customer, b, "3")]);
      expect(answers.map((r) => [r.statusCode, r.statusCode === 200 ? "" : r.body])).toEqual([
        [200, ""],
        [200, ""],
      ]);
      // The events fall after the amendments: 10 × 2 + 10 × 3.
      expect((await theDraft(customer)).total).toBe("50.00");
    }
  });

  it("an amendment and an end of sibling contracts, while billing rounds lock both, all succeed", async () => {
    ctx.clock.set("2025-02-01T06:00:00Z");
    const tenant = await consolidatingTenant();
    for (let i = 0; i < REPEATS; i++) {
      const customer = await customerWithConsolidatedDraft(tenant, `end-${i}`);
      const [a, b] = customer.contractIds;
      const changes = Promise.all([
        amend(customer, a, "4"),
        customer.t.post(`/v1/contracts/${b}/end`, {
          endDate: "2025-01-31",
          reason: "moved to the other plan",
        }),
      ]);
      await roundsUntil(customer, changes);
      const answers = await changes;
      expect(answers.map((r) => [r.statusCode, r.statusCode === 200 ? "" : r.body])).toEqual([
        [200, ""],
        [200, ""],
      ]);
      // 10 × 4 on the amended contract, 10 × 1 on the ended one (its last day is the period's last).
      expect((await theDraft(customer)).total).toBe("50.00");
    }
  });

  it("a plan migration of both contracts while billing rounds lock them succeeds and re-prices the draft", async () => {
    ctx.clock.set("2025-02-01T06:00:00Z");
    const tenant = await consolidatingTenant();
    for (let i = 0; i < REPEATS; i++) {
      const customer = await customerWithConsolidatedDraft(tenant, `migration-${i}`);
      // Amending from the 16th without overrides: the minutes of the 20th are priced at version 2's rate 5.
      const migration = customer.t.post(`/v1/plans/${customer.planId}/migrations`, {
        fromVersion: 1,
        toVersion: 2,
        effectiveDate: "2025-01-16",
        contractIds: customer.contractIds,
        dryRun: false,
      });
      await roundsUntil(customer, migration);
      const answer = await migration;
      expect(answer.statusCode, answer.body).toBe(200);
      expect([...answer.json().amended].sort()).toEqual([...customer.contractIds].sort());
      expect((await theDraft(customer)).total).toBe("100.00");
    }
  });

  it.skipIf(TEST_DB !== "postgres")(
    "a change that finds its contract billed onto a consolidated draft meanwhile locks the draft's other contract too",
    async () => {
      ctx.clock.set("2025-02-01T06:00:00Z");
      const tenant = await consolidatingTenant();
      const { t, planId } = tenant;
      const customer = (
        await t.post("/v1/customers", { externalId: "late", name: "Late", timezone: "UTC" })
      ).json();
      const contractIds: string[] = [];
      for (let i = 0; i < 2; i++) {
        const body = {
          customerId: customer.id,
          planId,
          planVersion: 1,
          startDate: "2025-01-01",
          billingPeriod: "monthly",
        };
        contractIds.push((await t.post("/v1/contracts", body)).json().id);
      }
      await t.post("/v1/events", {
        events: [
          {
            id: "late-1",
            customer: "late",
            type: "video",
            timestamp: "2025-01-20T00:00:00Z",
            properties: { minutes: 10 },
          },
        ],
      });
      // A billing round that holds both locks and waits, inside its transaction, until it is let go.
      let letGo = () => {};
      const gate = new Promise<void>((resolve) => {
        letGo = resolve;
      });
      const held: BillingDeps = {
        ...ctx.deps,
        billing: createBillingContext({ breatheEveryMs: 0, breathe: () => gate }),
      };
      const round = invoiceContracts(held, systemCaller(t.tenantId, "billing-run"), contractIds, JANUARY_END);
      // The round must hold both locks before the amendment asks (otherwise the amendment could take its lock
      // first, find no draft, and the round would wait at its gate for ever).
      for (let granted = 0; granted < 2; ) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        [{ granted }] = await queryRows<{ granted: number }>(
          ctx.database.db,
          sql`SELECT count(*)::int AS granted FROM pg_locks l, unnest(${`{${contractIds.join(",")}}`}::text[]) AS id
            WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
              AND ((l.classid::bigint << 32) | l.objid::bigint) = hashtextextended('pricegraph.contract:' || id, 0)`,
        );
      }
      const [a] = contractIds;
      // The amendment finds no draft yet, so it asks for its own contract's lock only, and waits for the round.
      const amendment = amend({ t, planId, contractIds: contractIds as [string, string] }, a, "2");
      for (let waiting = 0; waiting === 0; ) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        [{ waiting }] = await queryRows<{ waiting: number }>(
          ctx.database.db,
          sql`SELECT count(*)::int AS waiting FROM pg_locks
            WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
        );
      }
      letGo();
      expect(await round).toEqual({ created: 1, failures: [] });
      // Once the round has made the consolidated draft, the amendment re-prices it holding both contracts' locks.
      const answer = await amendment;
      expect(answer.statusCode, answer.body).toBe(200);
      const draft = await theDraft({ t, planId, contractIds: contractIds as [string, string] });
      expect(draft).toMatchObject({ consolidated: true, total: "30.00" }); // 10 × 2 + 10 × 1
    },
  );
});
