import { expect, test } from "@playwright/test";
import { apiKey, meteredPlan, openNewPlan } from "../support/app.ts";

// A description typed and a page left at once (well inside the autosave delay) must reach the server, and
// the editor must show it on return: the next edit then builds on it instead of saving over it.
test("an edit followed at once by another page is kept, and the next edit builds on it", async ({
  page,
  request,
}) => {
  const id = await openNewPlan(page, request, "Lost edit", meteredPlan("minutes", "0.01", "Minutes"));
  await page.getByTestId("node-n3").click();
  await page.getByTestId("field-description").fill("Video minutes");
  await expect(page.getByTestId("save-status")).toHaveText("Unsaved changes");
  await page.getByTestId("nav-customers").click();
  await expect(page).toHaveURL(/\/customers$/);

  await page.getByTestId("nav-plans").click();
  await page.getByRole("link", { name: "Lost edit" }).click();
  await page.getByTestId("node-n3").click();
  await expect(page.getByTestId("field-description")).toHaveValue("Video minutes");

  // The next edit keeps the first one.
  await page.getByTestId("node-n2").click();
  await page.getByTestId("field-unitPrice").fill("0.02");
  await expect(page.getByTestId("save-status")).toHaveText("Saved");
  const saved = await request.get(`/v1/plans/${id}`, { headers: { authorization: `Bearer ${apiKey()}` } });
  const draft = (await saved.json()).draft as { nodes: { id: string; data: Record<string, unknown> }[] };
  expect(draft.nodes.find((n) => n.id === "n3")?.data.description).toBe("Video minutes");
  expect(draft.nodes.find((n) => n.id === "n2")?.data.unitPrice).toBe("0.02");
});

test("an edit followed at once by a reload is kept", async ({ page, request }) => {
  await openNewPlan(page, request, "Reloaded edit", meteredPlan("minutes", "0.01", "Minutes"));
  await page.getByTestId("node-n3").click();
  await page.getByTestId("field-description").fill("Encoding minutes");
  await page.reload();
  await page.getByTestId("node-n3").click();
  await expect(page.getByTestId("field-description")).toHaveValue("Encoding minutes");
});
