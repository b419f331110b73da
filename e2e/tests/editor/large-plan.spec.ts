import { expect, type Page, test } from "@playwright/test";
import { keepScreenshot, openNewPlan, plan, viewportSettled, waitSaved } from "../support/app.ts";

/** 110 chains of usage → tiered price → invoice line, one under another: 330 nodes, over the large-plan mark. */
function largePlan() {
  const nodes: Parameters<typeof plan>[0] = [];
  const edges: string[] = [];
  for (let c = 0; c < 110; c++) {
    const y = c * 190;
    nodes.push(
      { id: `u${c}`, type: "usage", x: 0, y, data: { metric: `metric_${c % 4}` } },
      {
        id: `t${c}`,
        type: "tiered",
        x: 280,
        y,
        data: {
          tiers: [
            { upTo: "1000", unitPrice: "0.10" },
            { upTo: null, unitPrice: "0.05" },
          ],
        },
      },
      { id: `l${c}`, type: "invoiceLine", x: 560, y, data: { description: `Line ${c + 1}` } },
    );
    edges.push(`u${c}.out>t${c}.in`, `t${c}.out>l${c}.amount`);
  }
  return plan(nodes, edges);
}

const drawnIds = (page: Page) =>
  page.locator(".react-flow__node").evaluateAll((nodes) => nodes.map((n) => (n as HTMLElement).dataset.id));
const heightOf = async (page: Page, id: string) =>
  (await page.locator(`.react-flow__node[data-id="${id}"]`).boundingBox())!.height;

test("a plan of 330 nodes draws what is in view, drags in one undo step and keeps nodes whole when panned", async ({
  page,
  request,
}, testInfo) => {
  await openNewPlan(page, request, "Large plan", largePlan());
  const canvas = page.getByTestId("canvas");
  await expect(canvas).toHaveClass(/canvas-large/);
  await viewportSettled(page);
  // Fitted whole, at the zoom floor: the overview, without a minimap; only the chains in view are drawn.
  await expect(canvas).toHaveClass(/canvas-overview/);
  await expect(page.locator(".react-flow__minimap")).toHaveCount(0);
  const drawn = await drawnIds(page);
  expect(drawn.length).toBeGreaterThan(30);
  expect(drawn.length).toBeLessThan(330);
  const firstTiered = drawn.find((id) => id?.startsWith("t"))!;
  const tieredHeight = await heightOf(page, firstTiered);

  // Panning brings chains that were not drawn into view, at the size they were measured at (edges stay on
  // their handles): a tiered node drawn now is as tall as one drawn from the start.
  const pane = (await page.locator(".react-flow").boundingBox())!;
  const before = new Set(drawn);
  await page.mouse.move(pane.x + pane.width - 20, pane.y + pane.height - 20);
  await page.mouse.down();
  await page.mouse.move(pane.x + pane.width - 20, pane.y + 40, { steps: 12 });
  await page.mouse.up();
  await viewportSettled(page);
  const arrived = (await drawnIds(page)).filter((id) => id?.startsWith("t") && !before.has(id));
  expect(arrived.length).toBeGreaterThan(0);
  expect(Math.abs((await heightOf(page, arrived[0]!)) - tieredHeight)).toBeLessThan(1);
  await expect(page.locator(`[data-testid^="rf__edge-"]`).first()).toBeVisible();

  // A drag moves the node on screen as it goes and reaches the plan (and the undo history) once, at the end.
  const id = arrived[0]!;
  const box = (await page.locator(`.react-flow__node[data-id="${id}"]`).boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + 3);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 150, box.y + 3, { steps: 10 });
  const during = (await page.locator(`.react-flow__node[data-id="${id}"]`).boundingBox())!;
  expect(during.x - box.x).toBeGreaterThan(100);
  await page.mouse.up();
  await waitSaved(page);
  await page.keyboard.press("Control+z");
  await expect
    .poll(async () => Math.round((await page.locator(`.react-flow__node[data-id="${id}"]`).boundingBox())!.x))
    .toBe(Math.round(box.x));
  await expect(page.getByTestId("undo")).toBeDisabled();

  // An edit in the inspector reaches the node's own table and the total.
  await page.locator(`.react-flow__node[data-id="${id}"]`).dispatchEvent("click");
  await page.getByTestId("field-tiers.0.unitPrice").fill("0.25");
  await expect(page.getByTestId(`node-${id}`).locator(".tier-mini")).toContainText("@ 0.25");
  await keepScreenshot(page, testInfo, "large-plan");
});
