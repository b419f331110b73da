import { expect, test } from "@playwright/test";
import { keepScreenshot, meteredPlan, node, openNewPlan, viewportSettled } from "../support/app.ts";

test("zoomed far out, nodes draw as coloured blocks; zoomed back in, their details return", async ({
  page,
  request,
}, testInfo) => {
  await openNewPlan(page, request, "Overview", meteredPlan("api_calls", "0.02", "API calls"));
  const canvas = page.getByTestId("canvas");
  const title = node("n2")(page).locator(".pg-node-title");
  await expect(title).toBeVisible();
  await expect(canvas).not.toHaveClass(/canvas-overview/);

  const zoomOut = page.locator(".react-flow__controls-zoomout");
  for (let i = 0; i < 12 && !(await canvas.getAttribute("class"))?.includes("canvas-overview"); i++) {
    await zoomOut.click();
    await viewportSettled(page);
  }
  await expect(canvas).toHaveClass(/canvas-overview/);
  // The node keeps its place and size (edges stay attached) but its text and handles are not painted.
  await expect(node("n2")(page)).toBeVisible();
  await expect(title).toBeHidden();
  await expect(page.getByTestId("handle-n2-out-out")).toBeHidden();
  await expect(page.locator(".react-flow__background")).toHaveCount(0);
  await expect(page.locator(".react-flow__edge")).toHaveCount(2);
  await keepScreenshot(page, testInfo, "overview-zoomed-out");

  await page.getByTestId("fit-view").click();
  await viewportSettled(page);
  await expect(canvas).not.toHaveClass(/canvas-overview/);
  await expect(title).toBeVisible();
  await expect(page.getByTestId("handle-n2-out-out")).toBeVisible();
  await expect(page.locator(".react-flow__background")).toHaveCount(1);
});
