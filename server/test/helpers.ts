import { readFileSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import type { InjectOptions, LightMyRequestResponse } from "fastify";
import postgres from "postgres";
import { inject } from "vitest";
import { type App, buildApp } from "../src/app.ts";
import { randomBase62, randomIds } from "../src/context.ts";
import { type Database, openDb } from "../src/db/index.ts";
import { type BillingDeps, createBillingContext } from "../src/modules/billing/context.ts";
import { createTenant } from "../src/modules/tenants/service.ts";

export const TEST_DB = process.env.TEST_DB === "postgres" ? "postgres" : "pglite";

/**
 * A database of its own for one test file: loaded from the migrated template dump (PGlite), or created as a copy
 * of the migrated template database and dropped on close (PostgreSQL). Nothing a file writes reaches another.
 */
/** A test database; `url` names a PostgreSQL copy, for servers a test starts in processes of their own. */
export type TestDatabase = Database & { url?: string };

export async function openTestDb(): Promise<TestDatabase> {
  if (TEST_DB === "postgres") return openPostgresCopy();
  const template = readFileSync(inject("pgliteTemplate"));
  const pglite = await PGlite.create({ loadDataDir: new Blob([template]) });
  return openDb({ pglite });
}

async function openPostgresCopy(): Promise<TestDatabase> {
  const template = inject("postgresTemplate");
  const url = new URL(process.env.TEST_DATABASE_URL ?? "");
  const name = `${template}_${randomBase62(10).toLowerCase()}`;
  const admin = () => postgres(url.href, { max: 1, onnotice: () => {} });
  const creating = admin();
  await creating.unsafe(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  await creating.end();
  const copyUrl = new URL(url);
  copyUrl.pathname = `/${name}`;
  const database = await openDb({ url: copyUrl.href, maxConnections: 8 });
  return {
    ...database,
    url: copyUrl.href,
    close: async () => {
      await database.close();
      const dropping = admin();
      await dropping.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await dropping.end();
    },
  };
}

/** A settable clock, so tests are exact about "now". */
export class TestClock {
  constructor(public now = new Date("2025-03-15T12:00:00.000Z")) {}
  readonly fn = (): Date => new Date(this.now);
  set(iso: string): void {
    this.now = new Date(iso);
  }
}

export interface TestContext {
  app: App;
  database: Database;
  clock: TestClock;
  /** The services' dependencies on this database and clock, for tests that call services or drain jobs. */
  deps: BillingDeps;
  close(): Promise<void>;
}

export async function createTestContext(): Promise<TestContext> {
  const database = await openTestDb();
  const clock = new TestClock();
  const app = await buildApp({ db: database.db, clock: clock.fn });
  await app.ready();
  return {
    app,
    database,
    clock,
    deps: { db: database.db, clock: clock.fn, ids: randomIds, billing: createBillingContext() },
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}

export interface TestTenant {
  tenantId: string;
  apiKey: string;
  /** `app.inject` with this tenant's key; JSON bodies are sent as JSON. */
  request(options: InjectOptions & { json?: unknown }): Promise<LightMyRequestResponse>;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, json?: unknown): Promise<LightMyRequestResponse>;
  put(url: string, json?: unknown): Promise<LightMyRequestResponse>;
  patch(url: string, json?: unknown): Promise<LightMyRequestResponse>;
  csv(url: string, text: string): Promise<LightMyRequestResponse>;
}

let tenantCounter = 0;

/** A fresh tenant (every test works in its own, nothing is truncated) and request helpers with its key. */
export async function createTestTenant(
  ctx: Omit<TestContext, "deps">,
  name = `test-${++tenantCounter}`,
): Promise<TestTenant> {
  const { tenantId, apiKey } = await createTenant({ db: ctx.database.db }, name);
  const request = (options: InjectOptions & { json?: unknown }) => {
    const { json, ...rest } = options;
    const headers = { authorization: `Bearer ${apiKey}`, ...(rest.headers ?? {}) };
    if (json !== undefined)
      return ctx.app.inject({ ...rest, headers, payload: json as InjectOptions["payload"] });
    return ctx.app.inject({ ...rest, headers });
  };
  return {
    tenantId,
    apiKey,
    request,
    get: (url) => request({ method: "GET", url }),
    post: (url, json) => request({ method: "POST", url, json: json ?? {} }),
    put: (url, json) => request({ method: "PUT", url, json: json ?? {} }),
    patch: (url, json) => request({ method: "PATCH", url, json: json ?? {} }),
    csv: (url, text) =>
      request({ method: "POST", url, payload: text, headers: { "content-type": "text/csv" } }),
  };
}

/** A small valid plan: a usage metric priced per unit with a `rate` parameter and an optional credits pool. */
export function perUnitPlan(
  metric: string,
  options: { rate?: string; currency?: string; pool?: string } = {},
) {
  const nodes: Record<string, unknown>[] = [
    { id: "u", type: "usage", position: { x: 0, y: 0 }, data: { metric } },
    { id: "p", type: "perUnit", position: { x: 200, y: 0 }, data: { unitPrice: { param: "rate" } } },
    { id: "l", type: "invoiceLine", position: { x: 400, y: 0 }, data: { description: `${metric} usage` } },
  ];
  const edges: Record<string, unknown>[] = [
    { id: "e1", source: "u", sourceHandle: "out", target: "p", targetHandle: "in" },
  ];
  if (options.pool) {
    nodes.push({ id: "c", type: "credits", position: { x: 300, y: 0 }, data: { grant: options.pool } });
    edges.push(
      { id: "e2", source: "p", sourceHandle: "out", target: "c", targetHandle: "in" },
      { id: "e3", source: "c", sourceHandle: "out", target: "l", targetHandle: "amount" },
    );
  } else {
    edges.push({ id: "e2", source: "p", sourceHandle: "out", target: "l", targetHandle: "amount" });
  }
  return {
    format: "pricegraph/v1",
    currency: options.currency ?? "USD",
    params: [{ key: "rate", label: "Rate", type: "money", default: options.rate ?? "0.5" }],
    nodes,
    edges,
  };
}
