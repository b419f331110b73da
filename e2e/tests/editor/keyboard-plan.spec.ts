import { expect, test } from "@playwright/test";
import { createPlan, keepScreenshot, signIn } from "../support/app.ts";

// A plan built with the keyboard alone: palette entries added with Enter, fields typed, inputs wired from the
// inspector's connection lists. No mouse event is sent after the page opens.
test("build a priced plan from an empty canvas with the keyboard only", async ({
  page,
  request,
}, testInfo) => {
  test.setTimeout(150_000);
  await signIn(page);
  const { id } = await createPlan(request, "Keyboard plan");
  await page.goto(`/plans/${id}`);
  await expect(page.getByTestId("canvas-empty")).toBeVisible();
  await expect(page).toHaveTitle("Keyboard plan — Plan editor · Pricegraph");

  // The skip link is the first stop and leads past the navigation.
  await page.keyboard.press("Tab");
  await expect(page.getByTestId("skip-link")).toBeFocused();

  const search = page.getByTestId("palette-search");
  const tabTo = async (testId: string, limit = 40) => {
    for (let i = 0; i < limit; i++) {
      if (await page.getByTestId(testId).evaluate((el) => el === document.activeElement)) return;
      await page.keyboard.press("Tab");
    }
    throw new Error(`Tab never reached ${testId}`);
  };

  // Usage: Enter on its palette entry adds it and puts the cursor in its first field.
  await tabTo("palette-usage");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("node-n1")).toBeVisible();
  await expect(page.getByTestId("field-metric")).toBeFocused();
  await page.keyboard.type("api_calls");

  // Per unit, found by typing in the palette search and Enter.
  await tabTo("palette-search", 80);
  await expect(search).toBeFocused();
  await page.keyboard.type("per unit");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("node-n2")).toBeVisible();
  await expect(page.getByTestId("field-unitPrice")).toBeFocused();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type("0.002");
  await tabTo("connect-in");
  await page.keyboard.press("ArrowDown");
  await expect(page.getByTestId("connect-in")).toHaveValue(/n1/);

  // The invoice line, wired to the price.
  await tabTo("palette-search", 80);
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type("invoice");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("node-n3")).toBeVisible();
  await expect(page.getByTestId("field-description")).toBeFocused();
  await page.keyboard.type("API calls");
  await tabTo("connect-amount");
  await page.keyboard.press("ArrowDown");
  await expect(page.getByTestId("connect-amount")).toHaveValue(/n2/);
  await expect(page.locator(".react-flow__edge")).toHaveCount(2);

  // Sample usage and the price, from the Preview tab.
  await tabTo("tab-preview", 80);
  await page.keyboard.press("Enter");
  await tabTo("usage-api_calls");
  await page.keyboard.type("10000");
  await expect(page.getByTestId("preview-total")).toHaveText("USD 20.00");
  await expect(page.getByTestId("save-status")).toHaveText("Saved");
  await keepScreenshot(page, testInfo, "keyboard-built-plan");
});

test("a dialog keeps focus inside and gives it back to the button that opened it", async ({ page }) => {
  await signIn(page);
  await page.goto("/plans");
  await expect(page).toHaveTitle("Plans · Pricegraph");
  const opener = page.getByTestId("new-plan");
  await opener.focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByTestId("new-plan-dialog");
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId("new-plan-name")).toBeFocused();
  // Tabbing round the whole dialog never leaves it.
  for (let i = 0; i < 30; i++) {
    await page.keyboard.press("Tab");
    const inside = await dialog.evaluate((el) => el.contains(document.activeElement));
    const onPage = await page.evaluate(() => document.activeElement === document.body);
    expect(inside || onPage).toBe(true);
  }
  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);
  await expect(opener).toBeFocused();
});
