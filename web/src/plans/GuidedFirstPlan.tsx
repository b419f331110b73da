import { templates } from "@pricegraph/engine/templates";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useNavigate } from "react-router";
import { plansApi } from "../api/plans.ts";
import { firstPlanFrom, firstPlanShapes, metricKey } from "./guidedPlan.ts";

/**
 * A tenant's first plan in three questions: what is billed, how its price works, what the plan is called.
 * The answer opens in the editor already priced with sample usage, so the curve and the invoice show at once.
 */
export function GuidedFirstPlan() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [billedFor, setBilledFor] = useState("API calls");
  const [shape, setShape] = useState<string>(firstPlanShapes[0].template);
  const [name, setName] = useState("");
  const create = useMutation({
    mutationFn: async () => {
      const template = templates.find((t) => t.id === shape)!;
      const { document, sample } = firstPlanFrom({
        metric: metricKey(billedFor),
        description: billedFor.trim() || "Usage",
        template,
      });
      const plan = await plansApi.create({
        name: name.trim() || `${billedFor.trim() || "My"} pricing`,
        document,
      });
      return { plan, sample };
    },
    onSuccess: ({ plan, sample }) => {
      queryClient.invalidateQueries({ queryKey: ["plans"] });
      navigate(`/plans/${plan.id}`, { state: { sample } });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <form className="guided-plan ops-card" onSubmit={submit} data-testid="guided-first-plan">
      <h2>Your first plan, in three questions</h2>
      <ol className="guided-steps">
        <li>
          <label className="field">
            <span>What do you bill for?</span>
            <input
              value={billedFor}
              onChange={(e) => setBilledFor(e.target.value)}
              placeholder="e.g. API calls, GB stored, video minutes"
              data-testid="guided-billed-for"
            />
            <small className="muted">
              Your usage events will carry it as <code>{metricKey(billedFor)}</code>.
            </small>
          </label>
        </li>
        <li>
          <fieldset className="field-choice">
            <legend>How does its price work?</legend>
            {firstPlanShapes.map((s) => (
              <label key={s.template} className="choice-option">
                <input
                  type="radio"
                  name="guided-shape"
                  checked={shape === s.template}
                  onChange={() => setShape(s.template)}
                  data-testid={`guided-shape-${s.template}`}
                />
                <span>
                  <strong>{s.label}</strong>
                  <span className="muted small">e.g. {s.example}</span>
                </span>
              </label>
            ))}
          </fieldset>
        </li>
        <li>
          <label className="field">
            <span>What is the plan called?</span>
            <input
              value={name}
              onChange={(e) => setName(e.target.value)}
              placeholder={`${billedFor.trim() || "My"} pricing`}
              data-testid="guided-name"
            />
          </label>
        </li>
      </ol>
      {create.isError && <p className="form-error">{create.error.message}</p>}
      <div className="dialog-actions">
        <button
          type="submit"
          className="btn btn-primary"
          disabled={create.isPending}
          data-testid="guided-create"
        >
          {create.isPending ? "Creating…" : "Create my plan and see its price"}
        </button>
      </div>
      <p className="muted small">
        The editor opens with sample usage priced. Change any price, and the invoice and the price curve
        follow. Nothing bills until you publish the plan and put a customer on it.
      </p>
    </form>
  );
}
