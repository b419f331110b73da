import { type APIRequestContext, expect, test } from "@playwright/test";
import { apiKey, keepScreenshot, plan, signIn } from "./support/app.ts";

const auth = () => ({ authorization: `Bearer ${apiKey()}` });

async function api<T>(request: APIRequestContext, path: string, data: unknown, status: number) {
  const response = await request.post(`/v1${path}`, { headers: auth(), data });
  expect(response.status(), await response.text()).toBe(status);
  return (await response.json()) as T;
}

const isoDate = (d: Date) => d.toISOString().slice(0, 10);

test("sales ops: amend a contract's rate from today with a live quote, then end the contract", async ({
  page,
  request,
}, testInfo) => {
  const suffix = Date.now().toString(36);
  const metric = `e2e_minutes_${suffix}`;
  await api(
    request,
    "/metrics",
    { key: metric, eventType: "video", aggregation: "sum", property: "minutes" },
    201,
  );
  const document = plan(
    [
      { id: "fee", type: "flatFee", x: 0, y: 0, data: { amount: "100", prorate: true } },
      {
        id: "feeLine",
        type: "invoiceLine",
        x: 300,
        y: 0,
        data: { description: "Platform fee", timing: "advance" },
      },
      { id: "u", type: "usage", x: 0, y: 150, data: { metric } },
      { id: "p", type: "perUnit", x: 150, y: 150, data: { unitPrice: { param: "rate" } } },
      { id: "line", type: "invoiceLine", x: 300, y: 150, data: { description: "Minutes" } },
    ],
    ["fee.out>feeLine.amount", "u.out>p.in", "p.out>line.amount", "u.out>line.quantity"],
    [{ key: "rate", label: "Per minute", type: "money", default: "0.01" }],
  );
  const created = await api<{ id: string }>(request, "/plans", { name: `Changes ${suffix}`, document }, 201);
  await api(request, `/plans/${created.id}/versions`, {}, 201);
  // Version 2 raises the default rate: the amendment moves the contract onto it.
  const v2 = { ...document, params: [{ key: "rate", label: "Per minute", type: "money", default: "0.015" }] };
  const saved = await request.put(`/v1/plans/${created.id}/draft`, {
    headers: auth(),
    data: { document: v2 },
  });
  expect(saved.status(), await saved.text()).toBe(200);
  await api(request, `/plans/${created.id}/versions`, {}, 201);
  const customer = await api<{ id: string }>(
    request,
    "/customers",
    { externalId: `changes-${suffix}`, name: `Changing Co ${suffix}`, timezone: "UTC" },
    201,
  );
  // Started on the 1st of last month: today's period is open, so an amendment from today is allowed.
  const now = new Date();
  const start = isoDate(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)));
  const contract = await api<{ id: string }>(
    request,
    "/contracts",
    {
      customerId: customer.id,
      planId: created.id,
      planVersion: 1,
      startDate: start,
      billingPeriod: "monthly",
    },
    201,
  );
  const today = isoDate(now);

  await signIn(page);
  await page.goto(`/contracts/${contract.id}`);
  await expect(page.getByTestId("phase-timeline")).toBeVisible();
  await expect(page.getByTestId(`phase-${start}`)).toContainText("plan defaults");
  await expect(page.getByTestId("period-quote-lines-total")).toBeVisible();

  // What-if usage in the contract's quote panel.
  await page.getByTestId(`contract-what-if-${metric}`).fill("1000");
  await expect(page.getByTestId("period-quote-range")).toContainText("at the usage typed");

  // Amend: version 2 and a higher rate from today; the live quote shows the effect on this period first.
  await page.getByTestId("action-amend").click();
  await page.getByTestId("amend-date").fill(today);
  await expect(page.getByTestId("amend-version")).toContainText("keep current (v1)");
  await page.getByTestId("amend-version").selectOption("2");
  await page.getByTestId("amend-param-rate").fill("0.02");
  await page.getByTestId("amend-reason").fill("Premium support tier");
  await expect(page.getByTestId("change-delta")).toBeVisible();
  await expect(page.getByTestId("change-lines")).toBeVisible();
  await keepScreenshot(page, testInfo, "amend-quote");
  await page.getByTestId("amend-submit").click();
  await expect(page.getByTestId(`phase-${today}`)).toContainText("rate 0.02");
  await expect(page.getByTestId(`phase-${today}`)).toContainText("v2");
  await expect(page.getByTestId(`phase-${today}`)).toContainText("Premium support tier");

  // End: the contract's last day is today; nothing was invoiced ahead, so no credit note.
  await page.getByTestId("action-end").click();
  await page.getByTestId("end-date").fill(today);
  await page.getByTestId("end-reason").fill("Customer moves to annual invoicing");
  await expect(page.getByTestId("change-delta")).toBeVisible();
  await page.getByTestId("end-submit").click();
  await expect(page.getByTestId("end-result")).toHaveText("No advance fees to credit.");
  await expect(page.getByTestId(`phase-${today}`)).toContainText(
    new Date(`${today}T00:00:00Z`).getUTCFullYear().toString(),
  );
  await keepScreenshot(page, testInfo, "ended");

  // The tenant's default renewal policy, on the settings page.
  await page.goto("/settings");
  await page.getByTestId("default-renewal-policy").selectOption("same_terms");
  await expect
    .poll(
      async () =>
        (await (await request.get("/v1/contract-settings", { headers: auth() })).json()).renewalPolicy,
    )
    .toBe("same_terms");
  await page.getByTestId("default-renewal-policy").selectOption("none");
  await expect
    .poll(
      async () =>
        (await (await request.get("/v1/contract-settings", { headers: auth() })).json()).renewalPolicy,
    )
    .toBe("none");

  const activity = await request.get(`/v1/activity?objectId=${contract.id}`, { headers: auth() });
  const types = ((await activity.json()) as { data: { type: string }[] }).data.map((a) => a.type);
  expect(types).toEqual(expect.arrayContaining(["contract.created", "contract.amended", "contract.ended"]));
});
