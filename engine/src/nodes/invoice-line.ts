import { z } from "zod";
import { type Decimal, humanNumber } from "../decimal.ts";
import { defineNode } from "../types.ts";
import { input } from "./ports.ts";

const schema = z
  .object({
    description: z.string().min(1, "describe the line as the customer will read it"),
    product: z.string().optional(),
    timing: z.enum(["arrears", "advance"]).optional(),
    hideWhenZero: z.boolean().optional(),
    label: z.string().optional(),
  })
  .strict();

export const invoiceLineNode = defineNode({
  type: "invoiceLine",
  category: "output",
  label: "Invoice line",
  description: "One line of the invoice: an amount and, optionally, the quantity it is for.",
  schema,
  defaultData: { description: "Usage" },
  ports: () => ({
    inputs: [input("amount", ["money"]), input("quantity", ["quantity"], { optional: true })],
    outputs: [],
  }),
  evaluate: () => ({}),
  explain(data, inputs) {
    const quantity = inputs.quantity as Decimal | undefined;
    return {
      text: `${data.description}: ${humanNumber(inputs.amount as Decimal)}${quantity ? ` for ${humanNumber(quantity)}` : ""}`,
    };
  },
});
