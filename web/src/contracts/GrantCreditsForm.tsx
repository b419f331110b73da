import { DECIMAL_PATTERN } from "@pricegraph/shared";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { contractsApi } from "../api/contracts.ts";
import { ErrorBox } from "../ui/states.tsx";

/** Grants more credits to one of the pools the contract's plan draws from. */
export function GrantCreditsForm({ contractId, pools }: { contractId: string; pools: string[] }) {
  const queryClient = useQueryClient();
  const [pool, setPool] = useState(pools[0] ?? "");
  const [amount, setAmount] = useState("");
  const [expiresOn, setExpiresOn] = useState("");
  const grant = useMutation({
    mutationFn: () =>
      contractsApi.grant(contractId, {
        pool,
        amount: amount.trim(),
        ...(expiresOn ? { expiresAt: `${expiresOn}T00:00:00Z` } : {}),
      }),
    onSuccess: () => {
      setAmount("");
      setExpiresOn("");
      queryClient.invalidateQueries({ queryKey: ["credits", contractId] });
      queryClient.invalidateQueries({ queryKey: ["usage-report", contractId] });
    },
  });
  const trimmed = amount.trim();
  const invalid =
    trimmed !== "" && (!DECIMAL_PATTERN.test(trimmed) || trimmed.startsWith("-") || !/[1-9]/.test(trimmed));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (trimmed && !invalid && pool) grant.mutate();
  };
  if (pools.length === 0)
    return <p className="muted small">The plan draws no credits, so there is no pool to grant.</p>;
  return (
    <form className="grant-form" onSubmit={submit} data-testid="grant-form">
      <label className="field">
        <span>Pool</span>
        <select value={pool} onChange={(e) => setPool(e.target.value)} data-testid="grant-pool">
          {pools.map((p) => (
            <option key={p}>{p}</option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Amount</span>
        <input
          type="text"
          inputMode="decimal"
          value={amount}
          className={invalid ? "is-invalid" : undefined}
          onChange={(e) => setAmount(e.target.value)}
          data-testid="grant-amount"
        />
        {invalid && <span className="field-error">A positive decimal such as 250.00</span>}
      </label>
      <label className="field">
        <span>Expires (optional)</span>
        <input
          type="date"
          value={expiresOn}
          onChange={(e) => setExpiresOn(e.target.value)}
          data-testid="grant-expires"
        />
      </label>
      <button
        type="submit"
        className="btn"
        disabled={!trimmed || invalid || grant.isPending}
        data-testid="grant-submit"
      >
        {grant.isPending ? "Granting…" : "Grant"}
      </button>
      {grant.isError && <ErrorBox error={grant.error} title="Not granted." />}
    </form>
  );
}
