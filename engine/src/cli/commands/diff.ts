import { type PlanDocumentInput, planDocumentSchema } from "@pricegraph/shared";
import { diffDocuments, diffText, hasPricingChanges } from "../../diff.ts";
import { EXIT, type Io, jsonText, readJson, usageError } from "../io.ts";

/** A plan file as written (the web diffs documents as stored), once its envelope is known to be sound. */
function readDocument(io: Io, path: string): PlanDocumentInput {
  const document = readJson(io, path);
  const parsed = planDocumentSchema.safeParse(document);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length ? ` at $.${issue.path.join(".")}` : "";
    throw usageError(`${path} is not a pricegraph/v1 document${where}: ${issue.message}`);
  }
  return document as PlanDocumentInput;
}

/**
 * `diff A.json B.json [--json] [--exit-code]`: the change list of the web's version comparison. Exits 0 like
 * `git diff`; with `--exit-code`, 1 when the plans price differently.
 */
export function diffCommand(
  io: Io,
  [fromPath, toPath]: string[],
  options: { json: boolean; exitCode: boolean },
) {
  const diff = diffDocuments(readDocument(io, fromPath), readDocument(io, toPath));
  io.stdout(options.json ? jsonText(diff) : diffText(diff));
  return options.exitCode && hasPricingChanges(diff) ? EXIT.failed : EXIT.ok;
}
