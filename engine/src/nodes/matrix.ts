import { z } from "zod";
import { type Decimal, decimalText, humanNumber, ZERO } from "../decimal.ts";
import { money } from "../fields.ts";
import { defineNode, type ExplanationItem, type GroupValue } from "../types.ts";
import { input, output } from "./ports.ts";
import { tierIndexHolding, tierTable } from "./tiers.ts";

const rateTiers = () => tierTable({ unitPrice: money() });

const schema = z
  .object({
    dimensions: z.array(z.string().min(1)).min(1, "name at least one dimension"),
    rows: z.array(z.object({ match: z.record(z.string(), z.string()), tiers: rateTiers() }).strict()),
    default: rateTiers().optional(),
    label: z.string().optional(),
  })
  .strict()
  .superRefine((data, ctx) => {
    data.rows.forEach((row, index) => {
      for (const dimension of data.dimensions) {
        if (!(dimension in row.match)) {
          ctx.addIssue({
            code: "custom",
            path: ["rows", index, "match", dimension],
            message: `row must match dimension "${dimension}"`,
          });
        }
      }
    });
  });

type Tiers = { upTo: Decimal | null; unitPrice: Decimal }[];
interface GroupCharge {
  group: GroupValue;
  row: number | "default";
  tier: number;
  unitPrice: Decimal;
  amount: Decimal;
}

function charges(
  data: { dimensions: string[]; rows: { match: Record<string, string>; tiers: Tiers }[]; default?: Tiers },
  groups: GroupValue[],
  fail: (group: GroupValue) => never,
): GroupCharge[] {
  return groups.map((group) => {
    const rowIndex = data.rows.findIndex((row) =>
      data.dimensions.every((d) => row.match[d] === group.group[d]),
    );
    const tiers = rowIndex >= 0 ? data.rows[rowIndex].tiers : data.default;
    if (!tiers) return fail(group);
    const tier = tierIndexHolding(tiers, group.value);
    const unitPrice = tiers[tier].unitPrice;
    return {
      group,
      row: rowIndex >= 0 ? rowIndex : "default",
      tier,
      unitPrice,
      amount: group.value.times(unitPrice),
    };
  });
}

const groupName = (group: GroupValue) =>
  Object.entries(group.group)
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");

export const matrixNode = defineNode({
  type: "matrix",
  category: "pricing",
  label: "Matrix",
  description: "A price per combination of dimensions (region × quality…), each with volume tiers.",
  schema,
  defaultData: {
    dimensions: ["region"],
    rows: [
      { match: { region: "us" }, tiers: [{ upTo: null, unitPrice: "0.01" }] },
      { match: { region: "eu" }, tiers: [{ upTo: null, unitPrice: "0.012" }] },
    ],
  },
  ports: () => ({
    inputs: [input("in", ["grouped"], { label: "grouped usage" })],
    outputs: [output("out", ["money"], "amount")],
  }),
  evaluate(data, inputs, context) {
    const all = charges(data, inputs.in as GroupValue[], (group) =>
      context.fail(
        "MATRIX_NO_PRICE",
        `No matrix row matches group ${groupName(group)} and there is no default`,
      ),
    );
    return { out: all.reduce((sum, c) => sum.plus(c.amount), ZERO) };
  },
  explain(data, inputs, outputs) {
    const all = charges(data, inputs.in as GroupValue[], () => {
      throw new Error("unreachable: evaluation already failed");
    });
    const items: ExplanationItem[] = all.map((c) => ({
      text: `${groupName(c.group)}: ${humanNumber(c.group.value)} × ${humanNumber(c.unitPrice)}`,
      group: groupName(c.group),
      row: String(c.row),
      tier: String(c.tier + 1),
      quantity: decimalText(c.group.value),
      unitPrice: decimalText(c.unitPrice),
      amount: decimalText(c.amount),
    }));
    const terms = all.map((c) => `${humanNumber(c.group.value)} × ${humanNumber(c.unitPrice)}`);
    return { text: `${terms.join(" + ") || "0"} = ${humanNumber(outputs.out as Decimal)}`, items };
  },
});
