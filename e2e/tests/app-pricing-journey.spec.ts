import { type APIRequestContext, expect, test } from "@playwright/test";
import { apiKey, keepScreenshot, meteredPlan, node, openPlan, signIn, waitSaved } from "./support/app.ts";

const auth = () => ({ authorization: `Bearer ${apiKey()}` });

async function api<T>(request: APIRequestContext, method: "get" | "post", path: string, data?: unknown) {
  const response = await request[method](`/v1${path}`, { headers: auth(), data });
  expect(response.status(), await response.text()).toBeLessThan(300);
  return (await response.json()) as T;
}

/** The first day of the month `back` months before this one (UTC). */
const monthStart = (back: number) => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1)).toISOString().slice(0, 10);
};

test("pricing: backtest a price change against real invoices, publish it, backtest the migration, apply it", async ({
  page,
  request,
}, testInfo) => {
  test.setTimeout(180_000);
  const suffix = Date.now().toString(36);
  const metric = `e2e_minutes_${suffix}`;
  const planName = `Pricing journey ${suffix}`;

  // ---- history: a plan at 0.01 a minute, two customers billed for the last closed months ----
  await api(request, "post", "/metrics", {
    key: metric,
    eventType: `m.${suffix}`,
    aggregation: "sum",
    property: "minutes",
  });
  const created = await api<{ id: string }>(request, "post", "/plans", {
    name: planName,
    document: meteredPlan(metric, "0.01", "Minutes"),
  });
  await api(request, "post", `/plans/${created.id}/versions`, {});
  const customers = [
    { name: `Alpha ${suffix}`, minutes: 1000, month: 1 },
    { name: `Beta ${suffix}`, minutes: 500, month: 2 },
  ];
  for (const [i, c] of customers.entries()) {
    const customer = await api<{ id: string }>(request, "post", "/customers", {
      externalId: `pj-${suffix}-${i}`,
      name: c.name,
    });
    await api(request, "post", "/contracts", {
      customerId: customer.id,
      planId: created.id,
      startDate: monthStart(3),
      billingPeriod: "monthly",
    });
    await api(request, "post", "/events", {
      events: [
        {
          id: `pj-${suffix}-${i}`,
          customer: `pj-${suffix}-${i}`,
          type: `m.${suffix}`,
          timestamp: `${monthStart(c.month).slice(0, 8)}10T12:00:00Z`,
          properties: { minutes: c.minutes },
        },
      ],
    });
  }
  const run = await api<{ id: string }>(request, "post", "/billing-runs", { asOf: new Date().toISOString() });
  await expect
    .poll(async () => (await api<{ status: string }>(request, "get", `/billing-runs/${run.id}`)).status, {
      timeout: 90_000,
    })
    .toBe("done");

  // ---- the pricing team doubles the price in the editor and backtests the draft ----
  await signIn(page);
  await openPlan(page, created.id);
  await node("n2")(page).click();
  await page.getByTestId("field-unitPrice").fill("0.02");
  await waitSaved(page);
  await page.getByRole("tab", { name: /^Price curve/ }).click();
  await page.getByTestId("editor-backtest").click();
  const dialog = page.getByTestId("backtest-dialog");
  await expect(dialog.getByTestId("backtest-table").locator("tbody tr")).toHaveCount(2);
  // Billed 1000 × 0.01 + 500 × 0.01; the draft makes it twice that.
  await expect(dialog.getByTestId("backtest-invoiced")).toHaveText("USD 15.00");
  await expect(dialog.getByTestId("backtest-repriced")).toHaveText("USD 30.00");
  await expect(dialog.getByTestId("backtest-delta")).toHaveText("USD 15.00");
  await expect(dialog.getByTestId("backtest-chart-delta").locator(".recharts-bar-rectangle")).toHaveCount(2);
  await keepScreenshot(page, testInfo, "backtest-draft");
  await dialog.getByRole("button", { name: "Close" }).click();

  // ---- publish it as version 2, then migrate the contracts of version 1 after the backtest ----
  await page.getByRole("button", { name: "Publish" }).click();
  await expect(page.getByTestId("notice")).toHaveText("Published version 2");
  await page.getByRole("tab", { name: /^Versions/ }).click();
  await page.getByTestId("migrate-contracts").click();
  const migrate = page.getByTestId("migrate-dialog");
  await expect(migrate.getByTestId("migrate-from")).toHaveValue("1");
  await expect(migrate.getByTestId("migrate-to")).toHaveValue("2");
  await migrate.getByTestId("migrate-backtest").click();
  await expect(migrate.getByTestId("backtest-table").locator("tbody tr")).toHaveCount(2);
  await expect(migrate.getByTestId("backtest-delta")).toHaveText("USD 15.00");
  await expect(migrate.getByTestId("backtest-chart-totals")).toBeVisible();
  await keepScreenshot(page, testInfo, "migration-backtest");

  // ---- apply: each contract is amended onto version 2 from the effective date (next month by default) ----
  const effectiveDate = await migrate.getByTestId("migrate-effective-date").inputValue();
  await migrate.getByTestId("migrate-apply").click();
  await expect(migrate.getByTestId("migrate-applied")).toHaveText(
    `Migrated 2 contracts to version 2 from ${effectiveDate}.`,
  );
  const contracts = await api<{ data: { phases: { effectiveDate: string; planVersion: number }[] }[] }>(
    request,
    "get",
    `/contracts?planId=${created.id}`,
  );
  expect(contracts.data).toHaveLength(2);
  for (const contract of contracts.data)
    expect(contract.phases.map((p) => [p.effectiveDate, p.planVersion])).toEqual([
      [monthStart(3), 1],
      [effectiveDate, 2],
    ]);
  // Nothing is left on version 1 from that date: a second backtest finds no contract to move.
  await migrate.getByTestId("migrate-backtest").click();
  await expect(migrate.getByTestId("backtest-table").locator("tbody tr")).toHaveCount(0);
  await expect(migrate.getByTestId("migrate-apply")).toBeDisabled();
});
