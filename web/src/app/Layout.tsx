import { Navigate, NavLink, Outlet, useNavigate } from "react-router";
import { readApiKey, storeApiKey } from "./auth.ts";
import { navItems } from "./nav.ts";

export function Layout() {
  const navigate = useNavigate();
  if (!readApiKey()) return <Navigate to="/sign-in" replace />;
  return (
    <div className="shell">
      <nav className="shell-nav" aria-label="Main">
        <div className="brand">
          <Logo />
          <span>Pricegraph</span>
        </div>
        <ul>
          {navItems.map((item) => (
            <li key={item.to}>
              <NavLink to={item.to} end={item.to === "/"} data-testid={item.testId}>
                <svg viewBox="0 0 24 24" aria-hidden="true">
                  <path d={item.icon} />
                </svg>
                {item.label}
              </NavLink>
            </li>
          ))}
        </ul>
        <button
          type="button"
          className="nav-signout"
          data-testid="sign-out"
          onClick={() => {
            storeApiKey(null);
            navigate("/sign-in");
          }}
        >
          Sign out
        </button>
      </nav>
      <main className="shell-main">
        <Outlet />
      </main>
    </div>
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
