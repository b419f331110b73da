/** Test fixtures of the contract lifecycle tests. */

const node = (id: string, type: string, data: Record<string, unknown>) => ({
  id,
  type,
  position: { x: 0, y: 0 },
  data,
});
const edge = (id: string, source: string, sourceHandle: string, target: string, targetHandle: string) => ({
  id,
  source,
  sourceHandle,
  target,
  targetHandle,
});

/** A prorated platform fee `fee` billed in advance; minutes × `rate` with a prorated minimum of 20, in arrears. */
export const phasedPlan = {
  format: "pricegraph/v1",
  currency: "USD",
  params: [
    { key: "rate", label: "Rate", type: "money", default: "0.5" },
    { key: "fee", label: "Platform fee", type: "money", default: "100" },
  ],
  nodes: [
    node("fee", "flatFee", { amount: { param: "fee" }, prorate: true }),
    node("feeLine", "invoiceLine", { description: "Platform fee", timing: "advance" }),
    node("u", "usage", { metric: "minutes" }),
    node("p", "perUnit", { unitPrice: { param: "rate" } }),
    node("m", "minimum", { amount: "20", prorate: true }),
    node("usageLine", "invoiceLine", { description: "Minutes" }),
  ],
  edges: [
    edge("e1", "fee", "out", "feeLine", "amount"),
    edge("e2", "u", "out", "p", "in"),
    edge("e3", "p", "out", "m", "in"),
    edge("e4", "m", "out", "usageLine", "amount"),
    edge("e5", "u", "out", "usageLine", "quantity"),
  ],
};
