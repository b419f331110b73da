import { compile } from "@pricegraph/engine";
import { formatLocalDate, localDateOf, type PlanDocument, phaseOn } from "@pricegraph/shared";
import type { MigrationResult } from "@pricegraph/shared/api";
import type { Caller } from "../../context.ts";
import type { Db } from "../../db/index.ts";
import { ApiError, planInvalid, validationFailed } from "../../http/errors.ts";
import { type BillingDeps, compiledPlan } from "../billing/context.ts";
import { amendContract } from "../contracts/amendments.ts";
import { phasesOf } from "../contracts/queries.ts";
import { lockContractsWithDrafts } from "../invoices/contract-locks.ts";
import { requirePlan, requireVersion } from "../plans/service.ts";
import { type BacktestTarget, backtestContracts } from "./backtest.ts";
import { contractsOnPlan, type PlanContractRow } from "./queries.ts";
import { overridesFor } from "./reprice.ts";

/**
 * Plan migrations and backtests: what moving contracts to another version of their plan (or to a draft not yet
 * published) would have made of their latest invoiced periods, and the move itself — an amendment of each
 * contract, made by the contracts module. docs/plan-migrations.md explains the numbers.
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

/**
 * The plan's contracts as the phase in effect on `date` has them (amendments move a contract to other versions and
 * overrides): that phase's version and overrides. `date` is a local date, or an instant read as each contract's
 * local date in its customer's time zone (phases start at local midnights).
 */
async function contractsOn(
  deps: BillingDeps,
  tenantId: string,
  planId: string,
  date: string | Date,
  ids?: readonly string[],
): Promise<PlanContractRow[]> {
  const rows = await contractsOnPlan(deps.db, tenantId, planId, { ids });
  const amendments = await phasesOf(
    deps.db,
    tenantId,
    rows.map((r) => r.id),
  );
  if (amendments.length === 0) return rows;
  return rows.map((row) => {
    const phases = [
      { effectiveDate: row.startDate, planVersion: row.planVersion, paramOverrides: row.paramOverrides },
      ...amendments.filter((a) => a.contractId === row.id),
    ];
    const day = typeof date === "string" ? date : formatLocalDate(localDateOf(date, row.timezone));
    const phase = phaseOn(phases, day);
    return { ...row, planVersion: phase.planVersion, paramOverrides: phase.paramOverrides };
  });
}

/** POST /v1/plans/:id/backtest: a draft document or a published version against every contract of the plan. */
export async function backtestPlan(
  deps: BillingDeps,
  tenantId: string,
  planId: string,
  body: { document?: PlanDocument; version?: number; periods: number },
) {
  await requirePlan(deps.db, tenantId, planId);
  let target: BacktestTarget;
  if (body.document) {
    const compiled = compile(body.document);
    if (!compiled.ok) throw planInvalid(compiled.problems);
    target = { plan: compiled.plan, version: null };
  } else {
    const version = body.version as number;
    target = { plan: await publishedPlan(deps, tenantId, planId, version, "$.version"), version };
  }
  // Each contract on the phase in effect today in its customer's time zone.
  const contracts = await contractsOn(deps, tenantId, planId, deps.clock());
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

/** The contracts a migration moves: all on `fromVersion` on the effective date, or the named ones (each must be). */
async function contractsToMigrate(
  deps: BillingDeps,
  tenantId: string,
  planId: string,
  input: MigrationInput,
) {
  const ids = input.contractIds ? [...new Set(input.contractIds)] : undefined;
  const contracts = await contractsOn(deps, tenantId, planId, input.effectiveDate, ids);
  if (input.contractIds) {
    const found = new Map(contracts.map((c) => [c.id, c]));
    const problems = input.contractIds.flatMap((id, index) => {
      const path = `$.contractIds[${index}]`;
      const contract = found.get(id);
      if (!contract) return [{ path, message: `plan ${planId} has no contract ${id}` }];
      if (contract.planVersion !== input.fromVersion)
        return [
          {
            path,
            message: `contract ${id} is on version ${contract.planVersion} on ${input.effectiveDate}, not ${input.fromVersion}`,
          },
        ];
      return [];
    });
    if (problems.length) throw validationFailed(problems);
  }
  return contracts.filter((c) => c.planVersion === input.fromVersion);
}

/**
 * POST /v1/plans/:id/migrations. The backtest of the contracts on `fromVersion` re-priced on `toVersion`; with
 * `dryRun: false`, then one amendment per contract onto `toVersion` from `effectiveDate` (keeping the contract's
 * overrides the new version declares), all in one transaction: a contract that cannot be amended (its effective
 * date falls in a finalized period, say) refuses the whole migration, naming it, and nothing changes. A second
 * application finds the contracts on `toVersion` already and amends nothing; a retry with the same
 * Idempotency-Key answers the first response.
 */
export async function migratePlan(
  deps: BillingDeps,
  caller: Caller,
  planId: string,
  input: MigrationInput,
): Promise<MigrationResult> {
  const { tenantId } = caller;
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
  const amended = input.dryRun ? [] : await amendAll(deps, caller, plan, contracts, input);
  return {
    ...result,
    fromVersion: input.fromVersion,
    toVersion: input.toVersion,
    effectiveDate: input.effectiveDate,
    dryRun: input.dryRun,
    amended,
  };
}

async function amendAll(
  deps: BillingDeps,
  caller: Caller,
  plan: BacktestTarget["plan"],
  contracts: readonly PlanContractRow[],
  input: MigrationInput,
): Promise<string[]> {
  const reason = `Plan migration from version ${input.fromVersion} to version ${input.toVersion}`;
  return deps.db.transaction(async (txn) => {
    // Every contract it amends, and every contract their drafts bill, locked at once in the one sorted order:
    // locking each as its amendment comes would hold the earlier ones while waiting for the later ones.
    await lockContractsWithDrafts(
      txn as Db,
      caller.tenantId,
      contracts.map((c) => c.id),
    );
    // Each amendment runs in a savepoint of this transaction: the migration is applied whole or not at all.
    const inside: BillingDeps = { ...deps, db: txn as Db };
    for (const contract of contracts) {
      try {
        await amendContract(inside, caller, contract.id, {
          effectiveDate: input.effectiveDate,
          planVersion: input.toVersion,
          paramOverrides: overridesFor(plan, contract.paramOverrides).params,
          creditGrants: [],
          reason,
        });
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        throw new ApiError(
          error.statusCode,
          error.code,
          `Contract ${contract.id} (${contract.customerName}) cannot be migrated: ${error.message}`,
          error.details.map((d) => ({ ...d, contractId: contract.id })),
        );
      }
    }
    return contracts.map((c) => c.id);
  });
}
