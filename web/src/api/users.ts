import type { Role } from "@pricegraph/shared";
import type {
  CreatedInvitation,
  InvitationPreview,
  Member,
  SessionInfo,
  UsersList,
} from "@pricegraph/shared/api";
import { apiRequest } from "./client.ts";

export type { CreatedInvitation, InvitationPreview, Member, Role, SessionInfo, UsersList };

export const sessionApi = {
  current: (apiKey?: string) => apiRequest<SessionInfo>("/auth/session", { apiKey }),
  login: (email: string, password: string) =>
    apiRequest<SessionInfo>("/auth/login", { method: "POST", body: { email, password } }),
  logout: () => apiRequest<void>("/auth/logout", { method: "POST" }),
  logoutEverywhere: () => apiRequest<{ ended: number }>("/auth/logout-everywhere", { method: "POST" }),
  invitation: (token: string) =>
    apiRequest<InvitationPreview>(`/auth/invitations/${encodeURIComponent(token)}`),
  acceptInvitation: (token: string, name: string, password: string) =>
    apiRequest<SessionInfo>("/auth/invitations/accept", { method: "POST", body: { token, name, password } }),
  resetPassword: (token: string, password: string) =>
    apiRequest<void>("/auth/password-reset", { method: "POST", body: { token, password } }),
};

export const usersApi = {
  list: () => apiRequest<UsersList>("/users"),
  invite: (email: string, role: Role) =>
    apiRequest<CreatedInvitation>("/users/invitations", { method: "POST", body: { email, role } }),
  changeRole: (id: string, role: Role) =>
    apiRequest<Member>(`/users/${encodeURIComponent(id)}`, { method: "PATCH", body: { role } }),
  remove: (id: string) => apiRequest<Member>(`/users/${encodeURIComponent(id)}`, { method: "DELETE" }),
  passwordReset: (id: string) =>
    apiRequest<{ resetUrl: string; expiresAt: string }>(`/users/${encodeURIComponent(id)}/password-reset`, {
      method: "POST",
    }),
};
