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
