import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { type APIRequestContext, expect, test } from "@playwright/test";
import { apiKey, keepScreenshot, plan, signIn } from "./support/app.ts";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "../..");
const auth = () => ({ authorization: `Bearer ${apiKey()}` });

/** Calls the API with the demo key and expects the given status. */
async function api<T>(
  request: APIRequestContext,
  method: "post" | "put",
  path: string,
  data: unknown,
  status: number,
) {
  const response = await request[method](`/v1${path}`, { headers: auth(), data });
  expect(response.status(), await response.text()).toBe(status);
  return (await response.json()) as T;
}

const isoDate = (d: Date) => d.toISOString().slice(0, 10);

/** The engine CLI, as the issue names it: `pnpm -s pricegraph evaluate PLAN.json INPUT.json`. */
async function evaluateWithCli(dir: string, document: unknown, input: unknown) {
  const planPath = join(dir, "cli-plan.json");
  const inputPath = join(dir, "cli-input.json");
  writeFileSync(planPath, JSON.stringify(document));
  writeFileSync(inputPath, JSON.stringify(input));
  const { stdout } = await promisify(execFile)(
    "pnpm",
    ["-s", "pricegraph", "evaluate", planPath, inputPath],
    {
      cwd: repoRoot,
    },
  );
  return JSON.parse(stdout) as { total: string; lines: { nodeId: string; amount: string }[] };
}

test("sales ops and finance: customer → contract with override and credits → usage → billing run → invoice explained, finalized, credited", async ({
  page,
  request,
}, testInfo) => {
  test.setTimeout(120_000);
  const suffix = Date.now().toString(36);
  const metric = `e2e_calls_${suffix}`;
  const externalId = `e2e-${suffix}`;
  const customerName = `Journey Labs ${suffix}`;
  const planName = `Journey API ${suffix}`;

  // ---- setup through the API: a metric and a published plan (usage → per unit → credits → line) ----
  await api(
    request,
    "post",
    "/metrics",
    { key: metric, eventType: "api.batch", aggregation: "sum", property: "calls" },
    201,
  );
  const document = plan(
    [
      { id: "calls", type: "usage", x: 0, y: 0, data: { metric } },
      { id: "price", type: "perUnit", x: 260, y: 0, data: { unitPrice: { param: "rate" } } },
      { id: "promo", type: "credits", x: 520, y: 0, data: { grant: "promo" } },
      { id: "callsLine", type: "invoiceLine", x: 780, y: 0, data: { description: "API calls" } },
    ],
    [
      "calls.out>price.in",
      "price.out>promo.in",
      "promo.out>callsLine.amount",
      "calls.out>callsLine.quantity",
    ],
    [{ key: "rate", label: "Price per call", type: "money", default: "0.01" }],
  );
  const created = await api<{ id: string }>(request, "post", "/plans", { name: planName, document }, 201);
  await api(request, "post", `/plans/${created.id}/versions`, {}, 201);
  // Drafts of long-ended periods would finalize themselves after the grace period; keep them drafts here.
  await api(request, "put", "/billing/settings", { gracePeriodHours: 2160 }, 200);

  await signIn(page);

  // ---- create the customer in the UI ----
  await page.goto("/");
  await page.getByTestId("nav-customers").click();
  await page.getByTestId("new-customer").click();
  await page.getByTestId("customer-name").fill(customerName);
  await page.getByTestId("customer-external-id").fill(externalId);
  await page.getByTestId("customer-email").fill(`billing@${suffix}.example`);
  await page.getByTestId("create-customer").click();
  await expect(page.getByTestId("customer-title")).toHaveText(customerName);
  await expect(page.getByTestId("contracts-empty")).toBeVisible();
  const customerUrl = page.url();

  // Usage this period, so the quote has something to price.
  await api(
    request,
    "post",
    "/events",
    {
      events: [
        {
          id: `${suffix}-now`,
          customer: externalId,
          type: "api.batch",
          timestamp: new Date(Date.now() - 60_000).toISOString(),
          properties: { calls: 500 },
        },
      ],
    },
    200,
  );

  // ---- put it on the plan: override, credit grant, start two months ago; the quote follows ----
  const start = new Date();
  start.setUTCDate(start.getUTCDate() - 60);
  const startDate = isoDate(start);
  await page.getByTestId("put-on-plan").click();
  await page.getByTestId("contract-plan").selectOption({ label: planName });
  await expect(page.getByTestId("param-default-rate")).toHaveText("0.01");
  await page.getByTestId("contract-start").fill(startDate);
  // 500 calls this period × 0.01.
  await expect(page.getByTestId("quote-total")).toHaveText("USD 5.00");
  await page.getByTestId("override-rate").fill("0.0x");
  await expect(page.getByTestId("error-overrides.rate")).toHaveText("Enter a decimal such as 12.50");
  await page.getByTestId("override-rate").fill("0.02");
  await expect(page.getByTestId("error-overrides.rate")).toHaveCount(0);
  await expect(page.getByTestId("quote-total")).toHaveText("USD 10.00");
  await page.getByTestId("add-grant").click();
  await page.getByTestId("grant-0-amount").fill("3");
  await expect(page.getByTestId("quote-total")).toHaveText("USD 7.00");
  await keepScreenshot(page, testInfo, "contract-form-quote");
  await page.getByTestId("create-contract").click();
  await expect(page.getByTestId("contract-page")).toBeVisible();
  await expect(page.getByTestId("contract-param-rate")).toHaveText("0.02");
  await expect(page.getByTestId("grant-balance-promo")).toHaveText("3");

  // ---- usage of the first (partial) period, sent through the API ----
  const firstPeriod = [400, 350, 250].map((calls, i) => ({
    id: `${suffix}-p1-${i}`,
    customer: externalId,
    type: "api.batch",
    timestamp: `${startDate}T1${i}:00:00Z`,
    properties: { calls },
  }));
  const ingested = await api<{ accepted: number }>(request, "post", "/events", { events: firstPeriod }, 200);
  expect(ingested.accepted).toBe(3);

  // ---- run billing from the invoices screen, with its progress ----
  await page.getByTestId("nav-invoices").click();
  await page.getByTestId("run-billing").click();
  await expect(page.getByTestId("billing-run-asof")).toHaveValue(isoDate(new Date()));
  await page.getByTestId("billing-run-start").click();
  await expect(page.getByTestId("billing-run-status")).toHaveText("done", { timeout: 60_000 });
  const progress = await page.getByTestId("billing-run-bar").textContent();
  const [done, total] = (progress ?? "")
    .match(/(\d+) \/ (\d+)/)!
    .slice(1)
    .map(Number);
  expect(done).toBe(total);
  expect(total).toBeGreaterThan(0);
  await expect(page.getByTestId("billing-run-bar").getByRole("progressbar")).toHaveAttribute(
    "aria-valuenow",
    "100",
  );
  await keepScreenshot(page, testInfo, "billing-run");
  await page.getByTestId("billing-run-close").click();

  // ---- find the first period's invoice through the filters and open it ----
  await page.getByTestId("filter-customer").selectOption({ label: customerName });
  await page.getByTestId("filter-period").fill(startDate.slice(0, 7));
  const rows = page.locator('[data-testid^="invoice-row-"]');
  await expect(rows).toHaveCount(1);
  await rows.first().click();
  await expect(page.getByTestId("invoice-status")).toHaveText("draft");

  // The amount must be what the engine CLI computes for the same usage, overrides, credits and proration.
  const invoiceId = page.url().split("/invoices/")[1].split("?")[0];
  const invoice = (await (await request.get(`/v1/invoices/${invoiceId}`, { headers: auth() })).json()) as {
    proration: string;
    periodStartDate: string;
  };
  expect(invoice.periodStartDate).toBe(startDate);
  const cli = await evaluateWithCli(testInfo.outputDir, document, {
    usage: { [metric]: "1000" },
    params: { rate: "0.02" },
    credits: { promo: "3" },
    proration: invoice.proration,
  });
  expect(cli.total).toBe("17.00"); // 1000 × 0.02 − 3 credits
  await expect(page.getByTestId("invoice-total")).toHaveText(`USD ${cli.total}`);
  await expect(page.getByTestId("invoice-line-amount-callsLine")).toHaveText(`USD ${cli.lines[0].amount}`);
  await keepScreenshot(page, testInfo, "invoice-draft");

  // ---- why? the plan read-only, the path highlighted with the billed values, the explanation beside ----
  await page.getByTestId("why-callsLine").click();
  const why = page.getByTestId("why-view");
  await expect(why).toBeVisible();
  await expect(why.locator(".react-flow__node.why-on")).toHaveCount(4);
  await expect(why.locator(".react-flow__node.why-off")).toHaveCount(0);
  await expect(why.getByTestId("value-calls-out")).toHaveText("1,000");
  await expect(why.getByTestId("value-price-out")).toHaveText("20.00");
  await expect(why.getByTestId("value-promo-applied")).toHaveText("-3.00");
  await expect(why.getByTestId("line-amount-callsLine")).toHaveText("USD 17.00");
  await expect(why.locator(".react-flow__edge.why-edge-on")).toHaveCount(4);
  // The explanation reads from the usage up to the line.
  await expect(why.getByTestId("why-steps").locator(":scope > li")).toHaveCount(4);
  expect(
    await why
      .getByTestId("why-steps")
      .locator(":scope > li")
      .evaluateAll((items) => items.map((li) => li.dataset.testid)),
  ).toEqual(["why-step-calls", "why-step-price", "why-step-promo", "why-step-callsLine"]);
  await expect(why.getByTestId("why-step-price")).toContainText("1,000 × 0.02 = 20");
  await expect(why.getByTestId("why-step-promo")).toContainText('credits "promo"');
  await expect(why.getByTestId("palette-usage")).toHaveCount(0);
  await keepScreenshot(page, testInfo, "invoice-why");
  await page.getByTestId("why-close").click();
  await expect(why).toBeHidden();

  // ---- finalize ----
  await page.getByTestId("invoice-finalize").click();
  await page.getByTestId("confirm-action").click();
  await expect(page.getByTestId("invoice-status")).toHaveText("finalized");
  await expect(page.getByTestId("invoice-number")).toHaveText(/^INV-\d{6}$/);

  // ---- credit note: the server refuses more than the line, then accepts part of it ----
  await page.getByTestId("invoice-credit-note").click();
  await page.getByTestId("credit-mode-lines").check();
  await page.getByTestId("credit-line-callsLine").fill("20");
  await page.getByTestId("credit-reason").fill("Goodwill: outage on the 3rd");
  await page.getByTestId("credit-note-submit").click();
  await expect(page.getByTestId("credit-note-error")).toBeVisible();
  await expect(page.getByTestId("credit-note-error")).toContainText("exceeds what remains of the line");
  await page.getByTestId("credit-line-callsLine").fill("5");
  await page.getByTestId("credit-note-submit").click();
  await expect(page.getByTestId("credit-note-dialog")).toBeHidden();
  await expect(page.locator('[data-testid^="credit-note-CN-"]')).toHaveCount(1);
  await expect(page.getByTestId("invoice-credited")).toHaveText("USD 5.00");
  await expect(page.getByTestId("invoice-amount-due")).toHaveText("USD 12.00");
  await expect(page.getByTestId("invoice-balance")).toHaveText("USD 12.00");
  await expect(page.getByTestId("invoice-void")).toBeDisabled();
  await keepScreenshot(page, testInfo, "invoice-credited");

  // ---- back on the customer: the grant was drawn down by the invoice; usage charted per metric ----
  await page.goto(customerUrl);
  await expect(page.getByTestId("credit-balance-promo")).toHaveText("0");
  await expect(page.getByTestId(`usage-chart-${metric}`)).toBeVisible();

  // Sales ops tops the pool up from the contract page.
  await page.locator('[data-testid^="contract-link-"]').click();
  await page.getByTestId("grant-amount").fill("-1");
  await expect(page.getByTestId("grant-submit")).toBeDisabled();
  await page.getByTestId("grant-amount").fill("10");
  await page.getByTestId("grant-submit").click();
  await expect(page.getByTestId("contract-credits").locator("tbody tr")).toHaveCount(2);
  await page.goto(customerUrl);
  await expect(page.getByTestId("credit-balance-promo")).toHaveText("10");
  await expect(page.getByTestId(`usage-chart-${metric}`)).toBeVisible();
  await keepScreenshot(page, testInfo, "customer");
});
