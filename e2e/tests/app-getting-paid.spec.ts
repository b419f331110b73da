import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { apiKey, keepScreenshot, signIn } from "./support/app.ts";

const auth = () => ({ authorization: `Bearer ${apiKey()}` });

test("finance: finalize a demo draft → download its PDF → record the payment → paid → the e-mails are in the outbox", async ({
  page,
  request,
}, testInfo) => {
  test.setTimeout(120_000);
  // A demo draft with something to pay (the latest closed month of each contract is left draft).
  const drafts = (await (
    await request.get("/v1/invoices?status=draft&limit=100", { headers: auth() })
  ).json()) as {
    data: { id: string; total: string }[];
  };
  const draft = drafts.data.find((d) => Number(d.total) > 0);
  expect(draft, "a demo draft with a total").toBeDefined();

  await signIn(page);
  await page.goto(`/invoices/${draft?.id}`);
  await expect(page.getByTestId("invoice-status")).toHaveText("draft");
  await page.getByTestId("invoice-finalize").click();
  await page.getByTestId("confirm-action").click();
  await expect(page.getByTestId("invoice-status")).toHaveText("finalized");
  const number = (await page.getByTestId("invoice-number").textContent()) ?? "";
  expect(number).toMatch(/^INV-\d{6}$/);

  // Finalizing fixed the tax and the dates: the demo taxes at 8.25% on net-30 terms.
  const panel = page.getByTestId("invoice-receivable");
  await expect(panel.getByTestId("invoice-payment-status")).toHaveText(/unpaid|overdue/);
  await expect(panel.getByTestId("invoice-tax")).toContainText("Sales tax 8.25%");
  await expect(panel.getByTestId("invoice-due-date")).not.toHaveText("—");

  // ---- the PDF ----
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    panel.getByTestId("download-invoice-pdf").click(),
  ]);
  expect(download.suggestedFilename()).toBe(`${number}.pdf`);
  const pdf = readFileSync(await download.path());
  expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
  expect(pdf.length).toBeGreaterThan(1000);

  // ---- the payment, for what is outstanding ----
  const shown = (await panel.getByTestId("invoice-outstanding").textContent()) ?? "";
  const outstanding = shown.replace(/^USD /, "").replace(/,/g, "");
  await panel.getByTestId("open-record-payment").click();
  await expect(page.getByTestId("payment-amount")).toHaveValue(outstanding);
  await page.getByTestId("payment-reference").fill("E2E-BANK-1");
  await page.getByTestId("record-payment").click();
  await expect(page.getByTestId("payment-dialog")).toBeHidden();
  await expect(panel.getByTestId("invoice-payment-status")).toHaveText("paid");
  await expect(panel.getByTestId("invoice-outstanding")).toHaveText("USD 0.00");
  await expect(panel.getByTestId("invoice-payments")).toContainText("E2E-BANK-1");
  await keepScreenshot(page, testInfo, "invoice-paid");

  // ---- the outbox: the invoice (with its PDF) and the receipt, composed by the e-mail job ----
  await page.getByTestId("nav-communications").click();
  const messages = page.getByTestId("email-messages");
  const issued = messages.getByText(new RegExp(`^Invoice ${number} from`));
  await expect(issued).toBeVisible({ timeout: 30_000 });
  await expect(messages.getByText(`Payment received: USD ${outstanding}`).first()).toBeVisible({
    timeout: 30_000,
  });
  await issued.click();
  await expect(page.getByTestId("email-view")).toContainText(`Attached: ${number}.pdf`);
  await keepScreenshot(page, testInfo, "communications-outbox");

  // ---- receivables: the demo's aging chart ----
  await page.getByTestId("nav-receivables").click();
  await expect(page.getByTestId("aging-chart").first()).toBeVisible();
  await expect(page.getByTestId("aging-total-USD")).toHaveText(/^USD [\d,]+\.\d{2}$/);
  await keepScreenshot(page, testInfo, "receivables");

  // ---- a bank CSV with a row that names no invoice: refused whole, the row named ----
  await page.getByTestId("import-payments-file").setInputFiles({
    name: "bank.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(`invoice,amount,date,reference\nINV-999999,10.00,2026-01-05,E2E-BANK-2\n`),
  });
  await expect(page.getByTestId("import-payments-error-row")).toContainText(
    "no finalized invoice numbered INV-999999",
  );

  // ---- the payment bounced: reversed from the customer page, the invoice is open again ----
  const invoice = (await (await request.get(`/v1/invoices/${draft?.id}`, { headers: auth() })).json()) as {
    customerId: string;
  };
  await page.goto(`/customers/${invoice.customerId}`);
  await page.getByTestId("reverse-payment-E2E-BANK-1").click();
  await expect(page.getByTestId("customer-payments")).toContainText("reversed");
  await page.goto(`/invoices/${draft?.id}`);
  await expect(page.getByTestId("invoice-payment-status")).toHaveText(/unpaid|overdue/);
});
