import {
  type CompileCache,
  type CompileResult,
  compile,
  type EvaluateResult,
  evaluate,
  type InvoiceLineOutput,
  type WireValue,
} from "@pricegraph/engine";
import {
  DECIMAL_PATTERN,
  type EvaluationInput,
  type PlanDocumentInput,
  type Problem,
} from "@pricegraph/shared";

export interface GroupRow {
  group: Record<string, string>;
  value: string;
}

/** The sample period the preview bills: usage per metric, parameter values, credit balances. */
export interface PreviewSample {
  usage: Record<string, string | GroupRow[]>;
  params: Record<string, string>;
  credits: Record<string, string>;
}

export interface MetricInput {
  key: string;
  groupBy?: string[];
}

export interface PreviewResult {
  compiled: CompileResult;
  evaluation: EvaluateResult | null;
  /** Compile and evaluation problems by node, for red outlines and the inspector. */
  problemsByNode: Map<string, Problem[]>;
  problems: Problem[];
  values: Record<string, WireValue>;
  metrics: MetricInput[];
  creditPools: string[];
  /** What the plan was evaluated with: an explanation asked for later is computed from it. */
  input?: EvaluationInput;
  ms: number;
}

export const emptySample = (): PreviewSample => ({ usage: {}, params: {}, credits: {} });

const isDecimal = (value: string | undefined): value is string =>
  value !== undefined && DECIMAL_PATTERN.test(value);

/** Metrics and credit pools read from the nodes, so the sample form exists even while the plan is broken. */
export function planInputs(document: PlanDocumentInput): { metrics: MetricInput[]; creditPools: string[] } {
  const metrics = new Map<string, MetricInput>();
  const pools = new Set<string>();
  for (const node of document.nodes) {
    const data = node.data as Record<string, unknown>;
    if (node.type === "usage" && typeof data.metric === "string" && data.metric) {
      const groupBy = Array.isArray(data.groupBy) ? (data.groupBy as string[]) : undefined;
      metrics.set(data.metric, groupBy?.length ? { key: data.metric, groupBy } : { key: data.metric });
    }
    if (node.type === "credits" && typeof data.grant === "string" && data.grant) pools.add(data.grant);
  }
  return {
    metrics: [...metrics.values()].sort((a, b) => (a.key < b.key ? -1 : 1)),
    creditPools: [...pools].sort(),
  };
}

/** The engine's input for a sample: missing usage counts as 0, unparsable fields fall back to defaults. */
export function sampleInput(document: PlanDocumentInput, sample: PreviewSample): EvaluationInput {
  const { metrics, creditPools } = planInputs(document);
  const usage: NonNullable<EvaluationInput["usage"]> = {};
  for (const metric of metrics) {
    const value = sample.usage[metric.key];
    if (metric.groupBy) {
      usage[metric.key] = Array.isArray(value) ? value.filter((row) => isDecimal(row.value)) : [];
    } else {
      usage[metric.key] = typeof value === "string" && isDecimal(value) ? value : "0";
    }
  }
  const params: Record<string, string> = {};
  for (const param of document.params ?? []) {
    const value = sample.params[param.key];
    if (isDecimal(value)) params[param.key] = value;
  }
  const credits: Record<string, string> = {};
  for (const pool of creditPools)
    credits[pool] = isDecimal(sample.credits[pool]) ? sample.credits[pool] : "0";
  return { usage, params, credits };
}

/**
 * Compiles and evaluates the document for the sample, in the browser, with the engine the bill uses. The
 * editor passes a compile cache: its node data objects are replaced on change, never edited in place.
 */
export function runPreview(
  document: PlanDocumentInput,
  sample: PreviewSample,
  cache?: CompileCache,
  /** The document's compile result, when only the sample changed since it was compiled. */
  compiledBefore?: CompileResult,
): PreviewResult {
  const started = performance.now();
  const compiled = compiledBefore ?? compile(document, { cache });
  const { metrics, creditPools } = planInputs(document);
  let evaluation: EvaluateResult | null = null;
  const problems: Problem[] = [...compiled.problems];
  const input = sampleInput(document, sample);
  if (compiled.ok) {
    // Lines are explained only when one is opened (explanationOf): on a large plan building every line's
    // explanation cost as much as the rest of the evaluation, on every keystroke.
    evaluation = evaluate(compiled.plan, input, { explain: false });
    if (!evaluation.ok) problems.push(...evaluation.problems);
  }
  const problemsByNode = new Map<string, Problem[]>();
  for (const problem of problems) {
    for (const id of problem.nodeIds ?? (problem.nodeId ? [problem.nodeId] : [])) {
      problemsByNode.set(id, [...(problemsByNode.get(id) ?? []), problem]);
    }
  }
  return {
    compiled,
    evaluation,
    problemsByNode,
    problems,
    values: evaluation?.ok ? evaluation.output.values : {},
    metrics,
    creditPools,
    input,
    ms: performance.now() - started,
  };
}

/** A line's explanation: the one the evaluation carries, else evaluated again with explanations on. */
export function explanationOf(
  preview: PreviewResult,
  line: InvoiceLineOutput,
): InvoiceLineOutput["explanation"] {
  if (line.explanation.length > 0 || !preview.compiled.ok || !preview.input) return line.explanation;
  const explained = evaluate(preview.compiled.plan, preview.input, { explain: true, values: false });
  if (!explained.ok) return [];
  return explained.output.lines.find((l) => l.nodeId === line.nodeId)?.explanation ?? [];
}
