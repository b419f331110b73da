import { expect, test } from "@playwright/test";
import { apiKey, keepScreenshot, signIn } from "./support/app.ts";

test("alerts: create a usage alert in the app, send usage, see it fire once and reach the activity log", async ({
  page,
  request,
}, testInfo) => {
  const auth = { authorization: `Bearer ${apiKey()}` };
  const suffix = Date.now().toString(36);
  const metric = `e2e_alert_calls_${suffix}`;
  expect(
    (
      await request.post("/v1/metrics", {
        headers: auth,
        data: { key: metric, eventType: metric, aggregation: "count" },
      })
    ).status(),
  ).toBe(201);
  // A demo customer on a running contract.
  const contracts = await (await request.get("/v1/contracts?limit=1", { headers: auth })).json();
  const customer = await (
    await request.get(`/v1/customers/${contracts.data[0].customerId}`, { headers: auth })
  ).json();

  await signIn(page);
  await page.goto("/");
  await page.getByTestId("nav-alerts").click();
  // The demo's alerts, fired by the server's evaluator on the seeded usage within a pass of the first start.
  const demoFiring = page
    .getByTestId("alert-firings")
    .getByRole("row", { name: /Acme Sports: spend this month/ });
  await expect(async () => {
    await page.reload();
    await expect(demoFiring).toHaveCount(1, { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  await page.getByTestId("new-alert").click();
  await page.getByTestId("alert-name").fill(`Calls ${suffix}`);
  await page.getByTestId("alert-metric").selectOption(metric);
  await page.getByTestId("alert-customer").selectOption(customer.id);
  await page.getByTestId("alert-thresholds").fill("5, 1000");
  await page.getByTestId("create-alert").click();
  await expect(page.getByTestId(`alert-Calls ${suffix}`)).toContainText("5, 1000");

  const events = Array.from({ length: 6 }, (_, i) => ({
    id: `${metric}-${i}`,
    customer: customer.externalId,
    type: metric,
    timestamp: new Date(Date.now() - 60_000).toISOString(),
  }));
  expect((await request.post("/v1/events", { headers: auth, data: { events } })).status()).toBeLessThan(300);

  const fired = page.getByTestId("alert-firings").getByRole("row", { name: new RegExp(`Calls ${suffix}`) });
  await expect(async () => {
    await page.reload();
    await expect(fired).toHaveCount(1, { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  await expect(fired).toContainText("6");
  const records = await (
    await request.get("/v1/activity?type=alert.triggered&limit=50", { headers: auth })
  ).json();
  expect(
    records.data.filter((r: { object: { alertName: string } }) => r.object.alertName === `Calls ${suffix}`),
  ).toHaveLength(1);
  await keepScreenshot(page, testInfo, "alerts");
});
