import { and, asc, eq, gt, isNull, lte, sql } from "drizzle-orm";
import type { Db } from "../../db/index.ts";
import { invitations, memberships, passwordResets, sessions, tenants, users } from "../../db/schema/index.ts";

export type UserRow = typeof users.$inferSelect;
export type InvitationRow = typeof invitations.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;
export type PasswordResetRow = typeof passwordResets.$inferSelect;

export interface MemberRow {
  id: string;
  email: string;
  name: string;
  role: string;
  joinedAt: Date;
}

const memberColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: memberships.role,
  joinedAt: memberships.createdAt,
};

export async function userByEmail(db: Db, email: string): Promise<UserRow | null> {
  const rows = await db.select().from(users).where(eq(users.email, email));
  return rows[0] ?? null;
}

export async function insertUser(db: Db, row: UserRow): Promise<void> {
  await db.insert(users).values(row);
}

export async function setPasswordHash(db: Db, userId: string, passwordHash: string): Promise<void> {
  await db.update(users).set({ passwordHash }).where(eq(users.id, userId));
}

export async function listMembers(db: Db, tenantId: string): Promise<MemberRow[]> {
  return db
    .select(memberColumns)
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.tenantId, tenantId))
    .orderBy(asc(memberships.createdAt), asc(users.email));
}

export async function memberById(db: Db, tenantId: string, userId: string): Promise<MemberRow | null> {
  const rows = await db
    .select(memberColumns)
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId)));
  return rows[0] ?? null;
}

/** The tenants a user belongs to, oldest membership first (sign-in picks the first unless told). */
export async function membershipsOfUser(db: Db, userId: string) {
  return db
    .select({ tenantId: memberships.tenantId, role: memberships.role })
    .from(memberships)
    .where(eq(memberships.userId, userId))
    .orderBy(asc(memberships.createdAt), asc(memberships.tenantId));
}

export async function insertMembership(db: Db, row: typeof memberships.$inferInsert): Promise<void> {
  await db.insert(memberships).values(row).onConflictDoNothing();
}

export async function updateMemberRole(db: Db, tenantId: string, userId: string, role: string) {
  await db
    .update(memberships)
    .set({ role })
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId)));
}

export async function deleteMembership(db: Db, tenantId: string, userId: string): Promise<void> {
  await db.delete(memberships).where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId)));
}

/** Owners of the tenant, locked: two concurrent demotions cannot both see another owner left. */
export async function lockOwners(db: Db, tenantId: string): Promise<string[]> {
  const rows = await db
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.role, "owner")))
    .for("update");
  return rows.map((row) => row.userId);
}

export async function insertInvitation(db: Db, row: InvitationRow): Promise<void> {
  await db.insert(invitations).values(row);
}

export async function pendingInvitations(db: Db, tenantId: string, now: Date): Promise<InvitationRow[]> {
  return db
    .select()
    .from(invitations)
    .where(
      and(
        eq(invitations.tenantId, tenantId),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, now),
      ),
    )
    .orderBy(asc(invitations.createdAt), asc(invitations.id));
}

export async function invitationById(db: Db, tenantId: string, id: string): Promise<InvitationRow | null> {
  const rows = await db
    .select()
    .from(invitations)
    .where(and(eq(invitations.tenantId, tenantId), eq(invitations.id, id)));
  return rows[0] ?? null;
}

export async function setInvitationToken(db: Db, tenantId: string, id: string, tokenHash: string) {
  await db
    .update(invitations)
    .set({ tokenHash })
    .where(and(eq(invitations.tenantId, tenantId), eq(invitations.id, id)));
}

/** An open invitation with this token hash, with its tenant's name; null when used, revoked or expired. */
export async function openInvitationForToken(db: Db, tokenHash: string, now: Date) {
  const rows = await db
    .select({ invitation: invitations, tenantName: tenants.name })
    .from(invitations)
    .innerJoin(tenants, eq(tenants.id, invitations.tenantId))
    .where(
      and(
        eq(invitations.tokenHash, tokenHash),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, now),
      ),
    );
  return rows[0] ?? null;
}

/** Marks the invitation accepted once; false when another request accepted it first. */
export async function markInvitationAccepted(db: Db, id: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(invitations)
    .set({ acceptedAt: now })
    .where(and(eq(invitations.id, id), isNull(invitations.acceptedAt)))
    .returning({ id: invitations.id });
  return rows.length === 1;
}

export async function insertSession(db: Db, row: SessionRow): Promise<void> {
  await db.insert(sessions).values(row);
}

/** The live session for a cookie token with the user's current role in the session's tenant. */
export async function liveSessionForToken(db: Db, tokenHash: string, now: Date) {
  const rows = await db
    .select({
      id: sessions.id,
      userId: sessions.userId,
      tenantId: sessions.tenantId,
      csrfToken: sessions.csrfToken,
      role: memberships.role,
    })
    .from(sessions)
    .innerJoin(
      memberships,
      and(eq(memberships.tenantId, sessions.tenantId), eq(memberships.userId, sessions.userId)),
    )
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, now)));
  return rows[0] ?? null;
}

export async function deleteSession(db: Db, id: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, id));
}

export async function deleteExpiredSessionsOfUser(db: Db, userId: string, now: Date): Promise<void> {
  await db.delete(sessions).where(and(eq(sessions.userId, userId), lte(sessions.expiresAt, now)));
}

export async function deleteSessionsOfUser(db: Db, userId: string, tenantId?: string): Promise<number> {
  const rows = await db
    .delete(sessions)
    .where(
      tenantId
        ? and(eq(sessions.userId, userId), eq(sessions.tenantId, tenantId))
        : eq(sessions.userId, userId),
    )
    .returning({ id: sessions.id });
  return rows.length;
}

export async function userAndTenantNames(db: Db, userId: string | null, tenantId: string) {
  const tenant = await db.select({ name: tenants.name }).from(tenants).where(eq(tenants.id, tenantId));
  const user = userId ? ((await db.select().from(users).where(eq(users.id, userId)))[0] ?? null) : null;
  return { tenantName: tenant[0]?.name ?? "", user };
}

export async function insertPasswordReset(db: Db, row: PasswordResetRow): Promise<void> {
  await db.insert(passwordResets).values(row);
}

/** Uses the reset once: the row is marked used only when it is unused and unexpired at `now`. */
export async function consumePasswordReset(db: Db, tokenHash: string, now: Date): Promise<string | null> {
  const rows = await db
    .update(passwordResets)
    .set({ usedAt: now })
    .where(
      and(
        eq(passwordResets.tokenHash, tokenHash),
        isNull(passwordResets.usedAt),
        gt(passwordResets.expiresAt, now),
      ),
    )
    .returning({ userId: passwordResets.userId });
  return rows[0]?.userId ?? null;
}

export async function countUsers(db: Db): Promise<number> {
  const rows = await db.select({ n: sql<string>`count(*)::text` }).from(users);
  return Number(rows[0].n);
}
