import {
  addOnInput,
  addOnParams,
  addOnSchema,
  amendAddOnBody,
  amendContractBody,
  contractQuoteBody,
  contractQuoteResult,
  contractSchema,
  contractSettingsBody,
  contractSettingsSchema,
  createContractBody,
  endAddOnBody,
  endAddOnResponse,
  endContractBody,
  endContractResponse,
  errorBodySchema,
  idParams,
  listContractsQuery,
  pageSchema,
  paginationQuery,
  quoteSchema,
  setRenewalBody,
} from "@pricegraph/shared/api";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { BillingDeps } from "../billing/context.ts";
import { amendAddOn, endAddOn } from "./add-on-changes.ts";
import { addAddOn } from "./add-ons.ts";
import { amendContract } from "./amendments.ts";
import { endContract } from "./ending.ts";
import { quotePeriodChange, quoteWithAddOns } from "./quote.ts";
import { getContractSettings, putContractSettings, setRenewal } from "./renewals.ts";
import { type RenewalWorker, startRenewalWorker } from "./renewals-worker.ts";
import { createContract, getContract, pageOfContracts } from "./service.ts";

const tags = ["contracts"];
const errors = { 400: errorBodySchema, 401: errorBodySchema, 404: errorBodySchema };

/**
 * Contract routes, and this process's renewal worker (on unless `RENEWAL_WORKER=off`; off under vitest unless
 * `RENEWAL_WORKER=on`, so tests run the renewal job themselves).
 */
export const contractRoutes: FastifyPluginAsyncZod<BillingDeps> = async (app, deps) => {
  let worker: RenewalWorker | null = null;
  const enabled =
    process.env.RENEWAL_WORKER === "on" || (process.env.RENEWAL_WORKER !== "off" && !process.env.VITEST);
  if (enabled) {
    app.addHook("onReady", async () => {
      worker = await startRenewalWorker(deps);
    });
  }
  app.addHook("onClose", async () => {
    await worker?.stop();
  });

  app.post(
    "/contracts",
    {
      schema: {
        tags,
        summary: "Create a contract",
        description:
          "Customer + published plan version + start date (+ end) + billing period + parameter overrides (keys must be " +
          "declared by the plan) + credit grants (pools must be drawn by the plan's credits nodes).",
        body: createContractBody,
        response: { 201: contractSchema, ...errors, 422: errorBodySchema },
      },
    },
    async (request, reply) => reply.code(201).send(await createContract(deps, request.caller, request.body)),
  );

  app.post(
    "/contracts/:id/add-ons",
    {
      schema: {
        tags,
        summary: "Add an add-on plan to a contract",
        description:
          "The add-on's lines go on the contract's invoice of each period it serves. It may not start in a period " +
          "whose invoice is already final (409 PERIOD_FINALIZED); a draft of that period takes it when refreshed.",
        params: idParams,
        body: addOnInput,
        response: { 201: addOnSchema, ...errors, 409: errorBodySchema, 422: errorBodySchema },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await addAddOn(deps, request.caller, request.params.id, request.body)),
  );

  app.post(
    "/contracts/:id/add-ons/:addOnId/amendments",
    {
      schema: {
        tags,
        summary: "Change an add-on from a date",
        description:
          "Adds a phase of the add-on from `effectiveDate`: a published version of the add-on's plan, the whole set of " +
          "its overrides and/or grants to its pools, with the rules of a contract amendment (409 `PERIOD_FINALIZED`, " +
          "`PHASE_EXISTS`, `PLAN_ARCHIVED`). A period split by the change prices the add-on per phase; drafts are " +
          "re-priced at once.",
        params: addOnParams,
        body: amendAddOnBody,
        response: { 200: addOnSchema, ...errors, 409: errorBodySchema, 422: errorBodySchema },
      },
    },
    async (request) =>
      amendAddOn(deps, request.caller, request.params.id, request.params.addOnId, request.body),
  );

  app.post(
    "/contracts/:id/add-ons/:addOnId/end",
    {
      schema: {
        tags,
        summary: "End an add-on on a date",
        description:
          "`endDate` is the add-on's last day served (the customer's local date, within the contract). Its last " +
          "period is prorated through it; advance fees finalized invoices billed for its days after the end come back " +
          "as credit notes; drafts are re-priced. 409 `PERIOD_FINALIZED` when the change reaches an invoiced period.",
        params: addOnParams,
        body: endAddOnBody,
        response: { 200: endAddOnResponse, ...errors, 409: errorBodySchema, 422: errorBodySchema },
      },
    },
    async (request) =>
      endAddOn(deps, request.caller, request.params.id, request.params.addOnId, request.body),
  );

  app.get(
    "/contracts",
    {
      schema: {
        tags,
        summary: "List contracts (newest first)",
        querystring: z.object({ ...paginationQuery, ...listContractsQuery }),
        response: { 200: pageSchema(contractSchema), ...errors },
      },
    },
    async (request) => pageOfContracts(deps, request.tenantId, request.query),
  );

  app.get(
    "/contracts/:id",
    {
      schema: {
        tags,
        summary: "Get a contract",
        params: idParams,
        response: { 200: contractSchema, ...errors },
      },
    },
    async (request) => getContract(deps, request.tenantId, request.params.id),
  );

  app.get(
    "/contracts/:id/quote",
    {
      schema: {
        tags,
        summary: "Quote the current billing period's usage so far",
        description:
          "Periods are anchored on the start date in the customer's time zone. Credits are the grants not yet expired " +
          "(consumption by earlier invoices is billing's ledger). Answers the engine's output plus periodStart/periodEnd.",
        params: idParams,
        response: { 200: quoteSchema, ...errors, 422: errorBodySchema },
      },
    },
    async (request) => quoteWithAddOns(deps, request.tenantId, request.params.id),
  );

  app.post(
    "/contracts/:id/amendments",
    {
      schema: {
        tags,
        summary: "Amend a contract from a date",
        description:
          "Adds a phase from `effectiveDate` (the customer's local date): a published version of the contract's plan, " +
          "the whole set of parameter overrides and/or new credit grants; what is left out carries over from the " +
          "phase in effect. A period split by the change is priced per phase. 409 `PERIOD_FINALIZED` when the date " +
          "falls in a period a finalized invoice closed; a draft invoice is re-priced at once.",
        params: idParams,
        body: amendContractBody,
        response: { 200: contractSchema, ...errors, 409: errorBodySchema, 422: errorBodySchema },
      },
    },
    async (request) => amendContract(deps, request.caller, request.params.id, request.body),
  );

  app.post(
    "/contracts/:id/end",
    {
      schema: {
        tags,
        summary: "End a contract on a date",
        description:
          "`endDate` is the last day served, the customer's local date. The last period is prorated through it; " +
          "drafts are re-priced; advance fees finalized invoices billed for days after the end come back as credit " +
          "notes. 409 `PERIOD_FINALIZED` when a finalized invoice already billed days after the end as served.",
        params: idParams,
        body: endContractBody,
        response: { 200: endContractResponse, ...errors, 409: errorBodySchema, 422: errorBodySchema },
      },
    },
    async (request) => endContract(deps, request.caller, request.params.id, request.body),
  );

  app.put(
    "/contracts/:id/renewal",
    {
      schema: {
        tags,
        summary: "Set a contract's term and renewal policy",
        description:
          "`renewalPolicy`: `none` (the contract ends with its term), `same_terms` (a new term as it stands), " +
          "`plan_defaults` (a new term on the plan's default parameters), or null for the tenant's default. " +
          "Giving an open-ended contract a term ends it with the term holding today, until a renewal extends it.",
        params: idParams,
        body: setRenewalBody,
        response: { 200: contractSchema, ...errors, 409: errorBodySchema, 422: errorBodySchema },
      },
    },
    async (request) => setRenewal(deps, request.caller, request.params.id, request.body),
  );

  app.get(
    "/contract-settings",
    {
      schema: {
        tags,
        summary: "The tenant's contract settings (default renewal policy)",
        response: { 200: contractSettingsSchema, ...errors },
      },
    },
    async (request) => getContractSettings(deps, request.tenantId),
  );

  app.put(
    "/contract-settings",
    {
      schema: {
        tags,
        summary: "Set the tenant's default renewal policy",
        body: contractSettingsBody,
        response: { 200: contractSettingsSchema, ...errors },
      },
    },
    async (request) => putContractSettings(deps, request.caller, request.body),
  );

  app.post(
    "/contracts/:id/quote",
    {
      schema: {
        tags,
        summary: "Quote the current period per phase, at measured or expected usage, with a change beside it",
        description:
          "Prices the current period as billing will (advance and arrears lines, each phase on its own slice), at the " +
          "usage measured so far or at `usage` (expected volumes for the whole period, spread over the phases by " +
          "days). With `amendment` or `endDate`, the same period with that change is priced beside it and `delta` " +
          "is the difference. Stores nothing.",
        params: idParams,
        body: contractQuoteBody,
        response: { 200: contractQuoteResult, ...errors, 422: errorBodySchema },
      },
    },
    async (request) => quotePeriodChange(deps, request.tenantId, request.params.id, request.body),
  );
};
