import fastifyHelmet from "@fastify/helmet";
import fastifyRateLimit from "@fastify/rate-limit";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { ApiError } from "./errors.ts";

/** How many failed authentications one client address may make per window before it is refused. */
export interface AuthFailureLimit {
  max: number;
  windowMs: number;
}

export const DEFAULT_AUTH_FAILURE_LIMIT: AuthFailureLimit = { max: 20, windowMs: 60_000 };

/** Checks and counts failed authentications per client address. */
export interface AuthFailureLimiter {
  /** Throws 429 (with Retry-After) while the address has used up its failures for the window. */
  check(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  /** Counts one failed attempt. */
  record(request: FastifyRequest): Promise<void>;
}

/**
 * Security headers on every answer, and the store that limits failed authentications. The CSP is helmet's
 * default (scripts and styles from this origin, `data:` images; the web app and Swagger UI load nothing else)
 * without `upgrade-insecure-requests`, which would break a self-hosted server answering plain HTTP.
 */
export async function registerSecurity(
  app: FastifyInstance,
  limit: AuthFailureLimit,
): Promise<AuthFailureLimiter> {
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
  });
  // Nothing is limited globally: only failed authentications count (a correct key is never slowed down).
  await app.register(fastifyRateLimit, { global: false });
  const limiter = app.createRateLimit({
    max: limit.max,
    timeWindow: limit.windowMs,
    keyGenerator: (request) => request.ip,
  });
  return {
    async check(request, reply) {
      const state = await limiter(request, { increment: false });
      if (state.isAllowed || state.remaining > 0) return;
      reply.header("retry-after", state.ttlInSeconds);
      throw new ApiError(
        429,
        "TOO_MANY_FAILED_AUTHENTICATIONS",
        `Too many requests with a wrong API key from this address; retry in ${state.ttlInSeconds} s`,
        [
          {
            path: "headers.authorization",
            message: "too many failed attempts",
            retryAfterSeconds: state.ttlInSeconds,
          },
        ],
      );
    },
    async record(request) {
      await limiter(request);
    },
  };
}
