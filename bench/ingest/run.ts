// Ingestion and aggregation benchmark. Not a test: prints ingest and aggregation figures against COPY and a hand-written GROUP BY.
//
//   DATABASE_URL=postgres://…/pricegraph_bench pnpm --filter @pricegraph/server bench:ingest
//
// Needs PostgreSQL (it starts nothing) and a database it may RESET: it drops and recreates the schema, so the
// database name must contain "bench" (or set BENCH_ALLOW_RESET=1).
//  1. Starts the real server (server/src/main.ts) on a loopback port and POSTs BENCH_EVENTS (default 200k) events
//     over HTTP in batches of 1,000 (about 10 % duplicates), BENCH_CONCURRENCY requests in flight (default 4).
//  2. COPYs the same unique rows into a copy of the events table (same columns, indexes and key).
//  3. Tops the events table up to BENCH_AGG_EVENTS (default 1M) and times the billing-period aggregation
//     (`usageForPeriod`, all customers in one statement) against a hand-written GROUP BY.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { openDb } from "../../server/src/db/index.ts";
import { createTenant } from "../../server/src/modules/tenants/service.ts";
import { usageForPeriod } from "../../server/src/modules/usage/service.ts";
import { prng } from "../../shared/src/index.ts";

const URL_ = process.env.DATABASE_URL;
const EVENTS = Number(process.env.BENCH_EVENTS ?? 200_000);
const BATCH = 1_000;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const AGG_EVENTS = Number(process.env.BENCH_AGG_EVENTS ?? 1_000_000);
const CUSTOMERS = 1_000;
const DUPLICATE_SHARE = 0.1;
const root = join(dirname(fileURLToPath(import.meta.url)), "../..");

if (!URL_) {
  console.error(
    "bench:ingest needs DATABASE_URL (a PostgreSQL database it may reset; the name must contain 'bench').",
  );
  process.exit(2);
}
if (!/bench/i.test(new URL(URL_).pathname) && process.env.BENCH_ALLOW_RESET !== "1") {
  console.error("Refusing to reset a database whose name lacks 'bench'; set BENCH_ALLOW_RESET=1 to insist.");
  process.exit(2);
}

interface BenchEvent {
  id: string;
  customer: string;
  type: string;
  timestamp: string;
  properties: Record<string, unknown>;
}

const PERIOD_START = Date.UTC(2025, 0, 1);
const PERIOD_MS = 28 * 24 * 3600 * 1000;
const MODELS = ["small", "medium", "large"];

function makeEvent(i: number, random: () => number): BenchEvent {
  return {
    id: `evt-${i}`,
    customer: `cust-${Math.floor(random() * CUSTOMERS)}`,
    type: "llm_tokens",
    timestamp: new Date(PERIOD_START + Math.floor(random() * PERIOD_MS)).toISOString(),
    properties: { tokens: Math.floor(random() * 5000), model: MODELS[Math.floor(random() * 3)] },
  };
}

/** Batches of 1,000 where ~10 % of the events repeat earlier ids (a client retrying). */
function makeBatches(): { batches: BenchEvent[][]; unique: BenchEvent[]; firstUnseen: number[] } {
  const random = prng(42);
  const unique: BenchEvent[] = [];
  const batches: BenchEvent[][] = [];
  // firstUnseen[k]: how many distinct events the batches before k hold (batch k's new rows start there).
  const firstUnseen: number[] = [];
  for (let sent = 0; sent < EVENTS; sent += BATCH) {
    firstUnseen.push(unique.length);
    const batch: BenchEvent[] = [];
    for (let j = 0; j < BATCH; j++) {
      if (unique.length > BATCH && random() < DUPLICATE_SHARE) {
        batch.push(unique[Math.floor(random() * unique.length)]);
      } else {
        const event = makeEvent(unique.length, random);
        unique.push(event);
        batch.push(event);
      }
    }
    batches.push(batch);
  }
  firstUnseen.push(unique.length);
  return { batches, unique, firstUnseen };
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

async function startServer(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", join(root, "server/src/main.ts")], {
    cwd: join(root, "server"),
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      WEB_DIST: "/nonexistent",
      // The benchmark measures its own events only; no demo data.
      SEED_DEMO: "false",
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  for (let i = 0; i < 600; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (res) => res.ok,
      () => false,
    );
    if (ok) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill("SIGTERM");
  throw new Error("the server did not start within 60 s");
}

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function copyLines(tenantId: string, rows: BenchEvent[], receivedAt: string): string {
  let out = "";
  for (const e of rows) {
    out += `${tenantId},${csvField(e.id)},${csvField(e.customer)},${e.type},${e.timestamp},${csvField(JSON.stringify(e.properties))},${receivedAt}\n`;
  }
  return out;
}

const rate = (n: number, ms: number) => Math.round((n / ms) * 1000);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  const database = await openDb({ url: URL_, maxConnections: 4 });
  const sql = database.sql!;
  await sql.unsafe(
    "DROP SCHEMA IF EXISTS public CASCADE; DROP SCHEMA IF EXISTS drizzle CASCADE; CREATE SCHEMA public;",
  );
  await database.migrate();
  // A tenant of our own before the server starts: the database is not empty, so no demo tenant is seeded.
  const { tenantId, apiKey } = await createTenant({ db: database.db }, "bench");
  const { batches, unique, firstUnseen } = makeBatches();
  const sent = batches.length * BATCH;
  console.log(
    `PostgreSQL ${(await sql`SHOW server_version`)[0].server_version}; ${sent} events in ${batches.length} batches, ${sent - unique.length} duplicates, ${CONCURRENCY} in flight`,
  );

  const port = await freePort();
  const server = await startServer(port);
  try {
    const base = `http://127.0.0.1:${port}`;
    const headers = { authorization: `Bearer ${apiKey}`, "content-type": "application/json" };
    const metric = await fetch(`${base}/v1/metrics`, {
      method: "POST",
      headers,
      body: JSON.stringify({
        key: "tokens",
        eventType: "llm_tokens",
        aggregation: "sum",
        property: "tokens",
      }),
    });
    if (metric.status !== 201) throw new Error(`metric: ${metric.status} ${await metric.text()}`);
    const bodies = batches.map((batch) => JSON.stringify({ events: batch }));
    // Warm-up: JIT and connection pool, on ids outside the measured set.
    const warm = Array.from({ length: BATCH }, (_, i) => ({ ...makeEvent(i, prng(7)), id: `warm-${i}` }));
    await fetch(`${base}/v1/events`, { method: "POST", headers, body: JSON.stringify({ events: warm }) });

    // HTTP and COPY alternate in rounds of 20 batches, so load from anything else on the machine hits both alike.
    await sql.unsafe(
      "DROP TABLE IF EXISTS events_copy; CREATE TABLE events_copy (LIKE events INCLUDING ALL)",
    );
    const receivedAt = new Date().toISOString();
    const ROUND = 20;
    let accepted = 0;
    let duplicates = 0;
    let httpMs = 0;
    let copyMs = 0;
    let copiedUpTo = 0;
    for (let round = 0; round < bodies.length; round += ROUND) {
      const roundBodies = bodies.slice(round, round + ROUND);
      let next = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < roundBodies.length) {
            const body = roundBodies[next++];
            const res = await fetch(`${base}/v1/events`, { method: "POST", headers, body });
            if (res.status !== 200) throw new Error(`ingest: ${res.status} ${await res.text()}`);
            const result = (await res.json()) as { accepted: number; duplicates: number };
            accepted += result.accepted;
            duplicates += result.duplicates;
          }
        }),
      );
      httpMs += performance.now() - started;
      // The same round's new rows, raw: COPY into a copy of the events table (same indexes and primary key).
      const upTo = Math.min(unique.length, firstUnseen[Math.min(round + ROUND, batches.length)]);
      const copyStarted = performance.now();
      const writable =
        await sql`COPY events_copy (tenant_id, event_id, customer_external_id, type, timestamp, properties, received_at) FROM STDIN WITH (FORMAT csv)`.writable();
      for (let i = copiedUpTo; i < upTo; i += BATCH) {
        const lines = copyLines(tenantId, unique.slice(i, Math.min(i + BATCH, upTo)), receivedAt);
        if (!writable.write(lines)) await once(writable, "drain");
      }
      writable.end();
      await once(writable, "finish");
      copyMs += performance.now() - copyStarted;
      copiedUpTo = upTo;
    }
    if (accepted !== unique.length) throw new Error(`accepted ${accepted}, expected ${unique.length}`);
    const copied = Number((await sql`SELECT count(*)::int AS n FROM events_copy`)[0].n);

    const httpRate = rate(sent, httpMs);
    const copyRate = rate(copied, copyMs);
    console.log(
      `HTTP batch ingest: ${sent} events (${accepted} accepted, ${duplicates} duplicates) in ${(httpMs / 1000).toFixed(2)} s → ${httpRate} events/s`,
    );
    console.log(`raw COPY:          ${copied} rows in ${(copyMs / 1000).toFixed(2)} s → ${copyRate} rows/s`);
    console.log(`ratio HTTP / COPY: ${(httpRate / copyRate).toFixed(2)}× (goal ≥ 0.6×)`);
    console.log(
      `  counting only stored rows: ${rate(accepted, httpMs)} rows/s, ${(rate(accepted, httpMs) / copyRate).toFixed(2)}× COPY`,
    );

    // Aggregation over ≥ 1M events: top up with COPY, then one period for every customer.
    const existing = Number(
      (await sql`SELECT count(*)::int AS n FROM events WHERE tenant_id = ${tenantId}`)[0].n,
    );
    const random = prng(99);
    const topUp = Math.max(0, AGG_EVENTS - existing);
    const fill =
      await sql`COPY events (tenant_id, event_id, customer_external_id, type, timestamp, properties, received_at) FROM STDIN WITH (FORMAT csv)`.writable();
    for (let i = 0; i < topUp; i += 10_000) {
      const rows = Array.from({ length: Math.min(10_000, topUp - i) }, (_, j) => ({
        ...makeEvent(0, random),
        id: `fill-${i + j}`,
      }));
      if (!fill.write(copyLines(tenantId, rows, receivedAt))) await once(fill, "drain");
    }
    fill.end();
    await once(fill, "finish");
    const values = Array.from(
      { length: CUSTOMERS },
      (_, i) => `('c${i}', '${tenantId}', 'cust-${i}', 'Customer ${i}', 'UTC', now(), now())`,
    );
    await sql.unsafe(
      `INSERT INTO customers (id, tenant_id, external_id, name, timezone, created_at, updated_at) VALUES ${values.join(",")}`,
    );
    await sql.unsafe("VACUUM ANALYZE events");
    const total = Number(
      (await sql`SELECT count(*)::int AS n FROM events WHERE tenant_id = ${tenantId}`)[0].n,
    );
    const customerIds = Array.from({ length: CUSTOMERS }, (_, i) => `c${i}`);
    const from = new Date(PERIOD_START);
    const to = new Date(PERIOD_START + PERIOD_MS);

    const ours: number[] = [];
    const hand: number[] = [];
    let check = "";
    let handCheck = "";
    for (let round = 0; round < 6; round++) {
      let t = performance.now();
      const usage = await usageForPeriod(database.db, tenantId, {
        customerIds,
        from,
        to,
        metrics: [{ key: "tokens" }],
      });
      if (round > 0) ours.push(performance.now() - t);
      check = [...usage.values()].reduce((sum, u) => sum + BigInt(u.tokens as string), 0n).toString();
      t = performance.now();
      const rows = await sql`
        SELECT e.customer_external_id, sum((e.properties ->> 'tokens')::numeric)::text AS total
        FROM events e
        WHERE e.tenant_id = ${tenantId} AND e.type = 'llm_tokens'
          AND e.timestamp >= ${from.toISOString()}::timestamptz AND e.timestamp < ${to.toISOString()}::timestamptz
        GROUP BY e.customer_external_id`;
      if (round > 0) hand.push(performance.now() - t);
      handCheck = rows.reduce((sum, r) => sum + BigInt(r.total as string), 0n).toString();
    }
    if (check !== handCheck) throw new Error(`aggregation mismatch: ${check} vs ${handCheck}`);
    console.log(`aggregation over ${total} events, ${CUSTOMERS} customers, one period (median of 5):`);
    console.log(`  usageForPeriod:        ${median(ours).toFixed(0)} ms`);
    console.log(`  hand-written GROUP BY: ${median(hand).toFixed(0)} ms`);
    console.log(
      `  ratio: ${(median(ours) / median(hand)).toFixed(2)}× (goal ≤ 1.2×); totals agree (${check} tokens)`,
    );
  } finally {
    server.kill("SIGTERM");
    await once(server, "exit");
    await database.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
