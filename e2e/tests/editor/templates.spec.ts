import { expect, test } from "@playwright/test";
import { templates } from "@pricegraph/engine/templates";
import { keepScreenshot, signIn } from "../support/app.ts";

const groupDigits = (text: string) => text.replace(/\B(?=(\d{3})+(?!\d))/g, ",");

test("start a plan from the templates gallery and see its first example priced", async ({
  page,
}, testInfo) => {
  const template = templates.find((t) => t.id === "tiered")!;
  const example = template.examples[0];
  await signIn(page);
  await page.goto("/plans");
  await page.getByTestId("new-plan").click();
  for (const t of templates) await expect(page.getByTestId(`template-${t.id}`)).toContainText(t.name);
  await page.getByTestId(`template-${template.id}`).click();
  await keepScreenshot(page, testInfo, "templates-gallery");
  await page.getByTestId("create-plan").click();

  await expect(page.getByTestId("plan-name")).toHaveValue(template.name);
  await expect(page.locator(".react-flow__node")).toHaveCount(template.document.nodes.length);
  await expect(page.getByTestId("preview-total")).toHaveText(
    `${template.document.currency} ${groupDigits(example.expected.total)}`,
  );
  await keepScreenshot(page, testInfo, "template-opened");
});
