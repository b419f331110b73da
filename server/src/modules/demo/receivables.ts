import { Decimal } from "@pricegraph/engine";

type Call = <T = Record<string, unknown>>(
  method: "GET" | "POST" | "PUT",
  url: string,
  body?: unknown,
) => Promise<T>;

const DAY_MS = 86_400_000;

/**
 * Who bills in the demo: the company printed on invoices, a sales tax every invoice is taxed at, net-30 terms,
 * and a dunning campaign. Set before the seed finalizes anything, so every finalized demo invoice has its tax and
 * due date. The first customer gets a billing address, two billing e-mails and monthly usage reports; the others
 * are e-mailed at their contact address.
 */
export async function seedCompany(call: Call, firstCustomerId?: string): Promise<void> {
  const tax = await call<{ id: string }>("POST", "/v1/tax-rates", { name: "Sales tax", percentage: "8.25" });
  await call("PUT", "/v1/settings/company", {
    legalName: "Streamwave Video Inc.",
    address: "500 Market Street, Suite 400\nSan Francisco, CA 94105\nUnited States",
    taxId: "US 94-1234567",
    paymentInstructions:
      "Pay by bank transfer to Streamwave Video Inc., account 000123456789, routing 121000248, quoting the invoice number.",
    invoiceFooter:
      "Streamwave Video Inc. · billing@streamwave.example · Questions about this invoice? Reply to this e-mail.",
    paymentTermsDays: 30,
    defaultTaxRateId: tax.id,
  });
  await call("PUT", "/v1/settings/dunning", {
    enabled: true,
    overdueDays: 7,
    intervalDays: 7,
    maxAttempts: 3,
  });
  if (firstCustomerId) {
    await call("PUT", `/v1/customers/${firstCustomerId}/billing`, {
      address: "Accounts payable\n1 Harbour Way\nSydney NSW 2000\nAustralia",
      emails: ["ap@customer.example", "finance@customer.example"],
      usageReports: "monthly",
    });
  }
}

interface Receivable {
  invoiceId: string;
  customerId: string;
  currency: string;
  outstanding: string;
  paymentStatus: string;
  dueDate: string;
}

/**
 * Payments on the finalized demo invoices, oldest due first: of every three open invoices the first is paid in
 * full, the second half paid, the third left open — so the demo has paid, partly paid and overdue invoices and an
 * aging report with something in several buckets.
 */
export async function seedPayments(call: Call, now: Date) {
  const open = (await call<{ data: Receivable[] }>("GET", "/v1/receivables/invoices?open=true&limit=1000"))
    .data;
  let paid = 0;
  let partlyPaid = 0;
  for (const [i, r] of open.entries()) {
    if (i % 3 === 2) continue;
    const amount =
      i % 3 === 0
        ? r.outstanding
        : new Decimal(r.outstanding).div(2).toDecimalPlaces(2, Decimal.ROUND_DOWN).toString();
    await call("POST", "/v1/payments", {
      customerId: r.customerId,
      amount,
      currency: r.currency,
      receivedAt: new Date(now.getTime() - ((i % 5) + 1) * DAY_MS).toISOString(),
      method: i % 2 ? "card" : "bank_transfer",
      reference: `DEMO-${String(i + 1).padStart(4, "0")}`,
      allocations: [{ invoiceId: r.invoiceId, amount }],
    });
    if (i % 3 === 0) paid += 1;
    else partlyPaid += 1;
  }
  const overdue = (
    await call<{ data: Receivable[] }>("GET", "/v1/receivables/invoices?paymentStatus=overdue&limit=1000")
  ).data.length;
  return { paid, partlyPaid, overdue };
}
