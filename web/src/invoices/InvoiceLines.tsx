import type { ReactNode } from "react";
import { Link } from "react-router";
import type { InvoiceDetail, InvoiceLine } from "../api/invoices.ts";
import { money, periodRange, quantity } from "../ui/format.ts";

/** One invoice line, then, when child accounts' usage counts toward it, one row per account. */
function LineRows({
  line,
  currency,
  onWhy,
}: {
  line: InvoiceLine;
  currency: string;
  onWhy(lineId: string): void;
}) {
  return (
    <>
      <tr data-testid={`invoice-line-${line.nodeId}`}>
        <td>
          {line.description}
          {line.kind === "adjustment" && <span className="tag">adjustment</span>}
          {line.timing === "advance" && <span className="tag tag-muted">advance</span>}
          {line.componentId && <span className="tag tag-muted">add-on</span>}
          <div className="line-sub">
            {[
              line.product ? `product ${line.product}` : null,
              line.creditsApplied !== "0" ? `credits applied ${quantity(line.creditsApplied)}` : null,
            ]
              .filter(Boolean)
              .join(" · ")}
          </div>
        </td>
        <td className="small">{periodRange(line.servicePeriod.startDate, line.servicePeriod.endDate)}</td>
        <td className="num">{quantity(line.quantity)}</td>
        <td className="num" data-testid={`invoice-line-amount-${line.nodeId}`}>
          {money(line.amount, currency)}
        </td>
        <td className="num">
          {line.credited === "0" || /^0\.?0*$/.test(line.credited) ? "—" : money(line.credited, currency)}
        </td>
        <td className="num">
          <button
            type="button"
            className="btn btn-small why-btn"
            onClick={() => onWhy(line.id)}
            data-testid={`why-${line.nodeId}`}
          >
            why?
          </button>
        </td>
      </tr>
      {line.accounts.map((account) => (
        <tr
          key={account.customerId}
          className="line-account"
          data-testid={`invoice-line-${line.nodeId}-account-${account.externalId}`}
        >
          <td className="small">
            <span className="muted">↳ account</span> <span className="ops-mono">{account.externalId}</span>
          </td>
          <td />
          <td className="num small">{quantity(account.quantity)}</td>
          <td className="num small">{money(account.amount, currency)}</td>
          <td />
          <td />
        </tr>
      ))}
    </>
  );
}

const lineHeader = (
  <thead>
    <tr>
      <th>Description</th>
      <th>Service period</th>
      <th className="num">Quantity</th>
      <th className="num">Amount</th>
      <th className="num">Credited</th>
      <th />
    </tr>
  </thead>
);

/** The heading row of a group of lines (a product, or a contract): its label and its subtotal. */
function GroupHeading({
  amount,
  amountTestId,
  children,
}: {
  amount: string;
  amountTestId: string;
  children: ReactNode;
}) {
  return (
    <tr className="product-group">
      <th colSpan={3} scope="rowgroup">
        {children}
      </th>
      <th className="num" data-testid={amountTestId}>
        {amount}
      </th>
      <th colSpan={2} />
    </tr>
  );
}

/**
 * A consolidated invoice's lines grouped by the contract they bill: a heading row per contract naming its plan,
 * with the contract's subtotal.
 */
function ContractGroups({
  invoice,
  byId,
  onWhy,
}: {
  invoice: InvoiceDetail;
  byId: ReadonlyMap<string, InvoiceLine>;
  onWhy(lineId: string): void;
}) {
  return (
    <table className="invoice invoice-lines" data-testid="invoice-lines">
      {lineHeader}
      {invoice.contractGroups.map((group) => (
        <tbody key={group.contractId} data-testid={`contract-group-${group.contractId}`}>
          <GroupHeading
            amount={money(group.amount, invoice.currency)}
            amountTestId={`contract-group-amount-${group.contractId}`}
          >
            <Link to={`/contracts/${group.contractId}`}>Contract</Link> · {group.planName ?? group.planId}
            {group.planVersion !== null && <span className="muted small"> v{group.planVersion}</span>}
          </GroupHeading>
          {group.lineIds.map((id) => {
            const line = byId.get(id);
            return line && <LineRows key={id} line={line} currency={invoice.currency} onWhy={onWhy} />;
          })}
        </tbody>
      ))}
    </table>
  );
}

/**
 * The invoice's lines grouped by product (a heading row with the group's subtotal when the lines name more than
 * one product), each line followed by its usage per child account; a consolidated invoice's by contract.
 */
export function InvoiceLines({ invoice, onWhy }: { invoice: InvoiceDetail; onWhy(lineId: string): void }) {
  const byId = new Map(invoice.lines.map((line) => [line.id, line]));
  if (invoice.consolidated) return <ContractGroups invoice={invoice} byId={byId} onWhy={onWhy} />;
  const grouped = invoice.productGroups.length > 1;
  return (
    <table className="invoice invoice-lines" data-testid="invoice-lines">
      {lineHeader}
      {invoice.productGroups.map((group) => (
        <tbody key={group.product ?? ""} data-testid={`product-group-${group.product ?? "other"}`}>
          {grouped && (
            <GroupHeading
              amount={money(group.amount, invoice.currency)}
              amountTestId={`product-group-amount-${group.product ?? "other"}`}
            >
              {group.name}
              {group.accountingCode && <span className="muted small"> · {group.accountingCode}</span>}
            </GroupHeading>
          )}
          {group.lineIds.map((id) => {
            const line = byId.get(id);
            return line && <LineRows key={id} line={line} currency={invoice.currency} onWhy={onWhy} />;
          })}
        </tbody>
      ))}
    </table>
  );
}
