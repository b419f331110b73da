import { z } from "zod";
import { currencySchema, dateTime, optionalText, text, timezoneSchema } from "./common.ts";

export const customerSchema = z
  .object({
    id: z.string(),
    externalId: z.string(),
    name: z.string(),
    email: z.string().nullable(),
    timezone: z.string(),
    currency: z.string().nullable(),
    parentId: z
      .string()
      .nullable()
      .describe("the parent account: this customer's events count toward the parent's contracts"),
    createdAt: dateTime,
    archivedAt: dateTime.nullable().describe("when the customer was archived; null while active"),
  })
  .meta({ id: "Customer" });
export type Customer = z.infer<typeof customerSchema>;

const email = z.email().max(320);

export const createCustomerBody = z.strictObject({
  externalId: text(255).describe("your id for the customer; events name customers by it"),
  name: text(500),
  email: email.nullish(),
  timezone: timezoneSchema.default("UTC"),
  currency: currencySchema.nullish(),
  parentId: text(100)
    .nullish()
    .describe(
      "make it a child account of this customer: all its usage, earlier events included, counts there",
    ),
});
export type CreateCustomer = z.infer<typeof createCustomerBody>;
export type CreateCustomerRequest = z.input<typeof createCustomerBody>;

export const updateCustomerBody = z.strictObject({
  name: text(500).optional(),
  email: email.nullish(),
  timezone: timezoneSchema.optional(),
  currency: currencySchema.nullish(),
  parentId: text(100)
    .nullable()
    .optional()
    .describe(
      "move under this parent (null: detach); usage from now on is routed there, earlier usage stays",
    ),
});
export type UpdateCustomer = z.infer<typeof updateCustomerBody>;

export const listCustomersQuery = {
  search: optionalText(200).optional().describe("matches name, email or external id (case-insensitive)"),
  externalId: optionalText(255).optional().describe("exact external id"),
  parentId: optionalText(100).optional().describe("the child accounts of this customer"),
};

export const importResultSchema = z.object({ imported: z.number().int(), data: z.array(customerSchema) });
export type ImportCustomersResult = z.infer<typeof importResultSchema>;
