import { errorBodySchema, idParams } from "@pricegraph/shared/api";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Deps } from "../../context.ts";
import { creditNotePdf, invoicePdf } from "./service.ts";

const tags = ["documents"];
const errors = { 400: errorBodySchema, 401: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };
const pdfBody = z.any().describe("application/pdf");

/** PDFs of finalized invoices and credit notes: the same bytes every time for the same document. */
export const documentRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  app.get(
    "/invoices/:id/pdf",
    {
      schema: {
        tags,
        summary: "The invoice as a PDF (finalized or void invoices)",
        params: idParams,
        produces: ["application/pdf"],
        response: { 200: pdfBody, ...errors },
      },
    },
    async (request, reply) => {
      const { filename, pdf } = await invoicePdf(deps.db, request.tenantId, request.params.id);
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
        summary: "The credit note as a PDF",
        params: idParams,
        produces: ["application/pdf"],
        response: { 200: pdfBody, ...errors },
      },
    },
    async (request, reply) => {
      const { filename, pdf } = await creditNotePdf(deps.db, request.tenantId, request.params.id);
      return reply
        .type("application/pdf")
        .header("content-disposition", `attachment; filename="${filename}"`)
        .send(pdf);
    },
  );
};
