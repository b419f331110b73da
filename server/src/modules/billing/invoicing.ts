import { type Period, periodAfter, periodsEndedBy } from "@pricegraph/shared";
import { sql } from "drizzle-orm";
import type { Caller } from "../../context.ts";
import type { Db } from "../../db/index.ts";
import { lockContracts } from "../contracts/queries.ts";
import { grantsOfAddOns, grantsOfContracts } from "../credits/service.ts";
import {
  billingSettingsOf,
  contractsWithDrafts,
  createInvoices,
  invoicedPeriodStarts,
  periodsWithLateEvents,
} from "../invoices/service.ts";
import { copyAddOnGrants } from "./add-ons.ts";
import { advanceAdjustments, lateAdjustments, withAdvanceAdjustments } from "./adjustments.ts";
import { computeAdjustmentInvoice, computeInvoice, type GrantBalance } from "./compute.ts";
import { consolidatedRows, consolidationGroups, inStepPeriods } from "./consolidation.ts";
import { type BillingDeps, type ContractContext, toContext } from "./context.ts";
import { closingPeriod, invoiceRows, type PersistableInvoice, requireStorable } from "./invoice-rows.ts";
import { advanceSlices, pricedSlices } from "./priced-slices.ts";
import { contractContexts, siblingContractIds } from "./queries.ts";

/**
 * Billing rounds: for each contract, the periods due, their usage, the engine's lines, and the rows handed to
 * invoices/ (which stores them) and credits/ (which keeps the ledger). It calls those modules; they never call
 * back. What a period is priced with is in priced-slices.ts, the corrections of earlier invoices in
 * adjustments.ts, the rows of an invoice in invoice-rows.ts and which contracts share one in consolidation.ts.
 */

/**
 * Of the contracts that have ended, those with late events on a finalized period and no draft invoice: a draft
 * would take the adjustments when it is refreshed, and it is never billed twice.
 */
async function endedWithLateEvents(
  tx: Db,
  tenantId: string,
  ended: { ctx: ContractContext; last: Period }[],
): Promise<{ ctx: ContractContext; last: Period }[]> {
  if (ended.length === 0) return [];
  const ids = ended.map((e) => e.ctx.row.contract.id);
  const late = new Set((await periodsWithLateEvents(tx, tenantId, ids)).map((l) => l.contractId));
  if (late.size === 0) return [];
  const drafts = await contractsWithDrafts(tx, tenantId, [...late]);
  return ended.filter((e) => late.has(e.ctx.row.contract.id) && !drafts.has(e.ctx.row.contract.id));
}

/** A contract billing skipped, and why (named on the run; the next run tries it again). */
export interface BillingFailure {
  contractId: string;
  message: string;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 500);

/**
 * Invoices every period of the given contracts that ended by `asOf` and has no invoice yet, oldest first.
 * Each round is one transaction holding the contracts' advisory locks, so overlapping runs and other server
 * processes never bill a contract-period twice nor spend a credit twice; the unique keys back this up.
 *
 * When the tenant consolidates invoices per customer, each round also takes (and locks) the other contracts of
 * the same customers, bills a customer's contracts in step and puts those whose periods coincide on one invoice.
 *
 * A contract whose evaluation fails (a plan that cannot be evaluated for a period, or any error its numbers
 * raise, such as a decimal out of range) is left unbilled and reported; the rest of the batch is billed.
 * Between contracts the loop lets the event loop run (`billing.breathe`) so the API stays responsive.
 */
export async function invoiceContracts(
  deps: BillingDeps,
  caller: Caller,
  contractIds: readonly string[],
  asOf: Date,
  runId: string | null = null,
): Promise<{ created: number; failures: BillingFailure[] }> {
  const { tenantId } = caller;
  const { timings } = deps.billing;
  let created = 0;
  const failures = new Map<string, string>();
  const report = () => [...failures].map(([contractId, message]) => ({ contractId, message }));
  let sliceStart = performance.now();
  const breathe = async () => {
    if (performance.now() - sliceStart < deps.billing.breatheEveryMs) return;
    await deps.billing.breathe();
    sliceStart = performance.now();
  };
  for (;;) {
    const round = await deps.db.transaction(async (txn) => {
      const tx = txn as Db;
      // Usage queries take arrays of customer ids and period bounds as parameters; a generic plan chosen after
      // a few executions of the prepared statement may scan every event, so plan each one for its values.
      await tx.execute(sql`SET LOCAL plan_cache_mode = force_custom_plan`);
      // Read in the round's transaction: a change of the setting applies from the next round's invoices on.
      const consolidate = (await billingSettingsOf(tx, tenantId)).invoiceConsolidation === "per_customer";
      const billed = consolidate ? await siblingContractIds(tx, tenantId, contractIds) : contractIds;
      await lockContracts(tx, billed);
      const contexts: ContractContext[] = [];
      for (const row of await contractContexts(tx, tenantId, billed)) {
        if (failures.has(row.contract.id)) continue;
        try {
          contexts.push(toContext(deps.billing, tenantId, row));
        } catch (error) {
          failures.set(row.contract.id, messageOf(error));
        }
      }
      const existing = await invoicedPeriodStarts(tx, tenantId, billed);
      let pending: { ctx: ContractContext; period: Period }[] = [];
      // Contracts that have ended with every period invoiced: late events can only go on an adjustment invoice.
      const ended: { ctx: ContractContext; last: Period }[] = [];
      let more = false;
      for (const ctx of contexts) {
        const done = existing.get(ctx.row.contract.id);
        const over = periodsEndedBy(ctx.terms, asOf);
        const due = over.filter((p) => !done?.has(p.start.getTime()));
        if (due.length) pending.push({ ctx, period: due[0] });
        if (due.length > 1) more = true;
        const last = over.at(-1);
        if (due.length === 0 && last?.last) ended.push({ ctx, last });
        await breathe();
      }
      if (consolidate) {
        const inStep = inStepPeriods(pending);
        pending = inStep.now;
        if (inStep.waiting) more = true;
      }
      const closing = await endedWithLateEvents(tx, tenantId, ended);
      if (pending.length === 0 && closing.length === 0) return { created: 0, more: false };
      const ids = [...pending, ...closing].map((p) => p.ctx.row.contract.id);
      const usageComputedAt = deps.clock();

      let t = performance.now();
      const grants = await grantsOfContracts(tx, tenantId, ids);
      const addOnGrants = [...pending, ...closing].some((p) => p.ctx.addOns.length)
        ? await grantsOfAddOns(tx, tenantId, ids)
        : new Map<string, GrantBalance[]>();
      const late = await periodsWithLateEvents(tx, tenantId, ids);
      const slices = await pricedSlices(tx, tenantId, pending);
      timings.aggregateMs += performance.now() - t;

      t = performance.now();
      const invoices: PersistableInvoice[] = [];
      for (const [index, { ctx, period }] of pending.entries()) {
        const contractId = ctx.row.contract.id;
        // Draws lower balances in place: a failed contract must leave its grants as they were.
        const contractGrants = (grants.get(contractId) ?? []).map((g) => ({ ...g }));
        const ownAddOnGrants = copyAddOnGrants(ctx, addOnGrants);
        try {
          const lateStarts = late.filter((l) => l.contractId === contractId).map((l) => l.periodStart);
          const lateLines = lateStarts.length
            ? await lateAdjustments(
                tx,
                tenantId,
                ctx,
                lateStarts,
                contractGrants,
                period.end,
                undefined,
                ownAddOnGrants,
              )
            : undefined;
          const computed = computeInvoice({
            period,
            next: periodAfter(ctx.terms, period),
            slices: slices[index],
            nextSlices: advanceSlices(ctx, period),
            grants: contractGrants,
            addOnGrants: ownAddOnGrants,
            adjustments: withAdvanceAdjustments(
              lateLines,
              await advanceAdjustments(tx, tenantId, ctx, period),
            ),
          });
          invoices.push({ ctx, period, computed: requireStorable(computed) });
        } catch (error) {
          failures.set(contractId, `period ${period.startDate}: ${messageOf(error)}`);
          more = true;
        }
        await breathe();
      }
      for (const { ctx, last } of closing) {
        const contractId = ctx.row.contract.id;
        const lateStarts = late.filter((l) => l.contractId === contractId).map((l) => l.periodStart);
        try {
          const adjustments = await lateAdjustments(
            tx,
            tenantId,
            ctx,
            lateStarts,
            (grants.get(contractId) ?? []).map((g) => ({ ...g })),
            asOf,
            undefined,
            copyAddOnGrants(ctx, addOnGrants),
          );
          // Late events that change nothing billed (e.g. within the free units) make no invoice.
          if (!adjustments) continue;
          const computed = requireStorable(computeAdjustmentInvoice(ctx.plan, adjustments));
          invoices.push({ ctx, period: closingPeriod(last), computed, kind: "adjustment" });
        } catch (error) {
          failures.set(contractId, `adjustments after ${last.endDate}: ${messageOf(error)}`);
        }
        await breathe();
      }
      timings.evaluateMs += performance.now() - t;

      t = performance.now();
      const now = deps.clock();
      const meta = { runId, usageComputedAt, now };
      const rows = consolidate
        ? consolidationGroups(invoices).map((members) => consolidatedRows(deps, tenantId, members, meta))
        : invoices.map((item) => invoiceRows(deps, tenantId, item, meta));
      timings.rowsMs += performance.now() - t;
      const step = performance.now();
      const inserted = await createInvoices(deps, tx, caller, rows);
      timings.invoicesMs += performance.now() - step;
      timings.persistMs += performance.now() - t;
      return { created: inserted.size, more };
    });
    created += round.created;
    if (!round.more) return { created, failures: report() };
  }
}
