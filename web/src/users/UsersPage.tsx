import { type Role, roles } from "@pricegraph/shared";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { type CreatedInvitation, type Member, usersApi } from "../api/users.ts";
import { useCan, useSession } from "../app/session.tsx";
import { Dialog, FormActions } from "../ui/Dialog.tsx";
import { instant } from "../ui/format.ts";
import { PageHeader } from "../ui/Page.tsx";
import { ErrorBox, Loading } from "../ui/states.tsx";

const roleHelp: Record<Role, string> = {
  owner: "everything, including owners",
  admin: "everything but owners",
  pricing: "plans, metrics",
  sales: "customers, contracts, quotes",
  finance: "invoices, credit notes, billing runs, payments",
  viewer: "read only",
};

/** The link as the person invited opens it: this app's address plus the path the API answered. */
const absolute = (path: string) => new URL(path, window.location.origin).toString();

function InviteDialog({ onClose, mayInviteOwner }: { onClose(): void; mayInviteOwner: boolean }) {
  const queryClient = useQueryClient();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("viewer");
  const invite = useMutation({
    mutationFn: () => usersApi.invite(email.trim(), role),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["users"] }),
  });
  const created: CreatedInvitation | undefined = invite.data;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (email.trim()) invite.mutate();
  };
  if (created) {
    const link = absolute(created.inviteUrl);
    return (
      <Dialog title="Invitation created" onClose={onClose} testId="invite-created">
        <p>
          Send this link to <strong>{created.email}</strong> ({created.role}). It works once, until{" "}
          {instant(created.expiresAt)}, and is shown only now.
        </p>
        <input
          className="ops-mono"
          readOnly
          value={link}
          data-testid="invite-link"
          style={{ width: "100%" }}
        />
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={() => navigator.clipboard?.writeText(link)}>
            Copy link
          </button>
          <button type="button" className="btn btn-primary" onClick={onClose} data-testid="invite-done">
            Done
          </button>
        </div>
      </Dialog>
    );
  }
  return (
    <Dialog title="Invite a person" onClose={onClose} testId="invite-dialog">
      <form onSubmit={submit}>
        <label className="field">
          <span>E-mail</span>
          <input
            type="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            data-testid="invite-email"
          />
        </label>
        <label className="field">
          <span>Role</span>
          <select value={role} onChange={(e) => setRole(e.target.value as Role)} data-testid="invite-role">
            {roles
              .filter((r) => r !== "owner" || mayInviteOwner)
              .map((r) => (
                <option key={r} value={r}>
                  {r} — {roleHelp[r]}
                </option>
              ))}
          </select>
        </label>
        {invite.isError && <ErrorBox error={invite.error} title="Not invited." />}
        <FormActions
          onCancel={onClose}
          label="Create invite link"
          busyLabel="Inviting…"
          busy={invite.isPending}
          disabled={!email.trim()}
          testId="invite-submit"
        />
      </form>
    </Dialog>
  );
}

/** The tenant's people: members with their roles, open invitations; owners and admins invite and manage. */
export function UsersPage() {
  const queryClient = useQueryClient();
  const can = useCan();
  const session = useSession();
  const [inviting, setInviting] = useState(false);
  const [removing, setRemoving] = useState<Member | null>(null);
  const [resetLink, setResetLink] = useState<string | null>(null);
  const users = useQuery({ queryKey: ["users"], queryFn: () => usersApi.list() });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ["users"] });
  const changeRole = useMutation({
    mutationFn: ({ id, role }: { id: string; role: Role }) => usersApi.changeRole(id, role),
    onSettled: refresh,
  });
  const remove = useMutation({
    mutationFn: (id: string) => usersApi.remove(id),
    onSuccess: () => setRemoving(null),
    onSettled: refresh,
  });
  const reset = useMutation({
    mutationFn: (id: string) => usersApi.passwordReset(id),
    onSuccess: (answer) => setResetLink(absolute(answer.resetUrl)),
  });
  const manage = can("PATCH /v1/users/:id");
  const isOwner = session?.role === "owner";
  const mayManage = (member: Member) => manage && (isOwner || member.role !== "owner");

  return (
    <div className="page ops-page">
      <PageHeader title="People" subtitle="Who can sign in to this tenant, and what each role may do.">
        {can("POST /v1/users/invitations") && (
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => setInviting(true)}
            data-testid="invite"
          >
            Invite
          </button>
        )}
      </PageHeader>
      {users.isLoading && <Loading what="people" />}
      {users.isError && <ErrorBox error={users.error} title="Could not load people." />}
      {changeRole.isError && <ErrorBox error={changeRole.error} title="Role not changed." />}
      {reset.isError && <ErrorBox error={reset.error} title="No reset link." />}
      {users.data && (
        <section className="ops-card">
          <table className="data-table compact" data-testid="members">
            <thead>
              <tr>
                <th>Name</th>
                <th>E-mail</th>
                <th>Role</th>
                <th>Joined</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {users.data.data.map((member) => (
                <tr key={member.id} data-testid={`member-${member.email}`}>
                  <td>{member.name}</td>
                  <td>{member.email}</td>
                  <td>
                    {mayManage(member) ? (
                      <select
                        value={member.role}
                        aria-label={`Role of ${member.email}`}
                        data-testid={`role-${member.email}`}
                        onChange={(e) => changeRole.mutate({ id: member.id, role: e.target.value as Role })}
                      >
                        {roles
                          .filter((r) => r !== "owner" || isOwner)
                          .map((r) => (
                            <option key={r} value={r}>
                              {r}
                            </option>
                          ))}
                      </select>
                    ) : (
                      member.role
                    )}
                  </td>
                  <td>{instant(member.joinedAt)}</td>
                  <td className="num">
                    {mayManage(member) && (
                      <>
                        <button
                          type="button"
                          className="btn btn-small"
                          onClick={() => reset.mutate(member.id)}
                        >
                          Reset link
                        </button>{" "}
                        <button
                          type="button"
                          className="btn btn-small btn-danger"
                          onClick={() => setRemoving(member)}
                          data-testid={`remove-${member.email}`}
                        >
                          Remove
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {users.data.invitations.length > 0 && (
            <>
              <h2>Open invitations</h2>
              <ul data-testid="invitations">
                {users.data.invitations.map((inv) => (
                  <li key={inv.id}>
                    {inv.email} — {inv.role}, until {instant(inv.expiresAt)}
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      )}
      {inviting && <InviteDialog onClose={() => setInviting(false)} mayInviteOwner={isOwner} />}
      {removing && (
        <Dialog title="Remove member" onClose={() => setRemoving(null)} testId="remove-dialog">
          <p>
            Remove <strong>{removing.email}</strong> from this tenant? Their sessions here end at once.
          </p>
          {remove.isError && <ErrorBox error={remove.error} title="Not removed." />}
          <div className="dialog-actions">
            <button type="button" className="btn" onClick={() => setRemoving(null)}>
              Cancel
            </button>
            <button
              type="button"
              className="btn btn-danger"
              disabled={remove.isPending}
              onClick={() => remove.mutate(removing.id)}
              data-testid="remove-confirm"
            >
              Remove
            </button>
          </div>
        </Dialog>
      )}
      {resetLink && (
        <Dialog title="Password reset link" onClose={() => setResetLink(null)}>
          <p>Hand this link over; it works once, within an hour.</p>
          <input className="ops-mono" readOnly value={resetLink} style={{ width: "100%" }} />
          <div className="dialog-actions">
            <button type="button" className="btn btn-primary" onClick={() => setResetLink(null)}>
              Done
            </button>
          </div>
        </Dialog>
      )}
    </div>
  );
}
