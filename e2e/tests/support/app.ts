import { type APIRequestContext, expect, type Locator, type Page, type TestInfo } from "@playwright/test";

/** The pricegraph/v1 document shape the journeys send (see docs/plan-format.md). */
export interface PlanDocumentInput {
  format: "pricegraph/v1";
  currency: string;
  params: { key: string; label?: string; type: "money" | "quantity"; default: string }[];
  nodes: { id: string; type: string; position: { x: number; y: number }; data: Record<string, unknown> }[];
  edges: { id: string; source: string; sourceHandle: string; target: string; targetHandle: string }[];
}

export const apiKey = () => process.env.PRICEGRAPH_E2E_API_KEY!;
const auth = () => ({ authorization: `Bearer ${apiKey()}` });

/** Signs the browser in without the form (the sign-in journey covers the form itself). */
export async function signIn(page: Page) {
  await page.addInitScript((key) => localStorage.setItem("pricegraph.apiKey", key), apiKey());
}

/**
 * Defines (as counts) the metrics a document's usage nodes name that the tenant lacks: publishing refuses
 * usage nodes naming undefined metrics, and these journeys are about the editor, not metrics.
 */
export async function defineMetricsOf(request: APIRequestContext, document: PlanDocumentInput) {
  for (const node of document.nodes) {
    const key = node.type === "usage" ? node.data.metric : undefined;
    if (typeof key !== "string" || key === "") continue;
    const response = await request.post("/v1/metrics", {
      headers: auth(),
      data: { key, eventType: key, aggregation: "count" },
    });
    expect([201, 409], await response.text()).toContain(response.status());
  }
}

export async function createPlan(
  request: APIRequestContext,
  name: string,
  document?: PlanDocumentInput,
): Promise<{ id: string }> {
  if (document) await defineMetricsOf(request, document);
  const response = await request.post("/v1/plans", {
    headers: auth(),
    data: { name, ...(document ? { document } : {}) },
  });
  expect(response.status(), await response.text()).toBe(201);
  return response.json();
}

export async function openPlan(page: Page, id: string) {
  await page.goto(`/plans/${id}`);
  await expect(page.getByTestId("canvas")).toBeVisible();
}

/** Signs in, creates a plan from `document` through the API and opens it in the editor; returns its id. */
export async function openNewPlan(
  page: Page,
  request: APIRequestContext,
  name: string,
  document: PlanDocumentInput,
): Promise<string> {
  await signIn(page);
  const { id } = await createPlan(request, name, document);
  await openPlan(page, id);
  return id;
}

/** A pricegraph/v1 document from nodes and `source.port>target.port` edge shorthands. */
export function plan(
  nodes: { id: string; type: string; x: number; y: number; data: Record<string, unknown> }[],
  edges: string[],
  params: PlanDocumentInput["params"] = [],
): PlanDocumentInput {
  return {
    format: "pricegraph/v1",
    currency: "USD",
    params,
    nodes: nodes.map(({ id, type, x, y, data }) => ({ id, type, position: { x, y }, data })),
    edges: edges.map((edge, index) => {
      const [from, to] = edge.split(">");
      const [source, sourceHandle] = from.split(".");
      const [target, targetHandle] = to.split(".");
      return { id: `e${index + 1}`, source, sourceHandle, target, targetHandle };
    }),
  };
}

/** The chain most editor journeys start from: usage (n1) → per-unit price (n2) → invoice line (n3). */
export function meteredChain(metric: string, unitPrice: string, description: string) {
  return [
    { id: "n1", type: "usage", x: 0, y: 0, data: { metric } },
    { id: "n2", type: "perUnit", x: 280, y: 0, data: { unitPrice } },
    { id: "n3", type: "invoiceLine", x: 560, y: 0, data: { description } },
  ];
}

/** That chain wired up: a complete one-line plan. */
export const meteredPlan = (metric: string, unitPrice: string, description: string) =>
  plan(meteredChain(metric, unitPrice, description), ["n1.out>n2.in", "n2.out>n3.amount"]);

export const node = (id: string) => (page: Page) => page.locator(`.react-flow__node[data-id="${id}"]`);

/** Drags from one handle to another with real mouse moves, as a user draws a connection. */
export async function connect(page: Page, from: Locator, to: Locator) {
  const a = (await from.boundingBox())!;
  const b = (await to.boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(a.x + a.width / 2 + 20, a.y + a.height / 2 + 5, { steps: 4 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 12 });
  await page.mouse.up();
}

export const handle = (page: Page, nodeId: string, side: "in" | "out", port: string) =>
  page.getByTestId(`handle-${nodeId}-${side}-${port}`);

/** Drags a palette entry onto the canvas at a point relative to the canvas's top-left corner. */
export async function dropFromPalette(page: Page, type: string, x: number, y: number) {
  await page.getByTestId(`palette-${type}`).dragTo(page.getByTestId("canvas"), { targetPosition: { x, y } });
}

export async function waitSaved(page: Page) {
  await expect(page.getByTestId("save-status")).toHaveText("Saved", { timeout: 10_000 });
}

/** Keeps a full-page screenshot of the journey's end as a named artifact (besides Playwright's own). */
export async function keepScreenshot(page: Page, testInfo: TestInfo, name: string) {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: "image/png" });
}

/** Waits until the canvas viewport stops moving (fit-view and layout animate for a few hundred ms). */
export async function viewportSettled(page: Page) {
  const viewport = page.locator(".react-flow__viewport");
  let previous = "";
  await expect
    .poll(
      async () => {
        const current = (await viewport.getAttribute("style")) ?? "";
        const still = current === previous;
        previous = current;
        return still;
      },
      { intervals: [150] },
    )
    .toBe(true);
}
