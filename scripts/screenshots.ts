// Screenshots of the running app for the README: `pnpm exec tsx scripts/screenshots.ts` while `npm start` runs.
// Signs in with the demo key (PRICEGRAPH_KEY, else .data/demo-api-key.txt), opens the demo's pages in Debian's
// Chromium and writes docs/screenshots/*.png. BASE_URL defaults to http://localhost:3000.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
// Playwright is a dependency of the e2e package; resolve it from there.
const require = createRequire(join(root, "e2e/package.json"));
const { chromium } = require("@playwright/test") as typeof import("@playwright/test");

const base = process.env.BASE_URL ?? "http://localhost:3000";
const key = process.env.PRICEGRAPH_KEY ?? readFileSync(join(root, ".data/demo-api-key.txt"), "utf8").trim();
const out = join(root, "docs/screenshots");

async function api<T>(path: string): Promise<T> {
  const response = await fetch(`${base}/v1${path}`, { headers: { authorization: `Bearer ${key}` } });
  if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function post<T>(path: string, body: unknown): Promise<T> {
  const response = await fetch(`${base}/v1${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

type Page<T> = { data: T[] };
const plans = await api<Page<{ id: string; name: string }>>("/plans");
const video = plans.data.find((p) => p.name === "Video infrastructure") ?? plans.data[0];
const invoices = await api<Page<{ id: string; status: string; total: string; customerId: string }>>(
  "/invoices?status=draft&limit=100",
);
// The draft with the most to explain: the largest total.
const invoice = [...invoices.data].sort((a, b) => Number(b.total) - Number(a.total))[0];

// The portal of the customer with the most finalized invoices, through a link made for the screenshot.
const finalized = await api<Page<{ customerId: string }>>("/invoices?status=finalized&limit=500");
const counts = new Map<string, number>();
for (const i of finalized.data) counts.set(i.customerId, (counts.get(i.customerId) ?? 0) + 1);
const portalCustomer = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? invoice.customerId;
const portalLink = await post<{ url: string }>(`/customers/${portalCustomer}/portal-links`, {
  expiresInHours: 1,
});

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
});
try {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
  await context.addInitScript((apiKey) => localStorage.setItem("pricegraph.apiKey", apiKey), key);
  const page = await context.newPage();
  // `click`: a button to press once the page is ready (by its visible name), when the page has it.
  // `fullPage`: the whole page, not the first screen.
  const shots: { name: string; path: string; ready: string; click?: string; fullPage?: boolean }[] = [
    { name: "editor", path: `/plans/${video.id}`, ready: ".react-flow__node", click: "Fit view" },
    { name: "invoice", path: `/invoices/${invoice.id}`, ready: "main" },
    { name: "invoice-why", path: `/invoices/${invoice.id}`, ready: "main", click: "why?" },
    { name: "customer", path: `/customers/${invoice.customerId}`, ready: "main" },
    {
      name: "portal",
      path: new URL(portalLink.url).pathname,
      ready: '[data-testid="portal-invoices"]',
      fullPage: true,
    },
  ];
  for (const shot of shots) {
    await page.goto(`${base}${shot.path}`);
    await page.waitForSelector(shot.ready, { timeout: 20_000 });
    await page.waitForLoadState("networkidle");
    if (shot.click) {
      const button = page.getByRole("button", { name: shot.click, exact: true }).first();
      if (await button.count()) await button.click();
      await page.waitForLoadState("networkidle");
    }
    await page.waitForTimeout(800);
    const file = join(out, `${shot.name}.png`);
    await page.screenshot({ path: file, fullPage: shot.fullPage ?? false });
    console.log(`${shot.name}: ${base}${shot.path} → ${file}`);
  }
} finally {
  await browser.close();
}
