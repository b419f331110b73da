export * from "./currencies.ts";
export * from "./decimal-string.ts";
export * from "./plan-document.ts";
export * from "./problems.ts";
