import { expect, test } from "@playwright/test";
import { apiKey, createPlan, keepScreenshot, meteredPlan, signIn } from "./support/app.ts";

const auth = () => ({ authorization: `Bearer ${apiKey()}` });

test("retire a plan from the plans list: archived, hidden from the contract picker, kept, brought back", async ({
  page,
  request,
}, testInfo) => {
  const suffix = Date.now().toString(36);
  const retired = await createPlan(request, `Legacy ${suffix}`, meteredPlan("calls", "0.5", "Calls"));
  expect(
    (await request.post(`/v1/plans/${retired.id}/versions`, { headers: auth(), data: {} })).status(),
  ).toBe(201);
  const customer = await (
    await request.post("/v1/customers", {
      headers: auth(),
      data: { externalId: `legacy-${suffix}`, name: `Legacy Co ${suffix}` },
    })
  ).json();
  const contract = await request.post("/v1/contracts", {
    headers: auth(),
    data: { customerId: customer.id, planId: retired.id, startDate: "2026-01-01", billingPeriod: "monthly" },
  });
  expect(contract.status(), await contract.text()).toBe(201);
  const unused = await createPlan(request, `Scratch ${suffix}`, meteredPlan("calls", "1", "Calls"));
  expect(
    (await request.post(`/v1/plans/${unused.id}/versions`, { headers: auth(), data: {} })).status(),
  ).toBe(201);

  await signIn(page);
  await page.goto("/plans");
  await expect(page.getByTestId(`plan-row-${retired.id}`)).toBeVisible();
  await page.getByTestId(`plan-archive-${retired.id}`).click();
  await expect(page.getByTestId(`plan-row-${retired.id}`)).toHaveCount(0);

  // The contract picker no longer offers it; the contract on it still names it.
  await page.goto("/contracts/new");
  await expect(
    page.getByTestId("contract-plan").locator("option", { hasText: `Scratch ${suffix}` }),
  ).toHaveCount(1);
  await expect(
    page.getByTestId("contract-plan").locator("option", { hasText: `Legacy ${suffix}` }),
  ).toHaveCount(0);
  await page.goto(`/customers/${customer.id}`);
  await expect(page.getByTestId("customer-contracts")).toContainText(`Legacy ${suffix}`);

  // Shown again on request, it cannot be deleted while a contract uses it: the dialog says so.
  await page.goto("/plans");
  await page.getByTestId("show-archived-plans").locator("input").check();
  const row = page.getByTestId(`plan-row-${retired.id}`);
  await expect(row).toContainText("archived");
  await page.getByTestId(`plan-delete-${retired.id}`).click();
  await page.getByTestId("confirm-delete-plan").click();
  await expect(page.getByTestId("delete-plan-error")).toContainText("1 active contract");
  await keepScreenshot(page, testInfo, "plan-delete-refused");
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("delete-plan-dialog")).toHaveCount(0);

  // A plan no contract used goes for good.
  await page.getByTestId(`plan-archive-${unused.id}`).click();
  await page.getByTestId(`plan-delete-${unused.id}`).click();
  await page.getByTestId("confirm-delete-plan").click();
  await expect(page.getByTestId(`plan-row-${unused.id}`)).toHaveCount(0);
  expect((await request.get(`/v1/plans/${unused.id}`, { headers: auth() })).status()).toBe(404);

  await page.getByTestId(`plan-unarchive-${retired.id}`).click();
  await expect(row).not.toContainText("archived");
  await page.reload();
  await expect(row).toBeVisible();
  await expect(row).not.toContainText("archived");
});

test("edit a customer's details and archive the customer, then bring them back", async ({
  page,
  request,
}) => {
  const suffix = Date.now().toString(36);
  const customer = await (
    await request.post("/v1/customers", {
      headers: auth(),
      data: { externalId: `edit-${suffix}`, name: `Before ${suffix}`, timezone: "UTC" },
    })
  ).json();
  await signIn(page);
  await page.goto(`/customers/${customer.id}`);
  await page.getByTestId("edit-customer").click();
  await page.getByTestId("edit-customer-name").fill(`After ${suffix}`);
  await page.getByTestId("edit-customer-email").fill("billing@after.test");
  await page.getByTestId("edit-customer-timezone").selectOption("Europe/Paris");
  await page.getByTestId("save-customer").click();
  await expect(page.getByTestId("customer-title")).toHaveText(`After ${suffix}`);
  await expect(page.getByTestId("edit-customer-dialog")).toHaveCount(0);
  expect(await (await request.get(`/v1/customers/${customer.id}`, { headers: auth() })).json()).toMatchObject(
    {
      name: `After ${suffix}`,
      email: "billing@after.test",
      timezone: "Europe/Paris",
    },
  );

  // A bad email is refused in the dialog and nothing changes.
  await page.getByTestId("edit-customer").click();
  await page.getByTestId("edit-customer-email").fill("not-an-email@");
  await page.getByTestId("edit-customer-email").evaluate((input: HTMLInputElement) => {
    input.type = "text"; // past the browser's own check, to the server's
  });
  await page.getByTestId("save-customer").click();
  await expect(page.getByTestId("edit-customer-error")).toContainText("email");
  await page.keyboard.press("Escape");

  await page.getByTestId("archive-customer").click();
  await expect(page.getByTestId("customer-archived")).toContainText("Archived");
  await page.goto("/customers");
  await page.getByTestId("customer-search").fill(suffix);
  await expect(page.getByTestId("customers-empty")).toBeVisible();
  await page.getByTestId("show-archived-customers").check();
  await expect(page.getByTestId(`customer-row-edit-${suffix}`)).toContainText("archived");
  await page.goto("/contracts/new");
  await expect(
    page.getByTestId("contract-customer").locator("option", { hasText: `After ${suffix}` }),
  ).toHaveCount(0);

  await page.goto(`/customers/${customer.id}`);
  await page.getByTestId("unarchive-customer").click();
  await expect(page.getByTestId("customer-archived")).toHaveCount(0);
});
