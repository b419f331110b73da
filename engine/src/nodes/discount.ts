import { z } from "zod";
import { type Decimal, HUNDRED, humanNumber, maxOf, minOf, ZERO } from "../decimal.ts";
import { money, quantity } from "../fields.ts";
import { defineNode } from "../types.ts";
import { input, output } from "./ports.ts";

const schema = z
  .object({
    percent: quantity().optional(),
    amount: money().optional(),
    maximum: money().optional(),
    label: z.string().optional(),
  })
  .strict()
  .refine((d) => (d.percent === undefined) !== (d.amount === undefined), {
    message: "give either percent or amount, not both",
    path: ["percent"],
  });

/** d = min(in × percent or amount, maximum, in), never below 0: a discount never raises a charge. */
function discountOf(
  data: { percent?: Decimal; amount?: Decimal; maximum?: Decimal },
  amountIn: Decimal,
): Decimal {
  let d = data.percent ? amountIn.times(data.percent).div(HUNDRED) : (data.amount ?? ZERO);
  if (data.maximum) d = minOf(d, data.maximum);
  return maxOf(ZERO, minOf(d, amountIn));
}

export const discountNode = defineNode({
  type: "discount",
  category: "adjustments",
  label: "Discount",
  description: "A percentage or fixed amount off, optionally capped; never more than the charge.",
  schema,
  defaultData: { percent: "10" },
  ports: () => ({
    inputs: [input("in", ["money"], { label: "amount" })],
    outputs: [output("out", ["money"], "after discount"), output("discount", ["money"])],
  }),
  evaluate(data, inputs) {
    const amountIn = inputs.in as Decimal;
    const d = discountOf(data, amountIn);
    return { out: amountIn.minus(d), discount: d.negated() };
  },
  explain(data, inputs, outputs) {
    const what = data.percent ? `${humanNumber(data.percent)}%` : humanNumber(data.amount!);
    const cap = data.maximum ? ` (max ${humanNumber(data.maximum)})` : "";
    return {
      text: `${humanNumber(inputs.in as Decimal)} − ${what}${cap} = ${humanNumber(outputs.out as Decimal)} (discount ${humanNumber(outputs.discount as Decimal)})`,
    };
  },
});
