import { describe, expect, it } from "vitest";
import { toDocument } from "../graph.ts";
import { testGraph, zenskarTiers } from "../testing.ts";
import { createEditorStore } from "./editorStore.ts";

function loaded() {
  const store = createEditorStore();
  store.getState().load(
    testGraph(
      [
        ["n1", "usage", { metric: "calls" }],
        ["n2", "tiered", { tiers: zenskarTiers }],
        ["n3", "invoiceLine", { description: "Calls" }],
      ],
      ["n1.out>n2.in", "n2.out>n3.amount"],
    ),
  );
  store.clearHistory();
  store.getState().setUsage("calls", "1500");
  return store;
}

const total = (store: ReturnType<typeof createEditorStore>) => {
  const evaluation = store.getState().preview?.evaluation;
  return evaluation?.ok ? evaluation.output.total : null;
};

describe("editor store", () => {
  it("previews every change: Zenskar's tiers bill 1,500 units at 2,500.00", () => {
    const store = loaded();
    expect(total(store)).toBe("2500.00");
    store.getState().setField("n2", ["tiers", 1, "unitPrice"], "1.25");
    expect(total(store)).toBe("2250.00");
    expect(store.getState().preview?.values["n2.out"]).toBe("2250");
  });

  it("re-evaluates a sample change with the plan compiled last, and recompiles after an edit", () => {
    const store = loaded();
    const compiled = store.getState().preview?.compiled;
    store.getState().setUsage("calls", "500");
    expect(total(store)).toBe("1000.00");
    expect(store.getState().preview?.compiled).toBe(compiled);
    store.getState().setField("n2", ["tiers", 0, "unitPrice"], "3");
    expect(store.getState().preview?.compiled).not.toBe(compiled);
    expect(total(store)).toBe("1500.00");
    store.undo();
    expect(total(store)).toBe("1000.00");
  });

  it("shows each node's own values in the canvas overlay, keeping unchanged entries", () => {
    const store = loaded();
    const before = store.overlay.getState().byNode;
    expect(before.get("n2")?.values.out).toBe("2500");
    expect(before.get("n3")?.lineAmount).toBe("2500.00");
    // Renaming the line changes no value: every node keeps its entry, so no node re-renders for the preview.
    store.getState().setField("n3", ["description"], "API calls");
    const after = store.overlay.getState().byNode;
    for (const id of ["n1", "n2", "n3"]) expect(after.get(id)).toBe(before.get(id));
    store.getState().setField("n2", ["tiers", 0, "unitPrice"], "3");
    expect(store.overlay.getState().byNode.get("n1")).toBe(before.get("n1"));
    expect(store.overlay.getState().byNode.get("n2")?.values.out).toBe("3000");
  });

  it("hands compile the same node and edge objects for what an edit left alone", () => {
    const store = loaded();
    const before = toDocument(store.getState());
    store.getState().setField("n2", ["tiers", 0, "unitPrice"], "3");
    const after = toDocument(store.getState());
    // The engine's compile cache knows nodes and edges by object: only the edited node is checked again.
    expect(after.nodes.map((n, i) => n === before.nodes[i])).toEqual([true, false, true]);
    expect(after.edges?.every((e, i) => e === before.edges?.[i])).toBe(true);
    expect(after.nodes[1].data).toEqual(expect.objectContaining({ tiers: expect.any(Array) }));
    // A move replaces the node's document object too, with its rounded position.
    store.getState().setPositions({ n1: { x: 10.4, y: 20.6 } });
    const moved = toDocument(store.getState());
    expect(moved.nodes[0]).not.toBe(after.nodes[0]);
    expect(moved.nodes[0].position).toEqual({ x: 10, y: 21 });
    expect(moved.nodes[2]).toBe(after.nodes[2]);
  });

  it("undoes and redoes data edits; selection never makes an undo step", () => {
    const store = loaded();
    store.getState().setField("n2", ["tiers", 0, "unitPrice"], "3");
    store.getState().select(["n1"]);
    store.getState().select(["n2"]);
    expect(store.temporal.getState().pastStates).toHaveLength(1);
    store.undo();
    expect(total(store)).toBe("2500.00");
    store.redo();
    expect(total(store)).toBe("3000.00");
  });

  it("records a whole drag as one step", () => {
    const store = loaded();
    store.beginDrag();
    for (let x = 1; x <= 5; x++) {
      store
        .getState()
        .onNodesChange([{ id: "n1", type: "position", position: { x: x * 10, y: 0 }, dragging: true }]);
    }
    store
      .getState()
      .onNodesChange([{ id: "n1", type: "position", position: { x: 60, y: 0 }, dragging: false }]);
    store.endDrag();
    expect(store.temporal.getState().pastStates).toHaveLength(1);
    store.undo();
    expect(store.getState().nodes[0].position).toEqual({ x: 0, y: 0 });
  });

  it("deletes selected nodes with their edges in one undoable step", () => {
    const store = loaded();
    store.getState().select(["n2"]);
    store.getState().deleteSelection();
    expect(store.getState().nodes.map((n) => n.id)).toEqual(["n1", "n3"]);
    expect(store.getState().edges).toHaveLength(0);
    store.undo();
    expect(store.getState().edges).toHaveLength(2);
  });

  it("pastes copies of the selected nodes with the edges between them, under fresh ids", () => {
    const store = loaded();
    store.getState().select(["n1", "n2"]);
    expect(store.getState().copySelection()).toBe(2);
    expect(store.getState().paste()).toEqual(["n4", "n5"]);
    const edges = store.getState().edges;
    expect(edges).toHaveLength(3);
    expect(edges[2]).toMatchObject({ source: "n4", sourceHandle: "out", target: "n5", targetHandle: "in" });
    expect(store.getState().nodes.find((n) => n.id === "n4")?.position).toEqual({ x: 40, y: 40 });
  });

  it("exposes a field as a parameter, renames it everywhere and inlines it on removal", () => {
    const store = loaded();
    const key = store.getState().exposeParam("n2", ["tiers", 1, "unitPrice"], "money");
    expect(key).toBe("tiered_unit_price");
    expect(store.getState().params).toEqual([
      { key: "tiered_unit_price", label: "Tiered unit price", type: "money", default: "1.50" },
    ]);
    expect(store.getState().nodes[1].data.tiers).toEqual([
      zenskarTiers[0],
      { upTo: "2000", unitPrice: { param: "tiered_unit_price" } },
      zenskarTiers[2],
    ]);
    expect(total(store)).toBe("2500.00");
    store.getState().setParamValue("tiered_unit_price", "1");
    expect(total(store)).toBe("2000.00");

    store.getState().updateParam("tiered_unit_price", { key: "mid_rate" });
    expect((store.getState().nodes[1].data.tiers as { unitPrice: unknown }[])[1].unitPrice).toEqual({
      param: "mid_rate",
    });
    store.getState().updateParam("mid_rate", { default: "1.40" });
    store.getState().removeParam("mid_rate");
    expect(store.getState().params).toEqual([]);
    expect((store.getState().nodes[1].data.tiers as { unitPrice: unknown }[])[1].unitPrice).toBe("1.40");
  });

  it("saves exactly the plan document: no selection or measurement keys", () => {
    const store = loaded();
    store.getState().select(["n1"]);
    const document = toDocument(store.getState());
    expect(Object.keys(document.nodes[0]).sort()).toEqual(["data", "id", "position", "type"]);
    expect(Object.keys(document.edges?.[0] ?? {}).sort()).toEqual([
      "id",
      "source",
      "sourceHandle",
      "target",
      "targetHandle",
    ]);
  });

  it("adds a palette node with fresh default data, selected", () => {
    const store = loaded();
    const id = store.getState().addNode("tiered", { x: 5, y: 5 });
    const node = store.getState().nodes.find((n) => n.id === id)!;
    expect(id).toBe("n4");
    expect(node.selected).toBe(true);
    (node.data.tiers as { unitPrice: string }[])[0].unitPrice = "9";
    const againId = store.getState().addNode("tiered", { x: 0, y: 0 });
    const again = store.getState().nodes.find((n) => n.id === againId)!;
    expect((again.data.tiers as { unitPrice: string }[])[0].unitPrice).toBe("0.10");
  });

  it("resizes a two-dimensional rate grid when a tier is added or removed", () => {
    const store = createEditorStore();
    store
      .getState()
      .load(
        testGraph([
          [
            "t",
            "tiered2d",
            { rows: [{ upTo: null }], columns: [{ upTo: null }], rates: [["0.1"]], mode: "volume" },
          ],
        ]),
      );
    store.getState().setField("t", ["rows"], [{ upTo: "10" }, { upTo: null }]);
    store.getState().setField("t", ["columns"], [{ upTo: "5" }, { upTo: null }]);
    expect(store.getState().nodes[0].data.rates).toEqual([
      ["0.1", "0.1"],
      ["0.1", "0.1"],
    ]);
    store.getState().setField("t", ["rows"], [{ upTo: null }]);
    expect(store.getState().nodes[0].data.rates).toEqual([["0.1", "0.1"]]);
  });
});

describe("adding a node where one already is", () => {
  it("nudges it apart so neither hides the other", () => {
    const store = createEditorStore();
    store.getState().load(testGraph([["n1", "usage", { metric: "calls" }]]));
    const id = store.getState().addNode("perUnit", { x: 10, y: 10 });
    const added = store.getState().nodes.find((n) => n.id === id)!.position;
    const overlaps = Math.abs(added.x) < 200 && Math.abs(added.y) < 110;
    expect(overlaps).toBe(false);
    const again = store.getState().addNode("perUnit", { x: 10, y: 10 });
    const third = store.getState().nodes.find((n) => n.id === again)!.position;
    expect(third).not.toEqual(added);
  });

  it("keeps the asked-for place when it is free", () => {
    const store = createEditorStore();
    store.getState().load(testGraph([["n1", "usage", { metric: "calls" }]]));
    const id = store.getState().addNode("perUnit", { x: 600, y: 0 });
    expect(store.getState().nodes.find((n) => n.id === id)!.position).toEqual({ x: 600, y: 0 });
  });
});
