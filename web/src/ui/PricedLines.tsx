import { money, quantity } from "./format.ts";

/** The head of a table of priced lines: a quote, the period so far, the editor's preview. */
export function PricedLinesHead() {
  return (
    <thead>
      <tr>
        <th>Line</th>
        <th className="num">Qty</th>
        <th className="num">Amount</th>
      </tr>
    </thead>
  );
}

/** One priced line: its description (marked when billed in advance), quantity and amount. */
export function PricedLineRow({
  line,
  currency,
  testId,
}: {
  line: { description: string; timing?: string; quantity: string | null; amount: string };
  currency: string;
  testId?: string;
}) {
  return (
    <tr data-testid={testId}>
      <td>
        {line.description}
        {line.timing === "advance" && <span className="tag tag-muted">advance</span>}
      </td>
      <td className="num">{quantity(line.quantity)}</td>
      <td className="num">{money(line.amount, currency)}</td>
    </tr>
  );
}
