import { DECIMAL_PATTERN, type EvaluationInput, evaluationInputSchema, jsonPath } from "@pricegraph/shared";
import { compile } from "../../compile.ts";
import { priceCurve, sweepValues } from "../../curve.ts";
import { EXIT, type Io, jsonText, readJson, usageError } from "../io.ts";

export interface CurveOptions {
  metric?: string;
  from: string;
  to?: string;
  steps: string;
  input?: string;
}

export const MAX_CURVE_STEPS = 10_000;

function decimalOption(name: string, value: string | undefined): string {
  if (value === undefined) throw usageError(`curve needs --${name}`);
  if (!DECIMAL_PATTERN.test(value)) throw usageError(`--${name} must be a decimal, got "${value}"`);
  return value;
}

function readInput(io: Io, path: string): EvaluationInput {
  const parsed = evaluationInputSchema.safeParse(readJson(io, path));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw usageError(`${path} is not an evaluation input at ${jsonPath(issue.path)}: ${issue.message}`);
}

/**
 * `curve PLAN.json --metric M --from A --to B --steps N [--input INPUT.json]`: CSV of the total at each
 * usage value, `steps + 1` rows. Other usage comes from `--input` (absent usage counts as 0).
 */
export function curveCommand(io: Io, [planPath]: string[], options: CurveOptions): number {
  const metric = options.metric;
  if (!metric) throw usageError("curve needs --metric");
  const from = decimalOption("from", options.from);
  const to = decimalOption("to", options.to);
  const steps = Number(options.steps);
  if (!Number.isInteger(steps) || steps < 1 || steps > MAX_CURVE_STEPS) {
    throw usageError(`--steps must be a whole number from 1 to ${MAX_CURVE_STEPS}, got "${options.steps}"`);
  }
  const document = readJson(io, planPath);
  const input = options.input ? readInput(io, options.input) : {};
  const compiled = compile(document);
  if (!compiled.ok) {
    io.stderr(`${planPath} does not compile:\n${jsonText(compiled.problems)}`);
    return EXIT.failed;
  }
  const usage = compiled.plan.metrics.find((m) => m.key === metric);
  if (!usage) {
    const known = compiled.plan.metrics.map((m) => m.key).join(", ") || "none";
    throw usageError(`the plan has no usage of metric "${metric}" (its metrics: ${known})`);
  }
  if (usage.groupBy?.length) throw usageError(`metric "${metric}" is grouped; a curve needs a single number`);
  const result = priceCurve(compiled.plan, input, metric, sweepValues(from, to, steps));
  if (!result.ok) {
    io.stderr(`evaluation failed at ${metric} = ${result.usage}:\n${jsonText(result.problems)}`);
    return EXIT.failed;
  }
  io.stdout(`${[`${metric},total`, ...result.points.map((p) => `${p.usage},${p.total}`)].join("\n")}\n`);
  return EXIT.ok;
}
