import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { keepScreenshot, signIn } from "./support/app.ts";

test("dashboard: the demo's revenue, a figure opens the invoices behind it, the journal exports", async ({
  page,
}, testInfo) => {
  await signIn(page);
  await page.goto("/");
  await expect(page.getByTestId("dashboard")).toBeVisible();
  // The demo's finalized invoices are in the journal: the invoiced figure is not zero.
  const invoiced = page.getByTestId("figure-invoiced");
  await expect(invoiced).not.toContainText(/\b0\.00\b/);
  await expect(page.getByTestId("chart-revenue-segment").first()).toBeVisible();
  await expect(page.getByTestId("top-customers").locator("tbody tr").first()).toBeVisible();
  await keepScreenshot(page, testInfo, "dashboard");

  // A month's product segment lists the invoices behind it.
  await page.getByTestId("chart-revenue-segment").first().click();
  await expect(page.getByTestId("figure-invoices")).toBeVisible();
  await expect(page.getByTestId("figure-invoice-row").first()).toBeVisible();

  // The headline figure: its invoices, then one of them.
  await page.getByTestId("nav-dashboard").click();
  await invoiced.click();
  const rows = page.getByTestId("figure-invoice-row");
  await expect(rows.first()).toBeVisible();
  await expect(rows.first()).toContainText(/INV-\d{6}/);
  await keepScreenshot(page, testInfo, "figure-invoices");
  await rows.first().getByRole("link").click();
  await expect(page).toHaveURL(/\/invoices\/inv_/);

  // Export the journal: our CSV and the QuickBooks Online import file.
  await page.getByTestId("nav-dashboard").click();
  const [csv] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-csv").click()]);
  expect(csv.suggestedFilename()).toMatch(/^journal-\d{4}-\d{2}-\d{2}\.csv$/);
  const text = readFileSync((await csv.path()) as string, "utf8");
  const [header, ...lines] = text.trim().split("\n");
  expect(header).toBe(
    "entry_id,date,kind,source_type,source_id,currency,memo,account_code,account_name,debit,credit,customer_id,invoice_id,product",
  );
  expect(lines.some((l) => l.includes(",invoice,invoice,"))).toBe(true);
  const [qbo] = await Promise.all([
    page.waitForEvent("download"),
    page.getByTestId("export-quickbooks").click(),
  ]);
  const qboText = readFileSync((await qbo.path()) as string, "utf8");
  expect(qboText.split("\n")[0]).toBe("JournalNo,JournalDate,AccountName,Debits,Credits,Description,Name");
});
