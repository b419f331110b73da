import { expect, test } from "@playwright/test";
import { apiKey, connect, dropFromPalette, handle, keepScreenshot, waitSaved } from "../support/app.ts";

// Zenskar's graduated example: 0–500 at 2.00, 501–2,000 at 1.50, 2,001+ at 1.00; 1,500 units cost 2,500.00.
test("build a tiered plan from an empty canvas by drag and drop and see its price live", async ({
  page,
}, testInfo) => {
  await page.goto("/");
  await expect(page).toHaveURL(/sign-in/);
  await page.getByTestId("api-key-input").fill(apiKey());
  await page.getByTestId("sign-in").click();
  await expect(page).toHaveURL(/\/plans$/);

  await page.getByTestId("new-plan").click();
  await page.getByTestId("new-plan-name").fill("Zenskar tiered");
  await page.getByTestId("template-empty").click();
  await page.getByTestId("create-plan").click();
  await expect(page.getByTestId("canvas-empty")).toBeVisible();
  await expect(page.locator(".react-flow__node")).toHaveCount(0);

  await dropFromPalette(page, "usage", 130, 90);
  await expect(page.getByTestId("node-n1")).toBeVisible();
  await page.getByTestId("field-metric").selectOption("api_calls");

  await dropFromPalette(page, "tiered", 340, 250);
  await expect(page.getByTestId("node-n2")).toBeVisible();
  await page.getByTestId("field-tiers.0.upTo").fill("500");
  await page.getByTestId("field-tiers.0.unitPrice").fill("2.00");
  await page.getByTestId("add-row-tiers").click();
  await page.getByTestId("field-tiers.1.upTo").fill("2000");
  await page.getByTestId("field-tiers.1.unitPrice").fill("1.50");
  await page.getByTestId("field-tiers.2.unitPrice").fill("1.00");

  await dropFromPalette(page, "invoiceLine", 570, 90);
  await expect(page.getByTestId("node-n3")).toBeVisible();
  await page.getByTestId("field-description").fill("API calls");

  await connect(page, handle(page, "n1", "out", "out"), handle(page, "n2", "in", "in"));
  await connect(page, handle(page, "n2", "out", "out"), handle(page, "n3", "in", "amount"));
  await connect(page, handle(page, "n1", "out", "out"), handle(page, "n3", "in", "quantity"));
  await expect(page.locator(".react-flow__edge")).toHaveCount(3);

  await page.getByTestId("tab-preview").click();
  await page.getByTestId("usage-api_calls").fill("1500");
  await expect(page.getByTestId("preview-total")).toHaveText("USD 2,500.00");
  await expect(page.getByTestId("toolbar-total")).toContainText("2,500.00");
  // The canvas shows each output's live value.
  await expect(page.getByTestId("value-n2-out")).toHaveText("2,500.00");
  await expect(page.getByTestId("value-n1-out")).toHaveText("1,500");
  // The line's explanation names every tier used.
  await page.getByTestId("line-toggle-n3").click();
  await expect(page.getByTestId("explanation-n3")).toContainText("500 × 2");
  await expect(page.getByTestId("explanation-n3")).toContainText("1,000 × 1.5");

  await waitSaved(page);
  await keepScreenshot(page, testInfo, "tiered-plan-2500");

  // The draft was saved: a reload shows the same plan and price.
  await page.reload();
  await page.getByTestId("tab-preview").click();
  await page.getByTestId("usage-api_calls").fill("1500");
  await expect(page.getByTestId("preview-total")).toHaveText("USD 2,500.00");
});
