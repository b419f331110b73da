import { type Role, roleMayCall } from "@pricegraph/shared";
import type { SessionInfo } from "@pricegraph/shared/api";
import { createContext, useContext } from "react";

/** Who is signed in (user or API key) with the role; provided by the layout to every screen. */
export const SessionContext = createContext<SessionInfo | null>(null);

export function useSession(): SessionInfo | null {
  return useContext(SessionContext);
}

/**
 * Whether the signed-in role may call an API route, asked as the server's permission table spells it:
 * `can("POST /v1/plans")`. Screens hide buttons and navigation for what would be refused with 403.
 */
export function useCan(): (route: string) => boolean {
  const session = useContext(SessionContext);
  return (route) => mayCall(session?.role ?? null, route);
}

export function mayCall(role: Role | null, route: string): boolean {
  if (!role) return false;
  const space = route.indexOf(" ");
  return roleMayCall(role, route.slice(0, space), route.slice(space + 1));
}
