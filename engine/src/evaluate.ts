import {
  evaluationInputSchema,
  issuesToPaths,
  jsonPath,
  type ParsedEvaluationInput,
  type Problem,
  type ProblemCode,
} from "@pricegraph/shared";
import type { CompiledNode, CompiledPlan } from "./compile.ts";
import { Decimal, decimalText, maxOf, minOf, ONE, padded, ZERO } from "./decimal.ts";
import { materialize } from "./fields.ts";
import { tierOrderProblems } from "./nodes/tiers.ts";
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
  /**
   * Node types whose explanation is returned in `output.nodes`, one entry per node of the type, whether or not it
   * feeds a line (a usage report reads its freeUnits nodes' allowance, used and remaining there).
   */
  explainTypes?: readonly string[];
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
  /** The explanation of every node of the types asked for in `explainTypes`, in evaluation order. */
  nodes?: ExplanationEntry[];
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
  // Input already in wire form (decimal strings only) skips the schema; anything else — JSON numbers to
  // convert, or something invalid that needs a problem with its path — goes through it.
  let input = wireInput(rawInput);
  if (!input) {
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
    input = parsed.data;
  }
  const explainTypes = options.explainTypes ?? [];
  const explain = (options.explain ?? true) || explainTypes.length > 0;
  const withValues = options.values ?? true;

  const problems: Problem[] = [];
  for (const key of Object.keys(input.params)) {
    if (!plan.paramDefaults.has(key))
      problems.push({
        code: "UNKNOWN_PARAM",
        message: `The plan declares no parameter "${key}"`,
        path: `$.params.${key}`,
      });
  }
  if (problems.length) return { ok: false, problems };
  const materialized = materializedSteps(plan, input.params);
  if (!Array.isArray(materialized)) return { ok: false, problems: [materialized] };
  const stepData = materialized;

  const context = new RunContext(input);
  const { warnings, pools } = context;

  const values: (Value | undefined)[] = new Array(plan.slotNames.length);
  const seen = explain
    ? new Map<string, { data: unknown; inputs: InputValues; outputs: OutputValues }>()
    : null;
  try {
    for (let index = 0; index < plan.steps.length; index++) {
      const step = plan.steps[index];
      context.nodeId = step.id;
      const data = stepData[index];
      const inputs: InputValues = {};
      for (let i = 0; i < step.inputs.length; i++) {
        const { port, slots } = step.inputs[i];
        if (port.many) {
          const list: Value[] = new Array(slots.length);
          for (let k = 0; k < slots.length; k++) list[k] = values[slots[k]]!;
          inputs[port.name] = list;
        } else inputs[port.name] = slots.length ? values[slots[0]] : undefined;
      }
      const outputs = step.kind.evaluate(data, inputs, context);
      for (let i = 0; i < step.outputs.length; i++) {
        const out = step.outputs[i];
        values[out.slot] = outputs[out.name];
      }
      seen?.set(step.id, { data, inputs, outputs });
    }
  } catch (error) {
    if (error instanceof EvaluationFailure) return { ok: false, problems: [error.problem] };
    throw error;
  }

  const lines: InvoiceLineOutput[] = [];
  /** One entry per node, shared by every line the node contributed to. */
  const entries = seen ? new Map<string, ExplanationEntry>() : null;
  // Each slot's wire text is made once, whether the values overlay, an explanation or both need it.
  const wire = seen || withValues ? wireCache(values) : null;
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
      amount: padded(rounded, plan.minorUnits),
      unrounded: unroundedText(amount, plan.minorUnits),
      explanation:
        seen && entries && wire && options.explain !== false
          ? explainLine(plan, line, seen, entries, wire)
          : [],
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
      wireValues[name] = wire!(slot);
    });
  }

  const output: EvaluationOutput = {
    currency: plan.currency,
    lines,
    total: padded(total, plan.minorUnits),
    credits,
    values: wireValues,
    warnings,
  };
  if (explainTypes.length && seen && entries && wire) {
    output.nodes = plan.steps
      .filter((step) => explainTypes.includes(step.type))
      .map((step) => entries.get(step.id) ?? explainNode(step, seen.get(step.id)!, wire));
  }
  return { ok: true, output };
}

/** What nodes see of one evaluation besides their inputs: usage, proration, credit pools, warnings. */
class RunContext implements EvaluationContext {
  nodeId = "";
  readonly proration: Decimal;
  readonly warnings: Problem[] = [];
  readonly pools = new Map<string, { opening: Decimal; used: Decimal }>();

  constructor(private readonly input: ParsedEvaluationInput) {
    this.proration = input.proration === "1" ? ONE : new Decimal(input.proration);
    for (const pool of Object.keys(input.credits))
      this.pools.set(pool, { opening: new Decimal(input.credits[pool]), used: ZERO });
  }

  usage(metric: string) {
    return this.input.usage[metric];
  }

  drawCredits(pool: string, wanted: Decimal): Decimal {
    let state = this.pools.get(pool);
    if (!state) {
      this.warn("MISSING_CREDIT_POOL", `No balance given for credit pool "${pool}"; using 0`);
      state = { opening: ZERO, used: ZERO };
      this.pools.set(pool, state);
    }
    // A negative balance (a debt) is never drawn into: it would turn a credit into a charge.
    const drawn = minOf(wanted, maxOf(ZERO, state.opening.minus(state.used)));
    state.used = state.used.plus(drawn);
    return drawn;
  }

  warn(code: ProblemCode, message: string) {
    this.warnings.push({ code, message, nodeId: this.nodeId, severity: "warning" });
  }

  fail(code: ProblemCode, message: string): never {
    throw new EvaluationFailure({ code, message, nodeId: this.nodeId });
  }
}

function wireCache(values: (Value | undefined)[]): (slot: number) => WireValue {
  const texts: (WireValue | undefined)[] = new Array(values.length);
  return (slot) => {
    let text = texts[slot];
    if (text === undefined) {
      text = toWire(values[slot]!);
      texts[slot] = text;
    }
    return text;
  };
}

/** Exact, with at least two more decimals than the currency shows ("44.0000" for USD). */
function unroundedText(value: Decimal, minor: number): string {
  return padded(value, Math.max(value.decimalPlaces(), minor + 2));
}

/** Every node that contributed to a line, nearest first, with what it saw and produced. */
function explainLine(
  plan: CompiledPlan,
  line: CompiledNode,
  seen: Map<string, { data: unknown; inputs: InputValues; outputs: OutputValues }>,
  entries: Map<string, ExplanationEntry>,
  wire: (slot: number) => WireValue,
): ExplanationEntry[] {
  return contributors(plan, line).map((id) => {
    let entry = entries.get(id);
    if (!entry) {
      entry = explainNode(plan.nodesById.get(id)!, seen.get(id)!, wire);
      entries.set(id, entry);
    }
    return entry;
  });
}

function explainNode(
  node: CompiledNode,
  state: { data: unknown; inputs: InputValues; outputs: OutputValues },
  wire: (slot: number) => WireValue,
): ExplanationEntry {
  const { text, items = [] } = node.kind.explain(state.data, state.inputs, state.outputs);
  const inputs: ExplanationEntry["inputs"] = {};
  for (const { port, slots } of node.inputs) {
    if (slots.length === 0 && !port.many) continue;
    inputs[port.name] = port.many ? slots.map(wire) : wire(slots[0]);
  }
  const outputs: ExplanationEntry["outputs"] = {};
  for (const { name, slot } of node.outputs) outputs[name] = wire(slot);
  const label = (node.data as { label?: string }).label;
  return label
    ? { nodeId: node.id, type: node.type, label, text, inputs, outputs, items }
    : { nodeId: node.id, type: node.type, text, inputs, outputs, items };
}

const contributorCache = new WeakMap<CompiledNode, string[]>();

/** The nodes upstream of a line, breadth first (what priced its amount first); fixed per plan, so cached. */
function contributors(plan: CompiledPlan, line: CompiledNode): string[] {
  const cached = contributorCache.get(line);
  if (cached) return cached;
  const visited = new Set<string>([line.id, ...line.upstream]);
  const order = [...line.upstream];
  for (let i = 0; i < order.length; i++) {
    for (const next of plan.nodesById.get(order[i])!.upstream) {
      if (!visited.has(next)) {
        visited.add(next);
        order.push(next);
      }
    }
  }
  contributorCache.set(line, order);
  return order;
}

const materializedCache = new WeakMap<CompiledPlan, Map<string, unknown[]>>();

/**
 * Every step's data with parameters substituted, for one set of overrides. Contracts reuse a few override
 * sets, so the result is cached per plan (bounded); Decimals are immutable and nodes never change data.
 */
function materializedSteps(plan: CompiledPlan, overrides: Record<string, string>): unknown[] | Problem {
  const keys = Object.keys(overrides);
  // Keys are identifiers and values decimals (both checked by now), so "k=v;" cannot be ambiguous.
  let key = "";
  if (keys.length > 1) keys.sort();
  for (const k of keys) key += `${k}=${overrides[k]};`;
  let perPlan = materializedCache.get(plan);
  if (!perPlan) {
    perPlan = new Map();
    materializedCache.set(plan, perPlan);
  }
  let data = perPlan.get(key);
  if (!data) {
    const params = new Map(plan.paramDefaults);
    for (const k of keys) params.set(k, new Decimal(overrides[k]));
    data = plan.steps.map((step) => step.staticData ?? materialize(step.data, params));
    // Overridden tier bounds must still ascend (compile checked the defaults).
    for (let i = 0; i < data.length; i++) {
      if (plan.steps[i].staticData !== null) continue;
      const [problem] = tierOrderProblems(data[i]);
      if (problem) {
        return {
          code: "TIERS_OUT_OF_ORDER",
          message: `${problem.message} (with the contract's parameters)`,
          nodeId: plan.steps[i].id,
          path: jsonPath(problem.path),
        };
      }
    }
    if (perPlan.size >= 64) perPlan.clear();
    perPlan.set(key, data);
  }
  return data;
}

const INPUT_KEYS = new Set(["usage", "params", "credits", "proration"]);
/** DECIMAL_PATTERN (-?digits[.digits]) by hand: it runs for every number of every input. */
function isDecimalText(value: unknown): value is string {
  if (typeof value !== "string") return false;
  let i = value.charCodeAt(0) === 45 ? 1 : 0;
  const start = i;
  while (i < value.length && isDigit(value.charCodeAt(i))) i++;
  if (i === start) return false;
  if (i === value.length) return true;
  if (value.charCodeAt(i) !== 46) return false;
  const fraction = ++i;
  while (i < value.length && isDigit(value.charCodeAt(i))) i++;
  return i === value.length && i > fraction;
}
const isDigit = (code: number) => code >= 48 && code <= 57;
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function isRecordOf(value: unknown, check: (item: unknown) => boolean): boolean {
  if (!isPlainObject(value)) return false;
  for (const key of Object.keys(value)) if (!check(value[key])) return false;
  return true;
}

function isGroupRow(row: unknown): boolean {
  if (!isPlainObject(row)) return false;
  for (const key of Object.keys(row)) if (key !== "group" && key !== "value") return false;
  return isRecordOf(row.group, (v) => typeof v === "string") && isDecimalText(row.value);
}

const isUsageValue = (value: unknown) =>
  isDecimalText(value) || (Array.isArray(value) && value.every(isGroupRow));

/** The input as-is when it is exactly what the schema would produce, else null (the schema decides). */
function wireInput(raw: unknown): ParsedEvaluationInput | null {
  if (raw === undefined || raw === null) return { usage: {}, params: {}, credits: {}, proration: "1" };
  if (!isPlainObject(raw)) return null;
  for (const key of Object.keys(raw)) if (!INPUT_KEYS.has(key)) return null;
  const { usage = {}, params = {}, credits = {}, proration = "1" } = raw;
  if (!isRecordOf(usage, isUsageValue) || !isRecordOf(params, isDecimalText)) return null;
  if (!isRecordOf(credits, isDecimalText) || !isDecimalText(proration)) return null;
  return { usage, params, credits, proration } as ParsedEvaluationInput;
}
