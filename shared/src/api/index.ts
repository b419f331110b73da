// The API's request and response schemas: the server's routes validate with them and document them in
// /openapi.json; the web takes its types from them (`import type`, so none of this reaches the bundle).
export * from "./accounting.ts";
export * from "./activity.ts";
export * from "./alerts.ts";
export * from "./api-keys.ts";
export * from "./billing.ts";
export * from "./billing-runs.ts";
export * from "./common.ts";
export * from "./contracts.ts";
export * from "./credits.ts";
export * from "./customers.ts";
export * from "./enums.ts";
export * from "./events.ts";
export * from "./invoices.ts";
export * from "./metrics.ts";
export * from "./plan-migrations.ts";
export * from "./plans.ts";
export * from "./portal.ts";
export * from "./products.ts";
export * from "./quotes.ts";
export * from "./receivables.ts";
export * from "./unmatched-usage.ts";
export * from "./usage.ts";
export * from "./users.ts";
export * from "./webhooks.ts";
