import { compile } from "./compile.ts";
import { type EvaluateOptions, type EvaluateResult, evaluate } from "./evaluate.ts";

/** Compile and evaluate in one call: what the CLI, previews and quotes do. */
export function evaluateDocument(
  document: unknown,
  input: unknown,
  options?: EvaluateOptions,
): EvaluateResult {
  const compiled = compile(document);
  if (!compiled.ok) return { ok: false, problems: compiled.problems };
  return evaluate(compiled.plan, input, options);
}
