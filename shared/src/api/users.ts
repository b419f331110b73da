import { z } from "zod";
import { permissions, roles } from "../permissions.ts";
import { dateTime, text } from "./common.ts";

export const roleSchema = z.enum(roles).describe("owner, admin, pricing, sales, finance or viewer");

const email = z
  .string()
  .trim()
  .min(3)
  .max(254)
  .regex(/^[^\s@]+@[^\s@]+$/, "must be an e-mail address")
  .transform((value) => value.toLowerCase());
/** Passwords: long enough to resist guessing, short enough that hashing one cannot tie up the server. */
const password = z.string().min(10, "must be at least 10 characters").max(200);
const token = text(200);

export const memberSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: roleSchema,
    joinedAt: dateTime,
  })
  .meta({ id: "Member" });
export type Member = z.infer<typeof memberSchema>;

export const invitationSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    role: roleSchema,
    createdAt: dateTime,
    expiresAt: dateTime,
  })
  .meta({ id: "Invitation" });
export type Invitation = z.infer<typeof invitationSchema>;

export const createdInvitationSchema = invitationSchema
  .extend({
    inviteUrl: z
      .string()
      .describe("the link to hand to the person invited (path and query; shown in this response only)"),
  })
  .meta({ id: "CreatedInvitation" });
export type CreatedInvitation = z.infer<typeof createdInvitationSchema>;

export const usersListSchema = z.object({
  data: z.array(memberSchema),
  invitations: z.array(invitationSchema).describe("invitations not yet accepted and not expired"),
});
export type UsersList = z.infer<typeof usersListSchema>;

export const createInvitationBody = z.strictObject({ email, role: roleSchema });
export type CreateInvitation = z.infer<typeof createInvitationBody>;

export const updateMemberBody = z.strictObject({ role: roleSchema });
export type UpdateMember = z.infer<typeof updateMemberBody>;

export const loginBody = z.strictObject({
  email,
  password: z.string().min(1).max(200),
  tenantId: text(100).optional().describe("the tenant to sign in to when the user belongs to several"),
});
export type Login = z.infer<typeof loginBody>;

export const acceptInvitationBody = z.strictObject({ token, name: text(200), password });
export type AcceptInvitation = z.infer<typeof acceptInvitationBody>;

export const resetPasswordBody = z.strictObject({ token, password });
export type ResetPassword = z.infer<typeof resetPasswordBody>;

export const invitationPreviewSchema = z.object({
  email: z.string(),
  role: roleSchema,
  tenantName: z.string(),
  existingUser: z.boolean().describe("the e-mail already has an account: accepting asks for its password"),
});
export type InvitationPreview = z.infer<typeof invitationPreviewSchema>;

export const passwordResetLinkSchema = z.object({
  resetUrl: z.string().describe("path and query of the reset link; shown in this response only"),
  expiresAt: dateTime,
});

/** Who the request acts as: a signed-in user or an API key, with the role and what it may do. */
export const sessionInfoSchema = z
  .object({
    tenantId: z.string(),
    tenantName: z.string(),
    role: roleSchema,
    permissions: z.array(z.enum(permissions)),
    actor: z.object({ type: z.enum(["user", "api_key"]), id: z.string() }),
    user: z.object({ id: z.string(), email: z.string(), name: z.string() }).nullable(),
    csrfToken: z
      .string()
      .nullable()
      .describe("send as `X-CSRF-Token` on unsafe requests made with the session cookie; null for API keys"),
  })
  .meta({ id: "SessionInfo" });
export type SessionInfo = z.infer<typeof sessionInfoSchema>;
