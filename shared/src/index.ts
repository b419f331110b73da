export * from "./currencies.ts";
export * from "./decimal-string.ts";
export * from "./local-dates.ts";
export * from "./periods.ts";
export * from "./plan-document.ts";
export * from "./prng.ts";
export * from "./problems.ts";
