import { expect, test } from "@playwright/test";
import { connect, handle, keepScreenshot, meteredChain, openNewPlan, plan } from "../support/app.ts";

test("publish is refused with the compiler's problems, then succeeds once they are fixed", async ({
  page,
  request,
}, testInfo) => {
  await openNewPlan(
    page,
    request,
    "Publishing",
    plan(meteredChain("gigabytes", "0.09", "Storage"), ["n2.out>n3.amount"]),
  );
  await expect(page.getByTestId("node-problem-n2")).toBeVisible();

  await page.getByTestId("publish").click();
  const refused = page.getByTestId("publish-refused");
  await expect(refused).toBeVisible();
  // In people's words: the node as the canvas names it and the input's label, no ids or codes.
  await expect(refused).toContainText("Per unit needs units connected");
  await expect(refused).not.toContainText("INPUT_UNCONNECTED");
  await keepScreenshot(page, testInfo, "publish-refused");
  // A problem leads to its node, with the cursor on the input that needs a connection.
  await refused.getByRole("button", { name: /needs units connected/ }).click();
  await expect(refused).toBeHidden();
  await expect(page.getByTestId("node-form")).toBeVisible();
  await expect(page.getByTestId("inspector")).toContainText("Per unit");
  await expect(page.getByTestId("connect-in")).toBeFocused();

  await connect(page, handle(page, "n1", "out", "out"), handle(page, "n2", "in", "in"));
  await expect(page.getByTestId("node-problem-n2")).toBeHidden();
  await page.getByTestId("publish").click();
  await expect(page.getByTestId("notice")).toHaveText("Published version 1");

  await page.getByTestId("tab-versions").click();
  await expect(page.getByTestId("version-1")).toContainText("Version 1");
  await keepScreenshot(page, testInfo, "published");

  // The version opens read-only with its own preview.
  await page.getByTestId("open-version-1").click();
  await expect(page.getByTestId("version-title")).toHaveText("Version 1");
  await expect(page.getByTestId("read-only")).toBeVisible();
  await page.getByTestId("usage-gigabytes").fill("1000");
  await expect(page.getByTestId("preview-total")).toHaveText("USD 90.00");
  await page.getByTestId("node-n2").click();
  await page.getByTestId("tab-inspect").click();
  await expect(page.getByTestId("field-unitPrice")).toHaveAttribute("readonly", "");
  await expect(page.getByTestId("palette-usage")).toHaveCount(0);
  await keepScreenshot(page, testInfo, "version-read-only");
});
