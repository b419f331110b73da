import { createHash } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";
import { type Role, rolePermissions } from "@pricegraph/shared";
import type { Login, SessionInfo } from "@pricegraph/shared/api";
import { type Caller, type Deps, randomBase62 } from "../../context.ts";
import { ApiError, unauthorized } from "../../http/errors.ts";
import {
  deleteExpiredSessionsOfUser,
  deleteSession,
  deleteSessionsOfUser,
  insertSession,
  liveSessionForToken,
  membershipsOfUser,
  userAndTenantNames,
  userByEmail,
} from "./queries.ts";

/** How long a sign-in lasts; signing in again starts a new one. */
export const SESSION_LIFETIME_MS = 14 * 24 * 60 * 60 * 1000;

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function newToken(): string {
  return randomBase62(32);
}

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

/** A hash of no one's password: unknown e-mails cost the same time as wrong passwords. */
let decoyHash: Promise<string> | null = null;

async function passwordMatches(passwordHash: string | null, password: string): Promise<boolean> {
  if (passwordHash === null) {
    decoyHash ??= hash(newToken());
    await verify(await decoyHash, password).catch(() => false);
    return false;
  }
  return verify(passwordHash, password).catch(() => false);
}

export interface NewSession {
  token: string;
  csrfToken: string;
  expiresAt: Date;
  tenantId: string;
  userId: string;
  role: Role;
}

/** A session for a user in a tenant; the token goes in the cookie, only its hash is stored. */
export async function startSession(
  deps: Deps,
  userId: string,
  tenantId: string,
  role: Role,
): Promise<NewSession> {
  const token = newToken();
  const csrfToken = newToken();
  const now = deps.clock();
  const expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS);
  // Expired sessions of the user are dropped as a new one starts, so the table holds live sessions only.
  await deleteExpiredSessionsOfUser(deps.db, userId, now);
  await insertSession(deps.db, {
    id: deps.ids("ses"),
    tokenHash: hashToken(token),
    userId,
    tenantId,
    csrfToken,
    createdAt: now,
    expiresAt,
  });
  return { token, csrfToken, expiresAt, tenantId, userId, role };
}

const badCredentials = () => unauthorized("The e-mail or password is not right");

/** Checks e-mail and password and starts a session in the requested (or first) tenant of the user. */
export async function login(deps: Deps, input: Login): Promise<NewSession> {
  const user = await userByEmail(deps.db, input.email);
  if (!(await passwordMatches(user?.passwordHash ?? null, input.password)) || !user) throw badCredentials();
  const tenants = await membershipsOfUser(deps.db, user.id);
  const tenant = input.tenantId ? tenants.find((t) => t.tenantId === input.tenantId) : tenants[0];
  if (!tenant) throw badCredentials();
  return startSession(deps, user.id, tenant.tenantId, tenant.role as Role);
}

export interface SessionCaller {
  sessionId: string;
  userId: string;
  tenantId: string;
  role: Role;
  csrfToken: string;
}

/** The session behind a cookie token, or null when it is unknown, expired or its user left the tenant. */
export async function resolveSession(deps: Pick<Deps, "db" | "clock">, token: string) {
  if (token.length > 200) return null;
  const row = await liveSessionForToken(deps.db, hashToken(token), deps.clock());
  if (!row) return null;
  return {
    sessionId: row.id,
    userId: row.userId,
    tenantId: row.tenantId,
    role: row.role as Role,
    csrfToken: row.csrfToken,
  } satisfies SessionCaller;
}

export async function endSession(deps: Pick<Deps, "db">, sessionId: string): Promise<void> {
  await deleteSession(deps.db, sessionId);
}

/** Sign-out everywhere: every session of the user, in every tenant and browser. */
export async function endAllSessions(deps: Pick<Deps, "db">, userId: string): Promise<number> {
  return deleteSessionsOfUser(deps.db, userId);
}

export function notASession(): ApiError {
  return new ApiError(400, "NOT_A_SESSION", "This request is not made with a session cookie", [
    { path: "headers.cookie", message: "sign in with e-mail and password to get a session" },
  ]);
}

/** What `GET /v1/auth/session` answers: who acts, in which tenant, with which role. */
export async function sessionInfo(
  deps: Pick<Deps, "db">,
  caller: Caller,
  role: Role,
  csrfToken: string | null,
): Promise<SessionInfo> {
  const userId = caller.actor.type === "user" ? caller.actor.id : null;
  const { tenantName, user } = await userAndTenantNames(deps.db, userId, caller.tenantId);
  return {
    tenantId: caller.tenantId,
    tenantName,
    role,
    permissions: [...rolePermissions[role]],
    actor: { type: caller.actor.type === "user" ? "user" : "api_key", id: caller.actor.id },
    user: user ? { id: user.id, email: user.email, name: user.name } : null,
    csrfToken,
  };
}
