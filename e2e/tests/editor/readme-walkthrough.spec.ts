import { expect, type Page, test } from "@playwright/test";
import { apiKey, connect, handle, keepScreenshot, waitSaved } from "../support/app.ts";

// README.md, "Your first plan in the editor", step by step with the words the README uses: labels, buttons
// and tabs a new user sees (handles have no text; they are found by their test ids).
test("the README's first-plan walkthrough works as written", async ({ page }, testInfo) => {
  const palette = page.getByLabel("Node palette");
  const dropOnCanvas = (label: string, x: number, y: number) =>
    palette
      .getByRole("button", { name: label, exact: true })
      .dragTo(page.getByTestId("canvas"), { targetPosition: { x, y } });
  // A tab's name may carry a badge after its label (Versions shows how many there are).
  const tab = (label: string) => page.getByRole("tab", { name: new RegExp(`^${label}`) });

  // 1.
  await page.goto("/");
  await page.getByTestId("api-key-input").fill(apiKey());
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("link", { name: "Plans" }).click();
  await page.getByRole("button", { name: "New plan" }).click();
  await page.getByLabel("Name").fill("API tiers");
  await page.getByText("Empty canvas").click();
  await page.getByRole("button", { name: "Create plan" }).click();
  await expect(page.getByTestId("canvas-empty")).toBeVisible();

  // 2.–4.
  await dropOnCanvas("Usage", 130, 90);
  await page.getByLabel("Metric", { exact: true }).selectOption("api_calls");
  await dropOnCanvas("Tiered (graduated)", 340, 260);
  await page.getByLabel("Tier 1 up to", { exact: true }).fill("500");
  await page.getByLabel("Tier 1 unit price", { exact: true }).fill("2.00");
  await page.getByRole("button", { name: "+ Add tier" }).click();
  await page.getByLabel("Tier 2 up to", { exact: true }).fill("2000");
  await page.getByLabel("Tier 2 unit price", { exact: true }).fill("1.50");
  await page.getByLabel("Tier 3 unit price", { exact: true }).fill("1.00");
  await dropOnCanvas("Invoice line", 570, 90);
  await page.getByLabel("Description", { exact: true }).fill("API calls");

  // 5.
  await connect(page, handle(page, "n1", "out", "out"), handle(page, "n2", "in", "in"));
  await connect(page, handle(page, "n2", "out", "out"), handle(page, "n3", "in", "amount"));
  await expect(page.locator(".react-flow__edge")).toHaveCount(2);

  // 6.
  await tab("Preview").click();
  await page.getByTestId("usage-api_calls").fill("1500");
  await expect(page.getByTestId("preview-total")).toHaveText("USD 2,500.00");
  await page.getByRole("button", { name: "API calls" }).click();
  await expect(page.getByTestId("explanation-n3")).toContainText("500 × 2 + 1,000 × 1.5 = 2,500");
  await expect(page.getByTestId("value-n2-out")).toHaveText("2,500.00");

  // 7.
  await publish(page, 1);

  // 8.
  await page.getByTestId("node-n2").click();
  await page.getByLabel("Tier 2 unit price", { exact: true }).fill("1.25");
  await expect(page.getByTestId("toolbar-total")).toContainText("USD 2,250.00");
  await publish(page, 2);

  // 9.
  await tab("Price curve").click();
  await page.getByRole("checkbox", { name: "v1" }).check();
  await expect(page.getByTestId("curve-series-v1")).toContainText("6,250.00 at 5,000");
  await expect(page.getByTestId("curve-series-v2")).toContainText("5,875.00 at 5,000");
  await keepScreenshot(page, testInfo, "readme-price-curves");

  // 10.
  await tab("Versions").click();
  await page.getByLabel("From version").selectOption("1");
  await page.getByLabel("To version").selectOption("2");
  await page.getByRole("button", { name: "Show diff" }).click();
  await expect(page.locator('.react-flow__node.diff-changed[data-id="n2"]')).toBeVisible();
  await expect(page.getByTestId("diff-field-n2-tiers[1].unitPrice")).toContainText("1.50");
  await expect(page.getByTestId("diff-field-n2-tiers[1].unitPrice")).toContainText("1.25");
  await keepScreenshot(page, testInfo, "readme-diff");
});

async function publish(page: Page, version: number) {
  await waitSaved(page);
  await page.getByRole("button", { name: "Publish" }).click();
  await expect(page.getByTestId("notice")).toHaveText(`Published version ${version}`);
}
