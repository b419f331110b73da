// The closed sets of values the API speaks and the database stores. Plain tuples without zod, so the web can
// list them at run time (a select of statuses) and the drizzle schema types its columns with them.

export const invoiceStatuses = ["draft", "finalized", "void"] as const;
export type InvoiceStatus = (typeof invoiceStatuses)[number];

/**
 * What an invoice closes: a contract's `period`, or, for a contract that has ended, `adjustment`s of its
 * finalized periods for events that arrived after them (there is no next period invoice to carry them).
 */
export const invoiceKinds = ["period", "adjustment"] as const;
export type InvoiceKind = (typeof invoiceKinds)[number];

/**
 * How a tenant's contracts go onto invoices: `per_contract`, one invoice per contract and period; `per_customer`,
 * the contracts of one customer whose periods coincide (start, end, currency) share one invoice per period.
 */
export const invoiceConsolidations = ["per_contract", "per_customer"] as const;
export type InvoiceConsolidation = (typeof invoiceConsolidations)[number];

export const invoiceLineKinds = ["charge", "adjustment"] as const;
export type InvoiceLineKind = (typeof invoiceLineKinds)[number];

export const billingRunStatuses = ["queued", "running", "done", "failed"] as const;
export type BillingRunStatus = (typeof billingRunStatuses)[number];

export const billingPeriods = ["monthly", "quarterly", "yearly"] as const;
export type BillingPeriod = (typeof billingPeriods)[number];

/**
 * How a metric turns events into a value. `weightedSum` reads each event's property as a change of a level
 * (seats, GB stored) and gives the level's time-weighted average over the period; docs/metrics.md defines it.
 */
export const aggregations = ["count", "sum", "min", "max", "uniqueCount", "latest", "weightedSum"] as const;
export type Aggregation = (typeof aggregations)[number];

/**
 * Why a stored event counts for nothing today: its type matches no metric, its customer external id names no
 * customer, or a numeric metric of its type finds a value there that is not a number. Events stay stored and
 * count as soon as the metric or customer exists (a non-numeric value never counts).
 */
export const unmatchedReasons = ["noMetric", "unknownCustomer", "nonNumericValue"] as const;
export type UnmatchedReason = (typeof unmatchedReasons)[number];

export const roundingModes = ["round", "ceil", "floor"] as const;
export type RoundingMode = (typeof roundingModes)[number];

export const creditLedgerKinds = ["drawdown", "reversal"] as const;
export type CreditLedgerKind = (typeof creditLedgerKinds)[number];

/** A finalized invoice's payment status, derived from its payments and due date. */
export const paymentStatuses = ["unpaid", "partially_paid", "paid", "overdue"] as const;
export type PaymentStatus = (typeof paymentStatuses)[number];

/** What a catalog product is sold as: a product of its own, or an add-on sold on top of another. */
export const productKinds = ["product", "add_on"] as const;
export type ProductKind = (typeof productKinds)[number];
/** What happens when a contract's term ends: it ends, renews on the same terms, or renews on the plan's defaults. */
export const renewalPolicies = ["none", "same_terms", "plan_defaults"] as const;
export type RenewalPolicy = (typeof renewalPolicies)[number];
