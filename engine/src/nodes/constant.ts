import { z } from "zod";
import { decimalText, humanNumber } from "../decimal.ts";
import { anyDecimal } from "../fields.ts";
import { defineNode } from "../types.ts";
import { output } from "./ports.ts";

const schema = z
  .object({ value: anyDecimal(), valueType: z.enum(["quantity", "money"]), label: z.string().optional() })
  .strict();

export const constantNode = defineNode({
  type: "constant",
  category: "inputs",
  label: "Constant",
  description: "A fixed quantity or money amount (exposable as a contract parameter).",
  schema,
  defaultData: { value: "1", valueType: "quantity" },
  ports: (data) => ({ inputs: [], outputs: [output("out", [data?.valueType ?? "quantity"], "value")] }),
  evaluate: (data) => ({ out: data.value }),
  explain: (data) => ({
    text: `${data.valueType} ${humanNumber(data.value)}`,
    items: [{ text: "value", amount: decimalText(data.value) }],
  }),
});
