import { z } from "zod";
import { type Decimal, decimalText, humanNumber, ZERO } from "../decimal.ts";
import { defineNode } from "../types.ts";
import { input, output } from "./ports.ts";
import { pricedTiers } from "./tiered.ts";
import { tierIndexHolding } from "./tiers.ts";

const schema = z
  .object({ tiers: pricedTiers(), chargeAtZero: z.boolean().optional(), label: z.string().optional() })
  .strict();

interface Charge {
  index: number;
  unitPrice: Decimal;
  flat: Decimal;
  amount: Decimal;
}

/**
 * All units at the price of the tier holding q. Usage of 0 or less counts as zero usage, as in the
 * graduated and step models: nothing (null) unless chargeAtZero, then the first tier's flat fee.
 */
function volumeCharge(
  data: { tiers: { upTo: Decimal | null; unitPrice: Decimal; flatFee?: Decimal }[]; chargeAtZero?: boolean },
  q: Decimal,
): Charge | null {
  if (q.lte(0) && !data.chargeAtZero) return null;
  const index = tierIndexHolding(data.tiers, q);
  const tier = data.tiers[index];
  const flat = tier.flatFee ?? ZERO;
  const units = q.lte(0) ? ZERO : q;
  return { index, unitPrice: tier.unitPrice, flat, amount: units.times(tier.unitPrice).plus(flat) };
}

export const volumeNode = defineNode({
  type: "volume",
  category: "pricing",
  label: "Volume",
  description: "All units priced at the rate of the tier the total falls in, plus that tier's flat fee.",
  schema,
  defaultData: {
    tiers: [
      { upTo: "1000", unitPrice: "0.10" },
      { upTo: null, unitPrice: "0.05" },
    ],
  },
  ports: () => ({
    inputs: [input("in", ["quantity"], { label: "units" })],
    outputs: [output("out", ["money"], "amount")],
  }),
  evaluate: (data, inputs) => ({ out: volumeCharge(data, inputs.in as Decimal)?.amount ?? ZERO }),
  explain(data, inputs, outputs) {
    const q = inputs.in as Decimal;
    const charge = volumeCharge(data, q);
    if (!charge) return { text: "no usage = 0", items: [] };
    const flat = charge.flat.isZero() ? "" : ` + ${humanNumber(charge.flat)}`;
    return {
      text: `${humanNumber(q)} × ${humanNumber(charge.unitPrice)}${flat} = ${humanNumber(outputs.out as Decimal)}`,
      items: [
        {
          text: `tier ${charge.index + 1}`,
          tier: String(charge.index + 1),
          quantity: decimalText(q),
          unitPrice: decimalText(charge.unitPrice),
          flatFee: decimalText(charge.flat),
          amount: decimalText(charge.amount),
        },
      ],
    };
  },
});
