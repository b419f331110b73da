import { z } from "zod";
import { type Decimal, decimalText, humanNumber, ZERO } from "../decimal.ts";
import { money } from "../fields.ts";
import { defineNode, type ExplanationItem } from "../types.ts";
import { input, output } from "./ports.ts";
import { graduatedSlices, rangeText, tierTable } from "./tiers.ts";

export const pricedTiers = () => tierTable({ unitPrice: money(), flatFee: money().optional() });

const schema = z
  .object({ tiers: pricedTiers(), chargeAtZero: z.boolean().optional(), label: z.string().optional() })
  .strict();

interface PricedTier {
  upTo: Decimal | null;
  unitPrice: Decimal;
  flatFee?: Decimal;
}

/** The tiers that charge for q: those holding usage, or the first one at zero when chargeAtZero. */
export function graduatedCharges(tiers: PricedTier[], q: Decimal, chargeAtZero: boolean) {
  const slices = graduatedSlices(tiers, q);
  if (slices.length === 0 && chargeAtZero) {
    slices.push({ tier: tiers[0], index: 0, from: ZERO, to: tiers[0].upTo, units: ZERO });
  }
  return slices.map((slice) => {
    const usage = slice.units.times(slice.tier.unitPrice);
    const flat = slice.tier.flatFee ?? ZERO;
    return { ...slice, amount: usage.plus(flat), flat };
  });
}

export const tieredNode = defineNode({
  type: "tiered",
  category: "pricing",
  label: "Tiered (graduated)",
  description: "Each unit priced by the tier it falls in; a tier's flat fee applies once it holds usage.",
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
  evaluate(data, inputs) {
    let total = ZERO;
    for (const charge of graduatedCharges(data.tiers, inputs.in as Decimal, data.chargeAtZero ?? false)) {
      total = total.plus(charge.amount);
    }
    return { out: total };
  },
  explain(data, inputs, outputs) {
    const charges = graduatedCharges(data.tiers, inputs.in as Decimal, data.chargeAtZero ?? false);
    const terms = charges.map((c) => {
      const usage = `${humanNumber(c.units)} × ${humanNumber(c.tier.unitPrice)}`;
      return c.flat.isZero() ? usage : `${usage} + ${humanNumber(c.flat)}`;
    });
    const items: ExplanationItem[] = charges.map((c) => ({
      text: `tier ${c.index + 1} (${rangeText(c.from, c.to, humanNumber)}): ${humanNumber(c.units)} × ${humanNumber(c.tier.unitPrice)}${c.flat.isZero() ? "" : ` + flat ${humanNumber(c.flat)}`}`,
      tier: String(c.index + 1),
      quantity: decimalText(c.units),
      unitPrice: decimalText(c.tier.unitPrice),
      flatFee: decimalText(c.flat),
      amount: decimalText(c.amount),
    }));
    return { text: `${terms.join(" + ") || "0"} = ${humanNumber(outputs.out as Decimal)}`, items };
  },
});
