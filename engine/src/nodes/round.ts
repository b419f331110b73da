import { z } from "zod";
import { Decimal, humanNumber } from "../decimal.ts";
import { defineNode, type ValueType } from "../types.ts";
import { input, NUMERIC, output } from "./ports.ts";

const modes = {
  halfUp: Decimal.ROUND_HALF_UP,
  halfEven: Decimal.ROUND_HALF_EVEN,
  up: Decimal.ROUND_UP,
  down: Decimal.ROUND_DOWN,
  ceiling: Decimal.ROUND_CEIL,
  floor: Decimal.ROUND_FLOOR,
} as const;

const schema = z
  .object({
    decimals: z.number().int().min(-30).max(30),
    mode: z.enum(Object.keys(modes) as [keyof typeof modes, ...(keyof typeof modes)[]]),
    label: z.string().optional(),
  })
  .strict();

/** Rounds to `decimals` places; negative decimals round to tens, hundreds, … */
export function roundTo(value: Decimal, decimals: number, mode: keyof typeof modes): Decimal {
  if (decimals >= 0) return value.toDecimalPlaces(decimals, modes[mode]);
  const scale = new Decimal(10).pow(-decimals);
  return value.div(scale).toDecimalPlaces(0, modes[mode]).times(scale);
}

export const roundNode = defineNode({
  type: "round",
  category: "logic",
  label: "Round",
  description: "Rounds a value to a number of decimals (negative: tens, hundreds…).",
  schema,
  defaultData: { decimals: 0, mode: "halfUp" },
  ports: () => ({
    inputs: [input("in", NUMERIC, { label: "value" })],
    outputs: [output("out", NUMERIC, "rounded")],
  }),
  outputTypes: (_data, inputs) => ({ out: (inputs.in as ValueType | undefined) ?? "quantity" }),
  evaluate: (data, inputs) => ({ out: roundTo(inputs.in as Decimal, data.decimals, data.mode) }),
  explain: (data, inputs, outputs) => ({
    text: `round ${humanNumber(inputs.in as Decimal)} to ${data.decimals} decimals (${data.mode}) = ${humanNumber(outputs.out as Decimal)}`,
  }),
});
