import { expect, test } from "@playwright/test";
import { keepScreenshot, meteredPlan, openNewPlan, waitSaved } from "../support/app.ts";

test("expose a price as a contract parameter and preview an override", async ({
  page,
  request,
}, testInfo) => {
  const id = await openNewPlan(page, request, "Parameters", meteredPlan("minutes", "0.004", "Minutes"));
  await page.getByTestId("tab-preview").click();
  await page.getByTestId("usage-minutes").fill("10000");
  await expect(page.getByTestId("preview-total")).toHaveText("USD 40.00");

  await page.getByTestId("node-n2").click();
  await page.getByTestId("expose-unitPrice").click();
  await expect(page.getByTestId("param-ref-unitPrice")).toContainText("per_unit_unit_price");
  const panel = page.getByTestId("params-panel");
  await expect(panel.getByTestId("param-per_unit_unit_price")).toBeVisible();
  await expect(page.getByTestId("param-default-per_unit_unit_price")).toHaveValue("0.004");

  // Rename the key and label; the node follows the new key.
  await page.getByTestId("param-key-per_unit_unit_price").fill("minute_rate");
  await page.getByTestId("param-key-per_unit_unit_price").blur();
  await expect(page.getByTestId("param-ref-unitPrice")).toContainText("minute_rate");
  await page.getByTestId("param-label-minute_rate").fill("Price per minute");
  await page.getByTestId("param-default-minute_rate").fill("0.005");
  await expect(page.getByTestId("toolbar-total")).toContainText("USD 50.00");

  // A contract-style override in the preview.
  await page.getByTestId("tab-preview").click();
  await page.getByTestId("param-value-minute_rate").fill("0.003");
  await expect(page.getByTestId("preview-total")).toHaveText("USD 30.00");
  await keepScreenshot(page, testInfo, "parameter-preview");

  // Saved with the draft: the document holds the reference and the declaration.
  await waitSaved(page);
  const saved = await request.get(`/v1/plans/${id}`, {
    headers: { authorization: `Bearer ${process.env.PRICEGRAPH_E2E_API_KEY}` },
  });
  const draft = (await saved.json()).draft;
  expect(draft.params).toEqual([
    { key: "minute_rate", label: "Price per minute", type: "money", default: "0.005" },
  ]);
  expect(draft.nodes.find((n: { id: string }) => n.id === "n2").data.unitPrice).toEqual({
    param: "minute_rate",
  });
});
