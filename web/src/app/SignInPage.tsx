import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useNavigate } from "react-router";
import { ApiError } from "../api/client.ts";
import { sessionApi } from "../api/users.ts";
import { storeApiKey } from "./auth.ts";
import { Logo } from "./Layout.tsx";
import { usePageTitle } from "./pageTitle.ts";

function messageOf(error: unknown, unauthorized: string): string {
  if (error instanceof ApiError && error.status === 401) return unauthorized;
  return error instanceof Error ? error.message : String(error);
}

/**
 * People sign in with e-mail and password (a session cookie); machines and developers can still paste an API
 * key, which is checked against the API before it is kept.
 */
export function SignInPage() {
  const navigate = useNavigate();
  usePageTitle("Sign in");
  const queryClient = useQueryClient();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [key, setKey] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const withKey = key.trim() !== "";

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!withKey && (!email.trim() || !password)) return;
    setBusy(true);
    setError(null);
    try {
      if (withKey) {
        await sessionApi.current(key.trim());
        storeApiKey(key.trim());
        queryClient.clear();
      } else {
        storeApiKey(null);
        const session = await sessionApi.login(email.trim(), password);
        queryClient.clear();
        queryClient.setQueryData(["session"], session);
      }
      navigate("/plans");
    } catch (e) {
      setError(
        messageOf(e, withKey ? "This API key was not accepted." : "The e-mail or password is not right."),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="signin">
      <form className="signin-card" onSubmit={submit}>
        <div className="brand brand-large">
          <Logo />
          <span>Pricegraph</span>
        </div>
        <h1>Sign in</h1>
        <p className="muted">The demo owner's e-mail and password are printed when the server starts.</p>
        <label className="field">
          <span>E-mail</span>
          <input
            data-testid="email-input"
            type="email"
            autoComplete="username"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        <label className="field">
          <span>Password</span>
          <input
            data-testid="password-input"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        <p className="muted small signin-or">Or, for machines and development, a tenant API key:</p>
        <label className="field">
          <span>API key</span>
          <input
            data-testid="api-key-input"
            type="password"
            autoComplete="off"
            placeholder="pg_…"
            value={key}
            onChange={(e) => setKey(e.target.value)}
          />
        </label>
        {error && (
          <p className="form-error" role="alert" data-testid="sign-in-error">
            {error}
          </p>
        )}
        <button className="btn btn-primary btn-block" type="submit" disabled={busy} data-testid="sign-in">
          {busy ? "Checking…" : "Sign in"}
        </button>
      </form>
    </div>
  );
}
