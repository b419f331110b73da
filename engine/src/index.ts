export {
  type CompileCache,
  type CompiledNode,
  type CompiledPlan,
  type CompileResult,
  compile,
  createCompileCache,
} from "./compile.ts";
export { Decimal, decimalText, fixed, humanNumber } from "./decimal.ts";
export {
  type ChangeStatus,
  type DocumentDiff,
  diffDocuments,
  diffNodeLabel,
  diffText,
  diffValueText,
  type EdgeDiff,
  edgeKey,
  type FieldChange,
  fieldChanges,
  hasPricingChanges,
  type NodeDiff,
  type ParamDiff,
} from "./diff.ts";
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
export { type JsonSchema, planDocumentJsonSchema } from "./json-schema.ts";
export { metricFeeding } from "./plan-graph.ts";
export { nodeCategories, nodeKinds, nodeRegistry } from "./registry.ts";
export type * from "./types.ts";
