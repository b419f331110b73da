import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useNavigate, useSearchParams } from "react-router";
import { ApiError } from "../api/client.ts";
import { sessionApi } from "../api/users.ts";
import { storeApiKey } from "../app/auth.ts";
import { Logo } from "../app/Layout.tsx";

function errorText(error: unknown): string {
  if (error instanceof ApiError && error.status === 401) return "That is not this account's password.";
  return error instanceof Error ? error.message : String(error);
}

/** Where an invite link lands: name and password (or the existing account's password), then signed in. */
export function AcceptInvitePage() {
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const preview = useQuery({
    queryKey: ["invitation", token],
    queryFn: () => sessionApi.invitation(token),
    retry: false,
    enabled: token !== "",
  });
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const existing = preview.data?.existingUser ?? false;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const session = await sessionApi.acceptInvitation(token, existing ? "-" : name.trim(), password);
      storeApiKey(null);
      queryClient.clear();
      queryClient.setQueryData(["session"], session);
      navigate("/");
    } catch (e) {
      setError(errorText(e));
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
        <h1>Join {preview.data?.tenantName ?? "Pricegraph"}</h1>
        {!token || preview.isError ? (
          <p className="form-error" role="alert" data-testid="invite-invalid">
            This invite link is used, expired or not valid. Ask for a new one.
          </p>
        ) : (
          <>
            <p className="muted" data-testid="invite-for">
              {preview.data
                ? `${preview.data.email} is invited as ${preview.data.role}.`
                : "Checking the link…"}
            </p>
            {!existing && (
              <label className="field">
                <span>Your name</span>
                <input value={name} onChange={(e) => setName(e.target.value)} data-testid="accept-name" />
              </label>
            )}
            <label className="field">
              <span>{existing ? "Your password" : "Choose a password (10 characters or more)"}</span>
              <input
                type="password"
                autoComplete={existing ? "current-password" : "new-password"}
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                data-testid="accept-password"
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
              disabled={
                busy || !preview.data || (!existing && !name.trim()) || password.length < (existing ? 1 : 10)
              }
              data-testid="accept-submit"
            >
              {busy ? "Joining…" : "Join"}
            </button>
          </>
        )}
      </form>
    </div>
  );
}
