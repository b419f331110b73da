import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTenant } from "../src/modules/tenants/service.ts";
import { repoRoot } from "../src/paths.ts";
import { openTestDb, perUnitPlan, TEST_DB, type TestDatabase } from "./helpers.ts";

// Two real server processes on one PostgreSQL, as behind a load balancer: a session made on one is accepted by
// the other, and a billing run started on one is billed by the other's worker. PostgreSQL pass only (PGlite is
// one process by design).

interface Server {
  base: string;
  child: ChildProcess;
  output: string[];
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

async function startServer(name: string, env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const { VITEST: _v, VITEST_POOL_ID: _p, VITEST_WORKER_ID: _w, ...inherited } = process.env;
  const child = spawn(process.execPath, ["--import", "tsx", join(repoRoot, "server/src/main.ts")], {
    cwd: join(repoRoot, "server"),
    env: {
      ...inherited,
      // The processes share this file's own database copy, where the test's tenant lives.
      DATABASE_URL: database.url ?? "",
      PORT: String(port),
      HOST: "127.0.0.1",
      SEED_DEMO: "false",
      LOG_LEVEL: "warn",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  child.stdout?.on("data", (chunk) => output.push(`${name}: ${chunk}`));
  child.stderr?.on("data", (chunk) => output.push(`${name}! ${chunk}`));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`${name} exited:\n${output.join("")}`);
    const up = await fetch(`${base}/healthz`).then(
      (res) => res.ok,
      () => false,
    );
    if (up) return { base, child, output };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${name} did not start:\n${output.join("")}`);
}

async function stopServer(server: Server | undefined): Promise<void> {
  if (!server || server.child.exitCode !== null) return;
  server.child.kill("SIGTERM");
  await once(server.child, "exit");
}

let database: TestDatabase;
let a: Server;
let b: Server;
let apiKey: string;

describe.skipIf(TEST_DB !== "postgres")("two server processes on one PostgreSQL", () => {
  beforeAll(async () => {
    database = await openTestDb();
    ({ apiKey } = await createTenant({ db: database.db }, `scale-out-${Date.now()}`));
    // A queues billing jobs but works none; B's worker bills them.
    a = await startServer("A", { BILLING_WORKER: "off" });
    b = await startServer("B", { BILLING_WORKER: "on" });
  }, 180_000);
  afterAll(async () => {
    await Promise.all([stopServer(a), stopServer(b)]);
    await database?.close();
  });

  const call = async (server: Server, method: string, path: string, body?: unknown, headers = {}) => {
    const res = await fetch(`${server.base}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : null };
  };
  const withKey = (server: Server, method: string, path: string, body?: unknown) =>
    call(server, method, path, body, { authorization: `Bearer ${apiKey}` });

  it("accepts on one process the session signed in on the other, and ends it everywhere", async () => {
    const email = `scale-${Date.now()}@example.com`;
    const invited = await withKey(a, "POST", "/v1/users/invitations", { email, role: "sales" });
    expect(invited.status).toBe(201);
    const token = new URL(invited.json.inviteUrl, "http://x").searchParams.get("token");
    const joined = await call(b, "POST", "/v1/auth/invitations/accept", {
      token,
      name: "Sam Sales",
      password: "pipeline pipeline",
    });
    expect(joined.status).toBe(200);
    const login = await call(a, "POST", "/v1/auth/login", { email, password: "pipeline pipeline" });
    expect(login.status).toBe(200);
    const cookies = login.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    const csrf = login.json.csrfToken;

    const onB = await call(b, "GET", "/v1/auth/session", undefined, { cookie: cookies });
    expect(onB.status).toBe(200);
    expect(onB.json).toMatchObject({ role: "sales", user: { email } });
    const created = await call(
      b,
      "POST",
      "/v1/customers",
      { externalId: "lb", name: "Across" },
      {
        cookie: cookies,
        "x-csrf-token": csrf,
      },
    );
    expect(created.status).toBe(201);

    expect(
      (await call(b, "POST", "/v1/auth/logout", undefined, { cookie: cookies, "x-csrf-token": csrf })).status,
    ).toBe(204);
    expect((await call(a, "GET", "/v1/auth/session", undefined, { cookie: cookies })).status).toBe(401);
  });

  it("bills a run started on one process with the other's worker", async () => {
    await withKey(a, "POST", "/v1/metrics", { key: "calls", eventType: "api", aggregation: "count" });
    const document = perUnitPlan("calls", { rate: "0.25", currency: "EUR" });
    const plan = (await withKey(a, "POST", "/v1/plans", { name: "Calls", document })).json;
    const published = await withKey(b, "POST", `/v1/plans/${plan.id}/versions`, {});
    expect(published.status, JSON.stringify(published.json)).toBe(201);
    for (const name of ["a", "b", "c"]) {
      const customer = (await withKey(a, "POST", "/v1/customers", { externalId: name, name })).json;
      const contract = await withKey(b, "POST", "/v1/contracts", {
        customerId: customer.id,
        planId: plan.id,
        startDate: "2025-01-01",
        billingPeriod: "monthly",
      });
      expect(contract.status, JSON.stringify(contract.json)).toBe(201);
    }
    await withKey(a, "POST", "/v1/events", {
      events: [1, 2, 3, 4].map((i) => ({
        id: `e${i}`,
        customer: "a",
        type: "api",
        timestamp: "2025-01-10T00:00:00Z",
        properties: {},
      })),
    });
    const created = await withKey(a, "POST", "/v1/billing-runs", { asOf: "2025-03-01T00:00:00Z" });
    expect(created.status).toBe(202);
    let run = created.json;
    for (let i = 0; i < 600 && run.status !== "done" && run.status !== "failed"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      run = (await withKey(a, "GET", `/v1/billing-runs/${run.id}`)).json;
    }
    expect(run).toMatchObject({ status: "done", done: 3, total: 3, invoicesCreated: 6 });
    const invoices = (await withKey(b, "GET", "/v1/invoices?limit=10")).json.data;
    expect(invoices).toHaveLength(6);
  }, 90_000);
});
