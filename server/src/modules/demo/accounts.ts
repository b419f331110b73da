import type { DemoProduct } from "./catalog.ts";
import type { DemoCustomer } from "./customers.ts";

/**
 * The demo's account hierarchy: a media group billed on one contract, whose two channels send usage under
 * their own external ids (child accounts). The group's invoices split each usage line by channel.
 */
export const demoParent: DemoCustomer = {
  externalId: "northwind-media",
  name: "Northwind Media Group",
  email: "ap@northwind.example",
  timezone: "Europe/London",
  plan: "growth",
  startDay: 0,
  usage: { monthlyMinutes: 2_000, mix: [0.5, 0.5, 0], deliveryRatio: 2, growth: 0.05 },
};

export const demoChildren: DemoCustomer[] = [
  {
    externalId: "northwind-news",
    name: "Northwind News",
    email: "news-ops@northwind.example",
    timezone: "Europe/London",
    plan: "growth",
    startDay: 0,
    usage: { monthlyMinutes: 18_000, mix: [0.3, 0.7, 0], deliveryRatio: 5, growth: 0.1 },
  },
  {
    externalId: "northwind-kids",
    name: "Northwind Kids",
    email: "kids-ops@northwind.example",
    timezone: "Europe/London",
    plan: "growth",
    startDay: 0,
    usage: { monthlyMinutes: 9_000, mix: [0.6, 0.4, 0], deliveryRatio: 8, growth: 0.05 },
  },
];

type Call = <T = Record<string, unknown>>(
  method: "GET" | "POST" | "PUT",
  url: string,
  body?: unknown,
) => Promise<T>;

/** The catalog, parents before their sub-products. Returns how many products it holds. */
export async function seedCatalog(call: Call, products: readonly DemoProduct[]): Promise<number> {
  const idOf = new Map<string, string>();
  for (const product of products) {
    const created = await call<{ id: string }>("POST", "/v1/products", {
      code: product.code,
      name: product.name,
      description: product.description,
      accountingCode: product.accountingCode ?? null,
      parentId: product.parent ? idOf.get(product.parent) : null,
      kind: product.kind ?? "product",
    });
    idOf.set(product.code, created.id);
  }
  return products.length;
}

/** A plan of one monthly fee (a parameter), prorated over the days it serves, on one invoice line. */
function monthlyFeePlan(
  fee: { id: string; param: string; label: string; default: string },
  line: { id: string; description: string; product: string },
) {
  return {
    format: "pricegraph/v1",
    currency: "USD",
    params: [{ key: fee.param, label: fee.label, type: "money", default: fee.default }],
    nodes: [
      {
        id: fee.id,
        type: "flatFee",
        position: { x: 0, y: 0 },
        data: { amount: { param: fee.param }, prorate: true },
      },
      {
        id: line.id,
        type: "invoiceLine",
        position: { x: 260, y: 0 },
        data: { description: line.description, product: line.product },
      },
    ],
    edges: [{ id: "e1", source: fee.id, sourceHandle: "out", target: line.id, targetHandle: "amount" }],
  };
}

/**
 * The media group's second contract: a live-channel package with its own monthly fee. The demo tenant
 * consolidates invoices per customer, so the group gets one invoice a month carrying both contracts' lines.
 */
const liveChannelPlan = monthlyFeePlan(
  { id: "channelFee", param: "channel_fee", label: "Monthly live-channel fee", default: "400" },
  { id: "lineChannel", description: "Live channel", product: "platform" },
);

/** The demo's add-on plan: premium support, a monthly fee prorated over the days it serves. */
const premiumSupportPlan = monthlyFeePlan(
  { id: "supportFee", param: "support_fee", label: "Monthly support fee", default: "150" },
  { id: "lineSupport", description: "Premium support", product: "premium-support" },
);

/**
 * The media group on `plan` from `startDate` with the premium-support add-on, changed from `supportChange` (the
 * 8th of the current month: a 24/7 rota at a higher fee, so this period bills the add-on per phase), a second
 * contract for a live channel (consolidated with the first on one invoice a month), and its channels as child
 * accounts (created under it, so all their usage counts toward the group's contracts).
 */
export async function seedAccountGroup(
  call: Call,
  plan: { planId: string; version: number },
  startDate: string,
  supportChange: string,
): Promise<void> {
  const support = await call<{ id: string }>("POST", "/v1/plans", {
    name: "Premium support",
    description: "An add-on: a named support engineer and a one-hour response time, billed monthly.",
    document: premiumSupportPlan,
  });
  await call("POST", `/v1/plans/${support.id}/versions`, {});
  const parent = await call<{ id: string }>("POST", "/v1/customers", {
    externalId: demoParent.externalId,
    name: demoParent.name,
    email: demoParent.email,
    timezone: demoParent.timezone,
    currency: "USD",
  });
  const contract = await call<{ id: string; addOns: { id: string }[] }>("POST", "/v1/contracts", {
    customerId: parent.id,
    planId: plan.planId,
    planVersion: plan.version,
    startDate,
    billingPeriod: "monthly",
    creditGrants: [],
    addOns: [{ planId: support.id }],
  });
  await call("POST", `/v1/contracts/${contract.id}/add-ons/${contract.addOns[0].id}/amendments`, {
    effectiveDate: supportChange,
    paramOverrides: { support_fee: "250" },
    reason: "24/7 support rota",
  });
  // A second contract from the same day: its periods coincide with the first's, so they share each invoice.
  const live = await call<{ id: string }>("POST", "/v1/plans", {
    name: "Live channel",
    description: "A 24/7 live channel with its own monthly fee, sold as a separate contract.",
    document: liveChannelPlan,
  });
  await call("POST", `/v1/plans/${live.id}/versions`, {});
  await call("POST", "/v1/contracts", {
    customerId: parent.id,
    planId: live.id,
    startDate,
    billingPeriod: "monthly",
    creditGrants: [],
  });
  for (const child of demoChildren) {
    await call("POST", "/v1/customers", {
      externalId: child.externalId,
      name: child.name,
      email: child.email,
      timezone: child.timezone,
      currency: "USD",
      parentId: parent.id,
    });
  }
}
