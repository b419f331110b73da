import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useState } from "react";
import { type DunningCampaign, dunningApi } from "../api/receivables.ts";
import { ErrorBox } from "../ui/states.tsx";

/** The tenant's dunning campaign: when overdue invoices get reminders, how often, how many. */
export function DunningSettings() {
  const queryClient = useQueryClient();
  const campaign = useQuery({ queryKey: ["dunning"], queryFn: () => dunningApi.get() });
  const [form, setForm] = useState<DunningCampaign | null>(null);
  useEffect(() => {
    if (campaign.data) {
      const { enabled, overdueDays, intervalDays, maxAttempts } = campaign.data;
      setForm({ enabled, overdueDays, intervalDays, maxAttempts });
    }
  }, [campaign.data]);
  const save = useMutation({
    mutationFn: (body: DunningCampaign) => dunningApi.put(body),
    onSuccess: (data) => queryClient.setQueryData(["dunning"], data),
  });
  if (!form) return null;
  const number = (key: keyof Omit<DunningCampaign, "enabled">, label: string) => (
    <label className="field">
      <span>{label}</span>
      <input
        type="number"
        min={key === "overdueDays" ? 0 : 1}
        value={form[key]}
        onChange={(e) => setForm({ ...form, [key]: Number(e.target.value) })}
        data-testid={`dunning-${key}`}
      />
    </label>
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(form);
  };
  return (
    <section className="ops-card" data-testid="dunning-settings">
      <h2>Payment reminders (dunning)</h2>
      <form className="billing-form" onSubmit={submit}>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={form.enabled}
            onChange={(e) => setForm({ ...form, enabled: e.target.checked })}
            data-testid="dunning-enabled"
          />{" "}
          Send reminders for overdue invoices
        </label>
        {number("overdueDays", "Days past due before the first reminder")}
        {number("intervalDays", "Days between reminders")}
        {number("maxAttempts", "Reminders per invoice at most")}
        <button type="submit" className="btn" disabled={save.isPending} data-testid="save-dunning">
          Save
        </button>{" "}
        {save.isSuccess && <span className="muted small">Saved</span>}
        {save.isError && <ErrorBox error={save.error} title="Not saved." />}
      </form>
      <p className="muted small">Reminders stop by themselves once an invoice is paid.</p>
    </section>
  );
}
