import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { BillingDeps } from "./billing/context.ts";
import { billingRoutes } from "./billing/routes.ts";
import { billingRunRoutes } from "./billing-runs/routes.ts";
import { creditRoutes } from "./credits/routes.ts";
import { invoiceRoutes } from "./invoices/routes.ts";
import { planMigrationRoutes } from "./plan-migrations/routes.ts";

/**
 * The billing modules' routes, registered together (outside the module folders, so that no module imports one
 * above it: billing-runs → billing → invoices → credits). Invoices, the credit ledger, billing runs (and this process's worker) and reports. The billing context (plan
 * cache, timings) comes from the app, one per app.
 */
export const billingModule: FastifyPluginAsyncZod<BillingDeps> = async (app, deps) => {
  await app.register(invoiceRoutes, deps);
  await app.register(creditRoutes, deps);
  await app.register(billingRunRoutes, deps);
  await app.register(billingRoutes, deps);
  await app.register(planMigrationRoutes, deps);
};
