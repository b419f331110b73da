import { setTimeout as sleep } from "node:timers/promises";
import type { SwaggerTransform } from "@fastify/swagger";
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema } from "fastify";
import type { Deps } from "../context.ts";
import { MAX_CSV_BYTES } from "./csv.ts";
import { ApiError } from "./errors.ts";
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  findIdempotencyKey,
  type IdempotencyKeyRow,
  purgeExpiredIdempotencyKeys,
  releaseIdempotencyKey,
  renewIdempotencyClaim,
} from "./idempotency-queries.ts";
import {
  type BodyFingerprint,
  EMPTY_BODY_HASH,
  fingerprintBody,
  readToDigest,
} from "./request-fingerprint.ts";

export const IDEMPOTENCY_HEADER = "idempotency-key";
export const REPLAYED_HEADER = "idempotent-replayed";
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;
/** How long a key and its answer are kept, as Stripe does. */
export const IDEMPOTENCY_KEY_LIFETIME_MS = 24 * 60 * 60 * 1000;
const HEADER_PATH = `headers.${IDEMPOTENCY_HEADER}`;
/** Expired keys of a tenant are deleted at most this often (they are ignored as soon as they expire). */
const PURGE_EVERY_MS = 60 * 60 * 1000;
const PURGE_MEMORY = 10_000;

export interface IdempotencyOptions {
  /** How long a duplicate waits for the first request's answer before 409 `IDEMPOTENCY_KEY_IN_USE`. */
  waitLimitMs?: number;
  /**
   * How long a claim holds without renewal. A running request renews it every third of this; a claim left by a
   * process that stopped frees the key once it lapses.
   */
  claimLeaseMs?: number;
}

interface Claim {
  claimId: string;
  renewal: NodeJS.Timeout;
}

interface IdempotentAttempt {
  key: string;
  /** The body as it streams through its hash; null for a request without a body. */
  fingerprint: BodyFingerprint | null;
  /** Set while this request holds the key and runs its handler. */
  claim: Claim | null;
}

declare module "fastify" {
  interface FastifyRequest {
    /** The request's `Idempotency-Key` and its claim; null without the header. */
    idempotency: IdempotentAttempt | null;
  }
}

function keyError(status: number, code: string, message: string): ApiError {
  return new ApiError(status, code, message, [{ path: HEADER_PATH, message }]);
}

/** The header's key; null when absent; 400 when it cannot be a key. */
function idempotencyKeyOf(header: string | string[] | undefined): string | null {
  if (header === undefined) return null;
  if (Array.isArray(header)) throw keyError(400, "VALIDATION_FAILED", "Send one Idempotency-Key header");
  if (header.length === 0 || header.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw keyError(
      400,
      "VALIDATION_FAILED",
      `The Idempotency-Key must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters long`,
    );
  }
  return header;
}

/** Whether fastify reads a body for the request (the same test it makes before parsing). */
function hasBody(request: FastifyRequest): boolean {
  const { headers } = request;
  if (headers["content-type"] !== undefined || headers["transfer-encoding"] !== undefined) return true;
  return headers["content-length"] !== undefined && headers["content-length"] !== "0";
}

/** The body's digest when it is known before the handler runs (JSON is parsed whole; CSV streams into it). */
function knownDigest(attempt: IdempotentAttempt): string | null {
  return attempt.fingerprint === null ? EMPTY_BODY_HASH : attempt.fingerprint.digest;
}

/**
 * `Idempotency-Key` on every POST of the scope (register it after authentication: keys are per tenant). The first
 * request with a key runs and its answer is kept for 24 hours; a retry with the same method, URL and body gets
 * that answer again with `Idempotent-Replayed: true`; the same key with another request is a 409. Duplicates that
 * arrive while the first runs wait for its answer. Answers of 5xx are not kept: the key can be retried.
 */
export function registerIdempotency(
  app: FastifyInstance,
  deps: Deps,
  options: IdempotencyOptions = {},
): void {
  const waitLimitMs = options.waitLimitMs ?? 30_000;
  const claimLeaseMs = options.claimLeaseMs ?? 2 * 60_000;
  const lastPurge = new Map<string, number>();

  async function purgeExpired(tenantId: string): Promise<void> {
    const now = deps.clock().getTime();
    if ((lastPurge.get(tenantId) ?? Number.NEGATIVE_INFINITY) > now - PURGE_EVERY_MS) return;
    if (lastPurge.size >= PURGE_MEMORY) lastPurge.clear();
    lastPurge.set(tenantId, now);
    await purgeExpiredIdempotencyKeys(deps.db, tenantId, new Date(now));
  }

  function holdClaim(request: FastifyRequest, key: string, claimId: string): Claim {
    const renewal = setInterval(() => {
      const lockedUntil = new Date(deps.clock().getTime() + claimLeaseMs);
      renewIdempotencyClaim(deps.db, request.tenantId, key, claimId, lockedUntil).catch((error) =>
        request.log.warn({ err: error }, "could not renew an idempotency claim"),
      );
    }, claimLeaseMs / 3);
    renewal.unref();
    return { claimId, renewal };
  }

  /** Claims the key, or waits for the request holding it and answers its stored response. */
  async function claimOrAwait(
    request: FastifyRequest,
    attempt: IdempotentAttempt,
  ): Promise<{ claimId: string } | { stored: IdempotencyKeyRow }> {
    const { tenantId } = request;
    const requestPath = request.url;
    const deadline = performance.now() + waitLimitMs;
    let digest = knownDigest(attempt);
    for (let pause = 10; ; pause = Math.min(pause * 2, 250)) {
      const now = deps.clock();
      const claimId = deps.ids("idem");
      const claimed = await claimIdempotencyKey(deps.db, {
        tenantId,
        key: attempt.key,
        requestMethod: request.method,
        requestPath,
        requestHash: digest,
        claimId,
        now,
        lockedUntil: new Date(now.getTime() + claimLeaseMs),
        expiresAt: new Date(now.getTime() + IDEMPOTENCY_KEY_LIFETIME_MS),
      });
      if (claimed) return { claimId };
      const held = await findIdempotencyKey(deps.db, tenantId, attempt.key);
      if (held) {
        const sameRequest = held.requestMethod === request.method && held.requestPath === requestPath;
        if (!sameRequest || (digest !== null && held.requestHash !== null && held.requestHash !== digest)) {
          throw keyError(
            409,
            "IDEMPOTENCY_KEY_REUSED",
            "This Idempotency-Key was used with another request in the last 24 hours; use a new key",
          );
        }
        if (held.status === "done") {
          // A streamed body is only known once read: read it now to compare (the handler will not run).
          if (digest === null && attempt.fingerprint) {
            digest = await readToDigest(attempt.fingerprint, MAX_CSV_BYTES);
            if (digest === null) throw new ApiError(400, "INVALID_REQUEST", "The body could not be read");
            continue;
          }
          return { stored: held };
        }
      }
      if (performance.now() >= deadline) {
        throw keyError(
          409,
          "IDEMPOTENCY_KEY_IN_USE",
          "A request with this Idempotency-Key is still running; retry later",
        );
      }
      await sleep(pause);
    }
  }

  /** Keeps the answer under the key, or frees the key when the answer is not one to repeat. */
  async function settle(
    request: FastifyRequest,
    reply: FastifyReply | null,
    payload: unknown,
  ): Promise<void> {
    const attempt = request.idempotency;
    const claim = attempt?.claim;
    if (!attempt || !claim) return;
    attempt.claim = null;
    clearInterval(claim.renewal);
    const { tenantId } = request;
    // A CSV the handler stopped reading (it refused a row) changed nothing: retrying it is harmless, so its key is
    // freed rather than kept without a fingerprint of the whole body.
    const digest = knownDigest(attempt);
    const body = typeof payload === "string" ? payload : Buffer.isBuffer(payload) ? payload.toString() : null;
    if (!reply || reply.statusCode >= 500 || body === null || digest === null) {
      await releaseIdempotencyKey(deps.db, tenantId, attempt.key, claim.claimId);
      return;
    }
    const contentType = reply.getHeader("content-type");
    await completeIdempotencyKey(deps.db, tenantId, attempt.key, claim.claimId, {
      requestHash: digest,
      responseStatus: reply.statusCode,
      responseContentType: typeof contentType === "string" ? contentType : null,
      responseBody: body,
    });
  }

  app.decorateRequest("idempotency", null);

  app.addHook("preParsing", async (request, _reply, payload) => {
    if (request.method !== "POST") return payload;
    const key = idempotencyKeyOf(request.headers[IDEMPOTENCY_HEADER]);
    if (key === null) return payload;
    const fingerprint = hasBody(request) ? fingerprintBody(payload) : null;
    request.idempotency = { key, fingerprint, claim: null };
    return fingerprint ?? payload;
  });

  // After validation: a request refused before its handler runs keeps no answer (it can be corrected and retried
  // with the same key), as with Stripe.
  app.addHook("preHandler", async (request, reply) => {
    const attempt = request.idempotency;
    if (!attempt) return;
    await purgeExpired(request.tenantId);
    const outcome = await claimOrAwait(request, attempt);
    if ("claimId" in outcome) {
      attempt.claim = holdClaim(request, attempt.key, outcome.claimId);
      return;
    }
    const { stored } = outcome;
    if (stored.responseContentType) reply.header("content-type", stored.responseContentType);
    return reply
      .code(stored.responseStatus ?? 200)
      .header(REPLAYED_HEADER, "true")
      .send(stored.responseBody ?? "");
  });

  app.addHook("onSend", async (request, reply, payload) => {
    try {
      await settle(request, reply, payload);
    } catch (error) {
      request.log.error({ err: error }, "could not store the answer of an idempotent request");
    }
    return payload;
  });

  // A response that never passed through onSend (the connection closed first) must not hold its key.
  app.addHook("onResponse", async (request) => {
    if (request.idempotency?.claim) await settle(request, null, null).catch(() => {});
  });
}

/** Adds the optional `Idempotency-Key` header to every POST of `/v1` in the OpenAPI document. */
export function withIdempotencyHeader<S extends FastifySchema>(
  transform: SwaggerTransform<S>,
): SwaggerTransform<S> {
  return (document) => {
    const result = transform(document);
    const methods = [document.route.method].flat();
    if (
      !methods.includes("POST") ||
      !document.url.startsWith("/v1/") ||
      (result.schema as { hide?: boolean }).hide
    )
      return result;
    const headers = (result.schema.headers ?? { type: "object", properties: {} }) as {
      properties?: Record<string, unknown>;
    };
    const header = {
      type: "string",
      minLength: 1,
      maxLength: MAX_IDEMPOTENCY_KEY_LENGTH,
      description:
        "Makes the POST safe to retry: the same key with the same request answers the first response again " +
        "(with `Idempotent-Replayed: true`) for 24 hours; the same key with another request is a 409.",
    };
    return {
      ...result,
      schema: {
        ...result.schema,
        headers: { ...headers, properties: { ...headers.properties, [IDEMPOTENCY_HEADER]: header } },
      },
    };
  };
}
