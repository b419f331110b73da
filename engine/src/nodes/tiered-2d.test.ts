import { describe, expect, it } from "vitest";
import { runNode } from "../testing/plan.ts";

const table = {
  rows: [{ upTo: "100" }, { upTo: null }],
  columns: [{ upTo: "10" }, { upTo: null }],
  rates: [
    ["1", "0.8"],
    ["0.5", "0.4"],
  ],
};
const run = (mode: string, q: string, by: string) =>
  runNode(
    { type: "tiered2d", data: { ...table, mode }, inputs: { in: "quantity", by: "quantity" } },
    { in: q, by },
  ).out.out;

describe("tiered2d", () => {
  it.each([
    ["graduated", "0", "0", "0"],
    ["graduated", "1", "0", "1"],
    ["graduated", "100", "10", "100"], // top row, top column
    ["graduated", "101", "10", "100.5"],
    ["graduated", "101", "11", "80.4"], // first unit of the next column
    ["graduated", "100.5", "10.5", "80.2"],
    ["volume", "100", "5", "100"],
    ["volume", "101", "5", "50.5"],
    ["volume", "101", "10.01", "40.4"],
    ["volume", "12345678901234567890123", "1", "6172839450617283945061.5"],
  ])("%s: in %s, by %s → %s", (mode, q, by, expected) => {
    expect(run(mode, q, by)).toBe(expected);
  });

  it("rejects a rate table that does not match rows × columns", () => {
    const spec = {
      type: "tiered2d",
      data: { ...table, rates: [["1"]], mode: "volume" },
      inputs: { in: "quantity" as const, by: "quantity" as const },
    };
    expect(() => runNode(spec, { in: "1", by: "1" })).toThrow(/needs one row of rates per row/);
  });
});
