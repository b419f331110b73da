/**
 * The demo's alerts, created before its usage arrives so they fire on it as a client's would: a spend threshold
 * on the largest customer, usage thresholds on a growing one, and "credits running low" on a customer whose
 * startup credit is nearly spent (its firing also queues the credits-running-low e-mail). Per customer, not
 * tenant-wide: every Growth contract has a credit pool, most of them empty, and a tenant-wide alert would fire for
 * each. Thresholds are chosen so that one of each fires on the demo's current period and one is still ahead.
 *
 * No webhook endpoint: the demo has no receiver to point one at, and deliveries to a host that does not exist
 * would be retried for days.
 */

type Call = <T = Record<string, unknown>>(method: "GET" | "POST", url: string, body?: unknown) => Promise<T>;

export interface DemoAlert {
  name: string;
  kind: "usage" | "spend" | "credit_balance";
  metricKey?: string;
  /** The watched customer's external id; none watches every customer. */
  customer?: string;
  thresholds: string[];
}

export const demoAlerts: DemoAlert[] = [
  {
    name: "Acme Sports: spend this month",
    kind: "spend",
    customer: "acme-sports",
    thresholds: ["1000", "5000"],
  },
  {
    name: "Brightwave: delivered minutes this month",
    kind: "usage",
    metricKey: "delivery_minutes",
    customer: "brightwave",
    thresholds: ["50000", "1000000"],
  },
  {
    name: "Saffron Yoga: credits running low",
    kind: "credit_balance",
    customer: "saffron-yoga",
    thresholds: ["250", "50"],
  },
];

export async function seedAlerts(call: Call): Promise<number> {
  for (const alert of demoAlerts) {
    let customerId: string | undefined;
    if (alert.customer) {
      const found = await call<{ data: { id: string }[] }>(
        "GET",
        `/v1/customers?externalId=${alert.customer}`,
      );
      customerId = found.data[0]?.id;
    }
    await call("POST", "/v1/alerts", {
      name: alert.name,
      kind: alert.kind,
      thresholds: alert.thresholds,
      ...(alert.metricKey ? { metricKey: alert.metricKey } : {}),
      ...(customerId ? { customerId } : {}),
    });
  }
  return demoAlerts.length;
}
