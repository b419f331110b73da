import { compile } from "../../compile.ts";
import { evaluate } from "../../evaluate.ts";
import { EXIT, type Io, jsonText, readJson } from "../io.ts";

/** `validate PLAN.json`: `{ ok, warnings }`, or `{ ok: false, problems, warnings }` and exit 1. */
export function validateCommand(io: Io, [planPath]: string[]): number {
  const result = compile(readJson(io, planPath));
  if (!result.ok) {
    io.stdout(jsonText({ ok: false, problems: result.problems, warnings: result.warnings }));
    return EXIT.failed;
  }
  io.stdout(jsonText({ ok: true, warnings: result.warnings }));
  return EXIT.ok;
}

/** `evaluate PLAN.json INPUT.json`: the evaluation output, or `{ ok: false, problems }` and exit 1. */
export function evaluateCommand(io: Io, [planPath, inputPath]: string[]): number {
  const plan = readJson(io, planPath);
  const input = readJson(io, inputPath);
  const compiled = compile(plan);
  if (!compiled.ok) {
    io.stdout(jsonText({ ok: false, problems: compiled.problems }));
    return EXIT.failed;
  }
  const result = evaluate(compiled.plan, input);
  if (!result.ok) {
    io.stdout(jsonText({ ok: false, problems: result.problems }));
    return EXIT.failed;
  }
  io.stdout(jsonText(result.output));
  return EXIT.ok;
}
