import { describe, expect, it } from "vitest";
import { snapshotChanges } from "./diff.ts";

describe("snapshotChanges", () => {
  it("lists changed, added and removed leaves by path", () => {
    const before = { name: "Acme", address: { city: "Paris", zip: "75001" }, tags: ["a"], gone: 1 };
    const after = { name: "Acme Inc", address: { city: "Paris", zip: "75002" }, tags: ["a"], added: true };
    expect(snapshotChanges(before, after)).toEqual([
      { path: "added", before: undefined, after: true },
      { path: "address.zip", before: "75001", after: "75002" },
      { path: "gone", before: 1, after: undefined },
      { path: "name", before: "Acme", after: "Acme Inc" },
    ]);
  });

  it("treats arrays as one value and finds nothing between equal snapshots", () => {
    expect(snapshotChanges({ lines: [1, 2] }, { lines: [1, 3] })).toEqual([
      { path: "lines", before: [1, 2], after: [1, 3] },
    ]);
    expect(snapshotChanges({ a: { b: 1 } }, { a: { b: 1 } })).toEqual([]);
  });
});
