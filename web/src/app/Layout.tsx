import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Navigate, NavLink, Outlet, useNavigate } from "react-router";
import { ApiError } from "../api/client.ts";
import { sessionApi } from "../api/users.ts";
import { readApiKey, storeApiKey } from "./auth.ts";
import { navItems } from "./nav.ts";
import { useRouteTitle } from "./pageTitle.ts";
import { mayCall, SessionContext } from "./session.tsx";

/** The signed-in shell: asks who is signed in (session cookie or API key) and shows what that role may use. */
export function Layout() {
  const navigate = useNavigate();
  useRouteTitle();
  const queryClient = useQueryClient();
  const session = useQuery({ queryKey: ["session"], queryFn: () => sessionApi.current(), retry: false });
  if (session.isPending) return <div className="shell-loading" aria-busy="true" />;
  if (session.isError) {
    if (session.error instanceof ApiError && session.error.status === 401) {
      return <Navigate to="/sign-in" replace />;
    }
    return (
      <p className="form-error" role="alert">
        {session.error.message}
      </p>
    );
  }
  const info = session.data;
  const signOut = async (everywhere = false) => {
    if (!readApiKey()) {
      const end = everywhere ? sessionApi.logoutEverywhere : sessionApi.logout;
      await end().catch(() => undefined);
    }
    storeApiKey(null);
    queryClient.clear();
    navigate("/sign-in");
  };
  return (
    <SessionContext.Provider value={info}>
      <div className="shell">
        <a className="skip-link" href="#main" data-testid="skip-link">
          Skip to main content
        </a>
        <nav className="shell-nav" aria-label="Main">
          <div className="brand">
            <Logo />
            <span>Pricegraph</span>
          </div>
          <ul>
            {navItems
              .filter((item) => mayCall(info.role, item.requires))
              .map((item) => (
                <li key={item.to}>
                  <NavLink to={item.to} end={item.to === "/"} data-testid={item.testId}>
                    <svg viewBox="0 0 24 24" aria-hidden="true">
                      <path d={item.icon} />
                    </svg>
                    <span className="nav-label">{item.label}</span>
                  </NavLink>
                </li>
              ))}
          </ul>
          <div className="nav-identity" data-testid="signed-in-as">
            <span>{info.user ? info.user.email : "API key"}</span>
            <span className="muted small" data-testid="signed-in-role">
              {info.role}
            </span>
          </div>
          <button type="button" className="nav-signout" data-testid="sign-out" onClick={() => signOut()}>
            Sign out
          </button>
          {info.user && (
            <button
              type="button"
              className="nav-signout nav-signout-all"
              data-testid="sign-out-everywhere"
              title="End every session of this account, in every browser"
              onClick={() => signOut(true)}
            >
              Sign out everywhere
            </button>
          )}
        </nav>
        <main className="shell-main" id="main" tabIndex={-1}>
          <Outlet />
        </main>
      </div>
    </SessionContext.Provider>
  );
}

export function Logo() {
  return (
    <svg className="logo" viewBox="0 0 24 24" aria-hidden="true">
      <rect width="24" height="24" rx="6" />
      <path d="M5 16l5-5 3 3 6-7" />
    </svg>
  );
}
