import { z } from "zod";
import { type Decimal, humanNumber, maxOf, minOf } from "../decimal.ts";
import { defineNode, type ValueType } from "../types.ts";
import { input, NUMERIC, output } from "./ports.ts";

const ops = ["add", "subtract", "multiply", "divide", "min", "max"] as const;
type Op = (typeof ops)[number];
const schema = z.object({ op: z.enum(ops), label: z.string().optional() }).strict();

const symbols: Record<Op, string> = {
  add: "+",
  subtract: "−",
  multiply: "×",
  divide: "÷",
  min: "min",
  max: "max",
};

/** The spec's typing rules for arithmetic; a string names what is wrong. */
function resultType(op: Op, a: ValueType, b: ValueType): ValueType | string {
  if (op === "multiply") {
    if (a === "money" && b === "money") return "money × money has no meaning; multiply by a quantity";
    return a === "money" || b === "money" ? "money" : "quantity";
  }
  if (op === "divide") {
    if (a === "quantity" && b === "money") return "quantity ÷ money has no meaning";
    return a === b ? "quantity" : "money";
  }
  return a === b ? a : `${op} needs two values of one type (got ${a} and ${b})`;
}

export const mathNode = defineNode({
  type: "math",
  category: "logic",
  label: "Math",
  description: "Adds, subtracts, multiplies, divides, or takes the min or max of two values.",
  schema,
  defaultData: { op: "add" },
  ports: () => ({
    inputs: [input("a", NUMERIC), input("b", NUMERIC)],
    outputs: [output("out", NUMERIC, "result")],
  }),
  outputTypes(data, inputs) {
    const a = inputs.a as ValueType | undefined;
    const b = inputs.b as ValueType | undefined;
    if (!a || !b) return { out: a ?? b ?? "quantity" };
    const type = resultType(data.op, a, b);
    return type === "quantity" || type === "money" ? { out: type } : type;
  },
  evaluate(data, inputs, context) {
    const a = inputs.a as Decimal;
    const b = inputs.b as Decimal;
    switch (data.op) {
      case "add":
        return { out: a.plus(b) };
      case "subtract":
        return { out: a.minus(b) };
      case "multiply":
        return { out: a.times(b) };
      case "divide":
        if (b.isZero()) context.fail("DIVISION_BY_ZERO", `Division by zero (${a.toString()} ÷ 0)`);
        return { out: a.div(b) };
      case "min":
        return { out: minOf(a, b) };
      case "max":
        return { out: maxOf(a, b) };
    }
  },
  explain(data, inputs, outputs) {
    const a = humanNumber(inputs.a as Decimal);
    const b = humanNumber(inputs.b as Decimal);
    const expression =
      data.op === "min" || data.op === "max" ? `${data.op}(${a}, ${b})` : `${a} ${symbols[data.op]} ${b}`;
    return { text: `${expression} = ${humanNumber(outputs.out as Decimal)}` };
  },
});
