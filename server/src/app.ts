import { existsSync } from "node:fs";
import { join } from "node:path";
import fastifyCookie from "@fastify/cookie";
import fastifyStatic from "@fastify/static";
import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import { planDocumentJsonSchema } from "@pricegraph/engine";
import Fastify, { type FastifyInstance, type FastifyReply } from "fastify";
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import type { z } from "zod";
import { randomIds, systemClock } from "./context.ts";
import type { Db } from "./db/index.ts";
import { type CookieSecurity, registerAuth } from "./http/auth.ts";
import { clientErrorHandler } from "./http/client-errors.ts";
import { RequestValidationError, registerErrorHandler } from "./http/error-handler.ts";
import { registerIdempotency, withIdempotencyHeader } from "./http/idempotency.ts";
import { JSON_BODY_LIMIT, registerJsonBodies } from "./http/json-body.ts";
import { registerPermissions } from "./http/permissions.ts";
import { type AuthFailureLimit, DEFAULT_AUTH_FAILURE_LIMIT, registerSecurity } from "./http/security.ts";
import { accountingRoutes } from "./modules/accounting/routes.ts";
import { activityRoutes } from "./modules/activity/routes.ts";
import { alertRoutes } from "./modules/alerts/routes.ts";
import { apiKeyRoutes } from "./modules/api-keys/routes.ts";
import { type BillingDeps, createBillingContext } from "./modules/billing/context.ts";
import { billingModule } from "./modules/billing-module.ts";
import { contractRoutes } from "./modules/contracts/routes.ts";
import { customerRoutes } from "./modules/customers/routes.ts";
import { eventRoutes } from "./modules/events/routes.ts";
import { metricRoutes } from "./modules/metrics/routes.ts";
import { planRoutes } from "./modules/plans/routes.ts";
import { portalLinkRoutes, portalRoutes } from "./modules/portal/routes.ts";
import { productRoutes } from "./modules/products/routes.ts";
import { quoteRoutes } from "./modules/quotes/routes.ts";
import { receivablesModule } from "./modules/receivables/plugin.ts";
import { unmatchedUsageRoutes } from "./modules/unmatched-usage/routes.ts";
import { usageRoutes } from "./modules/usage/routes.ts";
import { userRoutes } from "./modules/users/routes.ts";
import { webhookRoutes } from "./modules/webhooks/routes.ts";

export interface AppOptions {
  db: Db;
  clock?: () => Date;
  ids?: (prefix: string) => string;
  logger?: boolean | { level: string };
  /** The built web app (`web/dist`): served at `/` with a fallback to index.html for client-side routes. */
  webDist?: string;
  /** Failed authentications allowed per client address and window (DEFAULT_AUTH_FAILURE_LIMIT). */
  authFailureLimit?: AuthFailureLimit;
  /** The session cookie's Secure flag: `"auto"` (default) sets it when the request came over https. */
  cookieSecure?: CookieSecurity;
  /** Sign-in attempts per client address and minute (default 10). */
  loginAttemptsPerMinute?: number;
}

export type App = FastifyInstance & {
  /** Every `/v1` route as its permission-table key (`METHOD /path`), in registration order. */
  apiRoutes: readonly string[];
};

/** Every route module, registered under `/v1` behind the API key. */
const modules = [
  customerRoutes,
  metricRoutes,
  productRoutes,
  eventRoutes,
  usageRoutes,
  unmatchedUsageRoutes,
  planRoutes,
  contractRoutes,
  quoteRoutes,
  billingModule,
  apiKeyRoutes,
  activityRoutes,
  accountingRoutes,
  webhookRoutes,
  alertRoutes,
  portalLinkRoutes,
  receivablesModule,
];

export async function buildApp(options: AppOptions): Promise<App> {
  // One billing context (plan cache, timings) per app: the billing routes and the portal's quotes share it.
  const deps: BillingDeps = {
    db: options.db,
    clock: options.clock ?? systemClock,
    ids: options.ids ?? randomIds,
    billing: createBillingContext(),
  };
  const app = Fastify({
    logger: options.logger ?? false,
    // JSON bodies: 1 MB, more for an event batch (http/json-body.ts); CSV bodies are streamed and bounded apart.
    bodyLimit: JSON_BODY_LIMIT,
    // Requests Node's parser refuses (a query string over 16 KB → 431) answer in the one error shape too.
    clientErrorHandler,
    // Key names are case sensitive in our query strings; keep fastify's defaults otherwise.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
    // Errors raised by the router itself (bad URL encoding, an overlong parameter) in the one error shape.
    frameworkErrors: (error, _request, reply) => {
      const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 400;
      const body = JSON.stringify({
        error: { code: "INVALID_REQUEST", message: error.message, details: [] },
      });
      (reply as FastifyReply).code(status).type("application/json").send(body);
    },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler<z.ZodType>(({ schema, httpPart }) => (data) => {
    const result = schema.safeParse(data);
    if (result.success) return { value: result.data };
    return { error: new RequestValidationError(httpPart ?? "body", result.error) };
  });
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app, options.webDist);
  registerJsonBodies(app);
  const authFailures = await registerSecurity(app, options.authFailureLimit ?? DEFAULT_AUTH_FAILURE_LIMIT);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Pricegraph API",
        version: "1.0.0",
        description:
          "Usage-based billing: customers, billable metrics, idempotent usage events, plans and versions, contracts, quotes. " +
          "Decimals travel as strings. Authenticate with `Authorization: Bearer <API key>`.",
      },
      components: { securitySchemes: { apiKey: { type: "http", scheme: "bearer" } } },
      security: [{ apiKey: [] }],
    },
    transform: withIdempotencyHeader(jsonSchemaTransform),
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: "/docs" });
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
  app.get("/healthz", { schema: { hide: true } }, async () => ({ ok: true }));
  // The JSON Schema of a plan file (docs/plan-format.md), public like the OpenAPI document: editors fetch it.
  const planFileSchema = planDocumentJsonSchema();
  app.get("/schemas/pricing-graph.v1.json", { schema: { hide: true } }, async () => planFileSchema);

  await app.register(fastifyCookie);
  let apiRoutes: string[] = [];
  await app.register(
    async (v1) => {
      registerAuth(v1, deps, authFailures);
      // After authentication (it reads the role), before anything else runs; checks every route as it is added.
      apiRoutes = registerPermissions(v1, "/v1");
      // After authentication: keys belong to the tenant.
      registerIdempotency(v1, deps);
      // CSV bodies reach the handler as a stream (events CSV is parsed while it arrives).
      v1.addContentTypeParser(["text/csv", "text/plain"], (_request, payload, done) => done(null, payload));
      for (const module of modules) await v1.register(module, deps);
      await v1.register(userRoutes, {
        ...deps,
        auth: { cookieSecure: options.cookieSecure ?? "auto" },
        loginAttemptsPerMinute: options.loginAttemptsPerMinute,
      });
    },
    { prefix: "/v1" },
  );
  // The customer portal's read-only API: a portal token instead of an API key.
  await app.register(portalRoutes, { ...deps, prefix: "/portal-api" });

  if (options.webDist && existsSync(join(options.webDist, "index.html"))) {
    await app.register(fastifyStatic, { root: options.webDist, wildcard: false });
  }
  return Object.assign(app, { apiRoutes });
}
