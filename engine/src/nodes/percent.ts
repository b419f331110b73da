import { z } from "zod";
import { type Decimal, HUNDRED, humanNumber, maxOf, minOf } from "../decimal.ts";
import { money, quantity } from "../fields.ts";
import { defineNode } from "../types.ts";
import { input, NUMERIC, output } from "./ports.ts";

const schema = z
  .object({
    rate: quantity(),
    fixedFee: money().optional(),
    minimum: money().optional(),
    maximum: money().optional(),
    label: z.string().optional(),
  })
  .strict();

export const percentNode = defineNode({
  type: "percent",
  category: "pricing",
  label: "Percent",
  description: "A percentage of a value (payments volume, spend), plus a fixed fee per count, clamped.",
  schema,
  defaultData: { rate: "2.9", fixedFee: "0.30" },
  ports: () => ({
    inputs: [input("in", NUMERIC, { label: "base" }), input("count", ["quantity"], { optional: true })],
    outputs: [output("out", ["money"], "amount")],
  }),
  evaluate(data, inputs) {
    let amount = (inputs.in as Decimal).times(data.rate).div(HUNDRED);
    const count = inputs.count as Decimal | undefined;
    if (count && data.fixedFee) amount = amount.plus(count.times(data.fixedFee));
    if (data.minimum) amount = maxOf(amount, data.minimum);
    if (data.maximum) amount = minOf(amount, data.maximum);
    return { out: amount };
  },
  explain(data, inputs, outputs) {
    const count = inputs.count as Decimal | undefined;
    let text = `${humanNumber(inputs.in as Decimal)} × ${humanNumber(data.rate)}%`;
    if (count && data.fixedFee) text += ` + ${humanNumber(count)} × ${humanNumber(data.fixedFee)}`;
    const clamps = [
      data.minimum && `min ${humanNumber(data.minimum)}`,
      data.maximum && `max ${humanNumber(data.maximum)}`,
    ].filter(Boolean);
    if (clamps.length) text += ` (${clamps.join(", ")})`;
    return { text: `${text} = ${humanNumber(outputs.out as Decimal)}` };
  },
});
