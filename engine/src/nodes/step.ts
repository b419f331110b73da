import { z } from "zod";
import { type Decimal, decimalText, humanNumber, ZERO } from "../decimal.ts";
import { money } from "../fields.ts";
import { defineNode } from "../types.ts";
import { input, output } from "./ports.ts";
import { tierIndexHolding, tierTable } from "./tiers.ts";

const schema = z
  .object({
    steps: tierTable({ price: money() }),
    chargeAtZero: z.boolean().optional(),
    label: z.string().optional(),
  })
  .strict();

function stepIndex(
  data: { steps: { upTo: Decimal | null }[]; chargeAtZero?: boolean },
  q: Decimal,
): number | null {
  if (q.lte(0) && data.chargeAtZero === false) return null;
  return tierIndexHolding(data.steps, q);
}

export const stepNode = defineNode({
  type: "step",
  category: "pricing",
  label: "Step",
  description: "One fixed price for the whole step the usage falls in.",
  schema,
  defaultData: {
    steps: [
      { upTo: "1000", price: "50" },
      { upTo: null, price: "100" },
    ],
  },
  ports: () => ({
    inputs: [input("in", ["quantity"], { label: "units" })],
    outputs: [output("out", ["money"], "amount")],
  }),
  evaluate(data, inputs) {
    const index = stepIndex(data, inputs.in as Decimal);
    return { out: index === null ? ZERO : data.steps[index].price };
  },
  explain(data, inputs, outputs) {
    const index = stepIndex(data, inputs.in as Decimal);
    if (index === null) return { text: "no usage = 0", items: [] };
    return {
      text: `${humanNumber(inputs.in as Decimal)} falls in step ${index + 1} = ${humanNumber(outputs.out as Decimal)}`,
      items: [
        { text: `step ${index + 1}`, tier: String(index + 1), amount: decimalText(data.steps[index].price) },
      ],
    };
  },
});
