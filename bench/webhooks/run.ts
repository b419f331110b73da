// Webhook delivery benchmark. Not a test: prints figures for docs/webhooks.md.
//
//   pnpm exec tsx bench/webhooks/run.ts               (embedded PGlite in memory)
//   DATABASE_URL=postgres://…/pricegraph_bench pnpm exec tsx bench/webhooks/run.ts   (a fresh, empty database)
//
// Records DELIVERIES (default 2,000) activity records for one endpoint on a local HTTP receiver, then times the
// whole path — the activity consumer turning records into deliveries and queued jobs, and WORKERS (default 4)
// job loops signing and POSTing each one and recording its attempt — against a plain loop POSTing the same bodies
// to the same receiver with WORKERS requests in flight, measured in the same run. The ratio is the figure.
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { randomIds, systemCaller, systemClock } from "../../server/src/context.ts";
import { openDb } from "../../server/src/db/index.ts";
import { stopJobs } from "../../server/src/jobs/boss.ts";
import { recordActivity } from "../../server/src/modules/activity/service.ts";
import { createTenant } from "../../server/src/modules/tenants/service.ts";
import { consumeActivity, drainWebhookJobs } from "../../server/src/modules/webhooks/delivery.ts";
import { createWebhookEndpoint } from "../../server/src/modules/webhooks/service.ts";

const DELIVERIES = Number(process.env.DELIVERIES ?? 2_000);
const WORKERS = Number(process.env.WORKERS ?? 4);

let received = 0;
const receiver = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    received += 1;
    res.end("ok");
  });
});
await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;

const database = await openDb(process.env.DATABASE_URL ? { url: process.env.DATABASE_URL } : {});
await database.migrate();
const deps = { db: database.db, clock: systemClock, ids: randomIds };
const { tenantId } = await createTenant(deps, "webhook-bench");
const caller = systemCaller(tenantId, "bench");
await createWebhookEndpoint(deps, caller, {
  url: receiverUrl,
  description: "bench",
  eventTypes: ["customer.updated"],
  enabled: true,
});

// A customer-sized object, like the records a real tenant produces.
const object = (i: number) => ({
  id: `cus_${i}`,
  externalId: `bench-${i}`,
  name: `Customer ${i}`,
  email: `billing+${i}@example.com`,
  timezone: "Europe/Paris",
  currency: "EUR",
  createdAt: new Date().toISOString(),
});
for (let i = 0; i < DELIVERIES; i += 500) {
  const changes = Array.from({ length: Math.min(500, DELIVERIES - i) }, (_, k) => ({
    type: "customer.updated" as const,
    objectId: `cus_${i + k}`,
    object: object(i + k),
  }));
  await database.db.transaction((tx) => recordActivity(deps, tx, caller, changes));
}

// ---- Pricegraph: consume, sign, POST, record ----
let t = performance.now();
const created = await consumeActivity(deps);
const consumeMs = performance.now() - t;
await Promise.all(Array.from({ length: WORKERS }, () => drainWebhookJobs(deps)));
const pricegraphMs = performance.now() - t;
if (created !== DELIVERIES || received !== DELIVERIES) {
  throw new Error(`expected ${DELIVERIES} deliveries, created ${created}, received ${received}`);
}

// ---- baseline: the same bodies POSTed in a plain loop, WORKERS in flight ----
const bodies = Array.from({ length: DELIVERIES }, (_, i) =>
  JSON.stringify({
    id: `act_${i}`,
    type: "customer.updated",
    created: new Date().toISOString(),
    object: object(i),
  }),
);
const post = (body: string) =>
  new Promise<void>((resolve, reject) => {
    const req = request(
      receiverUrl,
      { method: "POST", agent: false, headers: { "content-type": "application/json" } },
      (res) => {
        res.resume();
        res.on("end", resolve);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
t = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: WORKERS }, async () => {
    while (next < bodies.length) await post(bodies[next++]);
  }),
);
const baselineMs = performance.now() - t;

const rate = (ms: number) => Math.round((DELIVERIES / ms) * 1000);
console.log(`database: ${database.kind}; ${DELIVERIES} deliveries, ${WORKERS} in flight`);
console.log(`consumer (records → deliveries + jobs): ${consumeMs.toFixed(0)} ms`);
console.log(`Pricegraph end to end: ${rate(pricegraphMs)} deliveries/s (${pricegraphMs.toFixed(0)} ms)`);
console.log(`plain HTTP POST loop:  ${rate(baselineMs)} POSTs/s (${baselineMs.toFixed(0)} ms)`);
console.log(`ratio (Pricegraph / plain loop): ${(baselineMs / pricegraphMs).toFixed(2)}`);

await stopJobs(database.db);
await database.close();
receiver.close();
