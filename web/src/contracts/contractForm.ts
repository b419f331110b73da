import { Decimal, type EvaluateResult, evaluateDocument } from "@pricegraph/engine";
import {
  addDays,
  calendarPeriodStart,
  DECIMAL_PATTERN,
  daysBetween,
  type EvaluationInput,
  formatLocalDate,
  type LocalDate,
  nextPeriodStart,
  type PlanDocumentInput,
  prorationOf,
  startOfLocalDay,
} from "@pricegraph/shared";
import type { BillingPeriod, CreateContract } from "../api/contracts.ts";
import type { CustomerUsage } from "../api/customers.ts";
import { planInputs } from "../editor/preview/runPreview.ts";

/** What the user types: text kept exactly as typed, checked before it is sent or priced. */
export interface ContractTerms {
  startDate: string;
  endDate: string;
  billingPeriod: BillingPeriod;
  /** Parameter key → typed override; "" means the plan's default. */
  overrides: Record<string, string>;
  grants: GrantDraft[];
}

export interface GrantDraft {
  pool: string;
  amount: string;
  /** A date (YYYY-MM-DD) or "" for no expiry. */
  expiresOn: string;
}

/** Field path → message: `overrides.<key>`, `grants.<i>.amount`, `startDate`, … */
export type TermErrors = Record<string, string>;

export const DECIMAL_HINT = "Enter a decimal such as 12.50";

const isDate = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value));

export function validateTerms(terms: ContractTerms, document: PlanDocumentInput): TermErrors {
  const errors: TermErrors = {};
  const declared = new Map((document.params ?? []).map((p) => [p.key, p]));
  for (const [key, raw] of Object.entries(terms.overrides)) {
    const value = raw.trim();
    if (value === "") continue;
    if (!declared.has(key)) errors[`overrides.${key}`] = `The plan declares no parameter “${key}”`;
    else if (!DECIMAL_PATTERN.test(value)) errors[`overrides.${key}`] = DECIMAL_HINT;
  }
  const pools = planInputs(document).creditPools;
  terms.grants.forEach((grant, index) => {
    if (!grant.pool) errors[`grants.${index}.pool`] = "Choose a pool";
    else if (!pools.includes(grant.pool))
      errors[`grants.${index}.pool`] = `The plan has no pool “${grant.pool}”`;
    const amount = grant.amount.trim();
    if (!DECIMAL_PATTERN.test(amount)) errors[`grants.${index}.amount`] = DECIMAL_HINT;
    else if (amount.startsWith("-") || !/[1-9]/.test(amount))
      errors[`grants.${index}.amount`] = "Must be positive";
    if (grant.expiresOn && !isDate(grant.expiresOn)) errors[`grants.${index}.expiresOn`] = "Enter a date";
  });
  if (!isDate(terms.startDate)) errors.startDate = "Enter a start date";
  if (terms.endDate) {
    if (!isDate(terms.endDate)) errors.endDate = "Enter a date";
    else if (terms.endDate <= terms.startDate) errors.endDate = "Must be after the start date";
  }
  return errors;
}

/** The overrides worth sending: typed, valid, declared. */
export function validOverrides(terms: ContractTerms, document: PlanDocumentInput): Record<string, string> {
  const declared = new Set((document.params ?? []).map((p) => p.key));
  const out: Record<string, string> = {};
  for (const [key, raw] of Object.entries(terms.overrides)) {
    const value = raw.trim();
    if (value && declared.has(key) && DECIMAL_PATTERN.test(value)) out[key] = value;
  }
  return out;
}

export function contractBody(
  terms: ContractTerms,
  document: PlanDocumentInput,
  ids: { customerId: string; planId: string; planVersion: number },
): CreateContract {
  return {
    ...ids,
    startDate: terms.startDate,
    endDate: terms.endDate || null,
    billingPeriod: terms.billingPeriod,
    paramOverrides: validOverrides(terms, document),
    creditGrants: terms.grants.map((g) => ({
      pool: g.pool,
      amount: g.amount.trim(),
      ...(g.expiresOn ? { expiresAt: `${g.expiresOn}T00:00:00Z` } : {}),
    })),
  };
}

// ---------- the current period, as billing's calendar periods ----------

/** The later of two ISO dates (strings compare in date order). */
const laterDate = (a: string, b: string): string => [a, b].sort()[1];

/** A `YYYY-MM-DD` the form has already checked with `isDate`, as billing's calendar date. */
function localDate(date: string): LocalDate {
  const [year, month, day] = date.split("-").map(Number);
  return { year, month, day };
}

/** The calendar period (monthly from the 1st, quarterly from Jan/Apr/Jul/Oct, yearly from Jan 1) holding `date`. */
export function calendarPeriod(date: string, period: BillingPeriod): { startDate: string; endDate: string } {
  const start = calendarPeriodStart(localDate(date), period);
  return { startDate: formatLocalDate(start), endDate: formatLocalDate(nextPeriodStart(start, period)) };
}

/** The UTC instant starting `date` in `timeZone`, as billing computes it (UTC midnight for an unknown zone). */
export function localMidnight(date: string, timeZone: string): Date {
  try {
    return startOfLocalDay(localDate(date), timeZone);
  } catch {
    return new Date(Date.parse(`${date}T00:00:00Z`));
  }
}

export interface QuotePeriod {
  startDate: string;
  /** Exclusive. */
  endDate: string;
  proration: string;
  /** The usage window: served days of the period up to now. */
  usageFrom: string;
  usageTo: string;
}

/**
 * The period a new contract would be billing now: the calendar period holding today (or the start date when
 * it is later), cut to the days the contract serves, with billing's proration (days served / days in period).
 */
export function currentPeriod(
  terms: Pick<ContractTerms, "startDate" | "endDate" | "billingPeriod">,
  timeZone: string,
  now: Date = new Date(),
): QuotePeriod | null {
  if (!isDate(terms.startDate)) return null;
  const today = now.toISOString().slice(0, 10);
  const anchor = laterDate(terms.startDate, today);
  const endExclusive =
    terms.endDate && isDate(terms.endDate) ? formatLocalDate(addDays(localDate(terms.endDate), 1)) : null;
  const period = calendarPeriod(anchor, terms.billingPeriod);
  if (endExclusive && endExclusive <= period.startDate) return null;
  const servedStart = laterDate(terms.startDate, period.startDate);
  const servedEnd = endExclusive && endExclusive < period.endDate ? endExclusive : period.endDate;
  const served = daysBetween(localDate(servedStart), localDate(servedEnd));
  const total = daysBetween(localDate(period.startDate), localDate(period.endDate));
  const from = localMidnight(servedStart, timeZone);
  const periodEnd = localMidnight(servedEnd, timeZone);
  const to = now < periodEnd ? (now < from ? from : now) : periodEnd;
  return {
    startDate: servedStart,
    endDate: servedEnd,
    proration: prorationOf(served, total),
    usageFrom: from.toISOString(),
    usageTo: to.toISOString(),
  };
}

// ---------- the quote ----------

/** Sums grouped usage down to the dimensions a usage node asks for (the API groups by the metric's own). */
function regroup(
  groups: { group: Record<string, string>; value: string }[],
  dims: string[],
): { group: Record<string, string>; value: string }[] {
  const sums = new Map<string, { group: Record<string, string>; value: Decimal }>();
  for (const row of groups) {
    const group = Object.fromEntries(dims.map((d) => [d, row.group[d] ?? ""]));
    const key = JSON.stringify(dims.map((d) => group[d]));
    const current = sums.get(key);
    if (current) current.value = current.value.plus(row.value);
    else sums.set(key, { group, value: new Decimal(row.value) });
  }
  return [...sums.values()].map((s) => ({ group: s.group, value: s.value.toString() }));
}

/**
 * The engine input for the quote: the customer's usage so far, valid overrides, granted credits, proration.
 * `whatIf` replaces a metric's measured usage with a number typed to ask "what would they pay at…".
 */
export function quoteInput(
  terms: ContractTerms,
  document: PlanDocumentInput,
  usage: CustomerUsage | null | undefined,
  period: QuotePeriod | null,
  whatIf: Record<string, string> = {},
): EvaluationInput {
  const { metrics, creditPools } = planInputs(document);
  const byKey = new Map((usage?.metrics ?? []).map((m) => [m.key, m]));
  const input: EvaluationInput = { usage: {}, params: validOverrides(terms, document), credits: {} };
  for (const metric of metrics) {
    const measured = byKey.get(metric.key);
    const asked = whatIf[metric.key]?.trim();
    if (metric.groupBy?.length) input.usage![metric.key] = regroup(measured?.groups ?? [], metric.groupBy);
    else if (asked && DECIMAL_PATTERN.test(asked) && !asked.startsWith("-")) input.usage![metric.key] = asked;
    else input.usage![metric.key] = measured?.value ?? "0";
  }
  const billedAt = period ? period.endDate : "";
  for (const pool of creditPools) {
    let balance = new Decimal(0);
    for (const grant of terms.grants) {
      const amount = grant.amount.trim();
      if (grant.pool !== pool || !DECIMAL_PATTERN.test(amount) || amount.startsWith("-")) continue;
      // Like billing: a grant expiring at or before the billing instant no longer counts.
      if (grant.expiresOn && billedAt && grant.expiresOn <= billedAt) continue;
      balance = balance.plus(amount);
    }
    input.credits![pool] = balance.toString();
  }
  if (period) input.proration = period.proration;
  return input;
}

export function evaluateQuote(document: PlanDocumentInput, input: EvaluationInput): EvaluateResult {
  return evaluateDocument(document, input, { values: false });
}
