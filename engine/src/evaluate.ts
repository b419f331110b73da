import { evaluationInputSchema, issuesToPaths, type Problem, type ProblemCode } from "@pricegraph/shared";
import type { CompiledNode, CompiledPlan } from "./compile.ts";
import { Decimal, decimalText, fixed, minOf, ZERO } from "./decimal.ts";
import { materialize } from "./fields.ts";
import {
  type EvaluationContext,
  EvaluationFailure,
  type ExplanationItem,
  type InputValues,
  type OutputValues,
  type Value,
} from "./types.ts";

export interface EvaluateOptions {
  /** Build each line's explanation (default true). The bill needs it; a price sweep does not. */
  explain?: boolean;
  /** Report every port's value for the editor's overlay (default true). */
  values?: boolean;
}

export type WireValue = string | { group: Record<string, string>; value: string }[];

export interface ExplanationEntry {
  nodeId: string;
  type: string;
  label?: string;
  text: string;
  inputs: Record<string, WireValue | WireValue[]>;
  outputs: Record<string, WireValue>;
  items: ExplanationItem[];
}

export interface InvoiceLineOutput {
  nodeId: string;
  description: string;
  product: string | null;
  timing: "arrears" | "advance";
  quantity: string | null;
  amount: string;
  unrounded: string;
  explanation: ExplanationEntry[];
}

export interface EvaluationOutput {
  currency: string;
  lines: InvoiceLineOutput[];
  total: string;
  credits: Record<string, { opening: string; used: string; closing: string }>;
  values: Record<string, WireValue>;
  warnings: Problem[];
}

export type EvaluateResult = { ok: true; output: EvaluationOutput } | { ok: false; problems: Problem[] };

const toWire = (value: Value): WireValue =>
  Array.isArray(value)
    ? value.map((g) => ({ group: g.group, value: decimalText(g.value) }))
    : decimalText(value);

/** Evaluates a compiled plan for one period's usage, parameters, credit balances and proration. */
export function evaluate(
  plan: CompiledPlan,
  rawInput: unknown,
  options: EvaluateOptions = {},
): EvaluateResult {
  const parsed = evaluationInputSchema.safeParse(rawInput ?? {});
  if (!parsed.success) {
    return {
      ok: false,
      problems: issuesToPaths(parsed.error).map((i) => ({
        code: "INVALID_INPUT" as const,
        message: i.message,
        path: i.path,
      })),
    };
  }
  const input = parsed.data;
  const explain = options.explain ?? true;
  const withValues = options.values ?? true;

  const problems: Problem[] = [];
  const params = new Map(plan.paramDefaults);
  for (const [key, value] of Object.entries(input.params)) {
    if (!params.has(key))
      problems.push({
        code: "UNKNOWN_PARAM",
        message: `The plan declares no parameter "${key}"`,
        path: `$.params.${key}`,
      });
    else params.set(key, new Decimal(value));
  }
  if (problems.length) return { ok: false, problems };

  const warnings: Problem[] = [];
  const pools = new Map<string, { opening: Decimal; used: Decimal }>();
  for (const [pool, balance] of Object.entries(input.credits))
    pools.set(pool, { opening: new Decimal(balance), used: ZERO });

  const context = {
    nodeId: "",
    proration: new Decimal(input.proration),
    usage: (metric: string) => input.usage[metric],
    drawCredits(pool: string, wanted: Decimal) {
      let state = pools.get(pool);
      if (!state) {
        warnings.push({
          code: "MISSING_CREDIT_POOL",
          message: `No balance given for credit pool "${pool}"; using 0`,
          nodeId: this.nodeId,
          severity: "warning",
        });
        state = { opening: ZERO, used: ZERO };
        pools.set(pool, state);
      }
      const drawn = minOf(wanted, state.opening.minus(state.used));
      state.used = state.used.plus(drawn);
      return drawn;
    },
    warn(code: ProblemCode, message: string) {
      warnings.push({ code, message, nodeId: this.nodeId, severity: "warning" });
    },
    fail(code: ProblemCode, message: string): never {
      throw new EvaluationFailure({ code, message, nodeId: this.nodeId });
    },
  } satisfies EvaluationContext;

  const values: (Value | undefined)[] = new Array(plan.slotNames.length);
  const seen = explain
    ? new Map<string, { data: unknown; inputs: InputValues; outputs: OutputValues }>()
    : null;
  try {
    for (const step of plan.steps) {
      context.nodeId = step.id;
      const data = step.staticData ?? materialize(step.data, params);
      const inputs: InputValues = {};
      for (const { port, slots } of step.inputs) {
        inputs[port.name] = port.many
          ? slots.map((s) => values[s]!)
          : slots.length
            ? values[slots[0]]
            : undefined;
      }
      const outputs = step.kind.evaluate(data, inputs, context);
      for (const out of step.outputs) values[out.slot] = outputs[out.name];
      seen?.set(step.id, { data, inputs, outputs });
    }
  } catch (error) {
    if (error instanceof EvaluationFailure) return { ok: false, problems: [error.problem] };
    throw error;
  }

  const lines: InvoiceLineOutput[] = [];
  let total = ZERO;
  for (const line of plan.lines) {
    const amount = values[line.inputs[0].slots[0]] as Decimal;
    const quantitySlot = line.inputs[1].slots[0];
    const data = line.staticData as {
      description: string;
      product?: string;
      timing?: "arrears" | "advance";
      hideWhenZero?: boolean;
    };
    const rounded = amount.toDecimalPlaces(plan.minorUnits, Decimal.ROUND_HALF_UP);
    if (data.hideWhenZero && rounded.isZero()) continue;
    total = total.plus(rounded);
    lines.push({
      nodeId: line.id,
      description: data.description,
      product: data.product ?? null,
      timing: data.timing ?? "arrears",
      quantity: quantitySlot === undefined ? null : decimalText(values[quantitySlot] as Decimal),
      amount: fixed(rounded, plan.minorUnits),
      unrounded: unroundedText(amount, plan.minorUnits),
      explanation: seen ? explainLine(plan, line, seen) : [],
    });
  }

  const credits: EvaluationOutput["credits"] = {};
  for (const pool of [...pools.keys()].sort()) {
    const { opening, used } = pools.get(pool)!;
    credits[pool] = {
      opening: decimalText(opening),
      used: decimalText(used),
      closing: decimalText(opening.minus(used)),
    };
  }
  const wireValues: Record<string, WireValue> = {};
  if (withValues) {
    plan.slotNames.forEach((name, slot) => {
      wireValues[name] = toWire(values[slot]!);
    });
  }

  return {
    ok: true,
    output: {
      currency: plan.currency,
      lines,
      total: fixed(total, plan.minorUnits),
      credits,
      values: wireValues,
      warnings,
    },
  };
}

/** Exact, with at least two more decimals than the currency shows ("44.0000" for USD). */
function unroundedText(value: Decimal, minor: number): string {
  const places = Math.max(value.decimalPlaces(), minor + 2);
  return fixed(value, places);
}

/** Every node that contributed to a line, nearest first, with what it saw and produced. */
function explainLine(
  plan: CompiledPlan,
  line: CompiledNode,
  seen: Map<string, { data: unknown; inputs: InputValues; outputs: OutputValues }>,
): ExplanationEntry[] {
  const entries: ExplanationEntry[] = [];
  const visited = new Set<string>([line.id]);
  const queue = [...line.upstream];
  for (const id of queue) visited.add(id);
  while (queue.length) {
    const id = queue.shift()!;
    const node = plan.nodesById.get(id)!;
    const state = seen.get(id)!;
    const { text, items = [] } = node.kind.explain(state.data, state.inputs, state.outputs);
    const inputs: ExplanationEntry["inputs"] = {};
    for (const [port, value] of Object.entries(state.inputs)) {
      if (value === undefined) continue;
      inputs[port] = node.inputs.find((i) => i.port.name === port)?.port.many
        ? (value as Value[]).map(toWire)
        : toWire(value as Value);
    }
    const outputs: ExplanationEntry["outputs"] = {};
    for (const [port, value] of Object.entries(state.outputs)) outputs[port] = toWire(value);
    const label = (node.data as { label?: string }).label;
    entries.push({ nodeId: id, type: node.type, ...(label ? { label } : {}), text, inputs, outputs, items });
    for (const next of node.upstream) {
      if (!visited.has(next)) {
        visited.add(next);
        queue.push(next);
      }
    }
  }
  return entries;
}
