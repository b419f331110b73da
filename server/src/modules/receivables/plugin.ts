import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { BillingDeps } from "../billing/context.ts";
import { companyRoutes } from "../company/routes.ts";
import { documentRoutes } from "../documents/routes.ts";
import { dunningRoutes } from "../dunning/routes.ts";
import { emailRoutes } from "../email/routes.ts";
import { paymentRoutes } from "../payments/routes.ts";
import { receivableRoutes } from "./routes.ts";

/** Getting paid: company profile and tax rates, customer billing details, payments, receivables and aging, invoice and credit note PDFs, e-mail, dunning. */
export const receivablesModule: FastifyPluginAsyncZod<BillingDeps> = async (app, deps) => {
  for (const routes of [
    companyRoutes,
    receivableRoutes,
    paymentRoutes,
    documentRoutes,
    emailRoutes,
    dunningRoutes,
  ])
    await app.register(routes, deps);
};
