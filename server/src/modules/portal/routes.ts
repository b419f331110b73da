import {
  createdPortalLinkSchema,
  createPortalLinkBody,
  errorBodySchema,
  idParams,
  invoiceDetailSchema,
  portalDailyUsageQuery,
  portalDailyUsageSchema,
  portalLinkSchema,
  portalOverviewSchema,
  text,
} from "@pricegraph/shared/api";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Deps } from "../../context.ts";
import { unauthorized } from "../../http/errors.ts";
import type { BillingDeps } from "../billing/context.ts";
import { authenticatePortalToken, createPortalLink, listPortalLinks, revokeLink } from "./service.ts";
import {
  type PortalSession,
  portalCreditNotePdf,
  portalDailyUsage,
  portalInvoice,
  portalInvoicePdf,
  portalOverview,
} from "./view.ts";

const errors = { 400: errorBodySchema, 401: errorBodySchema, 404: errorBodySchema };
const pdfBody = z.any().describe("application/pdf");

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
        body: createPortalLinkBody,
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
        querystring: portalDailyUsageQuery,
        response: {
          200: portalDailyUsageSchema,
          ...errors,
        },
      },
    },
    async (request) => portalDailyUsage(deps, request.portal, request.query),
  );

  app.get(
    "/invoices/:id/pdf",
    {
      schema: {
        tags,
        summary: "Portal: one of the customer's invoices as a PDF",
        params: idParams,
        produces: ["application/pdf"],
        response: { 200: pdfBody, ...errors },
      },
    },
    async (request, reply) => {
      const { filename, pdf } = await portalInvoicePdf(deps, request.portal, request.params.id);
      return reply
        .type("application/pdf")
        .header("content-disposition", `attachment; filename="${filename}"`)
        .send(pdf);
    },
  );

  app.get(
    "/credit-notes/:id/pdf",
    {
      schema: {
        tags,
        summary: "Portal: a credit note on one of the customer's invoices, as a PDF",
        params: idParams,
        produces: ["application/pdf"],
        response: { 200: pdfBody, ...errors },
      },
    },
    async (request, reply) => {
      const { filename, pdf } = await portalCreditNotePdf(deps, request.portal, request.params.id);
      return reply
        .type("application/pdf")
        .header("content-disposition", `attachment; filename="${filename}"`)
        .send(pdf);
    },
  );
};
