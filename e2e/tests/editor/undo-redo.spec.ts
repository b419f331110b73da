import { expect, test } from "@playwright/test";
import { keepScreenshot, meteredPlan, openNewPlan, waitSaved } from "../support/app.ts";

test("undo and redo edits, deletions and pastes from the keyboard and the toolbar", async ({
  page,
  request,
}, testInfo) => {
  await openNewPlan(page, request, "Undo", meteredPlan("calls", "0.10", "Calls"));
  await page.getByTestId("tab-preview").click();
  await page.getByTestId("usage-calls").fill("100");
  await expect(page.getByTestId("preview-total")).toHaveText("USD 10.00");

  // An edit in the inspector, undone and redone.
  await page.getByTestId("node-n2").click();
  await page.getByTestId("field-unitPrice").fill("0.25");
  await expect(page.getByTestId("toolbar-total")).toContainText("25.00");
  await page.locator(".react-flow__pane").click({ position: { x: 30, y: 400 } });
  await page.keyboard.press("Control+z");
  await expect(page.getByTestId("toolbar-total")).toContainText("USD 10.00");
  await page.getByTestId("redo").click();
  await expect(page.getByTestId("toolbar-total")).toContainText("USD 25.00");
  await page.getByTestId("undo").click();
  await expect(page.getByTestId("toolbar-total")).toContainText("USD 10.00");
  await page.keyboard.press("Control+Shift+z");
  await expect(page.getByTestId("toolbar-total")).toContainText("USD 25.00");
  await page.keyboard.press("Control+z");
  await page.keyboard.press("Control+y");
  await expect(page.getByTestId("toolbar-total")).toContainText("USD 25.00");

  // Deleting a node takes its edges with it; one undo brings both back.
  await page.getByTestId("node-n2").click();
  await page.keyboard.press("Delete");
  await expect(page.locator(".react-flow__node")).toHaveCount(2);
  await expect(page.locator(".react-flow__edge")).toHaveCount(0);
  await expect(page.getByTestId("problem-count")).toBeVisible();
  await page.keyboard.press("Control+z");
  await expect(page.locator(".react-flow__node")).toHaveCount(3);
  await expect(page.locator(".react-flow__edge")).toHaveCount(2);
  await expect(page.getByTestId("toolbar-total")).toContainText("USD 25.00");

  // Copy and paste two nodes with the edge between them, then undo the paste.
  await page.getByTestId("node-n1").click();
  await page.getByTestId("node-n2").click({ modifiers: ["Shift"] });
  await page.keyboard.press("Control+c");
  await page.keyboard.press("Control+v");
  await expect(page.locator(".react-flow__node")).toHaveCount(5);
  await expect(page.locator(".react-flow__edge")).toHaveCount(3);
  await keepScreenshot(page, testInfo, "pasted");
  await page.getByTestId("undo").click();
  await expect(page.locator(".react-flow__node")).toHaveCount(3);
  await page.getByTestId("redo").click();
  await expect(page.locator(".react-flow__node")).toHaveCount(5);
  await page.getByTestId("undo").click();

  // Moving a node is one undo step.
  const box = (await page.getByTestId("node-n3").boundingBox())!;
  await page.mouse.move(box.x + 40, box.y + 12);
  await page.mouse.down();
  await page.mouse.move(box.x + 140, box.y + 160, { steps: 10 });
  await page.mouse.up();
  const moved = (await page.getByTestId("node-n3").boundingBox())!;
  expect(moved.y - box.y).toBeGreaterThan(100);
  await page.keyboard.press("Control+z");
  await expect
    .poll(async () => Math.round((await page.getByTestId("node-n3").boundingBox())!.y))
    .toBe(Math.round(box.y));

  await waitSaved(page);
  await keepScreenshot(page, testInfo, "undo-redo");
});
