import { type FormEvent, useState } from "react";
import { useNavigate } from "react-router";
import { ApiError } from "../api/client.ts";
import { plansApi } from "../api/plans.ts";
import { storeApiKey } from "./auth.ts";
import { Logo } from "./Layout.tsx";
import { usePageTitle } from "./pageTitle.ts";

/** Signs in with a tenant API key: the key is checked against the API before it is kept. */
export function SignInPage() {
  const navigate = useNavigate();
  usePageTitle("Sign in");
  const [key, setKey] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const trimmed = key.trim();
    if (!trimmed) return;
    setBusy(true);
    setError(null);
    try {
      await plansApi.list(trimmed);
      storeApiKey(trimmed);
      navigate("/plans");
    } catch (e) {
      setError(
        e instanceof ApiError && e.status === 401
          ? "This API key was not accepted."
          : e instanceof Error
            ? e.message
            : String(e),
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
        <p className="muted">Paste your tenant API key. The demo key is printed when the server starts.</p>
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
