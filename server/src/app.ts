import { existsSync } from "node:fs";
import { join } from "node:path";
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
import { type Deps, randomIds, systemClock } from "./context.ts";
import type { Db } from "./db/index.ts";
import { registerAuth } from "./http/auth.ts";
import { RequestValidationError, registerErrorHandler } from "./http/error-handler.ts";
import { registerIdempotency, withIdempotencyHeader } from "./http/idempotency.ts";
import { accountingRoutes } from "./modules/accounting/routes.ts";
import { activityRoutes } from "./modules/activity/routes.ts";
import { apiKeyRoutes } from "./modules/api-keys/routes.ts";
import { billingModule } from "./modules/billing/plugin.ts";
import { contractRoutes } from "./modules/contracts/routes.ts";
import { customerRoutes } from "./modules/customers/routes.ts";
import { eventRoutes } from "./modules/events/routes.ts";
import { metricRoutes } from "./modules/metrics/routes.ts";
import { planRoutes } from "./modules/plans/routes.ts";
import { quoteRoutes } from "./modules/quotes/routes.ts";
import { usageRoutes } from "./modules/usage/routes.ts";

export interface AppOptions {
  db: Db;
  clock?: () => Date;
  ids?: (prefix: string) => string;
  logger?: boolean | { level: string };
  /** The built web app (`web/dist`): served at `/` with a fallback to index.html for client-side routes. */
  webDist?: string;
}

export type App = FastifyInstance;

/** Every route module, registered under `/v1` behind the API key. */
const modules = [
  customerRoutes,
  metricRoutes,
  eventRoutes,
  usageRoutes,
  planRoutes,
  contractRoutes,
  quoteRoutes,
  billingModule,
  apiKeyRoutes,
  activityRoutes,
  accountingRoutes,
];

export async function buildApp(options: AppOptions): Promise<App> {
  const deps: Deps = { db: options.db, clock: options.clock ?? systemClock, ids: options.ids ?? randomIds };
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 32 * 1024 * 1024,
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

  await app.register(
    async (v1) => {
      registerAuth(v1, deps.db);
      // After authentication: keys belong to the tenant.
      registerIdempotency(v1, deps);
      // CSV bodies reach the handler as a stream (events CSV is parsed while it arrives).
      v1.addContentTypeParser(["text/csv", "text/plain"], (_request, payload, done) => done(null, payload));
      for (const module of modules) await v1.register(module, deps);
    },
    { prefix: "/v1" },
  );

  if (options.webDist && existsSync(join(options.webDist, "index.html"))) {
    await app.register(fastifyStatic, { root: options.webDist, wildcard: false });
  }
  return app;
}
