import { z } from "zod";
import { type Decimal, humanNumber, ZERO } from "../decimal.ts";
import { defineNode, type ValueType } from "../types.ts";
import { commonType, input, NUMERIC, output } from "./ports.ts";

const schema = z.object({ label: z.string().optional() }).strict();

export const sumNode = defineNode({
  type: "sum",
  category: "logic",
  label: "Sum",
  description: "Adds any number of values of one type.",
  schema,
  defaultData: {},
  ports: () => ({
    inputs: [input("in", NUMERIC, { many: true, optional: true, label: "values" })],
    outputs: [output("out", NUMERIC, "total")],
  }),
  outputTypes(_data, inputs) {
    // With nothing connected the sum is a money 0: sums almost always add up charges.
    const type = commonType((inputs.in as ValueType[] | undefined) ?? [], "values added by a sum");
    return type === undefined
      ? { out: "money" }
      : type === "quantity" || type === "money"
        ? { out: type }
        : type;
  },
  evaluate(_data, inputs) {
    const values = (inputs.in as Decimal[] | undefined) ?? [];
    let out = values.length ? values[0] : ZERO;
    for (let i = 1; i < values.length; i++) out = out.plus(values[i]);
    return { out };
  },
  explain(_data, inputs, outputs) {
    const values = (inputs.in as Decimal[] | undefined) ?? [];
    return { text: `${values.map(humanNumber).join(" + ") || "0"} = ${humanNumber(outputs.out as Decimal)}` };
  },
});
