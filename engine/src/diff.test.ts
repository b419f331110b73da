import type { PlanDocumentInput } from "@pricegraph/shared";
import { describe, expect, it } from "vitest";
import { diffDocuments, diffText, fieldChanges } from "./diff.ts";
import { planDocument } from "./testing/plan.ts";

const zenskarTiers = [
  { upTo: "500", unitPrice: "2.00" },
  { upTo: "2000", unitPrice: "1.50" },
  { upTo: null, unitPrice: "1.00" },
];

const v1: PlanDocumentInput = planDocument(
  [
    ["n1", "usage", { metric: "calls" }],
    ["n2", "tiered", { tiers: zenskarTiers }],
    ["n3", "invoiceLine", { description: "Calls" }],
    ["n4", "flatFee", { amount: "10" }],
  ],
  ["n1.out -> n2.in", "n2.out -> n3.amount", "n1.out -> n3.quantity"],
);

describe("diffDocuments", () => {
  it("finds nothing between a document and itself", () => {
    const diff = diffDocuments(v1, v1);
    expect(diff.counts).toEqual({ added: 0, removed: 0, changed: 0, unchanged: 4 });
    expect(diff.edges.every((e) => e.status === "unchanged")).toBe(true);
  });

  it("lists added, removed and changed nodes with the changed fields", () => {
    const tiers = zenskarTiers.map((t, i) => (i === 1 ? { ...t, unitPrice: "1.25" } : t));
    const v2 = {
      ...v1,
      nodes: [
        ...v1.nodes.filter((n) => n.id !== "n4").map((n) => (n.id === "n2" ? { ...n, data: { tiers } } : n)),
        { id: "n5", type: "minimum", position: { x: 0, y: 300 }, data: { amount: "100" } },
      ],
    };
    const diff = diffDocuments(v1, v2);
    expect(diff.counts).toEqual({ added: 1, removed: 1, changed: 1, unchanged: 2 });
    const changed = diff.nodes.find((n) => n.id === "n2")!;
    expect(changed.status).toBe("changed");
    expect(changed.changes).toEqual([{ path: "tiers[1].unitPrice", before: "1.50", after: "1.25" }]);
    expect(diff.nodes.find((n) => n.id === "n4")).toMatchObject({ status: "removed", type: "flatFee" });
    expect(diff.nodes.find((n) => n.id === "n5")).toMatchObject({ status: "added" });
  });

  it("treats a moved node as unchanged pricing, but says it moved", () => {
    const moved = {
      ...v1,
      nodes: v1.nodes.map((n) => (n.id === "n1" ? { ...n, position: { x: 99, y: 99 } } : n)),
    };
    const node = diffDocuments(v1, moved).nodes.find((n) => n.id === "n1")!;
    expect(node).toMatchObject({ status: "unchanged", moved: true });
  });

  it("matches edges by their endpoints, so a re-created edge with a new id is the same edge", () => {
    const edges = (v1.edges ?? []).map((e, i) => ({ ...e, id: `x${i}` }));
    const rewired = {
      ...v1,
      edges: [...edges.slice(0, 2), { ...edges[2], targetHandle: "amount", id: "y" }],
    };
    const diff = diffDocuments(v1, rewired);
    expect(diff.edges.filter((e) => e.status === "unchanged")).toHaveLength(2);
    expect(diff.edges.find((e) => e.status === "added")?.key).toBe("n1.out→n3.amount");
    expect(diff.edges.find((e) => e.status === "removed")?.key).toBe("n1.out→n3.quantity");
  });

  it("reports parameter changes and a currency change", () => {
    const withParam = { ...v1, params: [{ key: "rate", type: "money" as const, default: "1" }] };
    const changed = {
      ...withParam,
      currency: "EUR",
      params: [{ key: "rate", type: "money" as const, default: "2" }],
    };
    expect(diffDocuments(v1, withParam).params).toEqual([{ key: "rate", status: "added", changes: [] }]);
    const diff = diffDocuments(withParam, changed);
    expect(diff.params[0]).toMatchObject({
      status: "changed",
      changes: [{ path: "default", before: "1", after: "2" }],
    });
    expect(diff.currency).toEqual({ before: "USD", after: "EUR" });
  });
});

describe("fieldChanges", () => {
  it("walks objects and arrays down to the differing leaves", () => {
    expect(fieldChanges({ a: [1, { b: "x" }], c: 1 }, { a: [1, { b: "y" }, 3], d: 2 })).toEqual([
      { path: "a[1].b", before: "x", after: "y" },
      { path: "a[2]", before: undefined, after: 3 },
      { path: "c", before: 1, after: undefined },
      { path: "d", before: undefined, after: 2 },
    ]);
  });

  it("compares a literal with a parameter reference as a change", () => {
    expect(fieldChanges({ p: "1" }, { p: { param: "k" } })).toEqual([
      { path: "p", before: "1", after: { param: "k" } },
    ]);
  });
});

describe("diffText", () => {
  it("prints the change list: changed fields, connections, parameters and the counts", () => {
    const tiers = zenskarTiers.map((t, i) => (i === 1 ? { ...t, unitPrice: "1.25" } : t));
    const v2: PlanDocumentInput = {
      ...v1,
      params: [{ key: "rate", type: "money", default: "2" }],
      nodes: v1.nodes
        .filter((n) => n.id !== "n4")
        .map((n) => (n.id === "n2" ? { ...n, data: { tiers } } : n)),
      edges: (v1.edges ?? []).filter((e) => e.targetHandle !== "quantity"),
    };
    expect(diffText(diffDocuments(v1, v2))).toBe(
      [
        "changed Tiered (graduated) (n2)",
        "  tiers[1].unitPrice: 1.50 → 1.25",
        "removed Flat fee (n4)",
        "Connections",
        "  removed n1.out→n3.quantity",
        "Parameters",
        "  added rate",
        "Added 0, removed 1, changed 1, unchanged 2",
        "",
      ].join("\n"),
    );
  });

  it("says when two documents price the same way", () => {
    expect(diffText(diffDocuments(v1, v1))).toBe(
      "The two versions price the same way (only layout may differ).\nAdded 0, removed 0, changed 0, unchanged 4\n",
    );
  });
});
