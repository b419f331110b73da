// Editor benchmark (issue 5). Not a test: prints figures for a 200-node plan next to a 10-node plan.
//
//   pnpm build && pnpm exec tsx bench/editor/run.ts
//
// Starts the real server (as `npm start` does) on a free port with a fresh PGlite folder, creates both plans
// through the API, and drives Debian's Chromium (CHROMIUM_PATH) through Playwright:
//  - first render: navigation start → every node of the plan rendered and measured (median of 3 loads);
//  - drag: requestAnimationFrame deltas while a node is dragged across the canvas (p50/p95/max);
//  - edit → preview: a tier price typed into the inspector → the invoice total in the DOM updated, and → the
//    next frame (median/p95 of 30 edits); plus the engine's own compile+evaluate time the preview reports.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generatedPlan, METRICS } from "./plans.ts";

type PlaywrightModule = typeof import("../../e2e/node_modules/@playwright/test");
type Page = import("../../e2e/node_modules/@playwright/test").Page;

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
// Playwright is the e2e package's dependency; resolve it from there.
const { chromium } = createRequire(join(root, "e2e/package.json"))("@playwright/test") as PlaywrightModule;
const API_KEY = "pg_bench_0123456789abcdef0123456789abcdef";

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

async function startServer(port: number, dataDir: string): Promise<ChildProcess> {
  const child = spawn("pnpm", ["--filter", "@pricegraph/server", "start"], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      DEMO_API_KEY: API_KEY,
      SEED_DEMO: "false",
    },
    stdio: "ignore",
    detached: true,
  });
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error("server did not start in 180 s");
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
};
const median = (values: number[]) => quantile(values, 0.5);

interface Figures {
  nodes: number;
  firstRender: number;
  dragP50: number;
  dragP95: number;
  dragMax: number;
  dragFrames: number;
  editDom: number;
  editDomP95: number;
  editFrame: number;
  editFrameP95: number;
  engine: number;
}

async function firstRender(page: Page, url: string, count: number): Promise<number> {
  await page.goto(url);
  page.once("pageerror", (error) => console.error("page error:", error.message));
  const handle = await page
    .waitForFunction(
      `(() => {
      const nodes = document.querySelectorAll(".react-flow__node");
      if (nodes.length !== ${count}) return false;
      for (const node of nodes) if (node.style.visibility === "hidden") return false;
      return performance.now();
    })()`,
      undefined,
      { polling: "raf", timeout: 60_000 },
    )
    .catch(async (error) => {
      await page.screenshot({ path: join(root, "bench/results/editor-first-render-timeout.png") });
      throw error;
    });
  return (await handle.jsonValue()) as number;
}

// Page scripts are plain strings: tsx would wrap named functions in a `__name` helper the page lacks.
const RECORD_FRAMES = `(() => {
  window.__frames = [];
  window.__recording = true;
  let last = performance.now();
  const tick = (now) => {
    window.__frames.push(now - last);
    last = now;
    if (window.__recording) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})()`;
const STOP_FRAMES = "(() => { window.__recording = false; return window.__frames.slice(2); })()";

const EDIT_LATENCY = (rounds: number) => `(async () => {
  const input = document.querySelector('[data-testid="field-tiers.0.unitPrice"]');
  const total = document.querySelector('[data-testid="toolbar-total"]');
  const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set;
  const dom = [];
  const frame = [];
  for (let i = 0; i < ${rounds}; i++) {
    const changed = new Promise((resolve) => {
      const observer = new MutationObserver(() => {
        observer.disconnect();
        resolve(performance.now());
      });
      observer.observe(total, { childList: true, subtree: true, characterData: true });
    });
    const start = performance.now();
    setValue.call(input, "0." + String(11 + i).padStart(2, "0"));
    input.dispatchEvent(new Event("input", { bubbles: true }));
    const updated = await changed;
    const painted = await new Promise((resolve) => requestAnimationFrame(() => resolve(performance.now())));
    dom.push(updated - start);
    frame.push(painted - start);
    await new Promise((r) => setTimeout(r, 30));
  }
  return { dom, frame };
})()`;

async function dragFrames(page: Page, nodeId: string): Promise<number[]> {
  const box = (await page.locator(`.react-flow__node[data-id="${nodeId}"]`).boundingBox())!;
  await page.evaluate(RECORD_FRAMES);
  const x = box.x + 40;
  const y = box.y + 12;
  await page.mouse.move(x, y);
  await page.mouse.down();
  for (let i = 1; i <= 120; i++) {
    await page.mouse.move(x + Math.sin(i / 10) * 200 + i, y + Math.cos(i / 12) * 120);
    await page.waitForTimeout(8);
  }
  await page.mouse.up();
  return (await page.evaluate(STOP_FRAMES)) as number[];
}

async function editLatency(page: Page, rounds: number): Promise<{ dom: number[]; frame: number[] }> {
  return (await page.evaluate(EDIT_LATENCY(rounds))) as { dom: number[]; frame: number[] };
}

async function measure(page: Page, base: string, planId: string, count: number): Promise<Figures> {
  const url = `${base}/plans/${planId}`;
  const loads: number[] = [];
  for (let i = 0; i < 3; i++) loads.push(await firstRender(page, url, count));

  // Sample usage for every metric, so every line has an amount.
  await page.getByTestId("tab-preview").click();
  for (let m = 0; m < Math.min(METRICS, count / 5); m++)
    await page.getByTestId(`usage-metric_${m}`).fill("5000");
  await page.getByTestId("fit-view").click();
  await page.waitForTimeout(500);

  const frames = await dragFrames(page, "c1n3");
  await page.getByTestId("fit-view").click();
  await page.waitForTimeout(500);
  await page.locator('.react-flow__node[data-id="c0n2"]').click();
  await page.getByTestId("field-tiers.0.unitPrice").waitFor();
  await editLatency(page, 3); // warm-up
  const edits = await editLatency(page, 30);
  await page.getByTestId("tab-preview").click();
  const engine = Number.parseFloat((await page.getByTestId("preview-ms").textContent()) ?? "0");
  return {
    nodes: count,
    firstRender: median(loads),
    dragP50: median(frames),
    dragP95: quantile(frames, 0.95),
    dragMax: Math.max(...frames),
    dragFrames: frames.length,
    editDom: median(edits.dom),
    editDomP95: quantile(edits.dom, 0.95),
    editFrame: median(edits.frame),
    editFrameP95: quantile(edits.frame, 0.95),
    engine,
  };
}

async function main() {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "pricegraph-bench-editor-"));
  const base = `http://127.0.0.1:${port}`;
  console.log(`starting the server on ${base} (fresh PGlite in ${dataDir}) …`);
  const server = await startServer(port, dataDir);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  try {
    const plans: Record<number, string> = {};
    for (const count of [10, 200]) {
      const response = await fetch(`${base}/v1/plans`, {
        method: "POST",
        headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
        body: JSON.stringify({ name: `Bench ${count} nodes`, document: generatedPlan(count) }),
      });
      if (response.status !== 201)
        throw new Error(`create plan: ${response.status} ${await response.text()}`);
      plans[count] = ((await response.json()) as { id: string }).id;
    }
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await context.addInitScript((key) => localStorage.setItem("pricegraph.apiKey", key), API_KEY);
    const page = await context.newPage();
    const small = await measure(page, base, plans[10], 10);
    const large = await measure(page, base, plans[200], 200);

    const ms = (v: number) => `${v.toFixed(1)} ms`;
    const rows: [string, (f: Figures) => number][] = [
      ["first render (median of 3)", (f) => f.firstRender],
      ["drag frame p50", (f) => f.dragP50],
      ["drag frame p95", (f) => f.dragP95],
      ["drag frame max", (f) => f.dragMax],
      ["edit → total in DOM (median)", (f) => f.editDom],
      ["edit → total in DOM (p95)", (f) => f.editDomP95],
      ["edit → next frame (median)", (f) => f.editFrame],
      ["edit → next frame (p95)", (f) => f.editFrameP95],
      ["engine compile+evaluate (last edit)", (f) => f.engine],
    ];
    console.log(
      `\nChromium ${browser.version()}, 1440×900, ${small.dragFrames}/${large.dragFrames} frames recorded while dragging`,
    );
    console.log(
      `${"".padEnd(38)}${"10 nodes".padStart(12)}${"200 nodes".padStart(12)}${"ratio".padStart(9)}`,
    );
    for (const [label, get] of rows) {
      console.log(
        `${label.padEnd(38)}${ms(get(small)).padStart(12)}${ms(get(large)).padStart(12)}${`${(get(large) / get(small)).toFixed(2)}×`.padStart(9)}`,
      );
    }
    const goalDrag = large.dragP95 <= 16.7 && large.dragP95 <= 1.5 * small.dragP95;
    console.log(
      `\ngoals: drag p95 ≤ 16 ms (one 60 Hz frame) and ≤ 1.5× the 10-node figure: ${goalDrag ? "met" : "NOT met"}; ` +
        `preview ≤ 50 ms after an edit on 200 nodes: ${large.editFrameP95 <= 50 ? "met" : "NOT met"} (p95 to next frame ${ms(large.editFrameP95)})`,
    );
  } finally {
    await browser.close();
    if (server.pid) process.kill(-server.pid, "SIGTERM");
    await new Promise((r) => setTimeout(r, 1500));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
