import { z } from "zod";
import { type Decimal, decimalText, humanNumber, maxOf, minOf, ZERO } from "../decimal.ts";
import { quantity } from "../fields.ts";
import { defineNode } from "../types.ts";
import { input, output } from "./ports.ts";
import { tierIndexHolding, tierTable } from "./tiers.ts";

const schema = z
  .object({
    allowance: quantity().optional(),
    tiers: tierTable({ allowance: quantity() }).optional(),
    label: z.string().optional(),
  })
  .strict()
  .refine((d) => (d.allowance === undefined) !== (d.tiers === undefined), {
    message: "give either allowance or tiers (waterfall), not both",
    path: ["allowance"],
  });

function allowanceFor(
  data: { allowance?: Decimal; tiers?: { upTo: Decimal | null; allowance: Decimal }[] },
  q: Decimal,
) {
  if (data.tiers) {
    const index = tierIndexHolding(data.tiers, q);
    return { allowance: data.tiers[index].allowance, tier: index };
  }
  return { allowance: data.allowance ?? ZERO, tier: null };
}

export const freeUnitsNode = defineNode({
  type: "freeUnits",
  category: "adjustments",
  label: "Free units",
  description: "Units included for free; with tiers the allowance grows with consumption (waterfall).",
  schema,
  defaultData: { allowance: "1000" },
  ports: () => ({
    inputs: [input("in", ["quantity"], { label: "units" })],
    outputs: [output("billable", ["quantity"]), output("free", ["quantity"])],
  }),
  evaluate(data, inputs) {
    const q = inputs.in as Decimal;
    const allowance = data.tiers
      ? data.tiers[tierIndexHolding(data.tiers, q)].allowance
      : (data.allowance ?? ZERO);
    const free = maxOf(ZERO, minOf(q, allowance));
    return { billable: q.minus(free), free };
  },
  // The item carries the numbers a usage report shows (allowance, used, remaining), so nothing outside the
  // engine has to work out an allowance again.
  explain(data, inputs, outputs) {
    const q = inputs.in as Decimal;
    const { allowance, tier } = allowanceFor(data, q);
    const free = outputs.free as Decimal;
    const source = tier === null ? "" : ` (waterfall tier ${tier + 1})`;
    return {
      text: `${humanNumber(q)} used, ${humanNumber(allowance)} free${source}: ${humanNumber(free)} free, ${humanNumber(outputs.billable as Decimal)} billable`,
      items: [
        {
          text: `${humanNumber(maxOf(ZERO, allowance.minus(free)))} free units remaining`,
          used: decimalText(q),
          allowance: decimalText(allowance),
          free: decimalText(free),
          billable: decimalText(outputs.billable as Decimal),
          remaining: decimalText(maxOf(ZERO, allowance.minus(free))),
        },
      ],
    };
  },
});
