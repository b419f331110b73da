import { compile } from "../../compile.ts";
import { goldenFileSchema, goldenReport, runGoldenCase } from "../golden-cases.ts";
import { EXIT, type Io, jsonText, readJson, usageError } from "../io.ts";

/** `test PLAN.json CASES.json [--json]`: every golden case; exit 1 with what differs when one fails. */
export function testCommand(io: Io, [planPath, casesPath]: string[], options: { json: boolean }): number {
  const document = readJson(io, planPath);
  const parsed = goldenFileSchema.safeParse(readJson(io, casesPath));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length ? ` at $.${issue.path.join(".")}` : "";
    throw usageError(`${casesPath}${where}: ${issue.message}`);
  }
  const compiled = compile(document);
  if (!compiled.ok) {
    if (options.json) io.stdout(jsonText({ ok: false, problems: compiled.problems, cases: [] }));
    else io.stdout(`FAIL ${planPath} does not compile\n${jsonText(compiled.problems)}`);
    return EXIT.failed;
  }
  const results = parsed.data.cases.map((golden) => runGoldenCase(compiled.plan, golden));
  const ok = results.every((r) => r.ok);
  io.stdout(options.json ? jsonText({ ok, cases: results }) : goldenReport(results));
  return ok ? EXIT.ok : EXIT.failed;
}
