import { expect, test } from "@playwright/test";
import { connect, handle, keepScreenshot, openNewPlan, plan, viewportSettled } from "../support/app.ts";

test("change a tier, publish again, compare the two versions on the canvas and their price curves", async ({
  page,
  request,
}, testInfo) => {
  await openNewPlan(
    page,
    request,
    "Tiered API",
    plan(
      [
        { id: "n1", type: "usage", x: 0, y: 0, data: { metric: "api_calls" } },
        {
          id: "n2",
          type: "tiered",
          x: 280,
          y: 0,
          data: {
            tiers: [
              { upTo: "500", unitPrice: "2.00" },
              { upTo: "2000", unitPrice: "1.50" },
              { upTo: null, unitPrice: "1.00" },
            ],
          },
        },
        { id: "n3", type: "invoiceLine", x: 560, y: 0, data: { description: "API calls" } },
      ],
      ["n1.out>n2.in", "n2.out>n3.amount"],
    ),
  );
  await page.getByTestId("publish").click();
  await expect(page.getByTestId("notice")).toHaveText("Published version 1");

  // Change a tier and add a platform fee on its own line, then publish version 2.
  await page.getByTestId("node-n2").click();
  await page.getByTestId("field-tiers.1.unitPrice").fill("1.25");
  await page.getByTestId("palette-flatFee").click();
  await page.getByTestId("field-amount").fill("49");
  await page.getByTestId("palette-invoiceLine").click();
  await page.getByTestId("field-description").fill("Platform");
  await page.getByTestId("auto-layout").click();
  await expect(page.getByTestId("problem-count")).toBeVisible();
  await expect(page.getByTestId("auto-layout")).toBeEnabled();
  await viewportSettled(page);
  await connect(page, handle(page, "n4", "out", "out"), handle(page, "n5", "in", "amount"));
  await page.getByTestId("auto-layout").click();
  await expect(page.getByTestId("toolbar-total")).toBeVisible();
  await page.getByTestId("publish").click();
  await expect(page.getByTestId("notice")).toHaveText("Published version 2");

  // The draft's curve beside both published versions.
  await page.getByTestId("tab-curve").click();
  await page.getByTestId("curve-version-1").check();
  await expect(page.getByTestId("curve-version-2")).toBeChecked();
  await expect(page.getByTestId("curve-series-draft")).toBeVisible();
  await expect(page.getByTestId("curve-series-v1")).toContainText("6,250.00 at 5,000");
  await expect(page.getByTestId("curve-series-v2")).toContainText("5,924.00 at 5,000");
  await expect(page.locator(".recharts-line")).toHaveCount(3);

  await page.getByTestId("tab-versions").click();
  await page.getByTestId("diff-from").selectOption("1");
  await page.getByTestId("diff-to").selectOption("2");
  await page.getByTestId("show-diff").click();
  await expect(page.getByTestId("diff-title")).toHaveText("Version 1 → Version 2");
  await expect(page.getByTestId("diff-legend")).toContainText("Added 2");
  await expect(page.getByTestId("diff-legend")).toContainText("Changed 1");
  await expect(page.locator(".react-flow__node.diff-added")).toHaveCount(2);
  await expect(page.locator(".react-flow__node.diff-changed")).toHaveCount(1);
  await expect(page.locator('.react-flow__node.diff-changed[data-id="n2"]')).toBeVisible();
  await expect(page.getByTestId("diff-field-n2-tiers[1].unitPrice")).toContainText("1.50");
  await expect(page.getByTestId("diff-field-n2-tiers[1].unitPrice")).toContainText("1.25");
  await keepScreenshot(page, testInfo, "diff-canvas");

  await page.getByTestId("tab-curve").click();
  await expect(page.getByTestId("curve-series-v1")).toBeVisible();
  await expect(page.getByTestId("curve-series-v2")).toBeVisible();
  await expect(page.locator(".recharts-line")).toHaveCount(2);
  await keepScreenshot(page, testInfo, "diff-price-curves");
});
