import { z } from "zod";
import { type Decimal, humanNumber } from "../decimal.ts";
import { anyDecimal } from "../fields.ts";
import { defineNode, type ValueType } from "../types.ts";
import { commonType, input, NUMERIC, output } from "./ports.ts";

const operators = ["<", "<=", ">", ">=", "==", "!="] as const;
type Operator = (typeof operators)[number];
const schema = z
  .object({ op: z.enum(operators), threshold: anyDecimal(), label: z.string().optional() })
  .strict();

function holds(op: Operator, value: Decimal, threshold: Decimal): boolean {
  const c = value.comparedTo(threshold);
  return op === "<"
    ? c < 0
    : op === "<="
      ? c <= 0
      : op === ">"
        ? c > 0
        : op === ">="
          ? c >= 0
          : op === "=="
            ? c === 0
            : c !== 0;
}

export const conditionNode = defineNode({
  type: "condition",
  category: "logic",
  label: "Condition",
  description: "Chooses between two values by comparing a test value with a threshold.",
  schema,
  defaultData: { op: ">=", threshold: "1000" },
  ports: () => ({
    inputs: [input("test", NUMERIC), input("then", NUMERIC), input("else", NUMERIC)],
    outputs: [output("out", NUMERIC, "result")],
  }),
  outputTypes(_data, inputs) {
    const type = commonType(
      [inputs.then as ValueType | undefined, inputs.else as ValueType | undefined],
      "then and else",
    );
    return type === undefined
      ? { out: "money" }
      : type === "quantity" || type === "money"
        ? { out: type }
        : type;
  },
  evaluate: (data, inputs) => ({
    out: (holds(data.op, inputs.test as Decimal, data.threshold) ? inputs.then : inputs.else) as Decimal,
  }),
  explain(data, inputs, outputs) {
    const taken = holds(data.op, inputs.test as Decimal, data.threshold);
    return {
      text: `${humanNumber(inputs.test as Decimal)} ${data.op} ${humanNumber(data.threshold)} is ${taken} → ${taken ? "then" : "else"} = ${humanNumber(outputs.out as Decimal)}`,
    };
  },
});
