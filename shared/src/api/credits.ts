import { z } from "zod";
import { decimalString } from "../decimal-string.ts";
import { dateTime, text } from "./common.ts";
import { creditLedgerKinds } from "./enums.ts";

export const createGrantBody = z.strictObject({
  pool: text(200).describe("the credit pool a plan's `credits` node draws from"),
  amount: decimalString,
  expiresAt: z.iso
    .datetime({ offset: true })
    .nullish()
    .describe("invoices billed at or after this instant no longer draw from it"),
});
export type CreateGrant = z.infer<typeof createGrantBody>;
export type CreateGrantRequest = z.input<typeof createGrantBody>;

export const grantSchema = z
  .object({
    id: z.string(),
    pool: z.string(),
    amount: z.string(),
    balance: z.string(),
    expiresAt: dateTime.nullable(),
    expired: z.boolean(),
  })
  .meta({ id: "CreditGrant" });
export type CreditGrant = z.infer<typeof grantSchema>;

export const creditsSchema = z
  .object({
    contractId: z.string(),
    asOf: dateTime,
    pools: z.array(z.object({ pool: z.string(), balance: z.string() })),
    grants: z.array(grantSchema),
    ledger: z.array(
      z.object({
        id: z.string(),
        grantId: z.string(),
        pool: z.string(),
        kind: z.enum(creditLedgerKinds),
        amount: z.string(),
        invoiceId: z.string().nullable(),
        invoiceLineId: z.string().nullable(),
        createdAt: dateTime,
      }),
    ),
  })
  .meta({ id: "ContractCredits" });
export type ContractCredits = z.infer<typeof creditsSchema>;
