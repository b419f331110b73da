import { z } from "zod";
import { type Decimal, humanNumber, minOf } from "../decimal.ts";
import { money } from "../fields.ts";
import { defineNode } from "../types.ts";
import { input, output } from "./ports.ts";

const schema = z
  .object({ amount: money(), prorate: z.boolean().optional(), label: z.string().optional() })
  .strict();

export const maximumNode = defineNode({
  type: "maximum",
  category: "adjustments",
  label: "Maximum (cap)",
  description: "Caps a charge at an amount.",
  schema,
  defaultData: { amount: "1000" },
  ports: () => ({
    inputs: [input("in", ["money"], { label: "amount" })],
    outputs: [output("out", ["money"], "capped")],
  }),
  evaluate(data, inputs, context) {
    const cap = data.prorate ? data.amount.times(context.proration) : data.amount;
    return { out: minOf(inputs.in as Decimal, cap) };
  },
  explain: (data, inputs, outputs) => ({
    text: `min(${humanNumber(inputs.in as Decimal)}, cap ${humanNumber(data.amount)}${data.prorate ? " prorated" : ""}) = ${humanNumber(outputs.out as Decimal)}`,
  }),
});
