import {
  dateTime,
  errorBodySchema,
  idParams,
  invoiceDetailSchema,
  invoiceSchema,
  text,
  timestampSchema,
} from "@pricegraph/shared/api";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Deps } from "../../context.ts";
import { unauthorized } from "../../http/errors.ts";
import type { BillingDeps } from "../billing/context.ts";

import { authenticatePortalToken, createPortalLink, listPortalLinks, revokeLink } from "./service.ts";
import { type PortalSession, portalDailyUsage, portalInvoice, portalOverview } from "./view.ts";

const errors = { 400: errorBodySchema, 401: errorBodySchema, 404: errorBodySchema };

const portalLinkSchema = z
  .object({
    id: z.string(),
    customerId: z.string(),
    expiresAt: dateTime,
    revokedAt: dateTime.nullable(),
    active: z.boolean(),
    createdAt: dateTime,
  })
  .meta({ id: "PortalLink" });

const createdPortalLinkSchema = portalLinkSchema
  .extend({ url: z.string().describe("the link to give the customer: shown in this response only") })
  .meta({ id: "CreatedPortalLink" });

/** Portal links of a customer, under `/v1` with the API key. */
export const portalLinkRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  const tags = ["customer portal"];
  app.post(
    "/customers/:id/portal-links",
    {
      schema: {
        tags,
        summary: "Create a read-only portal link for one customer: `{url, expiresAt}`",
        description:
          "The URL holds a random token shown only here; the link works until it expires or is revoked.",
        params: idParams,
        body: z
          .strictObject({
            expiresInHours: z
              .number()
              .int()
              .min(1)
              .max(90 * 24)
              .default(7 * 24)
              .describe("1 hour to 90 days"),
          })
          .optional(),
        response: { 201: createdPortalLinkSchema, ...errors },
      },
    },
    async (request, reply) => {
      // The link points at this server as the caller reached it, unless PUBLIC_URL says otherwise.
      const origin = process.env.PUBLIC_URL?.replace(/\/$/, "") ?? `${request.protocol}://${request.host}`;
      const link = await createPortalLink(deps, request.caller, request.params.id, {
        expiresInHours: request.body?.expiresInHours ?? 7 * 24,
        origin,
      });
      return reply.code(201).send(link);
    },
  );

  app.get(
    "/customers/:id/portal-links",
    {
      schema: {
        tags,
        summary: "The customer's portal links (never their tokens), newest first",
        params: idParams,
        response: { 200: z.object({ data: z.array(portalLinkSchema) }), ...errors },
      },
    },
    async (request) => listPortalLinks(deps, request.tenantId, request.params.id),
  );

  app.delete(
    "/customers/:id/portal-links/:linkId",
    {
      schema: {
        tags,
        summary: "Revoke a portal link: it opens nothing from now on",
        params: z.object({ id: text(100), linkId: text(100) }),
        response: { 200: portalLinkSchema, ...errors },
      },
    },
    async (request) => revokeLink(deps, request.caller, request.params.id, request.params.linkId),
  );
};

const decimal = z.string().describe("decimal");
const portalOverviewSchema = z
  .object({
    customer: z.object({ name: z.string(), externalId: z.string(), timezone: z.string() }),
    expiresAt: dateTime,
    periods: z.array(
      z.object({
        contractId: z.string(),
        currency: z.string(),
        periodStart: dateTime,
        periodEnd: dateTime,
        periodStartDate: z.string().describe("the period's first day in the customer's time zone"),
        periodEndDate: z.string().describe("the day after its last (exclusive)"),
        metrics: z.array(z.object({ key: z.string(), value: decimal })),
        freeUnits: z.array(
          z.object({
            nodeId: z.string(),
            label: z.string().nullable(),
            metric: z.string().nullable(),
            used: decimal,
            free: decimal,
            billable: decimal,
            allowance: decimal.nullable(),
            remaining: decimal.nullable(),
          }),
        ),
        lines: z.array(z.object({ description: z.string(), quantity: decimal.nullable(), amount: decimal })),
        total: decimal,
        credits: z.array(z.object({ pool: z.string(), opening: decimal, used: decimal, closing: decimal })),
      }),
    ),
    invoices: z.array(invoiceSchema),
    creditNotes: z.array(
      z.object({
        id: z.string(),
        number: z.string(),
        invoiceId: z.string(),
        invoiceNumber: z.string().nullable(),
        amount: decimal,
        reason: z.string().nullable(),
        createdAt: dateTime,
      }),
    ),
  })
  .meta({ id: "PortalOverview" });

declare module "fastify" {
  interface FastifyRequest {
    portal: PortalSession;
  }
}

/**
 * The customer portal's read-only API, outside `/v1`: `Authorization: Bearer <portal token>` instead of an API
 * key, and every read is scoped to the token's tenant and customer.
 */
export const portalRoutes: FastifyPluginAsyncZod<BillingDeps> = async (app, deps) => {
  const tags = ["customer portal"];
  app.decorateRequest("portal", null as unknown as PortalSession);
  app.addHook("onRequest", async (request) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? "");
    if (!match) throw unauthorized("Send the portal token as `Authorization: Bearer <token>`");
    request.portal = await authenticatePortalToken(deps, match[1]);
  });

  app.get(
    "/overview",
    {
      schema: {
        tags,
        summary: "Portal: the customer, its current periods, invoices and credit notes",
        response: { 200: portalOverviewSchema, 401: errorBodySchema },
      },
    },
    async (request) => portalOverview(deps, request.portal),
  );

  app.get(
    "/invoices/:id",
    {
      schema: {
        tags,
        summary: "Portal: one of the customer's invoices",
        params: idParams,
        response: { 200: invoiceDetailSchema, ...errors },
      },
    },
    async (request) => portalInvoice(deps, request.portal, request.params.id),
  );

  app.get(
    "/usage/daily",
    {
      schema: {
        tags,
        summary: "Portal: the customer's usage per day over [from, to)",
        querystring: z.object({ from: timestampSchema, to: timestampSchema }),
        response: {
          200: z.object({
            from: dateTime,
            to: dateTime,
            timezone: z.string(),
            days: z.array(
              z.object({ date: z.string(), metrics: z.array(z.object({ key: z.string(), value: decimal })) }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) => portalDailyUsage(deps, request.portal, request.query),
  );
};
