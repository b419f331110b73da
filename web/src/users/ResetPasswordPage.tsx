import { type FormEvent, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { sessionApi } from "../api/users.ts";
import { Logo } from "../app/Layout.tsx";

/** Where a reset link lands: a new password, once; every session of the account ends. */
export function ResetPasswordPage() {
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await sessionApi.resetPassword(token, password);
      setDone(true);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
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
        <h1>New password</h1>
        {done ? (
          <p data-testid="reset-done">
            Your password is changed and every session signed out. <Link to="/sign-in">Sign in</Link>
          </p>
        ) : (
          <>
            <label className="field">
              <span>New password (10 characters or more)</span>
              <input
                type="password"
                autoComplete="new-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                data-testid="reset-password"
              />
            </label>
            {error && (
              <p className="form-error" role="alert">
                {error}
              </p>
            )}
            <button
              className="btn btn-primary btn-block"
              type="submit"
              disabled={busy || password.length < 10}
              data-testid="reset-submit"
            >
              {busy ? "Saving…" : "Set password"}
            </button>
          </>
        )}
      </form>
    </div>
  );
}
