import type { CompiledPlan, EvaluationOutput } from "@pricegraph/engine";
import {
  addDays,
  type ContractTerms,
  contractPeriods,
  Decimal,
  daysInMonth,
  formatLocalDate,
  localDateOf,
  type Period,
  type PlanDocument,
  parseLocalDate,
  periodContaining,
  phaseOn,
} from "@pricegraph/shared";
import type { Contract, ContractPhase, CreateContract } from "@pricegraph/shared/api";
import type { Caller, Deps } from "../../context.ts";
import type { Db } from "../../db/index.ts";
import { type ErrorDetail, notFound, validationFailed } from "../../http/errors.ts";
import { decodeCursor } from "../../http/pagination.ts";
import { recordActivity } from "../activity/service.ts";
import { requireCustomer } from "../customers/service.ts";
import {
  compileOrThrow,
  evaluateCompiled,
  refuseArchivedPlan,
  requirePlan,
  requireVersion,
} from "../plans/service.ts";
import { usageForPeriod } from "../usage/service.ts";
import { addOnRows, toAddOn } from "./add-ons.ts";
import {
  addOnPhasesOf,
  type ComponentRow,
  type ContractRow,
  type CreditGrantRow,
  componentsOf,
  contractById,
  grantsOf,
  insertComponents,
  insertContract,
  listContracts,
  type PhaseRow,
  phasesOf,
} from "./queries.ts";

export function toPhase(row: PhaseRow): ContractPhase {
  return {
    id: row.id,
    effectiveDate: row.effectiveDate,
    planVersion: row.planVersion,
    paramOverrides: row.paramOverrides,
    reason: row.reason,
    createdAt: row.createdAt.toISOString(),
  };
}

/** The contract's phases: its own terms first, then its amendments by effective date. */
export function phasesOfContract(row: ContractRow, phases: readonly PhaseRow[]): ContractPhase[] {
  return [
    {
      id: row.id,
      effectiveDate: row.startDate,
      planVersion: row.planVersion,
      paramOverrides: row.paramOverrides,
      reason: null,
      createdAt: row.createdAt.toISOString(),
    },
    ...phases.filter((phase) => phase.contractId === row.id && phase.componentId === null).map(toPhase),
  ];
}

export function toContract(
  row: ContractRow,
  grants: CreditGrantRow[],
  phases: readonly PhaseRow[] = [],
  components: readonly ComponentRow[] = [],
): Contract {
  return {
    id: row.id,
    customerId: row.customerId,
    planId: row.planId,
    planVersion: row.planVersion,
    startDate: row.startDate,
    endDate: row.endDate,
    billingPeriod: row.billingPeriod,
    paramOverrides: row.paramOverrides,
    creditGrants: grants
      .filter((grant) => grant.contractId === row.id && grant.componentId === null)
      .map((grant) => ({
        pool: grant.pool,
        amount: grant.amount,
        expiresAt: grant.expiresAt?.toISOString() ?? null,
      })),
    addOns: components.filter((c) => c.contractId === row.id).map((c) => toAddOn(c, grants, phases)),
    createdAt: row.createdAt.toISOString(),
    termMonths: row.termMonths,
    renewalPolicy: row.renewalPolicy,
    phases: phasesOfContract(row, phases),
  };
}

/**
 * The last day of a term of `months` starting on `startDate`: the day before the same day `months` later (the
 * month's last day when it has no such day, so a term from Jan 31 runs to Feb 27 or 28). Negative `months`
 * count back: the day before the same day that many months earlier.
 */
export function termEnd(startDate: string, months: number): string {
  const start = parseLocalDate(startDate);
  const total = start.month - 1 + months;
  const year = start.year + Math.floor(total / 12);
  const month = (((total % 12) + 12) % 12) + 1;
  const day = Math.min(start.day, daysInMonth(year, month));
  return formatLocalDate(addDays({ year, month, day }, -1));
}

/** Overrides must name declared parameters (decimals were checked by the schema). */
export function overrideProblems(
  document: PlanDocument,
  overrides: Record<string, string>,
  path = "$.paramOverrides",
): ErrorDetail[] {
  const declared = new Set(document.params.map((param) => param.key));
  const list = [...declared].join(", ") || "none";
  return Object.keys(overrides)
    .filter((key) => !declared.has(key))
    .map((key) => ({
      path: `${path}.${key}`,
      message: `the plan declares no parameter "${key}" (declared: ${list})`,
    }));
}

/** The published version a contract or quote names (the latest when no version is given). */
export async function resolveVersion(db: Db, tenantId: string, planId: string, version: number | undefined) {
  const plan = await requirePlan(db, tenantId, planId, "$.planId");
  const number = version ?? plan.latestVersion;
  if (number === null) {
    throw validationFailed([
      { path: "$.planVersion", message: `plan ${planId} has no published version yet` },
    ]);
  }
  return requireVersion(db, tenantId, planId, number, "$.planVersion");
}

/**
 * How far back a contract may start. A backdated contract's first billing run bills every period since its start,
 * one after the other; capping the start bounds that work (60 monthly periods) and keeps billing history within
 * what usage events can still describe. See docs/billing.md, "How far back a contract may start".
 */
export const MAX_BACKDATED_YEARS = 5;

/** The earliest start date a contract created at `now` may have (UTC calendar date). */
export function earliestContractStart(now: Date): string {
  const earliest = new Date(now);
  earliest.setUTCFullYear(earliest.getUTCFullYear() - MAX_BACKDATED_YEARS);
  return earliest.toISOString().slice(0, 10);
}

export async function createContract(deps: Deps, caller: Caller, input: CreateContract): Promise<Contract> {
  const { tenantId } = caller;
  await requireCustomer(deps.db, tenantId, input.customerId, "$.customerId");
  refuseArchivedPlan(await requirePlan(deps.db, tenantId, input.planId, "$.planId"), "$.planId");
  const version = await resolveVersion(deps.db, tenantId, input.planId, input.planVersion);
  const plan = compileOrThrow(version.document);
  const problems = overrideProblems(version.document, input.paramOverrides);
  const earliest = earliestContractStart(deps.clock());
  if (input.startDate < earliest) {
    problems.push({
      path: "$.startDate",
      message: `must not be more than ${MAX_BACKDATED_YEARS} years ago (on or after ${earliest})`,
    });
  }
  input.creditGrants.forEach((grant, index) => {
    if (!plan.creditPools.includes(grant.pool)) {
      problems.push({
        path: `$.creditGrants[${index}].pool`,
        message: `the plan has no credit pool "${grant.pool}" (pools: ${plan.creditPools.join(", ") || "none"})`,
      });
    }
  });
  if (problems.length) throw validationFailed(problems);
  const id = deps.ids("ctr");
  const addOns = await addOnRows(
    deps,
    tenantId,
    { id, startDate: input.startDate, endDate: input.endDate ?? null },
    version.document.currency,
    input.addOns,
    0,
    (index) => `$.addOns[${index}]`,
  );
  const row: ContractRow = {
    id,
    tenantId,
    customerId: input.customerId,
    planId: input.planId,
    planVersion: version.version,
    startDate: input.startDate,
    endDate: input.termMonths ? termEnd(input.startDate, input.termMonths) : (input.endDate ?? null),
    billingPeriod: input.billingPeriod,
    paramOverrides: input.paramOverrides,
    createdAt: deps.clock(),
    termMonths: input.termMonths ?? null,
    renewalPolicy: input.renewalPolicy ?? null,
  };
  const grants: CreditGrantRow[] = input.creditGrants.map((grant, position) => ({
    id: deps.ids("crg"),
    tenantId,
    contractId: id,
    position,
    pool: grant.pool,
    amount: grant.amount,
    expiresAt: grant.expiresAt ? new Date(grant.expiresAt) : null,
    phaseId: null,
    componentId: null,
  }));
  const contract = toContract(row, [...grants, ...addOns.grants], [], addOns.components);
  await deps.db.transaction(async (tx) => {
    await insertContract(tx as Db, row, grants);
    await insertComponents(tx as Db, addOns.components, addOns.grants);
    await recordActivity(deps, tx as Db, caller, {
      type: "contract.created",
      objectId: id,
      object: contract,
    });
  });
  return contract;
}

export async function requireContract(db: Db, tenantId: string, id: string): Promise<ContractRow> {
  const row = await contractById(db, tenantId, id);
  if (!row) throw notFound("Contract", [{ path: "params.id", message: `no contract ${id}` }]);
  return row;
}

export async function getContract(deps: Deps, tenantId: string, id: string): Promise<Contract> {
  const row = await requireContract(deps.db, tenantId, id);
  return toContract(
    row,
    await grantsOf(deps.db, tenantId, [id]),
    [...(await phasesOf(deps.db, tenantId, [id])), ...(await addOnPhasesOf(deps.db, tenantId, [id]))],
    await componentsOf(deps.db, tenantId, [id]),
  );
}

export async function pageOfContracts(
  deps: Deps,
  tenantId: string,
  query: { customerId?: string; planId?: string; limit: number; cursor?: string },
) {
  const after = decodeCursor(query.cursor, 2) as [string, string] | null;
  const rows = await listContracts(deps.db, tenantId, { ...query, after });
  const more = rows.length > query.limit;
  const page = more ? rows.slice(0, query.limit) : rows;
  const grants = await grantsOf(
    deps.db,
    tenantId,
    page.map((row) => row.id),
  );
  const ids = page.map((row) => row.id);
  const phases = [
    ...(await phasesOf(deps.db, tenantId, ids)),
    ...(await addOnPhasesOf(deps.db, tenantId, ids)),
  ];
  const components = await componentsOf(
    deps.db,
    tenantId,
    page.map((row) => row.id),
  );
  const last = page[page.length - 1];
  return {
    data: page.map((row) => toContract(row, grants, phases, components)),
    nextCursor: more
      ? Buffer.from(JSON.stringify([last.createdAt.toISOString(), last.id])).toString("base64url")
      : null,
  };
}

/** Credit balances per pool from grants not expired at `at` (the ledger of consumed credits belongs to billing). */
export function creditBalances(grants: CreditGrantRow[], at: Date): Record<string, string> {
  const balances = new Map<string, Decimal>();
  for (const grant of grants) {
    if (grant.expiresAt && grant.expiresAt <= at) continue;
    balances.set(grant.pool, (balances.get(grant.pool) ?? new Decimal(0)).plus(grant.amount));
  }
  return Object.fromEntries([...balances].map(([pool, amount]) => [pool, amount.toFixed()]));
}

/**
 * The period a quote covers: billing's calendar period holding `now` (so a quote previews the invoice), the
 * first period before the contract starts, the last one after it ended.
 */
export function quotePeriod(terms: ContractTerms, now: Date): Period {
  const current = periodContaining(terms, now);
  if (current) return current;
  let chosen: Period | null = null;
  for (const period of contractPeriods(terms)) {
    if (!chosen || period.start <= now) chosen = period;
    if (period.start > now || period.last) break;
  }
  if (!chosen) throw new Error("a contract has at least one period");
  return chosen;
}

/** The current period's usage so far, evaluated by the engine with the contract's overrides and credits. */
export async function quoteContract(deps: Deps, tenantId: string, id: string) {
  const contract = await requireContract(deps.db, tenantId, id);
  const customer = await requireCustomer(deps.db, tenantId, contract.customerId, "$.customerId");
  // The phase in effect today prices the quote (POST …/quote prices a split period per phase).
  const today = formatLocalDate(localDateOf(deps.clock(), customer.timezone));
  const phase = phaseOn(phasesOfContract(contract, await phasesOf(deps.db, tenantId, [id])), today);
  const version = await requireVersion(
    deps.db,
    tenantId,
    contract.planId,
    phase.planVersion,
    "$.planVersion",
  );
  const plan: CompiledPlan = compileOrThrow(version.document);
  const now = deps.clock();
  const period = quotePeriod(
    {
      startDate: contract.startDate,
      endDate: contract.endDate,
      billingPeriod: contract.billingPeriod,
      timezone: customer.timezone,
    },
    now,
  );
  const usage = await usageForPeriod(deps.db, tenantId, {
    customerIds: [customer.id],
    from: period.start,
    to: period.end,
    metrics: plan.metrics,
  });
  const input = {
    usage: usage.get(customer.id) ?? {},
    params: phase.paramOverrides,
    credits: creditBalances(
      (await grantsOf(deps.db, tenantId, [id])).filter((grant) => grant.componentId === null),
      now,
    ),
    proration: period.proration,
  };
  const output: EvaluationOutput = evaluateCompiled(plan, input, { explain: true, values: false });
  return { ...output, periodStart: period.start.toISOString(), periodEnd: period.end.toISOString(), input };
}
