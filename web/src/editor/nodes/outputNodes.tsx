import { formatMoney } from "../format.ts";
import { useOverlay } from "../store/editorStore.ts";
import { NodeShell, useNodeOverlay } from "./NodeShell.tsx";
import type { PgNodeProps } from "./parts.tsx";

export function InvoiceLineNode({ id, data, selected }: PgNodeProps) {
  // A string, not the line object: a new evaluation must not re-render lines whose amount did not change.
  const amount = useNodeOverlay(id).lineAmount;
  const currency = useOverlay((o) => o.currency);
  return (
    <NodeShell id={id} type="invoiceLine" data={data} selected={selected}>
      <div className="line-desc">{String(data.description ?? "")}</div>
      {amount !== undefined && (
        <div className="line-amount" data-testid={`line-amount-${id}`}>
          {currency} {formatMoney(amount, currency)}
        </div>
      )}
    </NodeShell>
  );
}
