import { z } from "zod";
import { type Decimal, humanNumber, ONE } from "../decimal.ts";
import { money } from "../fields.ts";
import { defineNode } from "../types.ts";
import { input, output } from "./ports.ts";

const schema = z
  .object({ amount: money(), prorate: z.boolean().optional(), label: z.string().optional() })
  .strict();

export const flatFeeNode = defineNode({
  type: "flatFee",
  category: "pricing",
  label: "Flat fee",
  description: "A fixed amount per period, optionally times a quantity (seats) and prorated.",
  schema,
  defaultData: { amount: "100" },
  ports: () => ({
    inputs: [input("quantity", ["quantity"], { optional: true })],
    outputs: [output("out", ["money"], "amount")],
  }),
  evaluate(data, inputs, context) {
    const quantity = inputs.quantity as Decimal | undefined;
    let amount = quantity ? data.amount.times(quantity) : data.amount;
    if (data.prorate && context.proration !== ONE) amount = amount.times(context.proration);
    return { out: amount };
  },
  explain(data, inputs, outputs) {
    const quantity = inputs.quantity as Decimal | undefined;
    const parts = [humanNumber(data.amount)];
    if (quantity) parts.push(humanNumber(quantity));
    const out = outputs.out as Decimal;
    const base = quantity ? data.amount.times(quantity) : data.amount;
    if (data.prorate && !base.isZero()) parts.push(`proration ${humanNumber(out.div(base))}`);
    return { text: `${parts.join(" × ")} = ${humanNumber(out)}` };
  },
});
