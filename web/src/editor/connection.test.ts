import { describe, expect, it } from "vitest";
import { checkConnection } from "./connection.ts";
import { testGraph } from "./testing.ts";

const graph = testGraph(
  [
    ["n1", "usage", { metric: "calls" }],
    ["n2", "perUnit", { unitPrice: "0.1" }],
    ["n3", "invoiceLine", { description: "Calls" }],
    ["n4", "math", { op: "add" }],
    ["n5", "sum", {}],
    ["n6", "maximum", { amount: "10" }],
  ],
  ["n1.out>n2.in", "n2.out>n3.amount", "n1.out>n4.a", "n4.out>n5.in"],
);
const connect = (source: string, sourceHandle: string, target: string, targetHandle: string) =>
  checkConnection(graph, { source, sourceHandle, target, targetHandle });

describe("checkConnection", () => {
  it("accepts a connection the engine accepts, with the next free edge id", () => {
    expect(connect("n1", "out", "n3", "quantity")).toEqual({ ok: true, edgeId: "e5" });
  });

  it("refuses a quantity into a money input, naming both types", () => {
    const result = connect("n1", "out", "n6", "in");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.code).toBe("PORT_TYPE_MISMATCH");
    expect(result.reason).toMatch(
      /Wrong type: “amount” of Maximum \(cap\) takes money, but “usage” of Usage is quantity/,
    );
  });

  it("refuses a second edge into an input that takes one", () => {
    const result = connect("n5", "out", "n3", "amount");
    expect(result).toMatchObject({ ok: false, code: "INPUT_MULTIPLE_EDGES" });
    if (!result.ok) expect(result.reason).toContain("takes one connection and already has one");
  });

  it("refuses an edge that closes a cycle and names the nodes on it", () => {
    const result = connect("n5", "out", "n4", "b");
    expect(result).toMatchObject({ ok: false, code: "CYCLE" });
    if (!result.ok) expect(result.reason).toMatch(/cycle \(n4 → n5\)/);
  });

  it("refuses a node feeding itself", () => {
    expect(connect("n4", "out", "n4", "b")).toMatchObject({ ok: false, code: "CYCLE" });
  });

  it("refuses a type conflict the target's own typing finds (money + quantity in a math node)", () => {
    const result = connect("n2", "out", "n4", "b");
    expect(result).toMatchObject({ ok: false, code: "PORT_TYPE_MISMATCH" });
    if (!result.ok) expect(result.reason).toContain("add needs two values of one type");
  });

  it("accepts many edges into a many input", () => {
    expect(connect("n1", "out", "n5", "in").ok).toBe(true);
  });
});
