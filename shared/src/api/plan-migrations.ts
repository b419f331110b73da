import { z } from "zod";
import { isSupportedDate } from "../local-dates.ts";
import { planDocumentSchema } from "../plan-document.ts";
import { text } from "./common.ts";

/** How many closed periods of each contract a backtest re-prices (the latest ones with an invoice). */
const periods = z
  .number()
  .int()
  .min(1)
  .max(12)
  .default(3)
  .describe("closed, invoiced periods re-priced per contract, the latest first (1–12, default 3)");

const version = z.number().int().min(1);

export const backtestBody = z
  .strictObject({
    document: planDocumentSchema.optional().describe("a draft plan document (what the editor holds)"),
    version: version.optional().describe("a published version of the plan"),
    periods,
  })
  .refine((body) => (body.document === undefined) !== (body.version === undefined), {
    path: ["document"],
    message: "give exactly one of `document` and `version`",
  });
export type BacktestBody = z.input<typeof backtestBody>;

export const createMigrationBody = z
  .strictObject({
    fromVersion: version,
    toVersion: version,
    effectiveDate: z
      .string()
      .refine(
        (v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && isSupportedDate(v),
        "must be a date YYYY-MM-DD (1970–9999)",
      )
      .describe("the day the contracts move to `toVersion` (the customer's local date)"),
    contractIds: z
      .array(text(100))
      .min(1)
      .max(10_000)
      .optional()
      .describe("only these contracts (each must be on `fromVersion`); all on `fromVersion` when absent"),
    dryRun: z
      .boolean()
      .default(true)
      .describe("true: the backtest only; false: the backtest, then an amendment of each contract"),
    periods,
  })
  .refine((body) => body.fromVersion !== body.toVersion, {
    path: ["toVersion"],
    message: "must differ from fromVersion",
  });
export type CreateMigration = z.input<typeof createMigrationBody>;

const money = z.string().describe("decimal string in the plan's currency");

/** One contract re-priced: what its periods were invoiced (before credits) against what the target makes of them. */
export const backtestContractSchema = z.object({
  contractId: z.string(),
  customerId: z.string(),
  customerName: z.string(),
  planVersion: z.number().int(),
  periods: z.array(
    z.object({
      startDate: z.string(),
      endDate: z.string(),
      invoiced: money,
      repriced: money,
      /** "stored": the usage the period's invoice was computed from; "events": re-read for metrics it lacked. */
      usage: z.enum(["stored", "events"]),
    }),
  ),
  invoiced: money,
  repriced: money,
  delta: money,
  /** Overrides of parameters the target does not declare: left out of the re-pricing. */
  droppedOverrides: z.array(z.string()),
});
export type BacktestContract = z.infer<typeof backtestContractSchema>;

export const backtestResultSchema = z
  .object({
    planId: z.string(),
    /** The version re-priced on, or null for a draft document. */
    version: z.number().int().nullable(),
    currency: z.string(),
    periods: z.number().int(),
    contracts: z.array(backtestContractSchema),
    /** Contracts left out, and why (no invoiced period yet, another currency, a plan that fails to evaluate). */
    skipped: z.array(z.object({ contractId: z.string(), reason: z.string() })),
    totals: z.object({ invoiced: money, repriced: money, delta: money }),
    /** Milliseconds the backtest took on the server. */
    tookMs: z.number(),
  })
  .meta({ id: "Backtest" });
export type BacktestResult = z.infer<typeof backtestResultSchema>;

export const migrationResultSchema = backtestResultSchema
  .extend({
    fromVersion: z.number().int(),
    toVersion: z.number().int(),
    effectiveDate: z.string(),
    dryRun: z.boolean(),
    /** The contracts amended onto `toVersion` from `effectiveDate` (none on a dry run). */
    amended: z.array(z.string()),
  })
  .meta({ id: "PlanMigration" });
export type MigrationResult = z.infer<typeof migrationResultSchema>;
