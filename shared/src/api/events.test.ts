import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fastParseIngestBody, ingestBody, isIsoTimestamp } from "./events.ts";

const text = fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom("", "a\u0000", "x".repeat(256), "ok"));
const timestamp = fc.oneof(
  fc
    .date({ min: new Date("1960-01-01"), max: new Date("2100-01-01"), noInvalidDate: true })
    .map((d) => d.toISOString()),
  fc.constantFrom(
    "2025-02-29T00:00:00Z",
    "2024-02-29T23:59:59.123456+05:30",
    "2025-03-01T00:00:00",
    "2025-13-01T00:00:00Z",
    "x",
  ),
);
const event = fc.record(
  {
    id: text,
    customer: text,
    type: text,
    timestamp,
    properties: fc.oneof(
      fc.dictionary(text, fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
      fc.constant(null),
      fc.constant([]),
    ),
    extra: fc.constant(1),
  },
  { requiredKeys: [] },
);

describe("fastParseIngestBody", () => {
  it("accepts exactly what the zod schema accepts, with the same value", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.record({ events: fc.array(event, { maxLength: 4 }) }), fc.jsonValue()),
        (body) => {
          const fast = fastParseIngestBody(body);
          const slow = ingestBody.safeParse(body);
          if (fast) expect(slow.success && slow.data).toEqual(fast);
          else expect(slow.success).toBe(false);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("checks real calendar instants with offsets", () => {
    expect(isIsoTimestamp("2024-02-29T23:59:59.123456+05:30")).toBe(true);
    expect(isIsoTimestamp("2025-02-29T00:00:00Z")).toBe(false);
    expect(isIsoTimestamp("2025-03-01T24:00:00Z")).toBe(false);
    expect(isIsoTimestamp("2025-03-01T10:00:00")).toBe(false);
    expect(isIsoTimestamp("2025-03-01T10:00Z")).toBe(true);
  });
});
