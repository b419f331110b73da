import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { createEditorStore, EditorStoreContext } from "../store/editorStore.ts";
import { testGraph, zenskarTiers } from "../testing.ts";
import { Inspector } from "./Inspector.tsx";

afterEach(cleanup);

function renderInspector() {
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
  render(
    <EditorStoreContext.Provider value={store}>
      <Inspector />
    </EditorStoreContext.Provider>,
  );
  return store;
}

describe("Inspector", () => {
  it("shows the plan settings until one node is selected, then that node's form", () => {
    const store = renderInspector();
    expect(screen.queryByTestId("node-form")).toBeNull();
    expect(screen.getByTestId("plan-currency")).toBeTruthy();
    act(() => store.getState().select(["n2"]));
    expect(screen.getByTestId("node-form")).toBeTruthy();
    expect(screen.getByText("Tiered (graduated)")).toBeTruthy();
    act(() => store.getState().select(["n1", "n2"]));
    expect(screen.queryByTestId("node-form")).toBeNull();
    expect(screen.getByText(/2 nodes selected/)).toBeTruthy();
  });

  it("writes edits to the store and the preview follows", () => {
    const store = renderInspector();
    act(() => store.getState().select(["n2"]));
    act(() => store.getState().setUsage("calls", "1500"));
    fireEvent.change(screen.getByTestId("field-tiers.1.unitPrice"), { target: { value: "1.25" } });
    const evaluation = store.getState().preview?.evaluation;
    expect(evaluation?.ok && evaluation.output.total).toBe("2250.00");
  });

  it("shows the compiler's problems for the node and at the field", () => {
    const store = renderInspector();
    act(() => store.getState().select(["n2"]));
    fireEvent.change(screen.getByTestId("field-tiers.1.upTo"), { target: { value: "100" } });
    expect(screen.getByTestId("field-tiers.1.upTo-error").textContent).toBe(
      "Must be greater than the tier above (500)",
    );
    expect(screen.getByTestId("inspector").textContent).toContain("Tier 2: up to must be greater than 500");
  });

  it("exposes a field as a parameter listed in the editable parameters panel", () => {
    const store = renderInspector();
    act(() => store.getState().select(["n2"]));
    fireEvent.click(screen.getByTestId("expose-tiers.0.unitPrice"));
    expect(screen.getByTestId("param-tiered_unit_price")).toBeTruthy();
    expect((screen.getByTestId("param-default-tiered_unit_price") as HTMLInputElement).value).toBe("2.00");
    fireEvent.change(screen.getByTestId("param-default-tiered_unit_price"), { target: { value: "2.50" } });
    expect(store.getState().params[0].default).toBe("2.50");
    fireEvent.change(screen.getByTestId("param-label-tiered_unit_price"), {
      target: { value: "First tier" },
    });
    expect(store.getState().params[0].label).toBe("First tier");
    fireEvent.click(screen.getByTestId("param-remove-tiered_unit_price"));
    expect(store.getState().params).toEqual([]);
    expect((store.getState().nodes[1].data.tiers as { unitPrice: unknown }[])[0].unitPrice).toBe("2.50");
  });
});
