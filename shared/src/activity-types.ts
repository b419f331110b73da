/**
 * Every kind of activity record, `object.verb` as in Stripe's event types. Webhook endpoints subscribe to
 * these, the audit view filters by them; docs/activity.md says what each one's `object` holds.
 */
export const activityTypes = [
  "customer.created",
  "customer.updated",
  "metric.created",
  "metric.updated",
  "plan.created",
  "plan.updated",
  "plan.draft_saved",
  "plan_version.published",
  "contract.created",
  "credit_grant.created",
  "billing_run.created",
  "billing_run.completed",
  "billing_run.failed",
  "invoice.created",
  "invoice.refreshed",
  "invoice.finalized",
  "invoice.voided",
  "credit_note.created",
  "api_key.created",
  "api_key.revoked",
  "settings.updated",
  "payment.created",
  "payment.reversed",
  "account.created",
  "account.updated",
  "accounting_period.closed",
] as const;

export type ActivityType = (typeof activityTypes)[number];

/** The object type is the part before the dot: `invoice` for `invoice.finalized`. */
export function activityObjectType(type: ActivityType): string {
  return type.slice(0, type.indexOf("."));
}

export function isActivityType(value: string): value is ActivityType {
  return (activityTypes as readonly string[]).includes(value);
}
