import { existsSync } from "node:fs";
import { join } from "node:path";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { z } from "zod";
import { sqlState } from "../db/index.ts";
import { ApiError, type ErrorDetail, zodDetails } from "./errors.ts";

/** What the validator compiler returns, keeping zod's issues with their raw paths. */
export class RequestValidationError extends Error {
  constructor(
    readonly part: string,
    readonly zodError: z.ZodError,
  ) {
    super("The request is invalid");
  }
}

const PART_PREFIX: Record<string, string> = {
  body: "$",
  querystring: "query",
  params: "params",
  headers: "headers",
};

function send(
  reply: FastifyReply,
  status: number,
  code: string,
  message: string,
  details: ErrorDetail[] = [],
) {
  return reply
    .code(status)
    .type("application/json")
    .send(JSON.stringify({ error: { code, message, details } }));
}

/** Codes fastify itself raises for malformed requests, with ours. */
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "UNSUPPORTED_MEDIA_TYPE",
  FST_ERR_CTP_BODY_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  FST_ERR_CTP_EMPTY_JSON_BODY: "INVALID_JSON",
  FST_ERR_CTP_INVALID_JSON_BODY: "INVALID_JSON",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: "INVALID_REQUEST",
};

/** SQLSTATE classes that only user-supplied values can cause here (bad text, out-of-range numbers). */
function isDataException(error: unknown): boolean {
  return /^22[0-9A-Z]{3}$/.test(sqlState(error) ?? "");
}

/** `webDist`: unknown GET paths outside the API fall back to the web app's index.html (client-side routes). */
export function registerErrorHandler(app: FastifyInstance, webDist?: string): void {
  const spaIndex = webDist && existsSync(join(webDist, "index.html")) ? "index.html" : null;
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split("?")[0];
    const apiPath = /^\/(v1|docs|openapi\.json)(\/|$)/.test(path);
    if (spaIndex && request.method === "GET" && !apiPath) return reply.sendFile(spaIndex);
    return send(reply, 404, "NOT_FOUND", `No route ${request.method} ${path}`);
  });
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof ApiError)
      return send(reply, error.statusCode, error.code, error.message, error.details);
    if (error instanceof RequestValidationError) {
      return send(
        reply,
        400,
        "VALIDATION_FAILED",
        "The request is invalid",
        zodDetails(error.zodError, PART_PREFIX[error.part] ?? "$"),
      );
    }
    if (error instanceof SyntaxError || error.code === "FST_ERR_CTP_INVALID_JSON_BODY") {
      return send(reply, 400, "INVALID_JSON", "The body is not valid JSON");
    }
    if (isDataException(error)) {
      return send(
        reply,
        400,
        "VALIDATION_FAILED",
        "A value in the request is out of range or not valid text",
      );
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code = FASTIFY_CODES[error.code] ?? (status === 404 ? "NOT_FOUND" : "INVALID_REQUEST");
      return send(reply, status, code, error.message);
    }
    request.log.error({ err: error }, "request failed");
    return send(reply, 500, "INTERNAL", "Something went wrong on our side");
  });
}
