import { verify } from "@node-rs/argon2";
import type { Role } from "@pricegraph/shared";
import type {
  AcceptInvitation,
  CreatedInvitation,
  CreateInvitation,
  Invitation,
  InvitationPreview,
  Member,
  ResetPassword,
  UsersList,
} from "@pricegraph/shared/api";
import { type Caller, type Deps, systemCaller } from "../../context.ts";
import type { Db } from "../../db/index.ts";
import { ApiError, notFound, unauthorized } from "../../http/errors.ts";
import { recordActivity } from "../activity/service.ts";
import {
  consumePasswordReset,
  deleteMembership,
  deleteSessionsOfUser,
  type InvitationRow,
  insertInvitation,
  insertMembership,
  insertPasswordReset,
  insertUser,
  invitationById,
  listMembers,
  lockOwners,
  type MemberRow,
  markInvitationAccepted,
  memberById,
  openInvitationForToken,
  pendingInvitations,
  setInvitationToken,
  setPasswordHash,
  updateMemberRole,
  userByEmail,
} from "./queries.ts";
import { hashPassword, hashToken, type NewSession, newToken, startSession } from "./sessions.ts";

export const INVITATION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;
export const PASSWORD_RESET_LIFETIME_MS = 60 * 60 * 1000;

export const inviteUrl = (token: string) => `/accept-invite?token=${token}`;
export const resetUrl = (token: string) => `/reset-password?token=${token}`;

function toMember(row: MemberRow): Member {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role as Role,
    joinedAt: row.joinedAt.toISOString(),
  };
}

function toInvitation(row: InvitationRow): Invitation {
  return {
    id: row.id,
    email: row.email,
    role: row.role as Role,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
  };
}

function forbidden(message: string, permission: string): ApiError {
  return new ApiError(403, "FORBIDDEN", message, [{ path: "role", message, permission }]);
}

/** Only an owner makes, unmakes or removes owners: an admin cannot promote itself past the owners. */
function requireOwnerFor(callerRole: Role, ...roles: string[]): void {
  if (roles.includes("owner") && callerRole !== "owner") {
    throw forbidden("Only an owner can grant, change or remove the owner role", "owner");
  }
}

export async function listUsers(deps: Pick<Deps, "db" | "clock">, tenantId: string): Promise<UsersList> {
  const [members, invitations] = await Promise.all([
    listMembers(deps.db, tenantId),
    pendingInvitations(deps.db, tenantId, deps.clock()),
  ]);
  return { data: members.map(toMember), invitations: invitations.map(toInvitation) };
}

/**
 * Invites an e-mail address to the tenant with a role. The link is in the answer only; an e-mail sender picks
 * up the `user.invited` record and calls `renewInvitationLink` for a link of its own.
 */
export async function invite(
  deps: Deps,
  caller: Caller,
  callerRole: Role,
  input: CreateInvitation,
): Promise<CreatedInvitation> {
  requireOwnerFor(callerRole, input.role);
  const existing = await userByEmail(deps.db, input.email);
  if (existing && (await memberById(deps.db, caller.tenantId, existing.id))) {
    throw new ApiError(409, "ALREADY_MEMBER", `${input.email} is already a member`, [
      { path: "$.email", message: "is already a member of this tenant" },
    ]);
  }
  const token = newToken();
  const now = deps.clock();
  const row: InvitationRow = {
    id: deps.ids("inv"),
    tenantId: caller.tenantId,
    email: input.email,
    role: input.role,
    tokenHash: hashToken(token),
    createdAt: now,
    expiresAt: new Date(now.getTime() + INVITATION_LIFETIME_MS),
    acceptedAt: null,
    revokedAt: null,
  };
  await deps.db.transaction(async (tx) => {
    await insertInvitation(tx as Db, row);
    await recordActivity(deps, tx as Db, caller, {
      type: "user.invited",
      objectId: row.id,
      object: toInvitation(row),
    });
  });
  return { ...toInvitation(row), inviteUrl: inviteUrl(token) };
}

/** A fresh link for an open invitation (the previous link stops working): what an e-mail sender sends. */
export async function renewInvitationLink(deps: Pick<Deps, "db" | "clock">, tenantId: string, id: string) {
  const row = await invitationById(deps.db, tenantId, id);
  if (!row || row.acceptedAt || row.revokedAt || row.expiresAt <= deps.clock()) return null;
  const token = newToken();
  await setInvitationToken(deps.db, tenantId, id, hashToken(token));
  return { email: row.email, role: row.role as Role, inviteUrl: inviteUrl(token) };
}

const invitationGone = () =>
  notFound("Invitation", [
    { path: "token", message: "is not an open invitation (used, revoked or expired)" },
  ]);

export async function previewInvitation(
  deps: Pick<Deps, "db" | "clock">,
  token: string,
): Promise<InvitationPreview> {
  const found = await openInvitationForToken(deps.db, hashToken(token), deps.clock());
  if (!found) throw invitationGone();
  const user = await userByEmail(deps.db, found.invitation.email);
  return {
    email: found.invitation.email,
    role: found.invitation.role as Role,
    tenantName: found.tenantName,
    existingUser: user !== null,
  };
}

/**
 * Joins the tenant of an invitation: a new e-mail becomes a user with this name and password; an existing user
 * proves it with its password. Signs the user in.
 */
export async function acceptInvitation(deps: Deps, input: AcceptInvitation): Promise<NewSession> {
  const now = deps.clock();
  const found = await openInvitationForToken(deps.db, hashToken(input.token), now);
  if (!found) throw invitationGone();
  const { invitation } = found;
  const existing = await userByEmail(deps.db, invitation.email);
  if (existing && !(await verify(existing.passwordHash, input.password).catch(() => false))) {
    throw unauthorized("This e-mail already has an account: enter its password to join");
  }
  const passwordHash = existing ? null : await hashPassword(input.password);
  const userId = existing?.id ?? deps.ids("usr");
  await deps.db.transaction(async (tx) => {
    if (!(await markInvitationAccepted(tx as Db, invitation.id, now))) throw invitationGone();
    if (!existing && passwordHash) {
      await insertUser(tx as Db, {
        id: userId,
        email: invitation.email,
        name: input.name,
        passwordHash,
        createdAt: now,
      });
    }
    await insertMembership(tx as Db, {
      tenantId: invitation.tenantId,
      userId,
      role: invitation.role,
      createdAt: now,
    });
    const member = await memberById(tx as Db, invitation.tenantId, userId);
    const caller: Caller = { tenantId: invitation.tenantId, actor: { type: "user", id: userId } };
    await recordActivity(deps, tx as Db, caller, {
      type: "user.joined",
      objectId: userId,
      object: member ? { ...toMember(member), invitationId: invitation.id } : null,
    });
  });
  return startSession(deps, userId, invitation.tenantId, invitation.role as Role);
}

const memberGone = (id: string) => notFound("User", [{ path: "params.id", message: `no member ${id}` }]);

function lastOwner(): ApiError {
  return new ApiError(409, "LAST_OWNER", "A tenant keeps at least one owner", [
    { path: "params.id", message: "is the last owner" },
  ]);
}

export async function changeRole(
  deps: Deps,
  caller: Caller,
  callerRole: Role,
  userId: string,
  role: Role,
): Promise<Member> {
  return deps.db.transaction(async (tx) => {
    const owners = await lockOwners(tx as Db, caller.tenantId);
    const member = await memberById(tx as Db, caller.tenantId, userId);
    if (!member) throw memberGone(userId);
    if (member.role === role) return toMember(member);
    requireOwnerFor(callerRole, member.role, role);
    if (member.role === "owner" && owners.length <= 1) throw lastOwner();
    await updateMemberRole(tx as Db, caller.tenantId, userId, role);
    const updated = toMember({ ...member, role });
    await recordActivity(deps, tx as Db, caller, {
      type: "user.role_changed",
      objectId: userId,
      object: { ...updated, previousRole: member.role },
    });
    return updated;
  });
}

/** Removes a member from the tenant (the user keeps any other tenant) and ends their sessions in it. */
export async function removeMember(
  deps: Deps,
  caller: Caller,
  callerRole: Role,
  userId: string,
): Promise<Member> {
  return deps.db.transaction(async (tx) => {
    const owners = await lockOwners(tx as Db, caller.tenantId);
    const member = await memberById(tx as Db, caller.tenantId, userId);
    if (!member) throw memberGone(userId);
    requireOwnerFor(callerRole, member.role);
    if (member.role === "owner" && owners.length <= 1) throw lastOwner();
    await deleteSessionsOfUser(tx as Db, userId, caller.tenantId);
    await deleteMembership(tx as Db, caller.tenantId, userId);
    const removed = toMember(member);
    await recordActivity(deps, tx as Db, caller, { type: "user.removed", objectId: userId, object: removed });
    return removed;
  });
}

/** A single-use reset link for a member, valid for an hour: handed over by an admin (or e-mailed). */
export async function issuePasswordReset(deps: Deps, caller: Caller, callerRole: Role, userId: string) {
  const member = await memberById(deps.db, caller.tenantId, userId);
  if (!member) throw memberGone(userId);
  requireOwnerFor(callerRole, member.role);
  const token = newToken();
  const now = deps.clock();
  const expiresAt = new Date(now.getTime() + PASSWORD_RESET_LIFETIME_MS);
  await deps.db.transaction(async (tx) => {
    const id = deps.ids("pwr");
    await insertPasswordReset(tx as Db, {
      id,
      userId,
      tokenHash: hashToken(token),
      createdAt: now,
      expiresAt,
      usedAt: null,
    });
    await recordActivity(deps, tx as Db, caller, {
      type: "user.password_reset_issued",
      objectId: userId,
      object: { ...toMember(member), expiresAt: expiresAt.toISOString() },
    });
  });
  return { resetUrl: resetUrl(token), expiresAt: expiresAt.toISOString() };
}

/** Sets a new password with a reset token (once, before it expires) and signs the user out everywhere. */
export async function resetPassword(deps: Deps, input: ResetPassword): Promise<void> {
  const passwordHash = await hashPassword(input.password);
  await deps.db.transaction(async (tx) => {
    const userId = await consumePasswordReset(tx as Db, hashToken(input.token), deps.clock());
    if (!userId) {
      throw new ApiError(400, "INVALID_TOKEN", "The reset link is used, expired or unknown", [
        { path: "$.token", message: "is not a valid reset token" },
      ]);
    }
    await setPasswordHash(tx as Db, userId, passwordHash);
    await deleteSessionsOfUser(tx as Db, userId);
  });
}

/**
 * Makes a user (or reuses the one with this e-mail) a member of the tenant with a role, without an invitation:
 * for the system itself (the demo owner, the admin CLI, tests). Returns the user id.
 */
export async function addMemberDirectly(
  deps: Pick<Deps, "db" | "clock" | "ids">,
  tenantId: string,
  input: { email: string; name: string; password: string; role: Role },
): Promise<string> {
  const email = input.email.trim().toLowerCase();
  const existing = await userByEmail(deps.db, email);
  const userId = existing?.id ?? deps.ids("usr");
  const passwordHash = existing ? null : await hashPassword(input.password);
  const now = deps.clock();
  await deps.db.transaction(async (tx) => {
    if (passwordHash) {
      await insertUser(tx as Db, { id: userId, email, name: input.name, passwordHash, createdAt: now });
    }
    await insertMembership(tx as Db, { tenantId, userId, role: input.role, createdAt: now });
    const member = await memberById(tx as Db, tenantId, userId);
    await recordActivity(deps, tx as Db, systemCaller(tenantId, "tenant-setup"), {
      type: "user.joined",
      objectId: userId,
      object: member ? toMember(member) : null,
    });
  });
  return userId;
}
