import type { ExplanationEntry } from "@pricegraph/engine";
import type { PlanDocumentInput } from "@pricegraph/shared";
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { InvoiceLine } from "../api/invoices.ts";
import { WhyExplanation } from "./WhyView.tsx";
import { whyPath, wireLabel } from "./why.ts";

afterEach(cleanup);

/** Two branches: usage → per unit → credits → line, and a flat fee → its own line. */
const document: PlanDocumentInput = {
  format: "pricegraph/v1",
  currency: "USD",
  params: [],
  nodes: [
    { id: "calls", type: "usage", position: { x: 0, y: 0 }, data: { metric: "api_calls" } },
    { id: "price", type: "perUnit", position: { x: 200, y: 0 }, data: { unitPrice: "0.02" } },
    { id: "promo", type: "credits", position: { x: 400, y: 0 }, data: { grant: "promo" } },
    { id: "callsLine", type: "invoiceLine", position: { x: 600, y: 0 }, data: { description: "API calls" } },
    { id: "fee", type: "flatFee", position: { x: 400, y: 200 }, data: { amount: "10" } },
    { id: "feeLine", type: "invoiceLine", position: { x: 600, y: 200 }, data: { description: "Platform" } },
  ],
  edges: [
    { id: "e1", source: "calls", sourceHandle: "out", target: "price", targetHandle: "in" },
    { id: "e2", source: "price", sourceHandle: "out", target: "promo", targetHandle: "in" },
    { id: "e3", source: "promo", sourceHandle: "out", target: "callsLine", targetHandle: "amount" },
    { id: "e4", source: "calls", sourceHandle: "out", target: "callsLine", targetHandle: "quantity" },
    { id: "e5", source: "fee", sourceHandle: "out", target: "feeLine", targetHandle: "amount" },
  ],
};

// As the server stores it: from the line backwards, each node's inputs and outputs on this invoice.
const explanation: ExplanationEntry[] = [
  {
    nodeId: "promo",
    type: "credits",
    text: '20 − credits "promo" 5 = 15',
    inputs: { in: "20" },
    outputs: { out: "15", applied: "5" },
    items: [],
  },
  {
    nodeId: "price",
    type: "perUnit",
    text: "1,000 × 0.02 = 20",
    inputs: { in: "1000" },
    outputs: { out: "20" },
    items: [],
  },
  {
    nodeId: "calls",
    type: "usage",
    label: "Calls",
    text: "api_calls = 1,000",
    inputs: {},
    outputs: { out: "1000" },
    items: [],
  },
];

const line: InvoiceLine = {
  id: "invl_1",
  position: 0,
  kind: "charge",
  contractId: "ctr_1",
  nodeId: "callsLine",
  description: "API calls",
  product: null,
  timing: "arrears",
  quantity: "1000",
  amount: "15.00",
  unrounded: "15",
  servicePeriod: { start: "", end: "", startDate: "2026-10-01", endDate: "2026-11-01" },
  creditsApplied: "5",
  credited: "0.00",
  accounts: [],
  componentId: null,
  explanation,
};

describe("why? path", () => {
  it("highlights the line's node, the nodes its explanation names and only the edges between them", () => {
    const path = whyPath(document, line);
    expect([...path.nodeIds].sort()).toEqual(["calls", "callsLine", "price", "promo"]);
    expect([...path.edgeIds].sort()).toEqual(["e1", "e2", "e3", "e4"]);
    expect(path.nodeIds.has("fee")).toBe(false);
    expect(path.missing).toEqual([]);
  });

  it("puts the billed values on the ports and edges of the path", () => {
    const path = whyPath(document, line);
    expect(path.values).toEqual({
      "promo.out": "15",
      "promo.applied": "5",
      "price.out": "20",
      "calls.out": "1000",
    });
    expect(path.edgeValues).toEqual({ e1: "1000", e2: "20", e3: "15", e4: "1000" });
    expect(wireLabel("1234567.5")).toBe("1,234,567.5");
    expect(wireLabel([{ group: { q: "hd" }, value: "1" }])).toBe("1 group");
  });

  it("falls back to the target's recorded input when the source recorded no output", () => {
    const partial = whyPath(document, { nodeId: "callsLine", explanation: explanation.slice(0, 2) });
    // `calls` is not explained, so e1 and e4 are off the path; e2 and e3 carry the values.
    expect([...partial.edgeIds].sort()).toEqual(["e2", "e3"]);
    const viaInput = whyPath(document, {
      nodeId: "callsLine",
      explanation: [explanation[0], { ...explanation[1], outputs: {} }, explanation[2]],
    });
    // price recorded no output: e2 takes what promo recorded receiving on its `in` port.
    expect(viaInput.edgeValues.e2).toBe("20");
    expect(viaInput.values["price.out"]).toBeUndefined();
  });

  it("lists the explanation from the usage up to the line, whatever order it was stored in", () => {
    const shuffled = { ...line, explanation: [explanation[1], explanation[2], explanation[0]] };
    expect(whyPath(document, shuffled).steps.map((s) => s.nodeId)).toEqual(["calls", "price", "promo"]);
    const path = whyPath(document, line);
    render(<WhyExplanation line={line} path={path} currency="USD" />);
    const steps = screen.getByTestId("why-steps").querySelectorAll(":scope > li");
    expect([...steps].map((li) => li.getAttribute("data-testid"))).toEqual([
      "why-step-calls",
      "why-step-price",
      "why-step-promo",
      "why-step-callsLine",
    ]);
    expect(screen.getByTestId("why-step-calls").textContent).toContain("api_calls = 1,000");
    expect(screen.getByTestId("why-step-price").textContent).toContain("Per unit");
    expect(screen.getByTestId("why-step-callsLine").textContent).toContain(
      "API calls · 1,000 units = USD 15.00",
    );
  });
});
