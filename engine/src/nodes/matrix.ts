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

type MatrixData = {
  dimensions: string[];
  rows: { match: Record<string, string>; tiers: Tiers }[];
  default?: Tiers;
};

const rowKey = (dimensions: string[], values: Record<string, string>) =>
  dimensions.length === 1
    ? (values[dimensions[0]] ?? "")
    : JSON.stringify(dimensions.map((d) => values[d] ?? ""));

/** Row index by the group's values, the first matching row winning; built once per (materialized) data. */
const rowIndexes = new WeakMap<MatrixData, Map<string, number>>();
function rowIndex(data: MatrixData): Map<string, number> {
  let index = rowIndexes.get(data);
  if (!index) {
    index = new Map();
    for (let i = 0; i < data.rows.length; i++) {
      const key = rowKey(data.dimensions, data.rows[i].match);
      if (!index.has(key)) index.set(key, i);
    }
    rowIndexes.set(data, index);
  }
  return index;
}

function rowIndexOf(data: MatrixData, group: Record<string, string>, index = rowIndex(data)): number {
  // A group lacking a dimension matches no row (rows must name every dimension).
  for (const d of data.dimensions) if (group[d] === undefined) return -1;
  return index.get(rowKey(data.dimensions, group)) ?? -1;
}

function charges(data: MatrixData, groups: GroupValue[], fail: (group: GroupValue) => never): GroupCharge[] {
  const out: GroupCharge[] = [];
  for (const group of groups) {
    const rowIndex = rowIndexOf(data, group.group);
    const tiers = rowIndex >= 0 ? data.rows[rowIndex].tiers : data.default;
    if (!tiers) return fail(group);
    const tier = tierIndexHolding(tiers, group.value);
    const unitPrice = tiers[tier].unitPrice;
    out.push({
      group,
      row: rowIndex >= 0 ? rowIndex : "default",
      tier,
      unitPrice,
      amount: group.value.times(unitPrice),
    });
  }
  return out;
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
    let out = ZERO;
    const index = rowIndex(data);
    for (const group of inputs.in as GroupValue[]) {
      const rowIndex = rowIndexOf(data, group.group, index);
      const tiers = rowIndex >= 0 ? data.rows[rowIndex].tiers : data.default;
      if (!tiers) {
        return context.fail(
          "MATRIX_NO_PRICE",
          `No matrix row matches group ${groupName(group)} and there is no default`,
        );
      }
      out = out.plus(group.value.times(tiers[tierIndexHolding(tiers, group.value)].unitPrice));
    }
    return { out };
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
