import { z } from "zod";
import { decimalString } from "../decimal-string.ts";
import { dateTime, text } from "./common.ts";
import { billingPeriods } from "./enums.ts";
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
  })
  .refine((body) => !body.endDate || body.endDate >= body.startDate, {
    path: ["endDate"],
    message: "must not be before startDate",
  });
export type CreateContract = z.infer<typeof createContractBody>;
export type CreateContractRequest = z.input<typeof createContractBody>;

const grantOut = z.object({ pool: z.string(), amount: z.string(), expiresAt: z.string().nullable() });

export const addOnSchema = z
  .object({
    id: z.string(),
    planId: z.string(),
    planVersion: z.number().int(),
    startDate: z.string(),
    endDate: z.string().nullable(),
    paramOverrides: z.record(z.string(), z.string()),
    creditGrants: z.array(grantOut),
  })
  .meta({ id: "ContractAddOn" });
export type ContractAddOn = z.infer<typeof addOnSchema>;
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
