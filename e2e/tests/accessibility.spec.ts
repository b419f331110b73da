import AxeBuilder from "@axe-core/playwright";
import { type APIRequestContext, expect, type Page, test } from "@playwright/test";
import { apiKey, meteredPlan, signIn } from "./support/app.ts";

const auth = () => ({ authorization: `Bearer ${apiKey()}` });

async function api<T>(request: APIRequestContext, method: "post" | "get", path: string, data?: unknown) {
  const response = await request[method](`/v1${path}`, { headers: auth(), ...(data ? { data } : {}) });
  expect(response.ok(), `${method} ${path}: ${await response.text()}`).toBe(true);
  return (await response.json()) as T;
}

/** Every page of the app with something on it: a plan with two versions, a customer on it, an invoice. */
async function seed(request: APIRequestContext) {
  const suffix = Date.now().toString(36);
  const metric = `a11y_calls_${suffix}`;
  await api(request, "post", "/metrics", { key: metric, eventType: "a11y.call", aggregation: "count" });
  const plan = await api<{ id: string }>(request, "post", "/plans", {
    name: `Accessible plan ${suffix}`,
    document: meteredPlan(metric, "0.01", "API calls"),
  });
  await api(request, "post", `/plans/${plan.id}/versions`, {});
  const customer = await api<{ id: string }>(request, "post", "/customers", {
    externalId: `a11y-${suffix}`,
    name: `Accessible Labs ${suffix}`,
  });
  const start = new Date(Date.now() - 62 * 86_400_000).toISOString().slice(0, 10);
  const contract = await api<{ id: string }>(request, "post", "/contracts", {
    customerId: customer.id,
    planId: plan.id,
    startDate: start,
    billingPeriod: "monthly",
  });
  await api(request, "post", "/events", {
    events: [
      { id: `${suffix}-1`, customer: `a11y-${suffix}`, type: "a11y.call", timestamp: `${start}T10:00:00Z` },
    ],
  });
  let run = await api<{ id: string; status: string }>(request, "post", "/billing-runs", {
    asOf: new Date().toISOString(),
  });
  for (let i = 0; i < 60 && run.status !== "done" && run.status !== "failed"; i++) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    run = await api(request, "get", `/billing-runs/${run.id}`);
  }
  const invoices = await api<{ data: { id: string }[] }>(request, "get", `/invoices?limit=1`);
  return { plan, customer, contract, invoiceId: invoices.data[0]?.id };
}

/** axe-core's serious and critical findings on the page as it is now, one line each. */
async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => {
      const where = v.nodes.slice(0, 4).map((n) => {
        const data = n.any[0]?.data as { fgColor?: string; bgColor?: string } | undefined;
        const colours = data?.fgColor ? ` ${data.fgColor} on ${data.bgColor}` : "";
        return `${n.target.join(" ")}${colours}`;
      });
      return `${v.id} (${v.impact}): ${v.help} — ${where.join(", ")}`;
    });
}

test("no page has a serious or critical accessibility violation", async ({ page, browser, request }) => {
  test.setTimeout(240_000);
  const { plan, customer, contract, invoiceId } = await seed(request);

  await page.goto("/sign-in");
  await expect(page).toHaveTitle("Sign in · Pricegraph");
  expect(await seriousViolations(page), "/sign-in").toEqual([]);

  await signIn(page);
  const pages: { path: string; ready: string; title: RegExp }[] = [
    { path: "/", ready: "dashboard", title: /^Dashboard · / },
    { path: "/plans", ready: "plans-table", title: /^Plans · / },
    { path: `/plans/${plan.id}`, ready: "canvas", title: /Plan editor · / },
    { path: `/plans/${plan.id}/versions/1`, ready: "canvas", title: /^Plan version · / },
    { path: "/customers", ready: "nav-customers", title: /^Customers · / },
    { path: `/customers/${customer.id}`, ready: "customer-title", title: /^Customer · / },
    { path: "/contracts", ready: "nav-contracts", title: /^Contracts · / },
    { path: "/contracts/new", ready: "contract-plan", title: /^New contract · / },
    { path: `/contracts/${contract.id}`, ready: "contract-page", title: /^Contract · / },
    { path: "/invoices", ready: "run-billing", title: /^Invoices · / },
    ...(invoiceId ? [{ path: `/invoices/${invoiceId}`, ready: "invoice-status", title: /^Invoice · / }] : []),
    { path: "/usage", ready: "nav-usage", title: /^Usage · / },
    { path: "/usage/unmatched", ready: "unmatched-reasons", title: /^Unmatched usage · / },
    { path: "/metrics", ready: "metrics-table", title: /^Metrics · / },
    { path: "/metrics/new", ready: "metric-preview", title: /^New metric · / },
    { path: "/metrics/storage_gb", ready: "metric-preview", title: /^Metric · / },
    { path: "/settings", ready: "nav-settings", title: /^Settings · / },
    { path: "/receivables", ready: "nav-receivables", title: /^Receivables · / },
    { path: "/communications", ready: "nav-communications", title: /^Communications · / },
    { path: "/activity", ready: "nav-activity", title: /^Activity · / },
    { path: "/alerts", ready: "nav-alerts", title: /^Alerts · / },
    { path: "/webhooks", ready: "nav-webhooks", title: /^Webhooks · / },
    { path: "/users", ready: "nav-users", title: /^People · / },
  ];
  const found: Record<string, string[]> = {};
  for (const { path, ready, title } of pages) {
    await page.goto(path);
    await expect(page.getByTestId(ready).first()).toBeVisible();
    await expect(page).toHaveTitle(title);
    await page.waitForLoadState("networkidle");
    const violations = await seriousViolations(page);
    if (violations.length) found[path] = violations;
  }

  // The editor's side panel tabs and a dialog, opened.
  await page.goto(`/plans/${plan.id}`);
  for (const tab of ["inspect", "curve", "versions"]) {
    await page.getByTestId(`tab-${tab}`).click();
    const violations = await seriousViolations(page);
    if (violations.length) found[`editor ${tab}`] = violations;
  }
  await page.goto("/plans");
  await page.getByTestId("new-plan").click();
  await expect(page.getByTestId("new-plan-dialog")).toBeVisible();
  const dialog = await seriousViolations(page);
  if (dialog.length) found["new plan dialog"] = dialog;
  await page.keyboard.press("Escape");
  await page.getByTestId(`plan-archive-${plan.id}`).focus();
  const planActions = await seriousViolations(page);
  if (planActions.length) found["plans list actions"] = planActions;

  await page.goto(`/customers/${customer.id}`);
  await page.getByTestId("edit-customer").click();
  await expect(page.getByTestId("edit-customer-dialog")).toBeVisible();
  const editCustomer = await seriousViolations(page);
  if (editCustomer.length) found["edit customer dialog"] = editCustomer;

  // The customer portal, opened signed out from a link made through the API, with an invoice opened: a demo
  // customer with finalized invoices, so every section of the page has something in it.
  const finalized = await api<{ data: { customerId: string; number: string }[] }>(
    request,
    "get",
    "/invoices?status=finalized&limit=1",
  );
  const link = await api<{ url: string }>(
    request,
    "post",
    `/customers/${finalized.data[0].customerId}/portal-links`,
    {},
  );
  const stranger = await browser.newContext();
  const portal = await stranger.newPage();
  await portal.goto(link.url);
  await expect(portal.getByTestId("portal-usage-chart")).toBeVisible();
  await expect(portal).toHaveTitle(/ — Customer portal · Pricegraph$/);
  await portal.waitForLoadState("networkidle");
  const portalPage = await seriousViolations(portal);
  if (portalPage.length) found.portal = portalPage;
  await portal.getByTestId(`portal-invoice-${finalized.data[0].number}`).click();
  await expect(portal.getByTestId("portal-invoice-lines")).toBeVisible();
  const portalInvoice = await seriousViolations(portal);
  if (portalInvoice.length) found["portal invoice"] = portalInvoice;
  await stranger.close();

  expect(found).toEqual({});
});
