import { type Permission, roleHasPermission, routeKey, routePermissions } from "@pricegraph/shared";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { ApiError } from "./errors.ts";

const PERMISSION_TABLE = "shared/src/permissions.ts";

/** The error that stops the server when a route has no entry in the permission table. */
export class MissingRoutePermissionError extends Error {
  constructor(readonly key: string) {
    super(
      `The route ${key} has no entry in the permission table. Add "${key}": "<permission>" (or "public" / ` +
        `"signed_in") to routePermissions in ${PERMISSION_TABLE}; every /v1 route needs one before the server starts.`,
    );
  }
}

export function forbidden(permission: Permission, role: string): ApiError {
  return new ApiError(403, "FORBIDDEN", `The ${role} role may not do this: it needs ${permission}`, [
    { path: "role", message: `lacks the permission ${permission}`, permission, role },
  ]);
}

/**
 * Enforces the permission table on every route of the scope. Register after authentication: it reads
 * `request.role`. Routes are checked as they are registered, so a route without an entry fails the start.
 * `app.apiRoutes` lists the table keys of every route registered here (the route × role test walks it).
 */
export function registerPermissions(app: FastifyInstance, prefix: string): string[] {
  const registered: string[] = [];
  app.addHook("onRoute", (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === "HEAD" || method === "OPTIONS") continue;
      const key = routeKey(method, route.url);
      if (!route.url.startsWith(prefix)) continue;
      if (routePermissions[key] === undefined) throw new MissingRoutePermissionError(key);
      registered.push(key);
    }
  });
  app.addHook("onRequest", async (request: FastifyRequest) => {
    const pattern = request.routeOptions.url;
    if (!pattern) return;
    const access = routePermissions[routeKey(request.method, pattern)];
    // Unreachable for routes registered here (the start fails without an entry); refuse rather than allow.
    if (access === undefined) throw new ApiError(403, "FORBIDDEN", "This route has no permission entry");
    if (access === "public" || access === "signed_in") return;
    if (!roleHasPermission(request.role, access)) throw forbidden(access, request.role);
  });
  return registered;
}
