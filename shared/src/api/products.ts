import { z } from "zod";
import { dateTime, optionalText, paginationQuery, text } from "./common.ts";
import { productKinds } from "./enums.ts";

/** What a plan's invoice line names as its `product`: letters, digits and `_ . : -`, like a metric key. */
export const productCode = text(100).regex(
  /^[A-Za-z0-9_][A-Za-z0-9_.:-]*$/,
  "must start with a letter, digit or _ and hold only letters, digits, _ . : -",
);

export const productSchema = z
  .object({
    id: z.string(),
    code: z.string().describe("what an invoice line node's `product` names"),
    name: z.string(),
    description: z.string().nullable(),
    accountingCode: z.string().nullable().describe("the ledger account or revenue code, for exports"),
    parentId: z.string().nullable().describe("the product this one is a sub-product of"),
    kind: z.enum(productKinds),
    createdAt: dateTime,
    updatedAt: dateTime,
  })
  .meta({ id: "Product" });
export type Product = z.infer<typeof productSchema>;

export const createProductBody = z.strictObject({
  code: productCode.describe("unique per tenant; cannot change (plans name it)"),
  name: text(200),
  description: optionalText(2000).nullish(),
  accountingCode: optionalText(100).nullish(),
  parentId: text(100).nullish().describe("make it a sub-product of this product"),
  kind: z.enum(productKinds).default("product"),
});
export type CreateProduct = z.infer<typeof createProductBody>;
export type CreateProductRequest = z.input<typeof createProductBody>;

export const updateProductBody = z.strictObject({
  name: text(200).optional(),
  description: optionalText(2000).nullish(),
  accountingCode: optionalText(100).nullish(),
  parentId: text(100).nullish(),
  kind: z.enum(productKinds).optional(),
});
export type UpdateProduct = z.infer<typeof updateProductBody>;

export const listProductsQuery = z.object({
  ...paginationQuery,
  kind: z.enum(productKinds).optional(),
  parentId: text(100).optional().describe("sub-products of this product"),
});
export type ListProductsQuery = z.infer<typeof listProductsQuery>;
