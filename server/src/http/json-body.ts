import { jsonPath } from "@pricegraph/shared";
import type { FastifyInstance } from "fastify";
import { ApiError } from "./errors.ts";

/**
 * Limits on JSON request bodies, checked before anything walks them recursively (zod, drizzle, JSON.stringify
 * overflowed the stack at ~5,000 levels). A plan document is about 8 levels deep and a few KB; an event is 4.
 */
export const MAX_JSON_DEPTH = 32;
/** Every JSON body but an event batch. */
export const JSON_BODY_LIMIT = 1024 * 1024;
/** `POST /v1/events` carries up to 10,000 events (about 1.5 MB with small properties). */
export const EVENT_BATCH_BODY_LIMIT = 8 * 1024 * 1024;
/** Routes whose JSON bodies may be larger than JSON_BODY_LIMIT (CSV bodies are streamed and bounded apart). */
const LARGER_BODIES: Record<string, number> = { "POST /v1/events": EVENT_BATCH_BODY_LIMIT };

interface Frame {
  value: unknown;
  parent: Frame | null;
  key: string | number;
  depth: number;
}

/** The JSON path of the first value nested deeper than `maxDepth` (the body itself is depth 1), or null. */
export function tooDeepAt(body: unknown, maxDepth: number): string | null {
  // An explicit stack: a recursive walk would overflow on the very input it guards against.
  const stack: Frame[] = [{ value: body, parent: null, key: "", depth: 1 }];
  while (stack.length > 0) {
    const frame = stack.pop() as Frame;
    const { value } = frame;
    if (value === null || typeof value !== "object") continue;
    if (frame.depth > maxDepth) return pathOf(frame);
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        stack.push({ value: value[i], parent: frame, key: i, depth: frame.depth + 1 });
      }
    } else {
      for (const [key, item] of Object.entries(value)) {
        stack.push({ value: item, parent: frame, key, depth: frame.depth + 1 });
      }
    }
  }
  return null;
}

function pathOf(frame: Frame): string {
  const keys: (string | number)[] = [];
  for (let f: Frame | null = frame; f?.parent; f = f.parent) keys.push(f.key);
  return jsonPath(keys.reverse());
}

/**
 * Replaces fastify's JSON parser with the same parser (prototype-poisoning checks included) plus a depth bound,
 * and sets the body limits: JSON_BODY_LIMIT by default, more for the routes in LARGER_BODIES.
 */
export function registerJsonBodies(app: FastifyInstance): void {
  app.addHook("onRoute", (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      const limit = LARGER_BODIES[`${method} ${route.url}`];
      if (limit) route.bodyLimit = limit;
    }
  });
  const parse = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser(
    "application/json",
    { parseAs: "string", bodyLimit: JSON_BODY_LIMIT },
    (request, body, done) => {
      parse(request, body.toString(), (error, value) => {
        if (error) return done(error, undefined);
        const path = tooDeepAt(value, MAX_JSON_DEPTH);
        if (path === null) return done(null, value);
        done(
          new ApiError(400, "JSON_TOO_DEEP", `JSON may nest at most ${MAX_JSON_DEPTH} levels`, [
            { path, message: `is nested deeper than ${MAX_JSON_DEPTH} levels` },
          ]),
          undefined,
        );
      });
    },
  );
}
