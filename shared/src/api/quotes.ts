import { z } from "zod";
import { decimalString } from "../decimal-string.ts";
import { evaluationInputSchema } from "../plan-document.ts";
import { text } from "./common.ts";

export const createQuoteBody = z.strictObject({
  planId: text(100),
  planVersion: z.number().int().min(1).optional().describe("the latest published version when absent"),
  paramOverrides: z.record(z.string().max(200), decimalString).default({}),
  usage: evaluationInputSchema.shape.usage,
  credits: evaluationInputSchema.shape.credits,
  proration: evaluationInputSchema.shape.proration,
});
export type CreateQuote = z.infer<typeof createQuoteBody>;
