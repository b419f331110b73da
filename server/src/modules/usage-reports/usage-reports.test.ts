import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTestContext,
  createTestTenant,
  type TestContext,
  type TestTenant,
} from "../../../test/helpers.ts";
import { billedCustomer, emailsOfKind } from "../../../test/receivables.ts";
import type { BillingDeps } from "../billing/context.ts";
import { dispatchEmails } from "../email/service.ts";
import { reportDue } from "./service.ts";

let ctx: TestContext;
let deps: BillingDeps;
beforeAll(async () => {
  ctx = await createTestContext();
  deps = ctx.deps;
}, 60_000);
afterAll(async () => ctx?.close());

const reports = (t: TestTenant) => emailsOfKind(t, "usage_report");

describe("usage report e-mails", () => {
  it("sends opted-in customers their usage so far, weekly, and nobody else", async () => {
    const t = await createTestTenant(ctx);
    const weekly = await billedCustomer(t, { rate: "0.5" });
    const quiet = await billedCustomer(t);
    await t.put(`/v1/customers/${weekly.customerId}/billing`, {
      emails: ["ops@weekly.test"],
      usageReports: "weekly",
    });
    await t.put(`/v1/customers/${quiet.customerId}/billing`, { emails: ["ops@quiet.test"] });
    ctx.clock.set("2025-03-10T08:00:00Z");
    const sent = await t.post("/v1/events", {
      events: [
        {
          id: "ur-1",
          customer: weekly.externalId,
          type: weekly.externalId.replace("cust-", "units"),
          timestamp: "2025-03-05T10:00:00Z",
          properties: { units: 40 },
        },
      ],
    });
    expect(sent.statusCode, sent.body).toBeLessThan(300);
    await dispatchEmails(deps, null);
    const [first] = await reports(t);
    expect(first).toMatchObject({
      to: ["ops@weekly.test"],
      subject: "Your usage for 2025-03-01 to 2025-03-10",
      status: "outbox",
    });
    expect(first.text).toContain("- API calls: 40 → USD 20.00");
    expect(first.text).toContain("Total so far: USD 20.00");
    ctx.clock.set("2025-03-14T08:00:00Z");
    await dispatchEmails(deps, null);
    expect(await reports(t)).toHaveLength(1); // not a week yet
    ctx.clock.set("2025-03-17T08:00:00Z");
    await dispatchEmails(deps, null);
    expect(await reports(t)).toHaveLength(2);
    expect((await reports(t)).every((m: { to: string[] }) => m.to[0] === "ops@weekly.test")).toBe(true);
  });

  it("reports a contract on its local days, from the first, begun east of UTC before the UTC date turns, to the last", async () => {
    ctx.clock.set("2026-11-30T23:30:00Z"); // already 2026-12-01 00:30 in Madrid
    const t = await createTestTenant(ctx);
    const madrid = await billedCustomer(t, {
      rate: "0.5",
      timezone: "Europe/Madrid",
      startDate: "2026-12-01",
    });
    // Its first local day is its last one too: the end date is served.
    const ended = await t.post(`/v1/contracts/${madrid.contractId}/end`, {
      endDate: "2026-12-01",
      reason: "Trial",
    });
    expect(ended.statusCode, ended.body).toBe(200);
    await t.put(`/v1/customers/${madrid.customerId}/billing`, {
      emails: ["ops@madrid.test"],
      usageReports: "weekly",
    });
    const sent = await t.post("/v1/events", {
      events: [
        {
          id: "ur-madrid",
          customer: madrid.externalId,
          type: madrid.externalId.replace("cust-", "units"),
          timestamp: "2026-11-30T23:10:00Z", // 00:10 on December 1st in Madrid
          properties: { units: 40 },
        },
      ],
    });
    expect(sent.statusCode, sent.body).toBeLessThan(300);
    await dispatchEmails(deps, null);
    const [report] = await reports(t);
    expect(report).toMatchObject({
      to: ["ops@madrid.test"],
      subject: "Your usage for 2026-12-01 to 2026-12-01",
    });
    expect(report.text).toContain("- API calls: 40 → USD 20.00");
  });

  it("is due weekly after 7 days and monthly once per calendar month", () => {
    const last = new Date("2025-03-31T23:00:00Z");
    expect(reportDue("weekly", null, last)).toBe(true);
    expect(reportDue("weekly", last, new Date("2025-04-07T22:59:59Z"))).toBe(false);
    expect(reportDue("weekly", last, new Date("2025-04-07T23:00:00Z"))).toBe(true);
    expect(reportDue("monthly", last, new Date("2025-03-31T23:30:00Z"))).toBe(false);
    expect(reportDue("monthly", last, new Date("2025-04-01T00:00:00Z"))).toBe(true);
  });
});
