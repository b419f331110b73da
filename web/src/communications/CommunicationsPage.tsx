import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Fragment, useEffect, useState } from "react";
import { Link } from "react-router";
import { type EmailKind, type EmailMessage, type EmailStatus, emailApi } from "../api/receivables.ts";
import { instant } from "../ui/format.ts";
import { PageHeader } from "../ui/Page.tsx";
import { EmptyState, ErrorBox, Loading } from "../ui/states.tsx";
import "./communications.css";

const kindLabel: Record<EmailKind, string> = {
  invoice_issued: "Invoice issued",
  payment_received: "Payment received",
  payment_reminder: "Payment reminder",
  usage_report: "Usage report",
  credits_low: "Credits running low",
};

const statusTone: Record<EmailStatus, string> = {
  pending: "warn",
  sending: "info",
  sent: "ok",
  outbox: "info",
  failed: "danger",
  no_recipient: "muted",
};

function MessageView({ message }: { message: EmailMessage }) {
  return (
    <div className="email-view" data-testid="email-view">
      <div className="small muted">
        From {message.from} · To {message.to.join(", ") || "(nobody)"}
      </div>
      <h3>{message.subject}</h3>
      <pre>{message.text}</pre>
      {message.attachments.length > 0 && (
        <div className="small">Attached: {message.attachments.join(", ")}</div>
      )}
      {message.lastError && <div className="small field-error">{message.lastError}</div>}
    </div>
  );
}

function Messages() {
  const [status, setStatus] = useState<EmailStatus | "">("");
  const [open, setOpen] = useState<string | null>(null);
  const messages = useQuery({
    queryKey: ["email-messages", status],
    queryFn: () => emailApi.messages(status ? { status } : {}),
    refetchInterval: 5000,
  });
  return (
    <section className="ops-card">
      <div className="ops-card-head">
        <div>
          <h2>Outbox and sent e-mail</h2>
          <p className="muted small" style={{ margin: 0 }}>
            Without an SMTP server (<code>SMTP_URL</code>), e-mails are kept here in the outbox instead of
            being sent.
          </p>
        </div>
        <select
          aria-label="Show messages"
          value={status}
          onChange={(e) => setStatus(e.target.value as EmailStatus | "")}
          data-testid="email-status"
        >
          <option value="">all</option>
          {(Object.keys(statusTone) as EmailStatus[]).map((s) => (
            <option key={s} value={s}>
              {s.replace("_", " ")}
            </option>
          ))}
        </select>
      </div>
      {messages.isError && <ErrorBox error={messages.error} />}
      {messages.isLoading && <Loading what="e-mails" />}
      {messages.data && messages.data.data.length === 0 && (
        <EmptyState title="No e-mails yet" testId="emails-empty">
          Finalizing an invoice, recording a payment or a payment reminder composes an e-mail to the
          customer's billing addresses.
        </EmptyState>
      )}
      {messages.data && messages.data.data.length > 0 && (
        <table className="data-table compact" data-testid="email-messages">
          <thead>
            <tr>
              <th>Created</th>
              <th>Kind</th>
              <th>To</th>
              <th>Subject</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {messages.data.data.map((m) => (
              <Fragment key={m.id}>
                <tr
                  className="clickable"
                  onClick={() => setOpen(open === m.id ? null : m.id)}
                  data-testid={`email-${m.kind}`}
                >
                  <td>{instant(m.createdAt)}</td>
                  <td>{kindLabel[m.kind]}</td>
                  <td className="small">{m.to.join(", ") || "—"}</td>
                  <td>
                    {m.subject}
                    {m.invoiceId && (
                      <>
                        {" "}
                        <Link
                          to={`/invoices/${m.invoiceId}`}
                          onClick={(e) => e.stopPropagation()}
                          className="small"
                        >
                          invoice
                        </Link>
                      </>
                    )}
                  </td>
                  <td>
                    <span
                      className={`ops-badge ops-badge-${statusTone[m.status]}`}
                      data-testid="email-status-badge"
                    >
                      {m.status.replace("_", " ")}
                    </span>
                  </td>
                </tr>
                {open === m.id && (
                  <tr>
                    <td colSpan={5}>
                      <MessageView message={m} />
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function TemplateEditor() {
  const queryClient = useQueryClient();
  const templates = useQuery({ queryKey: ["email-templates"], queryFn: () => emailApi.templates() });
  const [kind, setKind] = useState<EmailKind>("invoice_issued");
  const current = templates.data?.data.find((t) => t.kind === kind);
  const [subject, setSubject] = useState("");
  const [body, setBody] = useState("");
  useEffect(() => {
    if (current) {
      setSubject(current.subject);
      setBody(current.body);
    }
  }, [current]);
  const preview = useQuery({
    queryKey: ["email-preview", kind, subject, body],
    queryFn: () => emailApi.preview(kind, { subject, body }),
    enabled: subject.length > 0,
    retry: false,
  });
  const save = useMutation({
    mutationFn: () => emailApi.saveTemplate(kind, { subject, body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["email-templates"] }),
  });
  const reset = useMutation({
    mutationFn: () => emailApi.resetTemplate(kind),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["email-templates"] }),
  });
  return (
    <section className="ops-card" data-testid="email-templates">
      <div className="ops-card-head">
        <h2>Templates</h2>
        <select
          aria-label="Template"
          value={kind}
          onChange={(e) => setKind(e.target.value as EmailKind)}
          data-testid="template-kind"
        >
          {(Object.keys(kindLabel) as EmailKind[]).map((k) => (
            <option key={k} value={k}>
              {kindLabel[k]}
            </option>
          ))}
        </select>
      </div>
      {templates.isError && <ErrorBox error={templates.error} />}
      {current && (
        <div className="template-grid">
          <div>
            <label className="field">
              <span>Subject</span>
              <input
                value={subject}
                onChange={(e) => setSubject(e.target.value)}
                data-testid="template-subject"
              />
            </label>
            <label className="field">
              <span>Body</span>
              <textarea
                rows={12}
                value={body}
                onChange={(e) => setBody(e.target.value)}
                data-testid="template-body"
              />
            </label>
            <p className="small muted">
              Variables:{" "}
              {current.variables.map((v) => (
                <code key={v}>{`{{${v}}}`} </code>
              ))}
            </p>
            <div className="ops-actions">
              <button
                type="button"
                className="btn btn-primary"
                onClick={() => save.mutate()}
                disabled={save.isPending}
                data-testid="save-template"
              >
                Save
              </button>
              {current.custom && (
                <button
                  type="button"
                  className="btn"
                  onClick={() => reset.mutate()}
                  data-testid="reset-template"
                >
                  Back to the built-in wording
                </button>
              )}
              {save.isSuccess && <span className="muted small">Saved</span>}
            </div>
            {save.isError && <ErrorBox error={save.error} title="Not saved." />}
          </div>
          <div>
            <h3>Preview</h3>
            {preview.isError && <ErrorBox error={preview.error} />}
            {preview.data && (
              <div className="email-view" data-testid="template-preview">
                <h3>{preview.data.subject}</h3>
                <pre>{preview.data.text}</pre>
              </div>
            )}
          </div>
        </div>
      )}
    </section>
  );
}

/** What the system tells customers: the outbox and sent log, and the templates it writes them with. */
export function CommunicationsPage() {
  return (
    <div className="page ops-page" data-testid="communications-page">
      <PageHeader
        title="Communications"
        subtitle="E-mails to customers: invoices, receipts, payment reminders and usage reports."
      />
      <Messages />
      <TemplateEditor />
    </div>
  );
}
