import rateLimit from "@fastify/rate-limit";
import {
  acceptInvitationBody,
  createdInvitationSchema,
  createInvitationBody,
  errorBodySchema,
  idParams,
  invitationPreviewSchema,
  loginBody,
  memberSchema,
  passwordResetLinkSchema,
  resetPasswordBody,
  sessionInfoSchema,
  updateMemberBody,
  usersListSchema,
} from "@pricegraph/shared/api";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Caller, Deps } from "../../context.ts";
import { type AuthOptions, clearSessionCookies, setSessionCookies } from "../../http/auth.ts";
import { ApiError } from "../../http/errors.ts";
import {
  acceptInvitation,
  changeRole,
  invite,
  issuePasswordReset,
  listUsers,
  previewInvitation,
  removeMember,
  resetPassword,
} from "./service.ts";
import { endAllSessions, endSession, login, type NewSession, notASession, sessionInfo } from "./sessions.ts";

const callerOf = (session: NewSession): Caller => ({
  tenantId: session.tenantId,
  actor: { type: "user", id: session.userId },
});

export interface UserRoutesOptions extends Deps {
  auth: AuthOptions;
  /** Sign-in attempts allowed per client address and minute. */
  loginAttemptsPerMinute?: number;
}

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema };
const sessionTags = ["sessions"];
const userTags = ["users"];

/** Sign-in, sessions, invitations and password resets, and the tenant's members with their roles. */
export const userRoutes: FastifyPluginAsyncZod<UserRoutesOptions> = async (app, options) => {
  const { auth, loginAttemptsPerMinute = 10, ...deps } = options;
  // Sign-in attempts per client address, in this process, on the login route only. The app registers
  // @fastify/rate-limit for failed API keys; a separate key prefix keeps the two counts apart.
  if (!app.hasDecorator("createRateLimit")) await app.register(rateLimit, { global: false });
  const loginAttempts = app.createRateLimit({
    max: loginAttemptsPerMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => `login:${request.ip}`,
  });
  const limitLogin = async (request: FastifyRequest, reply: FastifyReply) => {
    const state = await loginAttempts(request);
    if (state.isAllowed || !state.isExceeded) return;
    reply.header("retry-after", state.ttlInSeconds);
    throw new ApiError(429, "RATE_LIMITED", `Too many sign-in attempts; retry in ${state.ttlInSeconds} s`, [
      {
        path: "$",
        message: `at most ${loginAttemptsPerMinute} sign-in attempts a minute`,
        retryAfterSeconds: state.ttlInSeconds,
      },
    ]);
  };

  app.post(
    "/auth/login",
    {
      onRequest: limitLogin,
      schema: {
        tags: sessionTags,
        summary: "Sign in with e-mail and password: sets the session and CSRF cookies",
        security: [],
        body: loginBody,
        response: { 200: sessionInfoSchema, ...errors, 429: errorBodySchema },
      },
    },
    async (request, reply) => {
      const session = await login(deps, request.body);
      setSessionCookies(reply, session, auth);
      return sessionInfo(deps, callerOf(session), session.role, session.csrfToken);
    },
  );

  app.get(
    "/auth/session",
    {
      schema: {
        tags: sessionTags,
        summary: "Who this request acts as: user or API key, tenant, role and permissions",
        response: { 200: sessionInfoSchema, ...errors },
      },
    },
    async (request) => sessionInfo(deps, request.caller, request.role, request.session?.csrfToken ?? null),
  );

  app.post(
    "/auth/logout",
    {
      schema: {
        tags: sessionTags,
        summary: "Sign out this browser (ends the session and clears its cookies)",
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      if (request.session) await endSession(deps, request.session.id);
      clearSessionCookies(reply);
      return reply.code(204).send(null);
    },
  );

  app.post(
    "/auth/logout-everywhere",
    {
      schema: {
        tags: sessionTags,
        summary: "Sign out every session of the signed-in user, in every browser and tenant",
        response: { 200: z.object({ ended: z.number().int() }), ...errors },
      },
    },
    async (request, reply) => {
      if (!request.session) throw notASession();
      const ended = await endAllSessions(deps, request.session.userId);
      clearSessionCookies(reply);
      return { ended };
    },
  );

  app.get(
    "/auth/invitations/:token",
    {
      schema: {
        tags: sessionTags,
        summary: "What an invitation link invites to (e-mail, role, tenant)",
        security: [],
        params: z.object({ token: z.string().min(1).max(200) }),
        response: { 200: invitationPreviewSchema, ...errors },
      },
    },
    async (request) => previewInvitation(deps, request.params.token),
  );

  app.post(
    "/auth/invitations/accept",
    {
      schema: {
        tags: sessionTags,
        summary: "Accept an invitation: set name and password (or give the existing account's) and sign in",
        security: [],
        body: acceptInvitationBody,
        response: { 200: sessionInfoSchema, ...errors },
      },
    },
    async (request, reply) => {
      const session = await acceptInvitation(deps, request.body);
      setSessionCookies(reply, session, auth);
      return sessionInfo(deps, callerOf(session), session.role, session.csrfToken);
    },
  );

  app.post(
    "/auth/password-reset",
    {
      schema: {
        tags: sessionTags,
        summary:
          "Set a new password with a reset token (single use, expires after an hour); ends all sessions",
        security: [],
        body: resetPasswordBody,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await resetPassword(deps, request.body);
      return reply.code(204).send(null);
    },
  );

  app.get(
    "/users",
    {
      schema: {
        tags: userTags,
        summary: "The tenant's members with their roles, and open invitations",
        response: { 200: usersListSchema, ...errors },
      },
    },
    async (request) => listUsers(deps, request.tenantId),
  );

  app.post(
    "/users/invitations",
    {
      schema: {
        tags: userTags,
        summary: "Invite an e-mail address with a role; the answer holds the invite link (valid 7 days)",
        body: createInvitationBody,
        response: { 201: createdInvitationSchema, ...errors, 409: errorBodySchema },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await invite(deps, request.caller, request.role, request.body)),
  );

  app.patch(
    "/users/:id",
    {
      schema: {
        tags: userTags,
        summary: "Change a member's role (only owners grant or take the owner role; the last owner stays)",
        params: idParams,
        body: updateMemberBody,
        response: { 200: memberSchema, ...errors, 409: errorBodySchema },
      },
    },
    async (request) => changeRole(deps, request.caller, request.role, request.params.id, request.body.role),
  );

  app.delete(
    "/users/:id",
    {
      schema: {
        tags: userTags,
        summary: "Remove a member from the tenant and end their sessions in it",
        params: idParams,
        response: { 200: memberSchema, ...errors, 409: errorBodySchema },
      },
    },
    async (request) => removeMember(deps, request.caller, request.role, request.params.id),
  );

  app.post(
    "/users/:id/password-reset",
    {
      schema: {
        tags: userTags,
        summary: "A single-use password reset link for a member (valid one hour)",
        params: idParams,
        response: { 201: passwordResetLinkSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await issuePasswordReset(deps, request.caller, request.role, request.params.id)),
  );
};
