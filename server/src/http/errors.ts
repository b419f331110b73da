import { jsonPath, type Problem } from "@pricegraph/shared";
import type { z } from "zod";

export interface ErrorDetail {
  path: string;
  message: string;
  [extra: string]: unknown;
}

/** An error a client can act on: mapped to its status and shape by the one error handler. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
  }
}

export function validationFailed(details: ErrorDetail[], message = "The request is invalid"): ApiError {
  return new ApiError(400, "VALIDATION_FAILED", message, details);
}

export function notFound(what: string, details: ErrorDetail[] = []): ApiError {
  return new ApiError(404, "NOT_FOUND", `${what} not found`, details);
}

export function conflict(message: string, details: ErrorDetail[] = []): ApiError {
  return new ApiError(409, "CONFLICT", message, details);
}

export function unauthorized(message: string): ApiError {
  return new ApiError(401, "UNAUTHORIZED", message);
}

function problemDetails(problems: readonly Problem[]): ErrorDetail[] {
  return problems.map((problem) => ({ ...problem, path: problem.path ?? "$" }));
}

/** The compiler refused a plan document: every problem, with node and edge ids. */
export function planInvalid(problems: readonly Problem[]): ApiError {
  return new ApiError(422, "PLAN_INVALID", "The plan does not compile", problemDetails(problems));
}

/** The engine refused to evaluate (division by zero, a matrix group without a price, bad input). */
export function evaluationFailed(problems: readonly Problem[]): ApiError {
  return new ApiError(422, "EVALUATION_FAILED", "The plan could not be evaluated", problemDetails(problems));
}

/** Zod issues as details; `prefix` places them in the request (`$` body, `query`, `params`). */
export function zodDetails(error: z.ZodError, prefix = "$"): ErrorDetail[] {
  return error.issues.map((issue) => {
    const detail: ErrorDetail = { path: jsonPath(issue.path).replace(/^\$/, prefix), message: issue.message };
    // Items of a batch (`events[3].timestamp`) also carry their index and field.
    if (prefix === "$" && issue.path.length >= 2 && typeof issue.path[1] === "number") {
      detail.index = issue.path[1];
      detail.field = issue.path.slice(2).map(String).join(".");
    }
    return detail;
  });
}
