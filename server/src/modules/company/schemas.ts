import { decimalString } from "@pricegraph/shared";
import { dateTime, optionalText, text } from "@pricegraph/shared/api";
import { z } from "zod";

export const DEFAULT_PAYMENT_TERMS_DAYS = 30;
const termsDays = z.number().int().min(0).max(365).describe("net days between issue and due date");

/** A PNG or JPEG as a data URL, at most ~256 kB. */
const logo = z
  .string()
  .max(350_000)
  .regex(
    /^data:image\/(png|jpeg);base64,[A-Za-z0-9+/=]+$/,
    "must be a data:image/png or image/jpeg base64 URL",
  );

export const companyProfileSchema = z
  .object({
    legalName: z.string(),
    address: z.string().describe("postal address, one line per line"),
    taxId: z.string().nullable(),
    logo: z.string().nullable(),
    invoiceFooter: z.string(),
    paymentInstructions: z.string().describe("printed on invoices and in e-mails: how to pay"),
    paymentTermsDays: z.number().int().describe("default net days for customers without their own terms"),
    defaultTaxRateId: z.string().nullable().describe("the rate for customers without an override"),
    updatedAt: dateTime.nullable(),
  })
  .meta({ id: "CompanyProfile" });
export type CompanyProfile = z.infer<typeof companyProfileSchema>;

export const putCompanyProfileBody = z.strictObject({
  legalName: optionalText(500),
  address: optionalText(2000).default(""),
  taxId: optionalText(100).nullish(),
  logo: logo.nullish(),
  invoiceFooter: optionalText(2000).default(""),
  paymentInstructions: optionalText(2000).default(""),
  paymentTermsDays: termsDays.default(DEFAULT_PAYMENT_TERMS_DAYS),
  defaultTaxRateId: text(100).nullish(),
});
export type PutCompanyProfile = z.infer<typeof putCompanyProfileBody>;

const percentage = decimalString.refine((v) => /^\d{1,3}(\.\d{1,4})?$/.test(v) && Number(v) <= 100, {
  message: "must be a percentage from 0 to 100 with at most 4 decimals",
});

export const taxRateSchema = z
  .object({ id: z.string(), name: z.string(), percentage: z.string(), createdAt: dateTime })
  .meta({ id: "TaxRate" });
export type TaxRateDto = z.infer<typeof taxRateSchema>;

export const createTaxRateBody = z.strictObject({ name: text(200), percentage });
export const updateTaxRateBody = z.strictObject({
  name: text(200).optional(),
  percentage: percentage.optional(),
});
