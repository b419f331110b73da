import type { PlanParam } from "@pricegraph/shared";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { useState } from "react";
import { afterEach, describe, expect, it } from "vitest";
import { setAt } from "../store/paths.ts";
import type { FormApi } from "./formApi.ts";
import { NodeForm } from "./NodeForm.tsx";
import { tierOrderErrors } from "./TierTableEditor.tsx";

// No vitest globals here, so Testing Library cannot register its own cleanup.
afterEach(cleanup);

type Data = Record<string, unknown>;

/** The node form over local state, the way the inspector drives it from the store. */
function Harness({ type, initial, onData }: { type: string; initial: Data; onData(data: Data): void }) {
  const [data, setData] = useState(initial);
  const [params, setParams] = useState<PlanParam[]>([]);
  const api: FormApi = {
    readOnly: false,
    params,
    set: (path, value) =>
      setData((d) => {
        const next = setAt(d, path, value);
        onData(next);
        return next;
      }),
    expose: (path, kind) => {
      setParams((p) => [...p, { key: "k", type: kind, default: "2.00" }]);
      setData((d) => {
        const next = setAt(d, path, { param: "k" });
        onData(next);
        return next;
      });
    },
    errorsAt: () => [],
  };
  return <NodeForm type={type} data={data} api={api} />;
}

function renderTiers() {
  const seen: Data[] = [];
  render(
    <Harness
      type="tiered"
      initial={{
        tiers: [
          { upTo: "500", unitPrice: "2.00" },
          { upTo: "2000", unitPrice: "1.50" },
          { upTo: null, unitPrice: "1.00" },
        ],
      }}
      onData={(d) => seen.push(d)}
    />,
  );
  return { last: () => seen[seen.length - 1] as { tiers: Data[] } };
}

const input = (testId: string) => screen.getByTestId(testId) as HTMLInputElement;

describe("tier table editor", () => {
  it("shows one row per tier, the last unbounded", () => {
    renderTiers();
    expect(input("field-tiers.0.upTo").value).toBe("500");
    expect(input("field-tiers.1.unitPrice").value).toBe("1.50");
    expect(screen.queryByTestId("field-tiers.2.upTo")).toBeNull();
    expect(screen.getByTestId("tier-row-tiers-2").textContent).toContain("and above");
  });

  it("adds a tier above the unbounded one with the next bound and the last prices", () => {
    const { last } = renderTiers();
    fireEvent.click(screen.getByTestId("add-row-tiers"));
    expect(last().tiers).toEqual([
      { upTo: "500", unitPrice: "2.00" },
      { upTo: "2000", unitPrice: "1.50" },
      { upTo: "4000", unitPrice: "1.00" },
      { upTo: null, unitPrice: "1.00" },
    ]);
  });

  it("removes a tier and keeps the last one unbounded", () => {
    const { last } = renderTiers();
    fireEvent.click(screen.getByTestId("remove-row-tiers-2"));
    expect(last().tiers).toEqual([
      { upTo: "500", unitPrice: "2.00" },
      { upTo: null, unitPrice: "1.50" },
    ]);
  });

  it("reorders prices while the bounds stay ascending", () => {
    const { last } = renderTiers();
    fireEvent.click(screen.getByTestId("move-down-tiers-0"));
    expect(last().tiers).toEqual([
      { upTo: "500", unitPrice: "1.50" },
      { upTo: "2000", unitPrice: "2.00" },
      { upTo: null, unitPrice: "1.00" },
    ]);
    fireEvent.click(screen.getByTestId("move-up-tiers-2"));
    expect(last().tiers[1]).toEqual({ upTo: "2000", unitPrice: "1.00" });
  });

  it("checks upTo ordering as you type", () => {
    renderTiers();
    fireEvent.change(input("field-tiers.1.upTo"), { target: { value: "400" } });
    expect(screen.getByTestId("field-tiers.1.upTo-error").textContent).toBe(
      "Must be greater than the tier above (500)",
    );
    fireEvent.change(input("field-tiers.1.upTo"), { target: { value: "4000" } });
    expect(screen.queryByTestId("field-tiers.1.upTo-error")).toBeNull();
  });

  it("keeps decimal strings exactly and never commits text that is not a decimal", () => {
    const { last } = renderTiers();
    fireEvent.change(input("field-tiers.0.unitPrice"), { target: { value: "0.10" } });
    expect(last().tiers[0].unitPrice).toBe("0.10");
    fireEvent.change(input("field-tiers.0.unitPrice"), { target: { value: "0.1000000000000000055511" } });
    expect(last().tiers[0].unitPrice).toBe("0.1000000000000000055511");
    fireEvent.change(input("field-tiers.0.unitPrice"), { target: { value: "1,5" } });
    expect(last().tiers[0].unitPrice).toBe("0.1000000000000000055511");
    expect(screen.getByTestId("field-tiers.0.unitPrice-error").textContent).toBe(
      "Enter a decimal such as 12.50",
    );
    expect(input("field-tiers.0.unitPrice").value).toBe("1,5");
  });

  it("exposes a tier cell as a contract parameter", () => {
    const { last } = renderTiers();
    fireEvent.click(screen.getByTestId("expose-tiers.0.unitPrice"));
    expect(last().tiers[0].unitPrice).toEqual({ param: "k" });
    expect(screen.getByTestId("param-ref-tiers.0.unitPrice").textContent).toContain("k");
  });
});

describe("tierOrderErrors", () => {
  it("names each ordering problem at its row", () => {
    expect(
      tierOrderErrors([{ upTo: "0" }, { upTo: null }, { upTo: "10" }, { upTo: "5" }, { upTo: "1" }]),
    ).toEqual([
      "Must be greater than 0",
      "Only the last tier may be unbounded",
      undefined,
      "Must be greater than the tier above (10)",
      "The last tier must be unbounded",
    ]);
  });
});

describe("node form generated from the schema", () => {
  it("renders required fields and offers optional ones (percent)", () => {
    const seen: Data[] = [];
    render(<Harness type="percent" initial={{ rate: "2.9" }} onData={(d) => seen.push(d)} />);
    expect(input("field-rate").value).toBe("2.9");
    expect(screen.queryByTestId("field-minimum")).toBeNull();
    fireEvent.click(screen.getByTestId("add-field-minimum"));
    expect(seen[seen.length - 1]).toEqual({ rate: "2.9", minimum: "0" });
    fireEvent.change(input("field-minimum"), { target: { value: "0.50" } });
    expect(seen[seen.length - 1]).toEqual({ rate: "2.9", minimum: "0.50" });
    fireEvent.click(screen.getByTestId("remove-field-minimum"));
    expect(seen[seen.length - 1]).toEqual({ rate: "2.9" });
  });

  it("renders enums as selects and integers as checked text (round)", () => {
    const seen: Data[] = [];
    render(<Harness type="round" initial={{ decimals: 0, mode: "halfUp" }} onData={(d) => seen.push(d)} />);
    fireEvent.change(screen.getByTestId("field-mode"), { target: { value: "floor" } });
    expect(seen[seen.length - 1]).toEqual({ decimals: 0, mode: "floor" });
    fireEvent.change(input("field-decimals"), { target: { value: "-2" } });
    expect(seen[seen.length - 1]).toEqual({ decimals: -2, mode: "floor" });
    fireEvent.change(input("field-decimals"), { target: { value: "1.5" } });
    expect(seen[seen.length - 1]).toEqual({ decimals: -2, mode: "floor" });
  });

  it("edits string lists and the label (usage)", () => {
    const seen: Data[] = [];
    render(<Harness type="usage" initial={{ metric: "minutes" }} onData={(d) => seen.push(d)} />);
    fireEvent.change(input("field-metric"), { target: { value: "video_minutes" } });
    fireEvent.click(screen.getByTestId("add-field-groupBy"));
    fireEvent.change(input("field-groupBy"), { target: { value: "region, quality" } });
    fireEvent.change(input("field-label"), { target: { value: "Encoded" } });
    expect(seen[seen.length - 1]).toEqual({
      metric: "video_minutes",
      groupBy: ["region", "quality"],
      label: "Encoded",
    });
  });

  it("renders a rate grid for two-dimensional tiers", () => {
    render(
      <Harness
        type="tiered2d"
        initial={{
          rows: [{ upTo: "10" }, { upTo: null }],
          columns: [{ upTo: null }],
          rates: [["0.1"], ["0.2"]],
          mode: "volume",
        }}
        onData={() => undefined}
      />,
    );
    expect(input("field-rates.1.0").value).toBe("0.2");
    expect(input("field-rows.0.upTo").value).toBe("10");
  });
});
