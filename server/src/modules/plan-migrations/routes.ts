import {
  backtestBody,
  backtestResultSchema,
  createMigrationBody,
  errorBodySchema,
  idParams,
  migrationResultSchema,
} from "@pricegraph/shared/api";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { BillingDeps } from "../billing/context.ts";
import { backtestPlan, migratePlan } from "./service.ts";

const tags = ["plans"];
const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
  422: errorBodySchema,
};

/** Backtests of a plan change, and migrations of contracts from one version of a plan to another. */
export const planMigrationRoutes: FastifyPluginAsyncZod<BillingDeps> = async (app, deps) => {
  app.post(
    "/plans/:id/backtest",
    {
      schema: {
        tags,
        summary: "Re-price every contract of the plan on a draft document or a version",
        description:
          "Each contract's latest closed, invoiced periods (default 3) re-priced from the usage their invoices " +
          "stored, with the contract's overrides, against what they were billed (before credits). Changes nothing.",
        params: idParams,
        body: backtestBody,
        response: { 200: backtestResultSchema, ...errors },
      },
    },
    async (request) => backtestPlan(deps, request.tenantId, request.params.id, request.body),
  );

  app.post(
    "/plans/:id/migrations",
    {
      schema: {
        tags,
        summary: "Move contracts from one version of the plan to another (a dry run backtests it first)",
        description:
          "`dryRun: true` (the default) answers the backtest of the contracts on `fromVersion` re-priced on " +
          "`toVersion` and changes nothing. `dryRun: false` then amends each of them onto `toVersion` from " +
          "`effectiveDate`, all or none (a contract that cannot be amended refuses the migration, naming it).",
        params: idParams,
        body: createMigrationBody,
        response: { 200: migrationResultSchema, ...errors },
      },
    },
    async (request) => migratePlan(deps, request.caller, request.params.id, request.body),
  );
};
