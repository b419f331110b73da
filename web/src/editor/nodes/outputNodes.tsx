import { formatMoney } from "../format.ts";
import { useEditor } from "../store/editorStore.ts";
import { NodeShell } from "./NodeShell.tsx";
import type { PgNodeProps } from "./parts.tsx";

export function InvoiceLineNode({ id, data, selected }: PgNodeProps) {
  const line = useEditor((s) =>
    s.preview?.evaluation?.ok ? s.preview.evaluation.output.lines.find((l) => l.nodeId === id) : undefined,
  );
  const currency = useEditor((s) => s.currency);
  return (
    <NodeShell id={id} type="invoiceLine" data={data} selected={selected}>
      <div className="line-desc">{String(data.description ?? "")}</div>
      {line && (
        <div className="line-amount" data-testid={`line-amount-${id}`}>
          {currency} {formatMoney(line.amount, currency)}
        </div>
      )}
    </NodeShell>
  );
}
