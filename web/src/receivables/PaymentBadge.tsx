import type { PaymentStatus } from "../api/receivables.ts";

const tone: Record<PaymentStatus, string> = {
  paid: "ok",
  partially_paid: "info",
  unpaid: "warn",
  overdue: "danger",
};

export const paymentStatusLabel = (status: PaymentStatus) => status.replace("_", " ");

/** An invoice's derived payment status as a badge. */
export function PaymentBadge({ status, testId }: { status: PaymentStatus; testId?: string }) {
  return (
    <span className={`ops-badge ops-badge-${tone[status]}`} data-testid={testId} data-status={status}>
      {paymentStatusLabel(status)}
    </span>
  );
}
