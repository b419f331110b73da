import {
  billingRunSchema,
  createBillingRunBody,
  errorBodySchema,
  idParams,
  pageSchema,
  paginationQuery,
} from "@pricegraph/shared/api";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";

import type { BillingDeps } from "../billing/context.ts";
import { stopBillingQueue } from "./queue.ts";
import { startScheduledRuns } from "./schedule.ts";
import { type BillingWorker, createRun, getRun, pageOfRuns, startBillingWorker } from "./service.ts";

const tags = ["billing runs"];
const errors = { 400: errorBodySchema, 401: errorBodySchema, 404: errorBodySchema };

/**
 * Billing-run routes, and this process's billing worker (started when the app is ready, stopped when it closes;
 * `BILLING_WORKER=off` leaves the pg-boss queue to other processes or to explicit draining; under vitest it is off unless
 * `BILLING_WORKER=on`, so tests drain the queue themselves and stay deterministic).
 */
export const billingRunRoutes: FastifyPluginAsyncZod<BillingDeps> = async (app, deps) => {
  let worker: BillingWorker | null = null;
  const enabled =
    process.env.BILLING_WORKER === "on" || (process.env.BILLING_WORKER !== "off" && !process.env.VITEST);
  if (enabled) {
    const concurrency = Number(process.env.BILLING_WORKER_CONCURRENCY ?? 3);
    app.addHook("onReady", async () => {
      // Scheduled runs start from the worker's tick; `BILLING_SCHEDULE=off` leaves them to other processes.
      const scheduling = process.env.BILLING_SCHEDULE !== "off";
      worker = await startBillingWorker(deps, {
        concurrency,
        onTick: scheduling ? () => startScheduledRuns(deps) : undefined,
      });
    });
  }
  // This process's pg-boss (started by the worker, or by the first run or drain) stops with the app.
  app.addHook("onClose", async () => {
    await worker?.stop();
    await stopBillingQueue(deps.db);
  });

  app.post(
    "/billing-runs",
    {
      schema: {
        tags,
        summary: "Start a billing run: invoices every contract-period that ended by `asOf` (exactly once)",
        body: createBillingRunBody,
        response: { 202: billingRunSchema, ...errors },
      },
    },
    async (request, reply) => reply.code(202).send(await createRun(deps, request.caller, request.body ?? {})),
  );

  app.get(
    "/billing-runs",
    {
      schema: {
        tags,
        summary: "List billing runs (newest first)",
        querystring: z.object(paginationQuery),
        response: { 200: pageSchema(billingRunSchema), ...errors },
      },
    },
    async (request) => pageOfRuns(deps, request.tenantId, request.query),
  );

  app.get(
    "/billing-runs/:id",
    {
      schema: {
        tags,
        summary: "A billing run and its progress",
        params: idParams,
        response: { 200: billingRunSchema, ...errors },
      },
    },
    async (request) => getRun(deps, request.tenantId, request.params.id),
  );
};
