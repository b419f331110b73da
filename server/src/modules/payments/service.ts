import { Decimal, fixed } from "@pricegraph/engine";
import { minorUnits } from "@pricegraph/shared";
import type { Caller, Deps } from "../../context.ts";
import type { Db } from "../../db/index.ts";
import { conflict, type ErrorDetail, notFound, validationFailed } from "../../http/errors.ts";
import { recordActivity } from "../activity/service.ts";
import { requireCustomer } from "../customers/service.ts";
import {
  balancesOf,
  insertBalanceEntries,
  listReceivables,
  lockCustomerReceivables,
} from "../receivables/queries.ts";
import {
  type AllocationRow,
  allocationsOfPayments,
  insertPayment,
  insertReversal,
  listPayments,
  lockFinalizedInvoices,
  overpaymentsOf,
  type PaymentRow,
  paymentById,
  type ReversalRow,
} from "./queries.ts";
import type { CreatePayment, Payment } from "./schemas.ts";

const money = (value: Decimal | string, currency: string) => fixed(new Decimal(value), minorUnits(currency));

async function toPayments(
  db: Db,
  tenantId: string,
  rows: { payment: PaymentRow; reversal: ReversalRow | null }[],
): Promise<Payment[]> {
  const ids = rows.map((r) => r.payment.id);
  const [allocations, overpayments] = await Promise.all([
    allocationsOfPayments(db, tenantId, ids),
    overpaymentsOf(db, tenantId, ids),
  ]);
  return rows.map(({ payment, reversal }) => ({
    id: payment.id,
    customerId: payment.customerId,
    amount: money(payment.amount, payment.currency),
    currency: payment.currency,
    receivedAt: payment.receivedAt.toISOString(),
    method: payment.method,
    reference: payment.reference,
    allocations: allocations
      .filter((a) => a.paymentId === payment.id)
      .map((a) => ({
        invoiceId: a.invoiceId,
        number: a.number,
        amount: money(a.allocated, payment.currency),
      })),
    toBalance: money(overpayments.get(payment.id) ?? "0", payment.currency),
    reversed: reversal !== null,
    reversedAt: reversal?.reversedAt.toISOString() ?? null,
    reversalReason: reversal?.reason ?? null,
    createdAt: payment.createdAt.toISOString(),
  }));
}

async function loadPayment(db: Db, tenantId: string, id: string): Promise<Payment> {
  const row = await paymentById(db, tenantId, id);
  if (!row) throw notFound("Payment", [{ path: "params.id", message: `no payment ${id}` }]);
  return (await toPayments(db, tenantId, [row]))[0];
}

export const getPayment = (deps: Deps, tenantId: string, id: string) => loadPayment(deps.db, tenantId, id);

export async function pageOfPayments(
  deps: Deps,
  tenantId: string,
  query: { customerId?: string; limit: number },
) {
  return { data: await toPayments(deps.db, tenantId, await listPayments(deps.db, tenantId, query)) };
}

function amountProblems(value: string, currency: string, path: string): ErrorDetail[] {
  const amount = new Decimal(value);
  if (amount.lte(0)) return [{ path, message: "must be greater than 0" }];
  if (amount.decimalPlaces() > minorUnits(currency))
    return [{ path, message: `has more than ${minorUnits(currency)} decimals for ${currency}` }];
  return [];
}

/**
 * Records a payment inside `tx`, which must hold the customer's receivables lock: allocates it to the named
 * invoices (each at most what it has outstanding) or, without names, to the open invoices oldest due first;
 * what is left becomes customer balance, applied when the next invoice is finalized.
 */
export async function recordPaymentLocked(
  deps: Deps,
  tx: Db,
  caller: Caller,
  input: CreatePayment,
): Promise<Payment> {
  const { tenantId } = caller;
  const { currency } = input;
  const problems = amountProblems(input.amount, currency, "$.amount");
  await lockFinalizedInvoices(tx, tenantId, input.customerId, currency);
  const open = await listReceivables(tx, tenantId, deps.clock(), {
    customerId: input.customerId,
    currency,
    openOnly: true,
  });
  const outstanding = new Map(open.map((r) => [r.invoice_id, new Decimal(r.outstanding)]));
  const plan: { invoiceId: string; amount: Decimal }[] = [];
  let remaining = new Decimal(input.amount);
  if (input.allocations) {
    let named = new Decimal(0);
    input.allocations.forEach((entry, i) => {
      const path = `$.allocations[${i}]`;
      const left = outstanding.get(entry.invoiceId);
      if (!left) {
        problems.push({
          path: `${path}.invoiceId`,
          message: `is not an open (finalized, unpaid) ${currency} invoice of this customer`,
        });
        return;
      }
      const amountIssues = amountProblems(entry.amount, currency, `${path}.amount`);
      problems.push(...amountIssues);
      if (amountIssues.length) return;
      const amount = new Decimal(entry.amount);
      if (amount.gt(left)) {
        problems.push({
          path: `${path}.amount`,
          message: `exceeds what is outstanding (${money(left, currency)})`,
        });
        return;
      }
      outstanding.set(entry.invoiceId, left.minus(amount));
      named = named.plus(amount);
      plan.push({ invoiceId: entry.invoiceId, amount });
    });
    if (named.gt(input.amount)) {
      problems.push({ path: "$.allocations", message: `add up to more than the payment (${input.amount})` });
    }
    remaining = remaining.minus(named);
  } else {
    for (const row of open) {
      if (remaining.lte(0)) break;
      const amount = Decimal.min(remaining, row.outstanding);
      plan.push({ invoiceId: row.invoice_id, amount });
      outstanding.set(row.invoice_id, new Decimal(row.outstanding).minus(amount));
      remaining = remaining.minus(amount);
    }
  }
  if (problems.length) throw validationFailed(problems, "The payment is invalid; nothing was recorded");

  const now = deps.clock();
  const paymentId = deps.ids("pay");
  const row: PaymentRow = {
    id: paymentId,
    tenantId,
    customerId: input.customerId,
    amount: money(input.amount, currency),
    currency,
    receivedAt: new Date(input.receivedAt),
    method: input.method,
    reference: input.reference || null,
    createdAt: now,
  };
  const allocations: AllocationRow[] = plan.map((p) => ({
    id: deps.ids("pal"),
    tenantId,
    paymentId,
    invoiceId: p.invoiceId,
    amount: money(p.amount, currency),
    createdAt: now,
  }));
  await insertPayment(tx, row, allocations);
  if (remaining.gt(0)) {
    await insertBalanceEntries(tx, [
      {
        id: deps.ids("cbe"),
        tenantId,
        customerId: input.customerId,
        currency,
        kind: "overpayment",
        amount: money(remaining, currency),
        paymentId,
        invoiceId: null,
        createdAt: now,
      },
    ]);
  }
  const payment = (await toPayments(tx, tenantId, [{ payment: row, reversal: null }]))[0];
  await recordActivity(deps, tx, caller, { type: "payment.created", objectId: paymentId, object: payment });
  if (remaining.gt(0)) {
    await recordActivity(deps, tx, caller, {
      type: "customer_balance.credited",
      objectId: input.customerId,
      object: { customerId: input.customerId, currency, amount: payment.toBalance, paymentId },
    });
  }
  const settled = plan.filter((p) => outstanding.get(p.invoiceId)?.lte(0)).map((p) => p.invoiceId);
  if (settled.length) {
    const paid = await listReceivables(tx, tenantId, now, { invoiceIds: settled });
    for (const invoice of paid) {
      await recordActivity(deps, tx, caller, {
        type: "invoice.paid",
        objectId: invoice.invoice_id,
        object: {
          invoiceId: invoice.invoice_id,
          number: invoice.number,
          customerId: invoice.customer_id,
          currency,
          total: invoice.total,
          paid: invoice.paid,
          paymentId,
        },
      });
    }
  }
  return payment;
}

export async function createPayment(deps: Deps, caller: Caller, input: CreatePayment): Promise<Payment> {
  return deps.db.transaction(async (tx) => {
    const db = tx as Db;
    await requireCustomer(db, caller.tenantId, input.customerId, "$.customerId");
    await lockCustomerReceivables(db, input.customerId);
    return recordPaymentLocked(deps, db, caller, input);
  });
}

/**
 * Reverses a payment (a bounced transfer, a mistake): its allocations are taken back by negative allocations, its
 * overpayment leaves the customer's balance, and the payment is marked reversed. Nothing is edited or deleted.
 */
export async function reversePayment(
  deps: Deps,
  caller: Caller,
  id: string,
  reason: string,
): Promise<Payment> {
  const { tenantId } = caller;
  const peek = await paymentById(deps.db, tenantId, id);
  if (!peek) throw notFound("Payment", [{ path: "params.id", message: `no payment ${id}` }]);
  return deps.db.transaction(async (tx) => {
    const db = tx as Db;
    await lockCustomerReceivables(db, peek.payment.customerId);
    const current = await paymentById(db, tenantId, id);
    if (!current || current.reversal) {
      throw conflict(`Payment ${id} is already reversed`, [
        { path: "params.id", message: "already reversed" },
      ]);
    }
    const { payment } = current;
    const now = deps.clock();
    const [allocations, overpayments, balances] = await Promise.all([
      allocationsOfPayments(db, tenantId, [id]),
      overpaymentsOf(db, tenantId, [id]),
      balancesOf(db, tenantId, payment.customerId),
    ]);
    const credited = new Decimal(overpayments.get(id) ?? "0");
    const balance = new Decimal(balances.find((b) => b.currency === payment.currency)?.amount ?? "0");
    if (credited.gt(balance)) {
      throw conflict(
        "The balance this payment credited has already been applied to an invoice; credit or void that invoice first",
        [
          {
            path: "params.id",
            message: `balance left ${money(balance, payment.currency)}, payment credited ${money(credited, payment.currency)}`,
          },
        ],
      );
    }
    await insertReversal(
      db,
      { paymentId: id, tenantId, reason, reversedAt: now },
      allocations
        .filter((a) => new Decimal(a.amount).gt(0))
        .map((a) => ({
          id: deps.ids("pal"),
          tenantId,
          paymentId: id,
          invoiceId: a.invoiceId,
          amount: money(new Decimal(a.amount).negated(), payment.currency),
          createdAt: now,
        })),
    );
    if (credited.gt(0)) {
      await insertBalanceEntries(db, [
        {
          id: deps.ids("cbe"),
          tenantId,
          customerId: payment.customerId,
          currency: payment.currency,
          kind: "reversal",
          amount: money(credited.negated(), payment.currency),
          paymentId: id,
          invoiceId: null,
          createdAt: now,
        },
      ]);
    }
    const reversed = await loadPayment(db, tenantId, id);
    await recordActivity(deps, db, caller, { type: "payment.reversed", objectId: id, object: reversed });
    return reversed;
  });
}
