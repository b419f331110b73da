import { type CompiledPlan, compile, type EvaluationOutput, evaluate } from "@pricegraph/engine";
import { type EvaluationInput, PLAN_FORMAT, type PlanDocument, type Problem } from "@pricegraph/shared";
import type {
  ArchivedFilter,
  CreatePlan,
  Plan,
  UpdatePlan,
  PlanVersion as Version,
} from "@pricegraph/shared/api";
import type { Caller, Deps } from "../../context.ts";
import type { Db } from "../../db/index.ts";
import { ApiError, evaluationFailed, notFound, planInvalid } from "../../http/errors.ts";
import { decodeCursor, toPage } from "../../http/pagination.ts";
import { recordActivity } from "../activity/service.ts";
import { metricsByKeys } from "../metrics/queries.ts";
import {
  contractsOnPlan,
  deletePlanWithVersions,
  insertPlan,
  insertVersion,
  listPlans,
  type PlanRow,
  planById,
  updatePlan,
  type VersionRow,
  versionOf,
  versionsOf,
} from "./queries.ts";

export function toPlan(row: PlanRow): Plan {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    draft: row.draft,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    latestVersion: row.latestVersion,
    archivedAt: row.archivedAt?.toISOString() ?? null,
  };
}

export function toVersion(row: VersionRow): Version {
  return {
    planId: row.planId,
    version: row.version,
    document: row.document,
    publishedAt: row.publishedAt.toISOString(),
  };
}

/** A plan as activity records carry it: without the draft document, which autosave rewrites every few seconds. */
function planActivity(
  type:
    | "plan.created"
    | "plan.updated"
    | "plan.draft_saved"
    | "plan.archived"
    | "plan.unarchived"
    | "plan.deleted",
  row: PlanRow,
) {
  const { draft: _draft, ...plan } = toPlan(row);
  return { type, objectId: row.id, object: plan };
}

export function emptyDocument(currency = "USD"): PlanDocument {
  return { format: PLAN_FORMAT, currency, params: [], nodes: [], edges: [] };
}

export async function requirePlan(
  db: Db,
  tenantId: string,
  id: string,
  path = "params.id",
  forUpdate = false,
): Promise<PlanRow> {
  const row = await planById(db, tenantId, id, forUpdate);
  if (!row) throw notFound("Plan", [{ path, message: `no plan ${id}` }]);
  return row;
}

/**
 * An archived plan takes no new subscribers: a new contract, an add-on or a move to another of its versions is
 * refused (409 `PLAN_ARCHIVED` at `path`). Contracts already on it keep billing and renewing on their terms.
 */
export function refuseArchivedPlan(plan: PlanRow, path: string): void {
  if (!plan.archivedAt) return;
  throw new ApiError(409, "PLAN_ARCHIVED", `Plan ${plan.id} is archived and takes no new contracts`, [
    {
      path,
      message: `plan ${plan.id} was archived on ${plan.archivedAt.toISOString()}; unarchive it to sell it again`,
    },
  ]);
}

export async function requireVersion(
  db: Db,
  tenantId: string,
  planId: string,
  version: number,
  path = "params.version",
) {
  const row = await versionOf(db, tenantId, planId, version);
  if (!row) throw notFound("Plan version", [{ path, message: `plan ${planId} has no version ${version}` }]);
  return row;
}

export async function createPlan(deps: Deps, caller: Caller, input: CreatePlan): Promise<Plan> {
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const row = await insertPlan(tx as Db, {
      id: deps.ids("pln"),
      tenantId: caller.tenantId,
      name: input.name,
      description: input.description ?? null,
      draft: input.document ?? emptyDocument(input.currency),
      latestVersion: null,
      createdAt: now,
      updatedAt: now,
      archivedAt: null,
    });
    await recordActivity(deps, tx as Db, caller, planActivity("plan.created", row));
    return toPlan(row);
  });
}

export async function getPlan(deps: Deps, tenantId: string, id: string): Promise<Plan> {
  return toPlan(await requirePlan(deps.db, tenantId, id));
}

export async function patchPlan(deps: Deps, caller: Caller, id: string, input: UpdatePlan): Promise<Plan> {
  const changes: Partial<PlanRow> = { updatedAt: deps.clock() };
  if (input.name !== undefined) changes.name = input.name;
  if (input.description !== undefined) changes.description = input.description;
  return deps.db.transaction(async (tx) => {
    const row = await updatePlan(tx as Db, caller.tenantId, id, changes);
    if (!row) throw notFound("Plan", [{ path: "params.id", message: `no plan ${id}` }]);
    await recordActivity(deps, tx as Db, caller, planActivity("plan.updated", row));
    return toPlan(row);
  });
}

export async function pageOfPlans(
  deps: Deps,
  tenantId: string,
  query: { limit: number; cursor?: string; archived?: ArchivedFilter },
) {
  const after = decodeCursor(query.cursor, 2) as [string, string] | null;
  const rows = await listPlans(deps.db, tenantId, query.limit, after, query.archived);
  return toPage(rows, query.limit, (row) => [row.createdAt.toISOString(), row.id], toPlan);
}

/**
 * Archiving hides a plan from pickers; its versions, contracts and invoices stay as they are, and contracts on
 * it keep billing. Archiving an archived plan (or unarchiving an active one) answers it unchanged.
 */
export async function setPlanArchived(
  deps: Deps,
  caller: Caller,
  id: string,
  archived: boolean,
): Promise<Plan> {
  return deps.db.transaction(async (tx) => {
    const db = tx as Db;
    const plan = await requirePlan(db, caller.tenantId, id, "params.id", true);
    if ((plan.archivedAt !== null) === archived) return toPlan(plan);
    const now = deps.clock();
    const row = await updatePlan(db, caller.tenantId, id, {
      archivedAt: archived ? now : null,
      updatedAt: now,
    });
    if (!row) throw notFound("Plan", [{ path: "params.id", message: `no plan ${id}` }]);
    await recordActivity(deps, db, caller, planActivity(archived ? "plan.archived" : "plan.unarchived", row));
    return toPlan(row);
  });
}

/**
 * Deletes a plan no contract has ever used, with its versions. A plan that contracts refer to (active or ended)
 * keeps its history: 409 PLAN_HAS_CONTRACTS, and archiving is the way to retire it.
 */
export async function deletePlan(deps: Deps, caller: Caller, id: string): Promise<Plan> {
  return deps.db.transaction(async (tx) => {
    const db = tx as Db;
    // The row lock waits for a contract being created on the plan, so the count below sees it.
    const plan = await requirePlan(db, caller.tenantId, id, "params.id", true);
    const used = await contractsOnPlan(db, caller.tenantId, id, deps.clock());
    if (used.all > 0) {
      const message =
        used.active > 0
          ? `Plan "${plan.name}" has ${used.active} active contract(s); archive it instead of deleting it`
          : `Plan "${plan.name}" was used by ${used.all} contract(s) whose invoices refer to it; archive it instead`;
      throw new ApiError(409, "PLAN_HAS_CONTRACTS", message, [
        { path: "params.id", message: `${used.all} contract(s), ${used.active} active`, ...used },
      ]);
    }
    await deletePlanWithVersions(db, caller.tenantId, id);
    await recordActivity(deps, db, caller, planActivity("plan.deleted", plan));
    return toPlan(plan);
  });
}

/** The compiler's problems and warnings for a document (informational for drafts). */
export function documentProblems(document: PlanDocument): Problem[] {
  const result = compile(document);
  return result.ok ? result.warnings : [...result.problems, ...result.warnings];
}

/** Drafts may not compile yet: any document passing the envelope schema is saved. */
export async function saveDraft(deps: Deps, caller: Caller, id: string, document: PlanDocument) {
  const row = await deps.db.transaction(async (tx) => {
    const row = await updatePlan(tx as Db, caller.tenantId, id, { draft: document, updatedAt: deps.clock() });
    if (!row) throw notFound("Plan", [{ path: "params.id", message: `no plan ${id}` }]);
    await recordActivity(deps, tx as Db, caller, planActivity("plan.draft_saved", row));
    return row;
  });
  return { plan: toPlan(row), problems: documentProblems(document) };
}

/**
 * Usage nodes naming a metric the tenant has not defined: such a plan would bill 0 for them without a word, so
 * publishing refuses it, naming each node. Drafts may still name metrics to be defined later.
 */
async function unknownMetricProblems(db: Db, tenantId: string, document: PlanDocument): Promise<Problem[]> {
  const usageNodes = document.nodes.filter((node) => node.type === "usage");
  const keys = usageNodes.map((node) => String((node.data as { metric?: unknown }).metric ?? ""));
  const defined = new Set((await metricsByKeys(db, tenantId, [...new Set(keys)])).map((m) => m.key));
  return usageNodes.flatMap((node, i) =>
    defined.has(keys[i])
      ? []
      : [
          {
            code: "UNKNOWN_METRIC" as const,
            nodeId: node.id,
            path: "$.metric",
            // Shown after the field's name in the editor: `Metric "x" is not defined: …`.
            message: `"${keys[i]}" is not defined: create it on the Metrics page (POST /v1/metrics) or pick another`,
          },
        ],
  );
}

/** Compile the draft and store it as the next immutable version; refuses with every problem. */
export async function publish(deps: Deps, caller: Caller, id: string): Promise<Version> {
  const { tenantId } = caller;
  return deps.db.transaction(async (tx) => {
    const db = tx as Db;
    // The row lock serialises concurrent publishes of one plan so version numbers stay dense.
    const plan = await requirePlan(db, tenantId, id, "params.id", true);
    const compiled = compile(plan.draft);
    if (!compiled.ok) throw planInvalid(compiled.problems);
    const unknown = await unknownMetricProblems(db, tenantId, plan.draft);
    if (unknown.length) throw planInvalid(unknown);
    const version = (plan.latestVersion ?? 0) + 1;
    const now = deps.clock();
    const row = await insertVersion(db, {
      planId: id,
      version,
      tenantId,
      document: plan.draft,
      publishedAt: now,
    });
    await updatePlan(db, tenantId, id, { latestVersion: version });
    const published = toVersion(row);
    await recordActivity(deps, db, caller, {
      type: "plan_version.published",
      objectId: `${id}@${version}`,
      object: published,
    });
    return published;
  });
}

export async function listVersions(deps: Deps, tenantId: string, id: string): Promise<{ data: Version[] }> {
  await requirePlan(deps.db, tenantId, id);
  return { data: (await versionsOf(deps.db, tenantId, id)).map(toVersion) };
}

export async function getVersion(
  deps: Deps,
  tenantId: string,
  id: string,
  version: number,
): Promise<Version> {
  await requirePlan(deps.db, tenantId, id);
  return toVersion(await requireVersion(deps.db, tenantId, id, version));
}

/** Compile and evaluate; compile problems → 422 PLAN_INVALID, evaluation problems → 422 EVALUATION_FAILED. */
export function evaluateOrThrow(
  document: PlanDocument,
  input: EvaluationInput,
  options: { explain?: boolean; values?: boolean } = {},
): EvaluationOutput {
  return evaluateCompiled(compileOrThrow(document), input, options);
}

export function compileOrThrow(document: PlanDocument): CompiledPlan {
  const compiled = compile(document);
  if (!compiled.ok) throw planInvalid(compiled.problems);
  return compiled.plan;
}

export function evaluateCompiled(
  plan: CompiledPlan,
  input: EvaluationInput,
  options: { explain?: boolean; values?: boolean } = {},
): EvaluationOutput {
  const result = evaluate(plan, input, options);
  if (!result.ok) throw evaluationFailed(result.problems);
  return result.output;
}

export async function preview(
  deps: Deps,
  tenantId: string,
  id: string,
  body: { version?: number; input: EvaluationInput },
): Promise<EvaluationOutput> {
  const plan = await requirePlan(deps.db, tenantId, id);
  const document =
    body.version === undefined
      ? plan.draft
      : (await requireVersion(deps.db, tenantId, id, body.version, "$.version")).document;
  return evaluateOrThrow(document, body.input, { explain: true, values: true });
}
