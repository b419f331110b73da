import { z } from "zod";
import { type Decimal, humanNumber, maxOf, ZERO } from "../decimal.ts";
import { defineNode } from "../types.ts";
import { input, output } from "./ports.ts";

const schema = z
  .object({ grant: z.string().min(1, "name the credit pool"), label: z.string().optional() })
  .strict();

export const creditsNode = defineNode({
  type: "credits",
  category: "adjustments",
  label: "Credits",
  description: "Pays a charge from a prepaid or granted credit pool while its balance lasts.",
  schema,
  defaultData: { grant: "promotional" },
  ports: () => ({
    inputs: [input("in", ["money"], { label: "amount" })],
    outputs: [output("out", ["money"], "after credits"), output("applied", ["money"])],
  }),
  evaluate(data, inputs, context) {
    const amount = inputs.in as Decimal;
    const used = context.drawCredits(data.grant, maxOf(amount, ZERO));
    return { out: amount.minus(used), applied: used.negated() };
  },
  explain: (data, inputs, outputs) => ({
    text: `${humanNumber(inputs.in as Decimal)} − credits "${data.grant}" ${humanNumber((outputs.applied as Decimal).negated())} = ${humanNumber(outputs.out as Decimal)}`,
  }),
});
