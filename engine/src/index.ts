export { type CompiledNode, type CompiledPlan, type CompileResult, compile } from "./compile.ts";
export { Decimal, decimalText, fixed, humanNumber } from "./decimal.ts";
export {
  type EvaluateOptions,
  type EvaluateResult,
  type EvaluationOutput,
  type ExplanationEntry,
  evaluate,
  type InvoiceLineOutput,
  type WireValue,
} from "./evaluate.ts";
export { evaluateDocument } from "./evaluate-document.ts";
export { DecimalField } from "./fields.ts";
export { metricFeeding } from "./plan-graph.ts";
export { nodeCategories, nodeKinds, nodeRegistry } from "./registry.ts";
export type * from "./types.ts";
