import { z } from "zod";
import { type Decimal, humanNumber } from "../decimal.ts";
import { money } from "../fields.ts";
import { defineNode } from "../types.ts";
import { input, output } from "./ports.ts";

const schema = z.object({ unitPrice: money(), label: z.string().optional() }).strict();

export const perUnitNode = defineNode({
  type: "perUnit",
  category: "pricing",
  label: "Per unit",
  description: "Every unit at the same price.",
  schema,
  defaultData: { unitPrice: "0.01" },
  ports: () => ({
    inputs: [input("in", ["quantity"], { label: "units" })],
    outputs: [output("out", ["money"], "amount")],
  }),
  evaluate: (data, inputs) => ({ out: (inputs.in as Decimal).times(data.unitPrice) }),
  explain: (data, inputs, outputs) => ({
    text: `${humanNumber(inputs.in as Decimal)} × ${humanNumber(data.unitPrice)} = ${humanNumber(outputs.out as Decimal)}`,
  }),
});
