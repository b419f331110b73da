export * from "./activity.ts";
export * from "./billing.ts";
export * from "./contracts.ts";
export * from "./customers.ts";
export * from "./events.ts";
export * from "./metrics.ts";
export * from "./plans.ts";
export * from "./tenants.ts";
