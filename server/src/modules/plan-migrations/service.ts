import { compile } from "@pricegraph/engine";
import type { PlanDocument } from "@pricegraph/shared";
import type { MigrationResult } from "@pricegraph/shared/api";
import { planInvalid, validationFailed } from "../../http/errors.ts";
import { type BillingDeps, compiledPlan } from "../billing/context.ts";
import { requirePlan, requireVersion } from "../plans/service.ts";
import { backtestContracts } from "./backtest.ts";
import { contractsOnPlan } from "./queries.ts";

/**
 * Plan migrations and backtests: what moving contracts to another version of their plan (or to a draft not yet
 * published) would have made of their latest invoiced periods. docs/plan-migrations.md explains the numbers.
 */

async function publishedPlan(
  deps: BillingDeps,
  tenantId: string,
  planId: string,
  version: number,
  path: string,
) {
  const row = await requireVersion(deps.db, tenantId, planId, version, path);
  return compiledPlan(deps.billing, tenantId, planId, version, row.document);
}

/** POST /v1/plans/:id/backtest: a draft document or a published version against every contract of the plan. */
export async function backtestPlan(
  deps: BillingDeps,
  tenantId: string,
  planId: string,
  body: { document?: PlanDocument; version?: number; periods: number },
) {
  await requirePlan(deps.db, tenantId, planId);
  let target: Parameters<typeof backtestContracts>[3];
  if (body.document) {
    const compiled = compile(body.document);
    if (!compiled.ok) throw planInvalid(compiled.problems);
    target = { plan: compiled.plan, version: null };
  } else {
    const version = body.version as number;
    target = { plan: await publishedPlan(deps, tenantId, planId, version, "$.version"), version };
  }
  const contracts = await contractsOnPlan(deps.db, tenantId, planId);
  return backtestContracts(deps, tenantId, planId, target, contracts, body.periods);
}

export interface MigrationInput {
  fromVersion: number;
  toVersion: number;
  effectiveDate: string;
  contractIds?: string[];
  dryRun: boolean;
  periods: number;
}

/** The contracts a migration moves: all on `fromVersion`, or the named ones (each must be on it). */
export async function contractsToMigrate(
  deps: BillingDeps,
  tenantId: string,
  planId: string,
  input: MigrationInput,
) {
  const contracts = await contractsOnPlan(deps.db, tenantId, planId, {
    ids: input.contractIds ? [...new Set(input.contractIds)] : undefined,
  });
  if (input.contractIds) {
    const found = new Map(contracts.map((c) => [c.id, c]));
    const problems = input.contractIds.flatMap((id, index) => {
      const contract = found.get(id);
      if (!contract)
        return [{ path: `$.contractIds[${index}]`, message: `plan ${planId} has no contract ${id}` }];
      if (contract.planVersion !== input.fromVersion)
        return [
          {
            path: `$.contractIds[${index}]`,
            message: `contract ${id} is on version ${contract.planVersion}, not ${input.fromVersion}`,
          },
        ];
      return [];
    });
    if (problems.length) throw validationFailed(problems);
  }
  return contracts.filter((c) => c.planVersion === input.fromVersion);
}

/** POST /v1/plans/:id/migrations with `dryRun: true`: the backtest of moving the contracts to `toVersion`. */
export async function migrationDryRun(
  deps: BillingDeps,
  tenantId: string,
  planId: string,
  input: MigrationInput,
): Promise<MigrationResult> {
  await requirePlan(deps.db, tenantId, planId);
  await requireVersion(deps.db, tenantId, planId, input.fromVersion, "$.fromVersion");
  const plan = await publishedPlan(deps, tenantId, planId, input.toVersion, "$.toVersion");
  const contracts = await contractsToMigrate(deps, tenantId, planId, input);
  const result = await backtestContracts(
    deps,
    tenantId,
    planId,
    { plan, version: input.toVersion },
    contracts,
    input.periods,
  );
  return {
    ...result,
    fromVersion: input.fromVersion,
    toVersion: input.toVersion,
    effectiveDate: input.effectiveDate,
    dryRun: true,
  };
}
