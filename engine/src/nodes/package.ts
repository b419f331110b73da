import { z } from "zod";
import { Decimal, humanNumber } from "../decimal.ts";
import { money, quantity } from "../fields.ts";
import { defineNode } from "../types.ts";
import { input, output } from "./ports.ts";

const schema = z
  .object({
    packageSize: quantity().refine(
      (f) => !f.literal || f.literal.gt(0),
      "packageSize must be greater than 0",
    ),
    packagePrice: money(),
    rounding: z.enum(["up", "down"]).optional(),
    label: z.string().optional(),
  })
  .strict();

export const packageNode = defineNode({
  type: "package",
  category: "pricing",
  label: "Package",
  description: "Units sold in packages: every started (or only every full) package at one price.",
  schema,
  defaultData: { packageSize: "100", packagePrice: "5" },
  ports: () => ({
    inputs: [input("in", ["quantity"], { label: "units" })],
    outputs: [output("out", ["money"], "amount")],
  }),
  evaluate(data, inputs, context) {
    if (data.packageSize.lte(0)) context.fail("INVALID_NODE_DATA", "packageSize must be greater than 0");
    const rounding = data.rounding === "down" ? Decimal.ROUND_FLOOR : Decimal.ROUND_CEIL;
    const packages = (inputs.in as Decimal).div(data.packageSize).toDecimalPlaces(0, rounding);
    return { out: packages.times(data.packagePrice) };
  },
  explain(data, inputs, outputs) {
    const q = inputs.in as Decimal;
    const rounding = data.rounding === "down" ? Decimal.ROUND_FLOOR : Decimal.ROUND_CEIL;
    const packages = q.div(data.packageSize).toDecimalPlaces(0, rounding);
    return {
      text: `${data.rounding === "down" ? "⌊" : "⌈"}${humanNumber(q)} / ${humanNumber(data.packageSize)}${data.rounding === "down" ? "⌋" : "⌉"} = ${humanNumber(packages)} package(s) × ${humanNumber(data.packagePrice)} = ${humanNumber(outputs.out as Decimal)}`,
    };
  },
});
