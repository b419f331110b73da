import { activityTypes } from "@pricegraph/shared";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { type WebhookEndpointWithSecret, webhooksApi } from "../api/webhooks.ts";
import { Dialog, FormActions } from "../ui/Dialog.tsx";
import { ErrorBox } from "../ui/states.tsx";

/** Creates an endpoint, then shows its signing secret — the only time it is shown. */
export function NewEndpointDialog({ onClose }: { onClose(): void }) {
  const queryClient = useQueryClient();
  const [url, setUrl] = useState("");
  const [description, setDescription] = useState("");
  const [all, setAll] = useState(true);
  const [types, setTypes] = useState<string[]>([]);
  const create = useMutation({
    mutationFn: () =>
      webhooksApi.create({
        url: url.trim(),
        description: description.trim(),
        eventTypes: all ? ["*"] : types,
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["webhook-endpoints"] }),
  });
  const created: WebhookEndpointWithSecret | undefined = create.data;
  const valid = url.trim() !== "" && (all || types.length > 0);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (valid) create.mutate();
  };
  const toggle = (type: string) =>
    setTypes((current) => (current.includes(type) ? current.filter((t) => t !== type) : [...current, type]));

  return (
    <Dialog
      title={created ? "Endpoint created" : "New webhook endpoint"}
      onClose={onClose}
      testId="new-endpoint-dialog"
      wide
    >
      {created ? (
        <div>
          <p className="muted small">
            Deliveries to <code>{created.url}</code> are signed with this secret. This is the only time it is
            shown: store it with your receiver now.
          </p>
          <div className="secret-row">
            <input
              type="text"
              readOnly
              value={created.secret}
              onFocus={(e) => e.target.select()}
              data-testid="endpoint-secret"
            />
          </div>
          <div className="dialog-actions">
            <button type="button" className="btn btn-primary" onClick={onClose} data-testid="endpoint-done">
              I stored it
            </button>
          </div>
        </div>
      ) : (
        <form onSubmit={submit}>
          <label className="field">
            <span>URL</span>
            <input
              type="url"
              autoFocus
              value={url}
              placeholder="https://example.com/pricegraph"
              onChange={(e) => setUrl(e.target.value)}
              data-testid="endpoint-url"
            />
          </label>
          <label className="field">
            <span>Description</span>
            <input
              type="text"
              value={description}
              placeholder="e.g. ERP sync"
              onChange={(e) => setDescription(e.target.value)}
            />
          </label>
          <fieldset className="webhook-types">
            <legend>Events</legend>
            <label>
              <input
                type="checkbox"
                checked={all}
                onChange={(e) => setAll(e.target.checked)}
                data-testid="endpoint-all-types"
              />{" "}
              All events
            </label>
            {!all && (
              <div className="webhook-type-grid">
                {activityTypes.map((type) => (
                  <label key={type}>
                    <input
                      type="checkbox"
                      checked={types.includes(type)}
                      onChange={() => toggle(type)}
                      data-testid={`endpoint-type-${type}`}
                    />{" "}
                    <code>{type}</code>
                  </label>
                ))}
              </div>
            )}
          </fieldset>
          {create.isError && <ErrorBox error={create.error} title="Not created." testId="endpoint-error" />}
          <FormActions
            onCancel={onClose}
            label="Create endpoint"
            busyLabel="Creating…"
            busy={create.isPending}
            disabled={!valid}
            testId="create-endpoint"
          />
        </form>
      )}
    </Dialog>
  );
}
