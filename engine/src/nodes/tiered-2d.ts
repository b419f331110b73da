import { z } from "zod";
import { type Decimal, decimalText, humanNumber, ZERO } from "../decimal.ts";
import { money } from "../fields.ts";
import { defineNode } from "../types.ts";
import { input, output } from "./ports.ts";
import { graduatedSlices, tierIndexHolding, tierTable } from "./tiers.ts";

const schema = z
  .object({
    rows: tierTable({}),
    columns: tierTable({}),
    rates: z.array(z.array(money())),
    mode: z.enum(["graduated", "volume"]),
    label: z.string().optional(),
  })
  .strict()
  .superRefine((data, ctx) => {
    if (data.rates.length !== data.rows.length) {
      ctx.addIssue({
        code: "custom",
        path: ["rates"],
        message: `needs one row of rates per row (${data.rows.length})`,
      });
    }
    data.rates.forEach((row, index) => {
      if (row.length !== data.columns.length) {
        ctx.addIssue({
          code: "custom",
          path: ["rates", index],
          message: `needs one rate per column (${data.columns.length})`,
        });
      }
    });
  });

type Bound = { upTo: Decimal | null };
function slicesFor(
  data: { rows: Bound[]; columns: Bound[]; rates: Decimal[][]; mode: string },
  q: Decimal,
  by: Decimal,
) {
  const column = tierIndexHolding(data.columns, by);
  const rows =
    data.mode === "volume"
      ? [{ index: tierIndexHolding(data.rows, q), units: q }]
      : graduatedSlices(data.rows, q).map((s) => ({ index: s.index, units: s.units }));
  return {
    column,
    rows: rows.map((r) => ({
      ...r,
      rate: data.rates[r.index][column],
      amount: r.units.times(data.rates[r.index][column]),
    })),
  };
}

export const tiered2dNode = defineNode({
  type: "tiered2d",
  category: "pricing",
  label: "Two-dimensional tiers",
  description: "A rate table: the row by usage, the column by a second quantity (e.g. commitment level).",
  schema,
  defaultData: {
    rows: [{ upTo: "1000" }, { upTo: null }],
    columns: [{ upTo: "10" }, { upTo: null }],
    rates: [
      ["0.10", "0.08"],
      ["0.05", "0.04"],
    ],
    mode: "graduated",
  },
  ports: () => ({
    inputs: [
      input("in", ["quantity"], { label: "units" }),
      input("by", ["quantity"], { label: "column by" }),
    ],
    outputs: [output("out", ["money"], "amount")],
  }),
  evaluate(data, inputs) {
    const { rows } = slicesFor(data, inputs.in as Decimal, inputs.by as Decimal);
    return { out: rows.reduce((sum, r) => sum.plus(r.amount), ZERO) };
  },
  explain(data, inputs, outputs) {
    const { column, rows } = slicesFor(data, inputs.in as Decimal, inputs.by as Decimal);
    return {
      text: `column ${column + 1} (by ${humanNumber(inputs.by as Decimal)}): ${rows.map((r) => `${humanNumber(r.units)} × ${humanNumber(r.rate)}`).join(" + ")} = ${humanNumber(outputs.out as Decimal)}`,
      items: rows.map((r) => ({
        text: `row ${r.index + 1}, column ${column + 1}`,
        tier: String(r.index + 1),
        column: String(column + 1),
        quantity: decimalText(r.units),
        unitPrice: decimalText(r.rate),
        amount: decimalText(r.amount),
      })),
    };
  },
});
