/**
 * Every kind of activity record, `object.verb` as in Stripe's event types. Webhook endpoints subscribe to
 * these, the audit view filters by them; docs/activity.md says what each one's `object` holds.
 */
export const activityTypes = [
  "customer.created",
  "customer.updated",
  "customer.archived",
  "customer.unarchived",
  "metric.created",
  "metric.updated",
  "product.created",
  "product.updated",
  "product.deleted",
  "plan.created",
  "plan.updated",
  "plan.draft_saved",
  "plan.archived",
  "plan.unarchived",
  "plan.deleted",
  "plan_version.published",
  "contract.created",
  "contract_add_on.created",
  "contract_add_on.amended",
  "contract_add_on.ended",
  "contract.amended",
  "contract.ended",
  "contract.renewed",
  "contract.renewal_updated",
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
  "user.invited",
  "user.joined",
  "user.role_changed",
  "user.removed",
  "user.password_reset_issued",
  "settings.updated",
  "webhook_endpoint.created",
  "webhook_endpoint.updated",
  "webhook_endpoint.deleted",
  "alert.created",
  "alert.deleted",
  "alert.triggered",
  "portal_link.created",
  "portal_link.revoked",
  "company_profile.updated",
  "tax_rate.created",
  "tax_rate.updated",
  "customer_billing.updated",
  "invoice.issued",
  "invoice.paid",
  "payment.created",
  "payment.reversed",
  "customer_balance.credited",
  "customer_balance.applied",
  "payment_reminder.requested",
  "usage_report.due",
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
