// Editor benchmark. Not a test: prints figures for 200- and 1,000-node plans next to a 10-node plan, measured
// in the same run.
//
//   pnpm build && pnpm exec tsx bench/editor/run.ts
//
// Starts the real server (as `npm start` does) on a free port with a fresh PGlite folder, creates the plans
// through the API, and drives Debian's Chromium (CHROMIUM_PATH) through Playwright:
//  - first render: navigation start → every node of the plan rendered and measured (median of 3 loads);
//  - drag: requestAnimationFrame intervals while the node at the view's centre is dragged in a figure of eight
//    around it, at fit view (how a plan opens) and at 100 % zoom; then, reported beside them, a drag held at
//    the pane's edge (React Flow auto-pans the whole canvas) and a pan of the canvas;
//  - edit → preview: a tier price typed into the inspector → the invoice total in the DOM updated, and → the
//    next frame (median/p95 of 30 edits); plus the engine's own compile+evaluate time the preview reports.
//
// BENCH_EDITOR_PROFILE=1 also writes, per plan size, a CPU profile of the edits and a Chromium trace of the
// fit-view drag to bench/results/ (editor-edit-<n>.cpuprofile, editor-drag-<n>.json): the machine's load
// inflates every figure, but not the shares of a profile. Build the app unminified to read function names.
// BENCH_EDITOR_SIZES=10,1000 measures only some sizes (the first is the baseline).
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "@playwright/test";
import { chromiumLaunchOptions } from "../../e2e/chromium.ts";
import { median, quantile } from "../support.ts";
import { generatedPlan, METRICS } from "./plans.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const API_KEY = "pg_bench_0123456789abcdef0123456789abcdef";
/** Plan sizes measured, smallest first: the smallest is the baseline the others are compared with. */
const SIZES = (process.env.BENCH_EDITOR_SIZES ?? "10,200,1000").split(",").map(Number);
const PROFILE = process.env.BENCH_EDITOR_PROFILE === "1";
const results = join(root, "bench/results");

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

interface Figures {
  nodes: number;
  /** The idle rAF interval: one display frame. */
  vsync: number;
  firstRender: number;
  drag: number[];
  dragActualSize: number[];
  autoPan: number[];
  pan: number[];
  editDom: number;
  editDomP95: number;
  editFrame: number;
  editFrameP95: number;
  /** Edits made at a frame's start: to the next frame (one display frame when the edit fits in it). */
  editAligned: number;
  editAlignedP95: number;
  /** The edit's synchronous script: input event → store → preview (compile + evaluate) → React commit. */
  editWork: number;
  editWorkP95: number;
  engine: number;
}

async function firstRender(page: Page, url: string, count: number): Promise<number> {
  await page.goto(url);
  page.once("pageerror", (error) => console.error("page error:", error.message));
  const handle = await page
    .waitForFunction(
      `(() => {
      const nodes = document.querySelectorAll(".react-flow__node");
      // A large plan draws only the nodes in view once each node has been measured (hidden until then).
      const large = document.querySelector(".canvas-large") !== null;
      if (large ? nodes.length === 0 : nodes.length !== ${count}) return false;
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
  // The same edit made at the start of a frame (in a requestAnimationFrame callback): the next frame comes one
  // display frame later when the edit's script, style, layout and paint fit in that frame, two when not. The
  // loop above starts each edit wherever the 30 ms pause left it in the frame, so it adds a variable wait.
  const aligned = [];
  const work = [];
  for (let i = 0; i < ${rounds}; i++) {
    await new Promise((resolve) => requestAnimationFrame(resolve));
    const start = performance.now();
    setValue.call(input, "0." + String(50 + i).padStart(2, "0"));
    input.dispatchEvent(new Event("input", { bubbles: true }));
    work.push(performance.now() - start);
    const next = await new Promise((resolve) => requestAnimationFrame(() => resolve(performance.now())));
    aligned.push(next - start);
    await new Promise((r) => setTimeout(r, 30));
  }
  return { dom, frame, aligned, work };
})()`;

/** The node (of a type, if given) whose centre is nearest the pane's centre: dragged around, it never reaches the edges. */
const CENTRE_NODE = (type?: string) => `(() => {
  const pane = document.querySelector(".react-flow").getBoundingClientRect();
  const cx = pane.x + pane.width / 2;
  const cy = pane.y + pane.height / 2;
  let best = null;
  let bestDistance = Infinity;
  for (const node of document.querySelectorAll(".react-flow__node${type ? `-${type}` : ""}")) {
    const r = node.getBoundingClientRect();
    const distance = Math.hypot(r.x + r.width / 2 - cx, r.y + r.height / 2 - cy);
    if (distance < bestDistance) {
      bestDistance = distance;
      best = node.dataset.id;
    }
  }
  return best;
})()`;
/** A point of empty pane near the centre, where a drag pans the canvas. */
const EMPTY_PANE_POINT = `(() => {
  const pane = document.querySelector(".react-flow").getBoundingClientRect();
  for (let dy = 0; dy < pane.height / 2; dy += 5)
    for (let dx = 0; dx < pane.width / 2; dx += 5) {
      const x = pane.x + pane.width / 2 + dx;
      const y = pane.y + pane.height / 2 + dy;
      if (document.elementFromPoint(x, y)?.classList.contains("react-flow__pane")) return [x, y];
    }
  return null;
})()`;
const PANE_BOX = `(() => {
  const r = document.querySelector(".react-flow").getBoundingClientRect();
  return [r.x, r.y, r.width, r.height];
})()`;
const ZOOM = `new DOMMatrix(getComputedStyle(document.querySelector(".react-flow__viewport")).transform).a`;

/** rAF intervals while the pointer, pressed at `from`, follows `path` (one mouse move per point). */
async function framesWhile(page: Page, from: [number, number], path: [number, number][]): Promise<number[]> {
  await page.evaluate(RECORD_FRAMES);
  await page.mouse.move(from[0], from[1]);
  await page.mouse.down();
  for (const [x, y] of path) {
    await page.mouse.move(x, y);
    await page.waitForTimeout(8);
  }
  await page.mouse.up();
  return (await page.evaluate(STOP_FRAMES)) as number[];
}

/** A closed figure of eight, ±200 × ±100 px around the start: what is dragged ends where it started. */
const figureOfEight = ([x, y]: [number, number]): [number, number][] =>
  Array.from({ length: 120 }, (_, i) => {
    const t = ((i + 1) / 120) * 2 * Math.PI;
    return [x + Math.sin(t) * 200, y + Math.sin(2 * t) * 100];
  });

async function nodeGrip(page: Page): Promise<[number, number]> {
  const id = (await page.evaluate(CENTRE_NODE())) as string;
  const box = (await page.locator(`.react-flow__node[data-id="${id}"]`).boundingBox())!;
  // The header's centre: at the 200-node plan's zoom a fixed pixel offset could land on a neighbour.
  return [box.x + box.width / 2, box.y + Math.min(12, box.height / 6)];
}

/** Dragging the node at the view's centre around it. */
async function dragFrames(page: Page): Promise<number[]> {
  const grip = await nodeGrip(page);
  return framesWhile(page, grip, figureOfEight(grip));
}

/** Dragging that node to the pane's top edge and holding it there, where React Flow auto-pans the canvas. */
async function autoPanFrames(page: Page): Promise<number[]> {
  const grip = await nodeGrip(page);
  const [, top] = (await page.evaluate(PANE_BOX)) as number[];
  const path: [number, number][] = [];
  for (let i = 1; i <= 20; i++) path.push([grip[0], grip[1] + ((top + 10 - grip[1]) * i) / 20]);
  for (let i = 0; i < 60; i++) path.push([grip[0] + (i % 2), top + 10]);
  return framesWhile(page, grip, path);
}

/** Panning the canvas by dragging empty pane. */
async function panFrames(page: Page): Promise<number[]> {
  const point = (await page.evaluate(EMPTY_PANE_POINT)) as [number, number] | null;
  if (!point) throw new Error("no empty pane to pan by");
  return framesWhile(page, point, figureOfEight(point));
}

/** Zooms in with the wheel at the pane's centre until the canvas is at about 100 %. */
async function zoomToActualSize(page: Page) {
  const [x, y, width, height] = (await page.evaluate(PANE_BOX)) as number[];
  await page.mouse.move(x + width / 2, y + height / 2);
  for (let i = 0; i < 40 && ((await page.evaluate(ZOOM)) as number) < 0.95; i++) {
    await page.mouse.wheel(0, -100);
    await page.waitForTimeout(60);
  }
}

/** The idle rAF interval: one display frame, the unit drag frames are judged in. */
async function idleFrame(page: Page): Promise<number> {
  await page.evaluate(RECORD_FRAMES);
  await page.waitForTimeout(1000);
  return median((await page.evaluate(STOP_FRAMES)) as number[]);
}

interface EditSamples {
  dom: number[];
  frame: number[];
  aligned: number[];
  work: number[];
}

async function editLatency(page: Page, rounds: number): Promise<EditSamples> {
  return (await page.evaluate(EDIT_LATENCY(rounds))) as EditSamples;
}

/** Runs `work` under a Chromium trace written to bench/results/<name>.json (BENCH_EDITOR_PROFILE only). */
async function traced<T>(browser: Browser, page: Page, name: string, work: () => Promise<T>): Promise<T> {
  if (!PROFILE) return work();
  await browser.startTracing(page, {
    path: join(results, `${name}.json`),
    screenshots: false,
    categories: ["devtools.timeline", "disabled-by-default-devtools.timeline", "v8.execute", "blink", "cc"],
  });
  try {
    return await work();
  } finally {
    await browser.stopTracing();
  }
}

/** Runs `work` under V8's sampling profiler, written to bench/results/<name>.cpuprofile (BENCH_EDITOR_PROFILE). */
async function profiled<T>(page: Page, name: string, work: () => Promise<T>): Promise<T> {
  if (!PROFILE) return work();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 100 });
  await cdp.send("Profiler.start");
  try {
    return await work();
  } finally {
    const { profile } = await cdp.send("Profiler.stop");
    writeFileSync(join(results, `${name}.cpuprofile`), JSON.stringify(profile));
    await cdp.detach();
  }
}

async function measure(
  browser: Browser,
  page: Page,
  base: string,
  planId: string,
  count: number,
): Promise<Figures> {
  const url = `${base}/plans/${planId}`;
  const loads: number[] = [];
  for (let i = 0; i < 3; i++) loads.push(await firstRender(page, url, count));

  // Sample usage for every metric, so every line has an amount.
  await page.getByTestId("tab-preview").click();
  for (let m = 0; m < Math.min(METRICS, count / 5); m++)
    await page.getByTestId(`usage-metric_${m}`).fill("5000");
  await page.getByTestId("fit-view").click();
  await page.waitForTimeout(500);

  const vsync = await idleFrame(page);
  const drag = await traced(browser, page, `editor-drag-${count}`, () => dragFrames(page));
  const pan = await panFrames(page);
  await page.getByTestId("fit-view").click();
  await page.waitForTimeout(500);
  const autoPan = await autoPanFrames(page);
  // Auto-pan carried the node far off; undo the move (one step) so fit view frames the plan again.
  await page.keyboard.press("Control+z");
  await page.getByTestId("fit-view").click();
  await page.waitForTimeout(500);
  await zoomToActualSize(page);
  await page.waitForTimeout(500);
  const dragActualSize = await dragFrames(page);
  await page.getByTestId("fit-view").click();
  await page.waitForTimeout(500);
  // At a 1,000-node plan's fit view a node is a few pixels: select it as a click on it would, without aiming.
  // The tiered node nearest the view's centre: a large plan draws only what is in view.
  const tiered = (await page.evaluate(CENTRE_NODE("tiered"))) as string;
  await page
    .locator(`.react-flow__node[data-id="${tiered}"]`)
    .dispatchEvent("click", undefined, { timeout: 10_000 })
    .catch(async (error) => {
      await page.screenshot({ path: join(root, `bench/results/editor-select-${count}.png`) });
      throw error;
    });
  await page.getByTestId("field-tiers.0.unitPrice").waitFor();
  await editLatency(page, 3); // warm-up
  const edits = await profiled(page, `editor-edit-${count}`, () => editLatency(page, 30));
  await page.getByTestId("tab-preview").click();
  const engine = Number.parseFloat((await page.getByTestId("preview-ms").textContent()) ?? "0");
  return {
    nodes: count,
    vsync,
    firstRender: median(loads),
    drag,
    dragActualSize,
    autoPan,
    pan,
    editDom: median(edits.dom),
    editDomP95: quantile(edits.dom, 0.95),
    editFrame: median(edits.frame),
    editFrameP95: quantile(edits.frame, 0.95),
    editAligned: median(edits.aligned),
    editAlignedP95: quantile(edits.aligned, 0.95),
    editWork: median(edits.work),
    editWorkP95: quantile(edits.work, 0.95),
    engine,
  };
}

async function main() {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "pricegraph-bench-editor-"));
  const base = `http://127.0.0.1:${port}`;
  console.log(`starting the server on ${base} (fresh PGlite in ${dataDir}) …`);
  const server = await startServer(port, dataDir);
  const browser = await chromium.launch(chromiumLaunchOptions);
  try {
    const plans: Record<number, string> = {};
    for (const count of SIZES) {
      const response = await fetch(`${base}/v1/plans`, {
        method: "POST",
        headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
        body: JSON.stringify({ name: `Bench ${count} nodes`, document: generatedPlan(count) }),
      });
      if (response.status !== 201)
        throw new Error(`create plan: ${response.status} ${await response.text()}`);
      plans[count] = ((await response.json()) as { id: string }).id;
    }
    // The app's Content-Security-Policy forbids eval, which Playwright's waitForFunction uses for the page
    // scripts below; bypassing it changes nothing the figures measure.
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, bypassCSP: true });
    await context.addInitScript((key) => localStorage.setItem("pricegraph.apiKey", key), API_KEY);
    const page = await context.newPage();
    if (PROFILE) mkdirSync(results, { recursive: true });
    const figures: Figures[] = [];
    for (const count of SIZES) figures.push(await measure(browser, page, base, plans[count], count));
    const small = figures[0];

    const ms = (v: number) => `${v.toFixed(1)} ms`;
    const p95 = (frames: number[]) => quantile(frames, 0.95);
    const rows: [string, (f: Figures) => number][] = [
      ["first render (median of 3)", (f) => f.firstRender],
      ["idle frame", (f) => f.vsync],
      ["drag a node, fit view: p50", (f) => median(f.drag)],
      ["drag a node, fit view: p95", (f) => p95(f.drag)],
      ["drag a node, fit view: max", (f) => Math.max(...f.drag)],
      ["drag a node, 100% zoom: p95", (f) => p95(f.dragActualSize)],
      ["drag held at the edge (auto-pan): p95", (f) => p95(f.autoPan)],
      ["pan the canvas: p95", (f) => p95(f.pan)],
      ["edit → total in DOM (median)", (f) => f.editDom],
      ["edit → total in DOM (p95)", (f) => f.editDomP95],
      ["edit → next frame (median)", (f) => f.editFrame],
      ["edit → next frame (p95)", (f) => f.editFrameP95],
      ["edit at frame start → next frame (median)", (f) => f.editAligned],
      ["edit at frame start → next frame (p95)", (f) => f.editAlignedP95],
      ["edit script (median)", (f) => f.editWork],
      ["edit script (p95)", (f) => f.editWorkP95],
      ["engine compile+evaluate (last edit)", (f) => f.engine],
    ];
    console.log(
      `\nChromium ${browser.version()}, 1440×900; ` +
        `${figures.map((f) => f.drag.length).join("/")} frames recorded while dragging`,
    );
    const head = SIZES.map((n) => `${n} nodes`.padStart(12)).join("");
    const ratioHead = SIZES.slice(1)
      .map((n) => `${n}/${SIZES[0]}`.padStart(9))
      .join("");
    console.log(`${"".padEnd(40)}${head}${ratioHead}`);
    for (const [label, get] of rows) {
      const ratio = (f: Figures) => `${(get(f) / get(small)).toFixed(2)}×`.padStart(9);
      console.log(
        `${label.padEnd(40)}${figures.map((f) => ms(get(f)).padStart(12)).join("")}${figures.slice(1).map(ratio).join("")}`,
      );
    }
    const large = figures.find((f) => f.nodes === 200);
    const huge = figures.find((f) => f.nodes === 1000);
    if (!large || !huge) return;
    // rAF intervals come in whole display frames (16.7 ms at 60 Hz) plus timestamp jitter, so "≤ 16 ms" reads
    // as: within 10 % of the idle frame, i.e. 95 % of drag frames made their display frame.
    const dragMet = (f: Figures, frames: (f: Figures) => number[]) => p95(frames(f)) <= 1.1 * f.vsync;
    const verdict = (met: boolean) => (met ? "met" : "NOT met");
    console.log(
      `\ngoals: drag p95 at 1,000 nodes within 10 % of the idle frame: ` +
        `fit view ${verdict(dragMet(huge, (f) => f.drag))}, 100% zoom ${verdict(dragMet(huge, (f) => f.dragActualSize))}; ` +
        // The goal was set against a median of ~20 ms (the 200-node figure when it was set), so it reads the
        // median; the p95 is printed beside it with the 10-node plan's, which shows how much is the machine's.
        `edit → next frame ≤ 16 ms at 200 nodes (median): ${verdict(large.editFrame <= 16)} ` +
        `(median ${ms(large.editFrame)}; p95 ${ms(large.editFrameP95)}, 10 nodes' p95 ${ms(small.editFrameP95)}); made at a frame's start, the next ` +
        `frame within 10 % of the idle frame: ${verdict(large.editAlignedP95 <= 1.1 * large.vsync)} ` +
        `(p95 ${ms(large.editAlignedP95)}, median ${ms(large.editAligned)})`,
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
