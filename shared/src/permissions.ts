/**
 * Roles, permissions and the one table that says which permission each API route needs. The server enforces
 * it on every request (and refuses to start when a `/v1` route has no entry); the web app reads the same table
 * to hide what the signed-in role cannot do, so the two cannot drift. docs/users.md explains the roles.
 */

export const roles = ["owner", "admin", "pricing", "sales", "finance", "viewer"] as const;
export type Role = (typeof roles)[number];

export const permissions = [
  "catalog.read", // plans, versions, previews, metrics, products
  "catalog.write",
  "customers.read", // customers and their usage
  "customers.write",
  "contracts.read", // contracts, quotes, credit grants, usage reports
  "contracts.write",
  "usage.read", // usage events
  "usage.write",
  "billing.read", // invoices, credit notes, billing runs, billing settings
  "billing.write",
  "payments.read",
  "payments.write",
  "accounting.read",
  "accounting.write",
  "activity.read",
  "users.read",
  "users.write",
  "api_keys.read",
  "api_keys.write",
  "settings.read", // integrations: webhooks, alerts, e-mail
  "settings.write",
] as const;
export type Permission = (typeof permissions)[number];

/** What a route needs besides its permission: `public` needs no sign-in, `signed_in` any role. */
export type RouteAccess = Permission | "public" | "signed_in";

const readAll: Permission[] = [
  "catalog.read",
  "customers.read",
  "contracts.read",
  "usage.read",
  "billing.read",
  "payments.read",
  "accounting.read",
  "activity.read",
  "users.read",
];

/** Each role's permissions. Owners and admins hold all; what only an owner may do is checked by the users service. */
export const rolePermissions: Record<Role, readonly Permission[]> = {
  owner: permissions,
  admin: permissions,
  pricing: [...readAll, "catalog.write"],
  sales: [...readAll, "customers.write", "contracts.write"],
  finance: [...readAll, "billing.write", "payments.write", "accounting.write"],
  viewer: readAll,
};

/**
 * Every API route as `METHOD /path` (the path as registered, with `:params`) → what it needs. A route missing
 * here stops the server at start with a message naming it: add it to this table.
 */
export const routePermissions: Record<string, RouteAccess> = {
  // people and sessions
  "POST /v1/auth/login": "public",
  "POST /v1/auth/logout": "signed_in",
  "POST /v1/auth/logout-everywhere": "signed_in",
  "GET /v1/auth/session": "signed_in",
  "GET /v1/auth/invitations/:token": "public",
  "POST /v1/auth/invitations/accept": "public",
  "POST /v1/auth/password-reset": "public",
  "GET /v1/users": "users.read",
  "POST /v1/users/invitations": "users.write",
  "PATCH /v1/users/:id": "users.write",
  "DELETE /v1/users/:id": "users.write",
  "POST /v1/users/:id/password-reset": "users.write",
  "GET /v1/api-keys": "api_keys.read",
  "POST /v1/api-keys": "api_keys.write",
  "DELETE /v1/api-keys/:id": "api_keys.write",
  "GET /v1/activity": "activity.read",
  "GET /v1/activity/:id": "activity.read",
  // catalog
  "POST /v1/metrics": "catalog.write",
  "GET /v1/metrics": "catalog.read",
  "GET /v1/metrics/:key": "catalog.read",
  "PATCH /v1/metrics/:key": "catalog.write",
  "POST /v1/metrics/preview": "catalog.read", // aggregates recent events, stores nothing
  "POST /v1/plans": "catalog.write",
  "GET /v1/plans": "catalog.read",
  "GET /v1/plans/:id": "catalog.read",
  "PATCH /v1/plans/:id": "catalog.write",
  "DELETE /v1/plans/:id": "catalog.write",
  "POST /v1/plans/:id/archive": "catalog.write",
  "POST /v1/plans/:id/unarchive": "catalog.write",
  "PUT /v1/plans/:id/draft": "catalog.write",
  "POST /v1/plans/:id/versions": "catalog.write",
  "GET /v1/plans/:id/versions": "catalog.read",
  "GET /v1/plans/:id/versions/:version": "catalog.read",
  "POST /v1/plans/:id/preview": "catalog.read", // evaluates, changes nothing
  "POST /v1/plans/:id/backtest": "catalog.read", // re-prices stored usage, changes nothing
  "POST /v1/plans/:id/migrations": "contracts.write", // amends contracts (a dry run changes nothing)
  // product catalog
  "POST /v1/products": "catalog.write",
  "GET /v1/products": "catalog.read",
  "GET /v1/products/:id": "catalog.read",
  "PATCH /v1/products/:id": "catalog.write",
  "DELETE /v1/products/:id": "catalog.write",
  // customers and usage
  "POST /v1/customers": "customers.write",
  "GET /v1/customers": "customers.read",
  "GET /v1/customers/:id": "customers.read",
  "PATCH /v1/customers/:id": "customers.write",
  "POST /v1/customers/:id/archive": "customers.write",
  "POST /v1/customers/:id/unarchive": "customers.write",
  "POST /v1/customers/csv": "customers.write",
  "GET /v1/customers/:id/usage": "customers.read",
  "GET /v1/customers/:id/usage/daily": "customers.read",
  "POST /v1/events": "usage.write",
  "POST /v1/events/csv": "usage.write",
  "GET /v1/events": "usage.read",
  "GET /v1/usage/unmatched": "usage.read",
  // contracts and quotes
  "POST /v1/contracts": "contracts.write",
  "POST /v1/contracts/:id/add-ons": "contracts.write",
  "POST /v1/contracts/:id/add-ons/:addOnId/amendments": "contracts.write",
  "POST /v1/contracts/:id/add-ons/:addOnId/end": "contracts.write",
  "GET /v1/contracts": "contracts.read",
  "GET /v1/contracts/:id": "contracts.read",
  "GET /v1/contracts/:id/quote": "contracts.read",
  "POST /v1/contracts/:id/quote": "contracts.read", // prices what-ifs, stores nothing
  "POST /v1/contracts/:id/amendments": "contracts.write",
  "POST /v1/contracts/:id/end": "contracts.write",
  "PUT /v1/contracts/:id/renewal": "contracts.write",
  "GET /v1/contract-settings": "contracts.read",
  "PUT /v1/contract-settings": "settings.write",
  "POST /v1/contracts/:id/credit-grants": "contracts.write",
  "GET /v1/contracts/:id/credits": "contracts.read",
  "GET /v1/contracts/:id/usage-report": "contracts.read",
  "POST /v1/quotes": "contracts.read", // prices a quote, stores nothing
  // billing
  "GET /v1/billing/settings": "billing.read",
  "PUT /v1/billing/settings": "billing.write",
  "POST /v1/billing-runs": "billing.write",
  "GET /v1/billing-runs": "billing.read",
  "GET /v1/billing-runs/:id": "billing.read",
  "GET /v1/invoices": "billing.read",
  "GET /v1/invoices/:id": "billing.read",
  "POST /v1/invoices/:id/refresh": "billing.write",
  "POST /v1/invoices/:id/finalize": "billing.write",
  "POST /v1/invoices/:id/void": "billing.write",
  "POST /v1/invoices/:id/credit-notes": "billing.write",
  "GET /v1/customers/:id/billing": "customers.read",
  "PUT /v1/customers/:id/billing": "payments.write",
  "GET /v1/invoices/:id/receivable": "payments.read",
  "GET /v1/receivables/invoices": "payments.read",
  "GET /v1/receivables/aging": "payments.read",
  "GET /v1/settings/company": "payments.read",
  "PUT /v1/settings/company": "settings.write",
  "GET /v1/tax-rates": "payments.read",
  "POST /v1/tax-rates": "payments.write",
  "PATCH /v1/tax-rates/:id": "payments.write",
  "POST /v1/payments": "payments.write",
  "POST /v1/payments/import": "payments.write",
  "GET /v1/payments": "payments.read",
  "GET /v1/payments/:id": "payments.read",
  "POST /v1/payments/:id/reverse": "payments.write",
  "GET /v1/settings/dunning": "payments.read",
  "PUT /v1/settings/dunning": "payments.write",
  "GET /v1/customers/:id/dunning": "payments.read",
  "PUT /v1/customers/:id/dunning": "payments.write",
  "POST /v1/invoices/:id/request-payment": "payments.write",
  "GET /v1/invoices/:id/reminders": "payments.read",
  "GET /v1/invoices/:id/pdf": "billing.read",
  "GET /v1/credit-notes/:id/pdf": "billing.read",
  "GET /v1/email-templates": "payments.read",
  "PUT /v1/email-templates/:kind": "payments.write",
  "DELETE /v1/email-templates/:kind": "payments.write",
  "POST /v1/email-templates/:kind/preview": "payments.read",
  "GET /v1/email-messages": "payments.read",
  "GET /v1/email-messages/:id": "payments.read",
  // accounting: the chart, the journal, reports and exports; month-end close
  "GET /v1/accounts": "accounting.read",
  "POST /v1/accounts": "accounting.write",
  "PATCH /v1/accounts/:id": "accounting.write",
  "GET /v1/journal-entries": "accounting.read",
  "GET /v1/journal-entries/export": "accounting.read",
  "POST /v1/journal-entries/backfill": "accounting.write",
  "GET /v1/reports/trial-balance": "accounting.read",
  "GET /v1/reports/revenue": "accounting.read",
  "GET /v1/reports/receivables": "accounting.read",
  "GET /v1/reports/credit-liability": "accounting.read",
  "GET /v1/reports/deferred-revenue": "accounting.read",
  "GET /v1/reports/invoices": "accounting.read",
  "GET /v1/accounting-periods": "accounting.read",
  "POST /v1/accounting-periods/:month/close": "accounting.write",
  "POST /v1/accounting-periods/:month/reopen": "accounting.write",
  "GET /v1/webhook-endpoints": "settings.read",
  "POST /v1/webhook-endpoints": "settings.write",
  "GET /v1/webhook-endpoints/:id": "settings.read",
  "PATCH /v1/webhook-endpoints/:id": "settings.write",
  "DELETE /v1/webhook-endpoints/:id": "settings.write",
  "POST /v1/webhook-endpoints/:id/rotate-secret": "settings.write",
  "POST /v1/webhook-endpoints/:id/test": "settings.write",
  "GET /v1/webhook-endpoints/:id/deliveries": "settings.read",
  "GET /v1/webhook-endpoints/:id/deliveries/:deliveryId": "settings.read",
  "POST /v1/webhook-endpoints/:id/deliveries/:deliveryId/resend": "settings.write",
  "GET /v1/alerts": "settings.read",
  "POST /v1/alerts": "settings.write",
  "GET /v1/alerts/:id": "settings.read",
  "DELETE /v1/alerts/:id": "settings.write",
  "GET /v1/alert-firings": "settings.read",
  "POST /v1/customers/:id/portal-links": "customers.write",
  "GET /v1/customers/:id/portal-links": "customers.read",
  "DELETE /v1/customers/:id/portal-links/:linkId": "customers.write",
};

export function roleHasPermission(role: Role, permission: Permission): boolean {
  return rolePermissions[role].includes(permission);
}

/** The table key of a route: HEAD is answered like GET. */
export function routeKey(method: string, path: string): string {
  const verb = method.toUpperCase() === "HEAD" ? "GET" : method.toUpperCase();
  return `${verb} ${path}`;
}

/** Whether `role` may call `METHOD /path`; false for a route the table does not know. */
export function roleMayCall(role: Role, method: string, path: string): boolean {
  const access = routePermissions[routeKey(method, path)];
  if (access === undefined) return false;
  if (access === "public" || access === "signed_in") return true;
  return roleHasPermission(role, access);
}

export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}
