import { z } from "zod";
import { decimalString } from "../decimal-string.ts";
import { dateTime, text } from "./common.ts";
import { billingPeriods, renewalPolicies } from "./enums.ts";
import { timestampSchema } from "./events.ts";
import { evaluationOutputSchema } from "./plans.ts";

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isCalendarDate(value: string): boolean {
  const match = DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return (
    year >= 1970 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= new Date(Date.UTC(year, month, 0)).getUTCDate()
  );
}

const calendarDate = z.string().refine(isCalendarDate, "must be a date YYYY-MM-DD (1970 or later)");
const positiveDecimal = decimalString.refine(
  (value) => !value.startsWith("-") && /[1-9]/.test(value),
  "must be positive",
);
const paramKey = z.string().max(200);

export const creditGrantInput = z.strictObject({
  pool: text(200).describe("a credit pool the plan's credits nodes draw from"),
  amount: positiveDecimal,
  expiresAt: timestampSchema.nullish(),
});

export const addOnInput = z
  .strictObject({
    planId: text(100).describe("the add-on's plan (in the contract's currency)"),
    planVersion: z.number().int().min(1).optional().describe("a published version; the latest when absent"),
    startDate: calendarDate.nullish().describe("first day served; the contract's start when absent"),
    endDate: calendarDate.nullish().describe("last day served (inclusive); the contract's end when absent"),
    paramOverrides: z.record(paramKey, decimalString).default({}),
    creditGrants: z
      .array(creditGrantInput)
      .max(100)
      .default([])
      .describe("grants to the add-on plan's own credit pools"),
  })
  .refine((body) => !body.endDate || !body.startDate || body.endDate >= body.startDate, {
    path: ["endDate"],
    message: "must not be before startDate",
  });
export type AddOnInput = z.infer<typeof addOnInput>;
export type AddOnRequest = z.input<typeof addOnInput>;

export const createContractBody = z
  .strictObject({
    customerId: text(100),
    planId: text(100),
    planVersion: z.number().int().min(1).optional().describe("a published version; the latest when absent"),
    startDate: calendarDate,
    endDate: calendarDate.nullish().describe("the last day served (inclusive); open-ended when absent"),
    billingPeriod: z.enum(billingPeriods),
    paramOverrides: z
      .record(paramKey, decimalString)
      .default({})
      .describe("parameter key → decimal, validated against the plan"),
    creditGrants: z.array(creditGrantInput).max(100).default([]),
    addOns: z
      .array(addOnInput)
      .max(20)
      .default([])
      .describe("add-on plans billed on the same invoice as the base plan"),
    termMonths: z
      .number()
      .int()
      .min(1)
      .max(120)
      .optional()
      .describe("a term of this many months: the contract ends with it unless its renewal policy renews it"),
    renewalPolicy: z
      .enum(renewalPolicies)
      .optional()
      .describe("what happens at the end of the term; the tenant's default when absent"),
  })
  .refine((body) => !body.endDate || body.endDate >= body.startDate, {
    path: ["endDate"],
    message: "must not be before startDate",
  })
  .refine((body) => !(body.endDate && body.termMonths), {
    path: ["termMonths"],
    message: "give either endDate or termMonths: a term sets the end date",
  });
export type CreateContract = z.infer<typeof createContractBody>;
export type CreateContractRequest = z.input<typeof createContractBody>;

const grantOut = z.object({ pool: z.string(), amount: z.string(), expiresAt: z.string().nullable() });

export const contractPhaseSchema = z
  .object({
    id: z.string().describe("the contract's id for its first phase"),
    effectiveDate: z.string().describe("first local day the phase applies to"),
    planVersion: z.number().int(),
    paramOverrides: z.record(z.string(), z.string()),
    reason: z.string().nullable(),
    createdAt: dateTime,
  })
  .meta({ id: "ContractPhase" });
export type ContractPhase = z.infer<typeof contractPhaseSchema>;

export const addOnSchema = z
  .object({
    id: z.string(),
    planId: z.string(),
    planVersion: z.number().int(),
    startDate: z.string(),
    endDate: z.string().nullable(),
    paramOverrides: z.record(z.string(), z.string()),
    creditGrants: z.array(grantOut),
    phases: z
      .array(contractPhaseSchema)
      .describe(
        "the add-on's phases in date order; the first holds the terms it was added with (its id is the add-on's)",
      ),
  })
  .meta({ id: "ContractAddOn" });
export type ContractAddOn = z.infer<typeof addOnSchema>;

export const contractSchema = z
  .object({
    id: z.string(),
    customerId: z.string(),
    planId: z.string(),
    planVersion: z.number().int(),
    startDate: z.string(),
    endDate: z.string().nullable(),
    billingPeriod: z.enum(billingPeriods),
    paramOverrides: z.record(z.string(), z.string()),
    creditGrants: z.array(
      z.object({ pool: z.string(), amount: z.string(), expiresAt: z.string().nullable() }),
    ),
    addOns: z.array(addOnSchema).describe("add-on plans, each billed on the contract's invoices"),
    createdAt: dateTime,
    termMonths: z.number().int().nullable().describe("months per term; null without a term"),
    renewalPolicy: z
      .enum(renewalPolicies)
      .nullable()
      .describe("what happens at the end of the term; null: the tenant's default"),
    phases: z
      .array(contractPhaseSchema)
      .describe("the contract's phases in date order; the first holds the terms it started with"),
  })
  .meta({ id: "Contract" });
export type Contract = z.infer<typeof contractSchema>;

export const listContractsQuery = {
  customerId: z.string().max(100).optional(),
  planId: z.string().max(100).optional(),
};

export const quoteSchema = evaluationOutputSchema
  .extend({
    periodStart: dateTime,
    periodEnd: dateTime,
    input: z
      .looseObject({})
      .describe("the evaluation input used: usage so far, parameters, credits, proration"),
    addOns: z
      .array(
        z.object({
          componentId: z.string(),
          planId: z.string(),
          planVersion: z.number().int(),
          phase: z.string().nullable().describe("the add-on phase's days when it serves part of the period"),
          lines: evaluationOutputSchema.shape.lines,
          total: z.string(),
        }),
      )
      .describe("each add-on's part of the period, priced as billing prices it (per add-on phase)"),
    totalWithAddOns: z.string().describe("total plus every add-on's total"),
  })
  .meta({ id: "ContractQuote" });
export type ContractQuote = z.infer<typeof quoteSchema>;

export const amendContractBody = z.strictObject({
  effectiveDate: calendarDate.describe("first local day (customer's zone) the new terms apply to"),
  planVersion: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe("a published version of the contract's plan; the phase in effect's when absent"),
  paramOverrides: z
    .record(paramKey, decimalString)
    .optional()
    .describe("the whole set of overrides from that date; the phase in effect's when absent"),
  creditGrants: z.array(creditGrantInput).max(100).default([]),
  reason: text(500),
});
export type AmendContract = z.infer<typeof amendContractBody>;
export type AmendContractRequest = z.input<typeof amendContractBody>;

export const endContractBody = z.strictObject({
  endDate: calendarDate.describe("the last day served (inclusive), the customer's local date"),
  reason: text(500),
});
export type EndContract = z.infer<typeof endContractBody>;

export const endContractResponse = z
  .object({
    contract: contractSchema,
    creditNotes: z
      .array(z.object({ id: z.string(), number: z.string(), invoiceId: z.string(), amount: z.string() }))
      .describe("credit notes giving back advance fees billed for days after the end"),
  })
  .meta({ id: "EndedContract" });
export type EndedContract = z.infer<typeof endContractResponse>;

export const addOnParams = z.object({
  id: z.string().max(100).describe("the contract"),
  addOnId: z.string().max(100).describe("one of its add-ons"),
});

/** An add-on changes from a date as a contract does: the same body, applied to the add-on's own plan. */
export const amendAddOnBody = amendContractBody;
export const endAddOnBody = endContractBody;

export const endAddOnResponse = z
  .object({
    addOn: addOnSchema,
    creditNotes: endContractResponse.shape.creditNotes,
  })
  .meta({ id: "EndedContractAddOn" });
export type EndedAddOn = z.infer<typeof endAddOnResponse>;

export const setRenewalBody = z.strictObject({
  termMonths: z
    .number()
    .int()
    .min(1)
    .max(120)
    .nullable()
    .optional()
    .describe("months per term; null: no term"),
  renewalPolicy: z.enum(renewalPolicies).nullable().describe("null: follow the tenant's default"),
});
export type SetRenewal = z.infer<typeof setRenewalBody>;

export const contractSettingsSchema = z
  .object({
    renewalPolicy: z.enum(renewalPolicies).describe("the policy of contracts with a term that name none"),
  })
  .meta({ id: "ContractSettings" });
export type ContractSettings = z.infer<typeof contractSettingsSchema>;
export const contractSettingsBody = z.strictObject({ renewalPolicy: z.enum(renewalPolicies) });

export const contractQuoteBody = z
  .strictObject({
    usage: z
      .record(z.string().max(200), decimalString)
      .optional()
      .describe("expected volumes per metric for the whole period, instead of the usage measured so far"),
    amendment: z
      .strictObject({
        effectiveDate: calendarDate,
        planVersion: z.number().int().min(1).optional(),
        paramOverrides: z.record(paramKey, decimalString).optional(),
      })
      .optional()
      .describe("an amendment to price beside the contract as it stands (nothing is stored)"),
    endDate: calendarDate.optional().describe("an end date to price beside the contract as it stands"),
    addOnId: z
      .string()
      .max(100)
      .optional()
      .describe(
        "the add-on the amendment or end applies to; the contract's base plan (or the contract) when absent",
      ),
  })
  .refine((body) => !(body.amendment && body.endDate), {
    path: ["endDate"],
    message: "quote an amendment or an end, not both",
  });
export type ContractQuoteRequest = z.input<typeof contractQuoteBody>;
export type ContractQuoteQuestion = z.infer<typeof contractQuoteBody>;

const quotedLine = z.object({
  nodeId: z.string(),
  description: z.string(),
  timing: z.enum(["arrears", "advance"]),
  quantity: z.string().nullable(),
  amount: z.string(),
  phase: z.string().nullable().describe("the phase's days when a phase change splits the period"),
  componentId: z.string().nullable().describe("the add-on whose plan prices the line; null: the base plan"),
});
const quotedPeriod = z.object({ lines: z.array(quotedLine), total: z.string() });

export const contractQuoteResult = z
  .object({
    currency: z.string(),
    period: z.object({
      startDate: z.string(),
      endDate: z.string().describe("exclusive"),
      proration: z.string(),
    }),
    whatIf: z.boolean().describe("true when priced at the usage given, not the usage measured so far"),
    usage: z.record(z.string(), z.unknown()).describe("the usage priced, per metric, for the whole period"),
    current: quotedPeriod.describe(
      "what the period comes to as the contract stands: its advance and arrears lines",
    ),
    changed: quotedPeriod.nullable().describe("the same with the amendment or end asked about"),
    delta: z.string().nullable().describe("changed total − current total"),
  })
  .meta({ id: "ContractPeriodQuote" });
export type ContractPeriodQuote = z.infer<typeof contractQuoteResult>;
