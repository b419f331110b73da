import { nodeCategories, nodeKinds } from "@pricegraph/engine";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Palette } from "../Palette.tsx";
import { missingNodeTypes, nodeTypes } from "./nodeTypes.ts";

// No vitest globals here, so Testing Library cannot register its own cleanup.
afterEach(cleanup);

describe("node registry in the editor", () => {
  it("has one component for every engine node type", () => {
    expect(missingNodeTypes).toEqual([]);
    expect(Object.keys(nodeTypes).sort()).toEqual(nodeKinds.map((k) => k.type).sort());
  });

  it("generates the palette from the registry, grouped by category and searchable", () => {
    const onAdd = vi.fn();
    render(<Palette onAdd={onAdd} />);
    for (const category of nodeCategories) expect(screen.getByText(category.label)).toBeTruthy();
    for (const kind of nodeKinds)
      expect(screen.getByTestId(`palette-${kind.type}`).textContent).toBe(kind.label);
    fireEvent.change(screen.getByTestId("palette-search"), { target: { value: "tier" } });
    expect(screen.queryByTestId("palette-usage")).toBeNull();
    expect(screen.getByTestId("palette-tiered")).toBeTruthy();
    expect(screen.getByTestId("palette-tiered2d")).toBeTruthy();
    // A click (Enter or Space from the keyboard) adds the node; Enter in the search adds the first match.
    fireEvent.click(screen.getByTestId("palette-tiered"));
    expect(onAdd).toHaveBeenLastCalledWith("tiered");
    fireEvent.keyDown(screen.getByTestId("palette-search"), { key: "Enter" });
    expect(onAdd).toHaveBeenCalledTimes(2);
    expect(onAdd).toHaveBeenLastCalledWith("tiered");
  });
});
