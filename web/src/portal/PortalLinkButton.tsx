import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { portalLinksApi } from "../api/portal.ts";
import { Dialog } from "../ui/Dialog.tsx";
import { instant } from "../ui/format.ts";
import { ErrorBox } from "../ui/states.tsx";
import "../settings/settings.css";

/** "Portal link" on the customer page: creates a 7-day link and shows it once, to copy or open. */
export function PortalLinkButton({ customerId }: { customerId: string }) {
  const [open, setOpen] = useState(false);
  const create = useMutation({ mutationFn: () => portalLinksApi.create(customerId, 7 * 24) });
  const link = create.data;
  return (
    <>
      <button
        type="button"
        className="btn"
        onClick={() => {
          setOpen(true);
          create.mutate();
        }}
        data-testid="create-portal-link"
      >
        Portal link
      </button>
      {open && (
        <Dialog title="Customer portal link" onClose={() => setOpen(false)} testId="portal-link-dialog">
          {create.isError && <ErrorBox error={create.error} title="Not created." />}
          {create.isPending && <p className="muted">Creating…</p>}
          {link && (
            <div>
              <p className="muted small">
                Anyone with this link sees this customer's invoices and usage, read-only, until{" "}
                {instant(link.expiresAt)}. It is shown only now.
              </p>
              <div className="secret-row">
                <input
                  type="text"
                  readOnly
                  value={link.url}
                  onFocus={(e) => e.target.select()}
                  data-testid="portal-link-url"
                />
                <a className="btn" href={link.url} target="_blank" rel="noreferrer">
                  Open
                </a>
              </div>
            </div>
          )}
        </Dialog>
      )}
    </>
  );
}
