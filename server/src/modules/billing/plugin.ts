import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { Deps } from "../../context.ts";
import { billingRunRoutes } from "../billing-runs/routes.ts";
import { creditRoutes } from "../credits/routes.ts";
import { invoiceRoutes } from "../invoices/routes.ts";
import { billingRoutes } from "./routes.ts";

/** Everything issue 4 adds to the API: invoices, credit ledger, billing runs (and this process's worker), reports. */
export const billingModule: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  for (const routes of [invoiceRoutes, creditRoutes, billingRunRoutes, billingRoutes])
    await app.register(routes, deps);
};
