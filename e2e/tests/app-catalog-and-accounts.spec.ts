import { type APIRequestContext, expect, test } from "@playwright/test";
import { apiKey, createPlan, keepScreenshot, openPlan, plan, signIn, waitSaved } from "./support/app.ts";

const auth = () => ({ authorization: `Bearer ${apiKey()}` });

async function get<T>(request: APIRequestContext, path: string): Promise<T> {
  const response = await request.get(`/v1${path}`, { headers: auth() });
  expect(response.status(), await response.text()).toBe(200);
  return (await response.json()) as T;
}

test("pricing: a product added to the catalog is picked on a plan's invoice line and stored as its code", async ({
  page,
  request,
}, testInfo) => {
  const suffix = Date.now().toString(36);
  const code = `thumbs-${suffix}`;
  await signIn(page);
  await page.goto("/products");
  // The demo's catalog: the video platform's sub-products and an add-on.
  await expect(page.getByTestId("product-row-encoding")).toContainText("Encoding");
  await expect(page.getByTestId("product-row-premium-support")).toContainText("Add-on");
  await page.getByTestId("new-product").click();
  await page.getByTestId("product-name").fill(`Thumbnails ${suffix}`);
  await page.getByTestId("product-code").fill(code);
  await page.getByTestId("product-parent").selectOption({ label: "Video platform (video)" });
  await page.getByTestId("product-accounting-code").fill("4040");
  await page.getByTestId("save-product").click();
  await expect(page.getByTestId(`product-row-${code}`)).toContainText("4040");

  const { id } = await createPlan(
    request,
    `Thumbnails ${suffix}`,
    plan(
      [
        { id: "n1", type: "usage", x: 0, y: 0, data: { metric: "thumbnails" } },
        { id: "n2", type: "perUnit", x: 260, y: 0, data: { unitPrice: "0.01" } },
        { id: "n3", type: "invoiceLine", x: 520, y: 0, data: { description: "Thumbnails" } },
      ],
      ["n1.out>n2.in", "n2.out>n3.amount"],
    ),
  );
  await openPlan(page, id);
  await page.getByTestId("node-n3").click();
  await page.getByTestId("add-field-product").click();
  await page.getByTestId("field-product").selectOption(code);
  await waitSaved(page);
  const saved = await get<{ draft: { nodes: { id: string; data: Record<string, unknown> }[] } }>(
    request,
    `/plans/${id}`,
  );
  expect(saved.draft.nodes.find((n) => n.id === "n3")?.data.product).toBe(code);
  await keepScreenshot(page, testInfo, "invoice-line-product");
});

test("finance: a media group's consolidated invoice shows lines per contract, each usage line split by channel", async ({
  page,
  request,
}, testInfo) => {
  const customers = await get<{ data: { id: string }[] }>(request, "/customers?externalId=northwind-media");
  const groupId = customers.data[0].id;
  await signIn(page);
  await page.goto(`/customers/${groupId}`);
  await expect(page.getByTestId("customer-children")).toContainText("Northwind News");
  await expect(page.getByTestId("customer-children")).toContainText("Northwind Kids");
  await expect(page.getByTestId("account-usage-delivery_minutes-northwind-news")).toBeVisible();

  const drafts = await get<{ data: { id: string }[] }>(
    request,
    `/invoices?customerId=${groupId}&status=draft`,
  );
  // The group's two contracts (Growth with its add-on, and a live channel) share one invoice a month.
  const invoice = await get<{ contractGroups: { contractId: string; amount: string }[] }>(
    request,
    `/invoices/${drafts.data[0].id}`,
  );
  expect(invoice.contractGroups).toHaveLength(2);
  const [growth, live] = invoice.contractGroups;
  await page.goto(`/invoices/${drafts.data[0].id}`);
  await expect(page.getByTestId("invoice-consolidated")).toHaveText("consolidated: 2 contracts");
  await expect(page.getByTestId(`contract-group-${growth.contractId}`)).toContainText("Growth");
  await expect(page.getByTestId(`contract-group-${live.contractId}`)).toContainText("Live channel");
  await expect(page.getByTestId(`contract-group-amount-${live.contractId}`)).toHaveText("USD 400.00");
  await expect(
    page.getByTestId(`contract-group-${growth.contractId}`).getByTestId("invoice-line-lineEncoding"),
  ).toBeVisible();
  await expect(page.getByTestId("invoice-line-lineEncoding-account-northwind-news")).toBeVisible();
  await expect(page.getByTestId("invoice-line-lineEncoding-account-northwind-kids")).toBeVisible();
  await keepScreenshot(page, testInfo, "invoice-by-contract-and-account");
});

test("sales: puts a customer on a plan plus an add-on, billed on the same invoices", async ({
  page,
  request,
}, testInfo) => {
  const suffix = Date.now().toString(36);
  const created = await request.post("/v1/customers", {
    headers: auth(),
    data: { externalId: `addon-${suffix}`, name: `Add-on Media ${suffix}` },
  });
  expect(created.status()).toBe(201);
  const customer = (await created.json()) as { id: string };
  await signIn(page);
  await page.goto(`/contracts/new?customer=${customer.id}`);
  await page.getByTestId("contract-plan").selectOption({ label: "Growth" });
  await page.getByTestId("add-on-Premium support").check();
  await page.getByTestId("create-contract").click();
  await expect(page.getByTestId("contract-page")).toBeVisible();
  await expect(page.getByTestId("contract-add-on-list")).toContainText("Premium support");
  const contracts = await get<{ data: { id: string; addOns: { planVersion: number }[] }[] }>(
    request,
    `/contracts?customerId=${customer.id}`,
  );
  expect(contracts.data[0].addOns).toEqual([expect.objectContaining({ planVersion: 1, endDate: null })]);
  await keepScreenshot(page, testInfo, "contract-with-add-on");

  // The add-on changes from a date and ends, with the contract's own Amend and End forms.
  const addOn = contracts.data[0].addOns[0] as unknown as { id: string; startDate: string };
  const later = (days: number) => {
    const date = new Date(`${addOn.startDate}T00:00:00Z`);
    date.setUTCDate(date.getUTCDate() + days);
    return date.toISOString().slice(0, 10);
  };
  await page.getByTestId(`add-on-amend-${addOn.id}`).click();
  await page.getByTestId("amend-date").fill(later(10));
  await page.getByTestId("amend-param-support_fee").fill("200");
  await page.getByTestId("amend-reason").fill("24/7 support");
  await expect(page.getByTestId("change-effect")).toBeVisible();
  await page.getByTestId("amend-submit").click();
  await expect(page.getByTestId(`add-on-terms-${addOn.id}`)).toContainText("support_fee 200");
  await expect(page.getByTestId("period-quote").getByTestId("quote-add-on-tag").first()).toBeVisible();
  await page.getByTestId(`add-on-end-${addOn.id}`).click();
  await page.getByTestId("end-date").fill(later(20));
  await page.getByTestId("end-reason").fill("Back to standard support");
  await page.getByTestId("end-submit").click();
  await expect(page.getByTestId("end-result")).toBeVisible();
  const after = await get<{ addOns: { endDate: string | null; phases: unknown[] }[] }>(
    request,
    `/contracts/${contracts.data[0].id}`,
  );
  expect(after.addOns[0]).toMatchObject({ endDate: later(20) });
  expect(after.addOns[0].phases).toHaveLength(2);
  await keepScreenshot(page, testInfo, "contract-add-on-changed");
});
