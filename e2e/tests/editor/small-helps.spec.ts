import { expect, test } from "@playwright/test";
import { createPlan, meteredPlan, openNewPlan, signIn, waitSaved } from "../support/app.ts";

test("auto-layout says why it does nothing without connections, and nodes added on one spot are nudged apart", async ({
  page,
  request,
}) => {
  await signIn(page);
  const { id } = await createPlan(request, "Unconnected");
  await page.goto(`/plans/${id}`);
  await expect(page.getByTestId("canvas-empty")).toBeVisible();

  // Nothing selected: each palette entry lands in the middle of the view, where the previous one already is.
  for (const type of ["usage", "perUnit"]) {
    await page.getByTestId(`palette-${type}`).click();
    await page
      .getByTestId("canvas")
      .locator(".react-flow__pane")
      .click({ position: { x: 10, y: 10 } });
  }
  const first = (await page.getByTestId("node-n1").boundingBox())!;
  const second = (await page.getByTestId("node-n2").boundingBox())!;
  const overlap =
    first.x < second.x + second.width &&
    second.x < first.x + first.width &&
    first.y < second.y + second.height &&
    second.y < first.y + first.height;
  expect(overlap).toBe(false);

  await page.getByTestId("auto-layout").click();
  await expect(page.getByTestId("layout-needs-edges")).toContainText("Connect the nodes first");
});

test("the sample usage is kept per plan: reopened, a plan shows the invoice it was left with", async ({
  page,
  request,
}) => {
  const first = await openNewPlan(
    page,
    request,
    "Kept sample A",
    meteredPlan("api_calls", "0.5", "API calls"),
  );
  await page.getByTestId("tab-preview").click();
  await page.getByTestId("usage-api_calls").fill("300");
  await expect(page.getByTestId("preview-total")).toHaveText("USD 150.00");
  await waitSaved(page);

  // Another plan on the same metric starts from its own (empty) sample, not from the first plan's.
  const { id: second } = await createPlan(
    request,
    "Kept sample B",
    meteredPlan("api_calls", "0.5", "API calls"),
  );
  await page.goto(`/plans/${second}`);
  await page.getByTestId("tab-preview").click();
  await expect(page.getByTestId("usage-api_calls")).toHaveValue("");
  await expect(page.getByTestId("preview-total")).toHaveText("USD 0.00");

  await page.goto(`/plans/${first}`);
  await page.getByTestId("tab-preview").click();
  await expect(page.getByTestId("usage-api_calls")).toHaveValue("300");
  await expect(page.getByTestId("preview-total")).toHaveText("USD 150.00");
});
