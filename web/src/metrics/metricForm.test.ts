import { describe, expect, it } from "vitest";
import { createBody, definitionOf, emptyMetricForm, formOf, previewable, updateBody } from "./metricForm.ts";

const filled = {
  ...emptyMetricForm,
  key: " storage_gb ",
  eventType: " storage.changed ",
  aggregation: "weightedSum" as const,
  property: " gb ",
  filters: [
    { property: "env", values: "prod, staging , " },
    { property: " ", values: "ignored" },
  ],
  groupBy: "region, , tier",
  roundingMode: "round" as const,
  roundingPrecision: "2",
};

describe("the metric form", () => {
  it("turns what was typed into the API's definition: trimmed, lists split, blank rows dropped", () => {
    expect(definitionOf(filled)).toEqual({
      eventType: "storage.changed",
      aggregation: "weightedSum",
      property: "gb",
      filters: [{ property: "env", values: ["prod", "staging"] }],
      groupBy: ["region", "tier"],
      rounding: { mode: "round", precision: 2 },
    });
    expect(createBody(filled)).toMatchObject({ key: "storage_gb", name: "storage_gb", description: null });
  });

  it("sends no property for count and no rounding when none is chosen", () => {
    const counted = { ...filled, aggregation: "count" as const, roundingMode: "" as const };
    expect(definitionOf(counted)).toMatchObject({ property: null, rounding: null });
    expect(updateBody(counted)).not.toHaveProperty("key");
  });

  it("round-trips a saved metric and previews only once a type (and a property when read) is there", () => {
    const saved = {
      key: "seats",
      name: "Seats",
      description: null,
      eventType: "seat",
      aggregation: "latest" as const,
      property: "n",
      filters: [{ property: "plan", values: ["pro", "team"] }],
      groupBy: ["plan"],
      rounding: null,
      createdAt: "2025-01-01T00:00:00.000Z",
      updatedAt: "2025-01-01T00:00:00.000Z",
    };
    const form = formOf(saved);
    expect(definitionOf(form)).toEqual({
      eventType: "seat",
      aggregation: "latest",
      property: "n",
      filters: saved.filters,
      groupBy: ["plan"],
      rounding: null,
    });
    expect(previewable(form)).toBe(true);
    expect(previewable({ ...form, property: "" })).toBe(false);
    expect(previewable({ ...form, aggregation: "count", property: "" })).toBe(true);
    expect(previewable({ ...form, eventType: " " })).toBe(false);
  });
});
