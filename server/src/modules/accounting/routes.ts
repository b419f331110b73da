import {
  accountingPeriodSchema,
  accountSchema,
  createAccountBody,
  creditLiabilitySchema,
  deferredWaterfallSchema,
  errorBodySchema,
  idParams,
  invoicesBehindQuery,
  invoicesBehindSchema,
  journalEntrySchema,
  journalExportQuery,
  journalQuery,
  monthParams,
  pageSchema,
  receivablesSchema,
  reportRangeQuery,
  revenueReportQuery,
  revenueReportSchema,
  trialBalanceQuery,
  trialBalanceSchema,
  updateAccountBody,
} from "@pricegraph/shared/api";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Deps } from "../../context.ts";
import { closeMonth, periodView, refuseReopen } from "./close.ts";
import { backfillJournal } from "./journal.ts";
import { type JournalWorker, startJournalWorker } from "./journal-worker.ts";
import { closedPeriods } from "./recognition-queries.ts";
import { creditLiability, deferredWaterfall, invoicesBehind, receivables, revenueReport } from "./reports.ts";
import {
  createAccount,
  exportJournal,
  listAccounts,
  pageOfJournal,
  trialBalance,
  updateAccount,
} from "./service.ts";

const tags = ["accounting"];
const errors = { 400: errorBodySchema, 401: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };
const dateQuery = z.object({ date: z.iso.date().optional().describe("as of (inclusive); today by default") });

/**
 * The books: chart of accounts, journal, month-end close, reports and exports; and this process's journal job on
 * pg-boss (started when the app is ready unless JOURNAL_WORKER=off; off under vitest unless JOURNAL_WORKER=on, so
 * tests post explicitly).
 */
export const accountingRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  let worker: JournalWorker | null = null;
  const runWorker =
    process.env.JOURNAL_WORKER === "on" || (process.env.JOURNAL_WORKER !== "off" && !process.env.VITEST);
  if (runWorker) {
    app.addHook("onReady", async () => {
      worker = await startJournalWorker(deps, (error) =>
        app.log.error({ err: error }, "journal posting failed"),
      );
    });
  }
  app.addHook("onClose", async () => worker?.stop());

  app.get(
    "/accounts",
    {
      schema: {
        tags,
        summary: "The chart of accounts",
        response: { 200: z.object({ data: z.array(accountSchema) }), ...errors },
      },
    },
    async (request) => listAccounts(deps, request.tenantId),
  );

  app.post(
    "/accounts",
    {
      schema: {
        tags,
        summary: "Add a revenue account for a product",
        body: createAccountBody,
        response: { 201: accountSchema, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await createAccount(deps, request.caller, request.body)),
  );

  app.patch(
    "/accounts/:id",
    {
      schema: {
        tags,
        summary: "Change an account's code or name",
        params: idParams,
        body: updateAccountBody,
        response: { 200: accountSchema, ...errors },
      },
    },
    async (request) => updateAccount(deps, request.caller, request.params.id, request.body),
  );

  app.get(
    "/journal-entries",
    {
      schema: {
        tags,
        summary: "List journal entries (in posting order)",
        description: "Balanced, immutable entries derived from the activity log and month-end closes.",
        querystring: journalQuery,
        response: { 200: pageSchema(journalEntrySchema), ...errors },
      },
    },
    async (request) => pageOfJournal(deps, request.tenantId, request.query),
  );

  app.get(
    "/journal-entries/export",
    {
      schema: {
        tags,
        summary: "Export the journal as CSV (ours, QuickBooks Online or Xero import layout)",
        querystring: journalExportQuery,
        produces: ["text/csv"],
        response: { 200: z.string(), ...errors },
      },
    },
    async (request, reply) => {
      const file = await exportJournal(deps, request.tenantId, request.query);
      return reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="${file.filename}"`)
        .serializer((payload: unknown) => payload as string)
        .send(file.body);
    },
  );

  app.post(
    "/journal-entries/backfill",
    {
      schema: {
        tags,
        summary: "Post documents the activity log never recorded (history from before it)",
        description:
          "Finalized invoices, credit notes, voids and credit grants without a journal entry are posted in the order " +
          "they happened. Idempotent.",
        response: { 200: z.object({ posted: z.number().int() }), ...errors },
      },
    },
    async (request) => ({ posted: await backfillJournal(deps, request.tenantId) }),
  );

  app.get(
    "/reports/trial-balance",
    {
      schema: {
        tags,
        summary: "Trial balance at a date",
        querystring: trialBalanceQuery,
        response: { 200: trialBalanceSchema, ...errors },
      },
    },
    async (request) => trialBalance(deps, request.tenantId, request.query.date),
  );

  app.get(
    "/reports/revenue",
    {
      schema: {
        tags,
        summary: "Invoiced and recognised revenue per month, by product, customer or recurring vs usage",
        querystring: revenueReportQuery,
        response: { 200: revenueReportSchema, ...errors },
      },
    },
    async (request) => revenueReport(deps, request.tenantId, request.query),
  );

  app.get(
    "/reports/receivables",
    {
      schema: {
        tags,
        summary: "Receivables by customer",
        querystring: dateQuery,
        response: { 200: receivablesSchema, ...errors },
      },
    },
    async (request) => receivables(deps, request.tenantId, request.query.date),
  );

  app.get(
    "/reports/credit-liability",
    {
      schema: {
        tags,
        summary: "Credit owed to customers (granted, not drawn or expired)",
        querystring: dateQuery,
        response: { 200: creditLiabilitySchema, ...errors },
      },
    },
    async (request) => creditLiability(deps, request.tenantId, request.query.date),
  );

  app.get(
    "/reports/deferred-revenue",
    {
      schema: {
        tags,
        summary: "Deferred revenue waterfall",
        querystring: reportRangeQuery,
        response: { 200: deferredWaterfallSchema, ...errors },
      },
    },
    async (request) => deferredWaterfall(deps, request.tenantId, request.query),
  );

  app.get(
    "/reports/invoices",
    {
      schema: {
        tags,
        summary: "The invoices behind a report figure",
        querystring: invoicesBehindQuery,
        response: { 200: invoicesBehindSchema, ...errors },
      },
    },
    async (request) => invoicesBehind(deps, request.tenantId, request.query),
  );

  app.get(
    "/accounting-periods",
    {
      schema: {
        tags,
        summary: "Closed months",
        response: { 200: z.object({ data: z.array(accountingPeriodSchema) }), ...errors },
      },
    },
    async (request) => {
      const periods = await closedPeriods(deps.db, request.tenantId);
      const data = [];
      for (const p of periods) {
        const view = await periodView(deps.db, request.tenantId, p.month);
        if (view) data.push(view);
      }
      return { data };
    },
  );

  app.post(
    "/accounting-periods/:month/close",
    {
      schema: {
        tags,
        summary: "Close a month (and every open month before it): post revenue recognition and credit expiry",
        description: "Idempotent: closing a closed month answers the close as it was.",
        params: monthParams,
        response: { 200: accountingPeriodSchema, ...errors },
      },
    },
    async (request) => {
      const period = await closeMonth(deps, request.caller, request.params.month);
      if (!period) throw new Error(`closing ${request.params.month} left no period`);
      return period;
    },
  );

  app.post(
    "/accounting-periods/:month/reopen",
    {
      schema: {
        tags,
        summary: "Reopening a closed month is refused",
        params: monthParams,
        response: errors,
      },
    },
    async (request) => refuseReopen(request.params.month),
  );
};
