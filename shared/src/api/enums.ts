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

export const invoiceLineKinds = ["charge", "adjustment"] as const;
export type InvoiceLineKind = (typeof invoiceLineKinds)[number];

export const billingRunStatuses = ["queued", "running", "done", "failed"] as const;
export type BillingRunStatus = (typeof billingRunStatuses)[number];

export const billingPeriods = ["monthly", "quarterly", "yearly"] as const;
export type BillingPeriod = (typeof billingPeriods)[number];

export const aggregations = ["count", "sum", "min", "max", "uniqueCount", "latest"] as const;
export type Aggregation = (typeof aggregations)[number];

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
