import { expect, type Page, test } from "@playwright/test";
import { templates } from "@pricegraph/engine/templates";
import { createPlan, keepScreenshot, plan, signIn, viewportSettled } from "../support/app.ts";

const videoTemplate = templates.find((t) => t.id === "video-infrastructure")!;

async function openTemplate(page: Page, request: Parameters<typeof createPlan>[0], name: string) {
  await signIn(page);
  const { id } = await createPlan(request, name, videoTemplate.document as never);
  await page.goto(`/plans/${id}`);
  await expect(page.getByTestId("canvas")).toBeVisible();
  await viewportSettled(page);
}

/** Whether an element lies wholly inside the window. */
const inWindow = (page: Page, testId: string) =>
  page.getByTestId(testId).evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.left >= 0 && r.top >= 0 && r.right <= window.innerWidth && r.bottom <= window.innerHeight;
  });

test.describe("at 1024 × 768", () => {
  test.use({ viewport: { width: 1024, height: 768 } });

  test("a 14-node plan is readable, the canvas has room and Publish is whole", async ({
    page,
    request,
  }, testInfo) => {
    expect(videoTemplate.document.nodes.length).toBeGreaterThanOrEqual(12);
    await openTemplate(page, request, "Video at 1024");
    expect(await inWindow(page, "publish")).toBe(true);
    const canvas = (await page.getByTestId("canvas").boundingBox())!;
    expect(canvas.width).toBeGreaterThanOrEqual(560);
    // Fit view stops at a readable zoom: a node title is drawn at 7 px or more.
    const titleSize = await page
      .locator(".pg-node-title")
      .first()
      .evaluate((el) => {
        const zoom = new DOMMatrix(getComputedStyle(el.closest(".react-flow__viewport")!).transform).a;
        return Number.parseFloat(getComputedStyle(el).fontSize) * zoom;
      });
    expect(titleSize).toBeGreaterThanOrEqual(7);
    await keepScreenshot(page, testInfo, "editor-1024");

    // The palette unfolds when wanted, and folds back.
    await page.getByTestId("expand-palette").click();
    await expect(page.getByTestId("palette-search")).toBeVisible();
    expect(await inWindow(page, "publish")).toBe(true);
    await page.getByTestId("collapse-palette").click();
    await expect(page.getByTestId("palette-search")).toHaveCount(0);

    // The side panel folds to give the canvas the whole width.
    await page.getByTestId("collapse-side").click();
    const wide = (await page.getByTestId("canvas").boundingBox())!;
    expect(wide.width).toBeGreaterThan(canvas.width + 200);
    await page.getByTestId("expand-side").click();
    await expect(page.getByTestId("tab-preview")).toBeVisible();
  });
});

test("at 1440 px tier tables fit their panel", async ({ page, request }, testInfo) => {
  await signIn(page);
  const { id } = await createPlan(
    request,
    "Wide tiers",
    plan(
      [
        { id: "n1", type: "usage", x: 0, y: 0, data: { metric: "gb" } },
        {
          id: "n2",
          type: "tiered",
          x: 280,
          y: 0,
          data: {
            tiers: [
              { upTo: "1000000", unitPrice: "0.1234", flatFee: "1500.00" },
              { upTo: "25000000", unitPrice: "0.0875", flatFee: "12500.00" },
              { upTo: null, unitPrice: "0.0450", flatFee: "0" },
            ],
          },
        },
        { id: "n3", type: "invoiceLine", x: 560, y: 0, data: { description: "Storage" } },
      ],
      ["n1.out>n2.in", "n2.out>n3.amount"],
    ),
  );
  await page.goto(`/plans/${id}`);
  await page.getByTestId("node-n2").click();
  const table = page.getByTestId("tiers-tiers");
  await expect(table).toBeVisible();
  const overflow = (selector: string) =>
    page
      .locator(selector)
      .first()
      .evaluate((el) => el.scrollWidth - el.clientWidth);
  expect(await overflow(".side-content")).toBeLessThanOrEqual(0);
  expect(await overflow("[data-testid=tiers-tiers]")).toBeLessThanOrEqual(1);
  await keepScreenshot(page, testInfo, "tier-table-1440");

  const video = await createPlan(request, "Video tiers", videoTemplate.document as never);
  await page.goto(`/plans/${video.id}`);
  await page.getByTestId("node-free").click();
  await expect(page.getByTestId("tiers-tiers")).toBeVisible();
  expect(await overflow(".side-content")).toBeLessThanOrEqual(0);
});
