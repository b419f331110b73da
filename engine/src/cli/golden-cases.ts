import { decimalString, evaluationInputSchema } from "@pricegraph/shared";
import { z } from "zod";
import type { CompiledPlan } from "../compile.ts";
import { Decimal } from "../decimal.ts";
import { type EvaluationOutput, evaluate, type InvoiceLineOutput } from "../evaluate.ts";

// Golden cases: inputs with the invoice they must produce. `pricegraph test` runs them against a plan file so
// a changed price fails CI with a readable list of what differs.

const expectedLine = z
  .object({
    nodeId: z.string().optional(),
    description: z.string().optional(),
    product: z.string().nullable().optional(),
    timing: z.enum(["arrears", "advance"]).optional(),
    quantity: decimalString.nullable().optional(),
    amount: decimalString.optional(),
    unrounded: decimalString.optional(),
  })
  .strict();

const expectedCredit = z
  .object({
    opening: decimalString.optional(),
    used: decimalString.optional(),
    closing: decimalString.optional(),
  })
  .strict();

export const goldenCaseSchema = z
  .object({
    name: z.string().min(1),
    input: evaluationInputSchema.optional(),
    expect: z
      .object({
        total: decimalString.optional(),
        /** Every line, in invoice order; each names only the fields it checks. */
        lines: z.array(expectedLine).optional(),
        credits: z.record(z.string(), expectedCredit).optional(),
        /** Problem codes the evaluation must fail with, instead of an invoice. */
        problems: z.array(z.string()).optional(),
      })
      .strict(),
  })
  .strict();
export type GoldenCase = z.infer<typeof goldenCaseSchema>;

export const goldenFileSchema = z.object({ cases: z.array(goldenCaseSchema).min(1) }).strict();

export interface Mismatch {
  /** Where in the output, e.g. `total` or `lines[2].amount`. */
  path: string;
  expected: unknown;
  actual: unknown;
  /** The invoice line's description, for a person reading the report. */
  line?: string;
}

export interface CaseResult {
  name: string;
  ok: boolean;
  mismatches: Mismatch[];
}

const decimalFields = new Set(["quantity", "amount", "unrounded", "total", "opening", "used", "closing"]);

/** Decimals compare by value ("99" matches "99.00"); everything else as JSON. */
function same(field: string, expected: unknown, actual: unknown): boolean {
  if (decimalFields.has(field) && typeof expected === "string" && typeof actual === "string") {
    return new Decimal(expected).equals(new Decimal(actual));
  }
  return JSON.stringify(expected) === JSON.stringify(actual);
}

function compareFields(path: string, expected: object, actual: object | undefined, out: Mismatch[]) {
  for (const [field, value] of Object.entries(expected)) {
    if (value === undefined) continue;
    const got = actual ? (actual as Record<string, unknown>)[field] : undefined;
    if (!same(field, value, got)) out.push({ path: `${path}.${field}`, expected: value, actual: got });
  }
}

function compareLines(expected: GoldenCase["expect"]["lines"], lines: InvoiceLineOutput[], out: Mismatch[]) {
  if (!expected) return;
  for (let i = 0; i < Math.max(expected.length, lines.length); i++) {
    const want = expected[i];
    const got = lines[i];
    if (!want) out.push({ path: `lines[${i}]`, expected: undefined, actual: got });
    else if (!got) out.push({ path: `lines[${i}]`, expected: want, actual: undefined });
    else {
      const before = out.length;
      compareFields(`lines[${i}]`, want, got, out);
      for (const m of out.slice(before)) m.line = got.description;
    }
  }
}

function compareOutput(expect: GoldenCase["expect"], output: EvaluationOutput): Mismatch[] {
  const out: Mismatch[] = [];
  if (expect.problems) out.push({ path: "problems", expected: expect.problems, actual: [] });
  if (expect.total !== undefined && !same("total", expect.total, output.total)) {
    out.push({ path: "total", expected: expect.total, actual: output.total });
  }
  compareLines(expect.lines, output.lines, out);
  for (const [pool, credit] of Object.entries(expect.credits ?? {})) {
    compareFields(`credits.${pool}`, credit, output.credits[pool], out);
  }
  return out;
}

/** Evaluates one case and lists every difference from what it expects. */
export function runGoldenCase(plan: CompiledPlan, golden: GoldenCase): CaseResult {
  const result = evaluate(plan, golden.input ?? {}, { explain: false, values: false });
  let mismatches: Mismatch[];
  if (result.ok) mismatches = compareOutput(golden.expect, result.output);
  else {
    const codes = result.problems.map((p) => p.code);
    const expected = golden.expect.problems;
    mismatches =
      expected && JSON.stringify([...expected].sort()) === JSON.stringify([...codes].sort())
        ? []
        : [
            {
              path: "problems",
              expected: expected ?? [],
              actual: result.problems.map((p) => `${p.code}: ${p.message}`),
            },
          ];
  }
  return { name: golden.name, ok: mismatches.length === 0, mismatches };
}

const show = (value: unknown) =>
  value === undefined ? "(nothing)" : typeof value === "string" ? value : JSON.stringify(value);

/** The results as a person reads them in a CI log. */
export function goldenReport(results: CaseResult[]): string {
  const out: string[] = [];
  for (const result of results) {
    out.push(`${result.ok ? "ok  " : "FAIL"} ${result.name}`);
    for (const m of result.mismatches) {
      const line = m.line ? ` (${m.line})` : "";
      out.push(`       ${m.path}${line}: expected ${show(m.expected)}, got ${show(m.actual)}`);
    }
  }
  const failed = results.filter((r) => !r.ok).length;
  out.push(
    failed
      ? `${failed} of ${results.length} cases failed`
      : `${results.length} ${results.length === 1 ? "case" : "cases"} passed`,
  );
  return `${out.join("\n")}\n`;
}
