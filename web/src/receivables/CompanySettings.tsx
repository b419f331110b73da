import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useState } from "react";
import { type CompanyProfileInput, companyApi } from "../api/receivables.ts";
import { ErrorBox, Loading } from "../ui/states.tsx";
import "./receivables.css";

const empty: CompanyProfileInput = {
  legalName: "",
  address: "",
  taxId: null,
  logo: null,
  invoiceFooter: "",
  paymentInstructions: "",
  paymentTermsDays: 30,
  defaultTaxRateId: null,
};

function TaxRates() {
  const queryClient = useQueryClient();
  const rates = useQuery({ queryKey: ["tax-rates"], queryFn: () => companyApi.taxRates() });
  const [name, setName] = useState("");
  const [percentage, setPercentage] = useState("");
  const create = useMutation({
    mutationFn: () => companyApi.createTaxRate({ name: name.trim(), percentage: percentage.trim() }),
    onSuccess: () => {
      setName("");
      setPercentage("");
      return queryClient.invalidateQueries({ queryKey: ["tax-rates"] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (name.trim() && percentage.trim()) create.mutate();
  };
  return (
    <div>
      <h3>Tax rates</h3>
      {rates.data && rates.data.data.length > 0 && (
        <table className="data-table compact" data-testid="tax-rates">
          <tbody>
            {rates.data.data.map((r) => (
              <tr key={r.id}>
                <td>{r.name}</td>
                <td className="num">{r.percentage}%</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="tax-rate-form" onSubmit={submit}>
        <label className="field">
          <span>Name</span>
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="VAT"
            data-testid="tax-rate-name"
          />
        </label>
        <label className="field">
          <span>Percent</span>
          <input
            value={percentage}
            inputMode="decimal"
            onChange={(e) => setPercentage(e.target.value)}
            placeholder="20"
            data-testid="tax-rate-percentage"
          />
        </label>
        <button type="submit" className="btn" disabled={create.isPending} data-testid="add-tax-rate">
          Add rate
        </button>
      </form>
      {create.isError && <ErrorBox error={create.error} title="Not added." />}
    </div>
  );
}

/**
 * Who bills: the company printed on invoices, how to pay it, the default payment terms and tax rate. Tax and
 * terms apply to invoices finalized after the change; finalized invoices keep theirs.
 */
export function CompanySettings() {
  const queryClient = useQueryClient();
  const profile = useQuery({ queryKey: ["company-profile"], queryFn: () => companyApi.get() });
  const rates = useQuery({ queryKey: ["tax-rates"], queryFn: () => companyApi.taxRates() });
  const [form, setForm] = useState<CompanyProfileInput>(empty);
  useEffect(() => {
    if (profile.data) {
      const { updatedAt: _, ...rest } = profile.data;
      setForm(rest);
    }
  }, [profile.data]);
  const save = useMutation({
    mutationFn: () => companyApi.put({ ...form, taxId: form.taxId || null }),
    onSuccess: (data) => queryClient.setQueryData(["company-profile"], data),
  });
  const set = <K extends keyof CompanyProfileInput>(key: K, value: CompanyProfileInput[K]) =>
    setForm((f) => ({ ...f, [key]: value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const pickLogo = (file: File | undefined) => {
    if (!file) return;
    const reader = new FileReader();
    reader.onload = () => set("logo", String(reader.result));
    reader.readAsDataURL(file);
  };
  return (
    <section className="ops-card" data-testid="company-settings">
      <h2>Company and invoices</h2>
      {profile.isLoading && <Loading what="company profile" />}
      {profile.isError && <ErrorBox error={profile.error} />}
      <form className="billing-form" onSubmit={submit}>
        <label className="field">
          <span>Legal name</span>
          <input
            value={form.legalName}
            onChange={(e) => set("legalName", e.target.value)}
            data-testid="company-legal-name"
          />
        </label>
        <label className="field">
          <span>Address</span>
          <textarea
            value={form.address}
            onChange={(e) => set("address", e.target.value)}
            data-testid="company-address"
          />
        </label>
        <label className="field">
          <span>Tax ID</span>
          <input
            value={form.taxId ?? ""}
            onChange={(e) => set("taxId", e.target.value)}
            data-testid="company-tax-id"
          />
        </label>
        <label className="field">
          <span>Logo (PNG or JPEG)</span>
          <input type="file" accept="image/png,image/jpeg" onChange={(e) => pickLogo(e.target.files?.[0])} />
          {form.logo && (
            <span className="muted small">
              <img src={form.logo} alt="logo" height={32} />{" "}
              <button type="button" className="btn btn-small" onClick={() => set("logo", null)}>
                Remove
              </button>
            </span>
          )}
        </label>
        <label className="field">
          <span>Payment instructions</span>
          <textarea
            value={form.paymentInstructions}
            onChange={(e) => set("paymentInstructions", e.target.value)}
            placeholder="Bank transfer to IBAN …, quoting the invoice number"
            data-testid="company-payment-instructions"
          />
        </label>
        <label className="field">
          <span>Invoice footer</span>
          <textarea value={form.invoiceFooter} onChange={(e) => set("invoiceFooter", e.target.value)} />
        </label>
        <label className="field">
          <span>Payment terms (net days)</span>
          <input
            type="number"
            min={0}
            max={365}
            value={form.paymentTermsDays}
            onChange={(e) => set("paymentTermsDays", Number(e.target.value))}
            data-testid="company-terms"
          />
        </label>
        <label className="field">
          <span>Default tax rate</span>
          <select
            value={form.defaultTaxRateId ?? ""}
            onChange={(e) => set("defaultTaxRateId", e.target.value || null)}
            data-testid="company-default-tax"
          >
            <option value="">no tax</option>
            {rates.data?.data.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name} ({r.percentage}%)
              </option>
            ))}
          </select>
        </label>
        <button
          type="submit"
          className="btn btn-primary"
          disabled={save.isPending}
          data-testid="save-company"
        >
          {save.isPending ? "Saving…" : "Save"}
        </button>{" "}
        {save.isSuccess && (
          <span className="muted small" data-testid="company-saved">
            Saved
          </span>
        )}
        {save.isError && <ErrorBox error={save.error} title="Not saved." />}
      </form>
      <TaxRates />
    </section>
  );
}
