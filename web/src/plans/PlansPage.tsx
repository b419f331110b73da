import { type PlanTemplate, templates } from "@pricegraph/engine/templates";
import { currencyMinorUnits } from "@pricegraph/shared";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Link, useNavigate } from "react-router";
import { plansApi } from "../api/plans.ts";
import { useCan } from "../app/session.tsx";
import { emptyDocument } from "../editor/graph.ts";
import { Dialog, FormActions } from "../ui/Dialog.tsx";
import { PageHeader } from "../ui/Page.tsx";
import { EmptyState } from "../ui/states.tsx";
import { GuidedFirstPlan } from "./GuidedFirstPlan.tsx";
import { PlanRowActions } from "./PlanRowActions.tsx";

const currencies = [...currencyMinorUnits.keys()];

function NewPlanDialog({ onClose }: { onClose(): void }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [currency, setCurrency] = useState("USD");
  const [template, setTemplate] = useState<PlanTemplate | null>(null);
  const create = useMutation({
    mutationFn: () =>
      plansApi.create({
        name: name.trim() || template?.name || "Untitled plan",
        ...(template?.description ? { description: template.description } : {}),
        document: template ? template.document : emptyDocument(currency),
      }),
    onSuccess: (plan) => {
      queryClient.invalidateQueries({ queryKey: ["plans"] });
      // A template opens with its first example as the preview's sample, so its invoice shows at once.
      const example = template?.examples[0]?.input;
      navigate(`/plans/${plan.id}`, example ? { state: { sample: example } } : undefined);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <Dialog title="New plan" onClose={onClose} onSubmit={submit} wide testId="new-plan-dialog">
      <div className="form-grid">
        <label className="field">
          <span>Name</span>
          <input
            autoFocus
            value={name}
            placeholder={template?.name ?? "e.g. API platform 2027"}
            onChange={(e) => setName(e.target.value)}
            data-testid="new-plan-name"
          />
        </label>
        <label className="field">
          <span>Currency</span>
          <select
            value={template ? template.document.currency : currency}
            disabled={!!template}
            onChange={(e) => setCurrency(e.target.value)}
            data-testid="new-plan-currency"
          >
            {currencies.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
      </div>
      <h3 className="gallery-title">Start from</h3>
      <div className="template-gallery" data-testid="template-gallery">
        <button
          type="button"
          className={`template-card${template === null ? " selected" : ""}`}
          onClick={() => setTemplate(null)}
          data-testid="template-empty"
        >
          <strong>Empty canvas</strong>
          <span>Build the pricing graph from nothing.</span>
          <em>0 nodes</em>
        </button>
        {templates.map((t) => (
          <button
            type="button"
            key={t.id}
            className={`template-card${template?.id === t.id ? " selected" : ""}`}
            onClick={() => setTemplate(t)}
            data-testid={`template-${t.id}`}
          >
            <strong>{t.name}</strong>
            <span>{t.description}</span>
            <em>
              {t.document.nodes.length} nodes · {t.document.currency}
            </em>
          </button>
        ))}
      </div>
      {create.isError && <p className="form-error">{create.error.message}</p>}
      <FormActions
        onCancel={onClose}
        label="Create plan"
        busyLabel="Creating…"
        busy={create.isPending}
        testId="create-plan"
      />
    </Dialog>
  );
}

/** The tenant's plans, newest first, and the way into the editor; archived plans behind a toggle. */
export function PlansPage() {
  const can = useCan();
  // Archived plans too: a tenant whose plans are all archived is not offered a first plan.
  const plans = useQuery({ queryKey: ["plans", "all"], queryFn: () => plansApi.list(undefined, "all") });
  const [creating, setCreating] = useState(false);
  const [showArchived, setShowArchived] = useState(false);
  const all = plans.data?.data ?? [];
  const archivedCount = all.filter((plan) => plan.archivedAt).length;
  const shown = showArchived ? all : all.filter((plan) => !plan.archivedAt);
  return (
    <div className="page">
      <PageHeader
        title="Plans"
        subtitle="Pricing graphs: draft freely, publish versions that contracts bill."
      >
        {can("POST /v1/plans") && (
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => setCreating(true)}
            data-testid="new-plan"
          >
            New plan
          </button>
        )}
      </PageHeader>
      {plans.isError && <p className="form-error">Could not load plans: {plans.error.message}</p>}
      {plans.isLoading && <p className="muted">Loading…</p>}
      {plans.data && all.length === 0 && (
        <>
          <EmptyState title="No plans yet" testId="plans-empty">
            Answer three questions below for a first plan, or use New plan for an empty canvas or a template.
          </EmptyState>
          <GuidedFirstPlan />
        </>
      )}
      {archivedCount > 0 && (
        <label className="checkbox plans-archived-toggle" data-testid="show-archived-plans">
          <input type="checkbox" checked={showArchived} onChange={(e) => setShowArchived(e.target.checked)} />
          Show archived plans ({archivedCount})
        </label>
      )}
      {plans.data && all.length > 0 && shown.length === 0 && (
        <EmptyState title="Every plan is archived" testId="plans-all-archived">
          Show archived plans to bring one back, or create a new plan.
        </EmptyState>
      )}
      {shown.length > 0 && (
        <table className="data-table" data-testid="plans-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Nodes</th>
              <th>Published</th>
              <th>Updated</th>
              <th>
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((plan) => (
              <tr key={plan.id} data-testid={`plan-row-${plan.id}`}>
                <td>
                  <Link to={`/plans/${plan.id}`} className="strong-link">
                    {plan.name}
                  </Link>
                  {plan.archivedAt && (
                    <>
                      {" "}
                      <span className="tag tag-muted">archived</span>
                    </>
                  )}
                  {plan.description && <div className="muted small">{plan.description}</div>}
                </td>
                <td>{plan.draft.nodes.length}</td>
                <td>
                  {plan.latestVersion ? (
                    <span className="tag">v{plan.latestVersion}</span>
                  ) : (
                    <span className="tag tag-muted">draft only</span>
                  )}
                </td>
                <td className="muted">{new Date(plan.updatedAt).toLocaleString()}</td>
                <td>
                  <PlanRowActions plan={plan} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {creating && <NewPlanDialog onClose={() => setCreating(false)} />}
    </div>
  );
}
