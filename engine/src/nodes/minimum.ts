import { z } from "zod";
import { type Decimal, humanNumber, maxOf, ONE, ZERO } from "../decimal.ts";
import { money } from "../fields.ts";
import { defineNode } from "../types.ts";
import { input, output } from "./ports.ts";

const schema = z
  .object({ amount: money(), prorate: z.boolean().optional(), label: z.string().optional() })
  .strict();

export const minimumNode = defineNode({
  type: "minimum",
  category: "adjustments",
  label: "Minimum commitment",
  description: "Charges at least the committed amount; the true-up is the shortfall.",
  schema,
  defaultData: { amount: "500" },
  ports: () => ({
    inputs: [input("in", ["money"], { label: "spend" })],
    outputs: [output("out", ["money"], "at least minimum"), output("trueUp", ["money"], "true-up")],
  }),
  evaluate(data, inputs, context) {
    const spend = inputs.in as Decimal;
    const minimum =
      data.prorate && context.proration !== ONE ? data.amount.times(context.proration) : data.amount;
    return { out: maxOf(spend, minimum), trueUp: maxOf(ZERO, minimum.minus(spend)) };
  },
  explain(data, inputs, outputs) {
    return {
      text: `max(${humanNumber(inputs.in as Decimal)}, minimum ${humanNumber(data.amount)}${data.prorate ? " prorated" : ""}) = ${humanNumber(outputs.out as Decimal)}, true-up ${humanNumber(outputs.trueUp as Decimal)}`,
    };
  },
});
